import { randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * The page's secret path: `/<32 random URL-safe characters>/`. Only a person who was shown
 * the address (or a program that can read the output it was printed to) can open the page;
 * another local user or a web page probing loopback ports meets 404s.
 */
export class PageAddress {
  readonly #token = randomBytes(24).toString('base64url')

  /** The page's path, with its slashes. */
  get path(): string {
    return `/${this.#token}/`
  }

  /**
   * What a request's path asks for below the page's address (`''` for the page itself,
   * `events`, `style.css`, …), or undefined when it is not below it. The token is compared
   * in constant time.
   */
  below(pathname: string): string | undefined {
    const end = pathname.indexOf('/', 1)
    if (!pathname.startsWith('/') || end === -1) return undefined
    const given = Buffer.from(pathname.slice(1, end))
    const token = Buffer.from(this.#token)
    if (given.length !== token.length || !timingSafeEqual(given, token)) return undefined
    return pathname.slice(end + 1)
  }
}
