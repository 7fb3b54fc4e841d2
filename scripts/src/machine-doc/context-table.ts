import { INSPECTOR_VIEW } from './inspector-view.js'
import { code, table } from './markdown.js'
import type { DocumentedProperty } from './tsdoc.js'

/**
 * The context fields an inspector sees: each field's type and TSDoc from `KeywayContext`,
 * and what a serialized snapshot shows of it.
 */
export function contextTable(fields: readonly DocumentedProperty[]): string {
  const views: Readonly<Record<string, string>> = INSPECTOR_VIEW
  const rows = fields.map((field) => {
    const view = views[field.name]
    if (view === undefined) {
      throw new Error(`INSPECTOR_VIEW does not say what an inspector sees of ${field.name}`)
    }
    return [code(field.name), code(field.type), field.doc, view]
  })
  return table(['field', 'type', 'what it holds', 'what an inspector sees'], rows)
}
