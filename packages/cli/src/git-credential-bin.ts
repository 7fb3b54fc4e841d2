#!/usr/bin/env node
// `git-credential-keyway`: git runs it for `credential.helper = keyway` as
// `git-credential-keyway [options] get|store|erase`; it is `keyway git-credential …`.
import { processIo } from './io.js'
import { main } from './main.js'

process.exitCode = await main(['git-credential', ...process.argv.slice(2)], processIo())
