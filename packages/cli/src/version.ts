/** The version of `@keyway/cli`, as `keyway --version` prints it. */
export const VERSION = '0.1.0'
