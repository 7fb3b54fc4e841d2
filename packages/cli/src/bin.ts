#!/usr/bin/env node
import { processIo } from './io.js'
import { main } from './main.js'

// The first Ctrl-C cancels the command, which exits with 2 once it has cleaned up (closed the
// loopback port, stopped reading the terminal); a second one leaves at once.
const interrupt = new AbortController()
const onSignal = () => {
  if (interrupt.signal.aborted) process.exit(130)
  interrupt.abort()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

// No top-level await: the bin is bundled as CommonJS (see build-bin.mjs).
void main(process.argv.slice(2), processIo(interrupt.signal)).then((code) => {
  process.exitCode = code
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
})
