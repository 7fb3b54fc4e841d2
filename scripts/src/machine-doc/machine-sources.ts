import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import ts from 'typescript'
import {
  type DocumentedProperty,
  docBetween,
  docOf,
  findInterface,
  findTypeAlias,
  parseSource,
  propertiesOf,
} from './tsdoc.js'

/** The files, relative to the repository, whose TSDoc describes the machine's parts. */
export const MACHINE_SOURCE_FILES = {
  /** `KeywayContext`, `KeywayEvent`, `KeywayEmitted`. */
  types: 'packages/core/src/machine/types.ts',
  /** `KeywayActors`. */
  actors: 'packages/core/src/machine/actors.ts',
} as const

/** An event the machine accepts or emits: its `type`, its other fields, its TSDoc. */
export interface EventDoc {
  readonly name: string
  readonly fields: readonly DocumentedProperty[]
  readonly doc: string
}

/** One of the machine's actors, from `KeywayActors`: the types it takes and ends with. */
export interface ActorDoc {
  readonly name: string
  /** Its input type as written; none when it takes none. */
  readonly input: string | undefined
  readonly output: string
  readonly doc: string
}

/** What the TypeScript sources say of the machine's parts. */
export interface MachineSources {
  /** `KeywayContext`'s own TSDoc. */
  readonly contextDoc: string
  readonly context: readonly DocumentedProperty[]
  /** `KeywayEvent`'s members, in the order written. */
  readonly events: readonly EventDoc[]
  /** `KeywayEmitted`'s members, in the order written. */
  readonly emitted: readonly EventDoc[]
  readonly actors: readonly ActorDoc[]
}

/** The members of the event union `name`, each with its TSDoc (written before its `|`). */
function eventUnion(source: ts.SourceFile, name: string): EventDoc[] {
  const alias = findTypeAlias(source, name)
  const members = ts.isUnionTypeNode(alias.type) ? alias.type.types : [alias.type]
  return members.map((member, index) => {
    if (!ts.isTypeLiteralNode(member)) {
      throw new Error(`${name}: each member must be an object type with a literal \`type\``)
    }
    const from = index === 0 ? alias.type.getFullStart() : (members[index - 1]?.end ?? 0)
    const fields = propertiesOf(source, member.members)
    const type = fields.find((field) => field.name === 'type')
    if (type === undefined || !/^'[^']*'$/.test(type.type)) {
      throw new Error(`${name}: a member has no literal \`type\``)
    }
    return {
      name: type.type.slice(1, -1),
      fields: fields.filter((field) => field !== type),
      doc: docBetween(source, from, member.getStart(source)),
    }
  })
}

/** The members of `KeywayActors`: `PromiseActorLogic<Output, Input>` each. */
function actors(source: ts.SourceFile): ActorDoc[] {
  return findInterface(source, 'KeywayActors')
    .members.filter(ts.isPropertySignature)
    .map((member) => {
      const type = member.type
      if (type === undefined || !ts.isTypeReferenceNode(type) || !type.typeArguments?.[0]) {
        throw new Error('KeywayActors: each actor must be typed PromiseActorLogic<Output, Input>')
      }
      const [output, input] = type.typeArguments
      return {
        name: member.name.getText(source),
        input: input?.getText(source),
        output: output.getText(source),
        doc: docOf(source, member),
      }
    })
}

/**
 * Reads the TSDoc of the machine's context, events, emitted events and actors from the
 * TypeScript sources under `root` (syntax only, with the compiler's parser).
 */
export async function readMachineSources(root: string): Promise<MachineSources> {
  const parse = async (file: string) => parseSource(file, await readFile(join(root, file), 'utf8'))
  const types = await parse(MACHINE_SOURCE_FILES.types)
  const context = findInterface(types, 'KeywayContext')
  return {
    contextDoc: docOf(types, context),
    context: propertiesOf(types, context.members),
    events: eventUnion(types, 'KeywayEvent'),
    emitted: eventUnion(types, 'KeywayEmitted'),
    actors: actors(await parse(MACHINE_SOURCE_FILES.actors)),
  }
}
