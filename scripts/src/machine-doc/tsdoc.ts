import ts from 'typescript'

/** A TSDoc comment's text on one line: tags dropped, `{@link X}` as `X` in code. */
function cleanDoc(comment: string): string {
  const lines = comment
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
  const tag = lines.findIndex((line) => line.startsWith('@'))
  return (tag === -1 ? lines : lines.slice(0, tag))
    .join(' ')
    .replace(
      /\{@link\s+([^}|\s]+)(?:\s*\|\s*([^}]+))?\}/g,
      (_, name, text) => text ?? `\`${name}\``,
    )
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * The last TSDoc comment in `source`'s text between `from` and `to` (the leading trivia of a
 * declaration, or of a union member before its `|`); empty when there is none.
 */
export function docBetween(source: ts.SourceFile, from: number, to: number): string {
  const comments = source.text.slice(from, to).match(/\/\*\*[\s\S]*?\*\//g) ?? []
  const last = comments[comments.length - 1]
  return last === undefined ? '' : cleanDoc(last)
}

/** The TSDoc comment of a declaration or member. */
export function docOf(source: ts.SourceFile, node: ts.Node): string {
  return docBetween(source, node.getFullStart(), node.getStart(source))
}

/** Parses a TypeScript file (syntax only: no program, no type checking). */
export function parseSource(path: string, text: string): ts.SourceFile {
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true)
}

/** The top-level declaration named `name` in `source`, of the kind `is` accepts. */
function findDeclaration<T extends ts.DeclarationStatement>(
  source: ts.SourceFile,
  name: string,
  is: (node: ts.Node) => node is T,
): T {
  const found = source.statements.find(
    (statement): statement is T & ts.Statement =>
      is(statement) && statement.name?.getText(source) === name,
  )
  if (found === undefined) throw new Error(`${source.fileName} declares no ${name}`)
  return found
}

/** The interface named `name` in `source`. */
export function findInterface(source: ts.SourceFile, name: string): ts.InterfaceDeclaration {
  return findDeclaration(source, name, ts.isInterfaceDeclaration)
}

/** The type alias named `name` in `source`. */
export function findTypeAlias(source: ts.SourceFile, name: string): ts.TypeAliasDeclaration {
  return findDeclaration(source, name, ts.isTypeAliasDeclaration)
}

/** A property of an interface or object type: its name, its type as written, its TSDoc. */
export interface DocumentedProperty {
  readonly name: string
  readonly type: string
  readonly doc: string
}

/** The property signatures among `members`, with their types and TSDoc. */
export function propertiesOf(
  source: ts.SourceFile,
  members: ts.NodeArray<ts.TypeElement>,
): DocumentedProperty[] {
  return members.filter(ts.isPropertySignature).map((member) => ({
    name: member.name.getText(source),
    type: member.type?.getText(source) ?? 'unknown',
    doc: docOf(source, member),
  }))
}
