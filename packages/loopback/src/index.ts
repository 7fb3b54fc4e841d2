/**
 * Keyway's loopback transport (RFC 8252 §7.3): a one-shot HTTP server on this machine's
 * loopback interface catches the provider's redirect, and the browser is opened for the
 * person, or the URL printed when it cannot be.
 *
 * @packageDocumentation
 */
export type { LoopbackHost } from './host.js'
export { loopback } from './loopback.js'
export type { BrowserOpener, TextOutput } from './opener.js'
export type { LoopbackOptions } from './options.js'
export type { ErrorPageData, LoopbackPages, PageData, PageTemplate } from './pages.js'
export type { PortChoice, PortRange } from './ports.js'
