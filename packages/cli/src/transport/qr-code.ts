/** Draws text as a QR code for a terminal, at once. */
export type QrDrawer = (text: string) => string | undefined

/**
 * Loads qrcode-terminal (only when a QR code will be shown) and returns a drawer that renders
 * `text` with half-block characters, two rows of modules per line. Drawing is synchronous, so
 * the code appears with the instructions, before any waiting begins.
 */
export async function loadQrDrawer(): Promise<QrDrawer> {
  const { default: qrcode } = await import('qrcode-terminal')
  return (text) => {
    let drawn: string | undefined
    qrcode.generate(text, { small: true }, (qr) => {
      drawn = qr
    })
    return drawn
  }
}
