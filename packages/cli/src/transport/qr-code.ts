/**
 * `text` as a QR code drawn with half-block characters, two rows of modules per line, for a
 * terminal. qrcode-terminal is loaded here, only when a QR code is shown.
 */
export async function qrCode(text: string): Promise<string> {
  const { default: qrcode } = await import('qrcode-terminal')
  return new Promise((resolve) => qrcode.generate(text, { small: true }, resolve))
}
