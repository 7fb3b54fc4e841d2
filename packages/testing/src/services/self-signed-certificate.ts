import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

/** A certificate and its key for a local TLS server, made by `openssl`. */
export interface SelfSignedCertificate {
  /** The private key, PEM. */
  readonly key: Buffer
  /** The certificate, PEM: the server's, and the one a client trusts (it signs itself). */
  readonly cert: Buffer
  /** Where the certificate was written, for `NODE_EXTRA_CA_CERTS`, `GIT_SSL_CAINFO`, … */
  readonly certPath: string
}

/**
 * Makes a self-signed certificate for `127.0.0.1` (an IP subject alternative name, so
 * clients that check names accept it), valid for a day, with `openssl` (at `openssl`),
 * into `folder`.
 *
 * @example
 * ```ts
 * const openssl = requireProgram('openssl', 'the TLS tests')
 * const tls = await makeSelfSignedCertificate(openssl!, folder)
 * createServer({ key: tls.key, cert: tls.cert }, handler)
 * ```
 */
export async function makeSelfSignedCertificate(
  openssl: string,
  folder: string,
): Promise<SelfSignedCertificate> {
  const keyPath = join(folder, 'key.pem')
  const certPath = join(folder, 'cert.pem')
  await promisify(execFile)(openssl, [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'],
    ...['-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1'],
    ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
  ])
  return { key: await readFile(keyPath), cert: await readFile(certPath), certPath }
}
