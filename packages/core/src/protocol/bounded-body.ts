import { RequestFailure } from './request-failure.js'

function tooLarge(url: string, limit: number): RequestFailure {
  return new RequestFailure(
    'tooLarge',
    `the answer from ${url} is larger than the ${limit} bytes Keyway reads (maxResponseBytes)`,
  )
}

function declaredLength(response: Response): number | undefined {
  const value = response.headers.get('content-length')
  return value !== null && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined
}

function joined(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return bytes
}

/**
 * Reads `response`'s body whole, but never more than `limit` bytes: a body that declares
 * more, or streams more, is refused as soon as that is known, and `cancel` is called so the
 * request (and its connection) ends there. What the body held is never kept in the error.
 *
 * @returns the body's bytes; empty for a response without a body
 * @throws {@link RequestFailure} of kind `tooLarge`; whatever reading the stream threw
 */
export async function readBoundedBody(
  response: Response,
  limit: number,
  url: string,
  cancel: (reason: RequestFailure) => void,
): Promise<Uint8Array> {
  const body = response.body
  if (body === null) return new Uint8Array(0)
  const refuse = (): never => {
    const failure = tooLarge(url, limit)
    cancel(failure)
    body.cancel(failure).catch(() => undefined)
    throw failure
  }
  if ((declaredLength(response) ?? 0) > limit) refuse()
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return joined(chunks, size)
    size += value.byteLength
    if (size > limit) {
      reader.releaseLock()
      chunks.length = 0
      refuse()
    }
    chunks.push(value)
  }
}
