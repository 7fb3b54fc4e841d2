#!/usr/bin/env node
// `git-credential-keyway`: git runs it for `credential.helper = keyway` as
// `git-credential-keyway [options] get|store|erase`; it is `keyway git-credential …`, the same
// bundled bin, so it takes the same stored-token path.
process.argv.splice(2, 0, 'git-credential')
await import('./bin.js')
