/**
 * A stand-in for a library or network error, kept as `cause`: its name, code and message
 * only. The originals hold response bodies and callback parameters, which hold tokens and
 * codes.
 */
export class ProtocolErrorCause extends Error {
  override readonly name: string
  readonly code: string | undefined

  constructor(original: { name?: unknown; code?: unknown; message?: unknown }) {
    super(typeof original.message === 'string' ? original.message : 'unknown error')
    this.name = typeof original.name === 'string' ? original.name : 'Error'
    this.code = typeof original.code === 'string' ? original.code : undefined
  }
}
