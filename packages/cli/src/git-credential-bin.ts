#!/usr/bin/env node
// `git-credential-keyway`: git runs it for `credential.helper = keyway` as
// `git-credential-keyway [options] get|store|erase`; it is `keyway git-credential …`, the same
// bundled bin, so it takes the same stored-token path. Both are CommonJS (see build-bin.mjs):
// `require` loads the bin without starting Node's ES module loader.
process.argv.splice(2, 0, 'git-credential')
require('./bin.cjs')
