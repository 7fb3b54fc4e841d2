import { isKeywayError, KeywayErrorCodes, type KeywayState, keywayMachine } from '@keyway/core'
import type { CommandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { openSession } from '../session.js'
import { diagramText, machineDiagram } from './machine-diagram.js'

/** The profile's state as its Keyway sees it after reading the store; undefined without one. */
async function currentState(context: CommandContext): Promise<KeywayState | undefined> {
  let settings: Awaited<ReturnType<CommandContext['settings']>>
  try {
    settings = await context.settings()
  } catch (error) {
    if (isKeywayError(error, KeywayErrorCodes.loginRequired)) return undefined
    throw error
  }
  const session = await openSession(context, settings, { fetch: await context.fetch() })
  try {
    return await session.kw.ready()
  } finally {
    await session.close()
  }
}

/**
 * `keyway inspect`: Keyway's state machine as text (each state, what it runs, where each
 * event leads) with the profile's current state marked. The same machine runs in every app
 * that uses Keyway; `keyway inspect --serve` shows it live on a local page.
 */
export async function runInspect(context: CommandContext): Promise<ExitCode> {
  const machine = keywayMachine()
  const states = machineDiagram(machine.root)
  const current = await currentState(context)
  const profile = context.profile.value
  if (context.json) {
    const result = { machine: machine.id, states, profile, state: current ?? null }
    context.io.stdout.write(`${JSON.stringify(result)}\n`)
    return ExitCode.ok
  }
  const where =
    current === undefined
      ? `Profile ${profile} is not set up yet (no saved profile).`
      : `Profile ${profile} is ${current}.`
  context.io.stdout.write(
    `Keyway's state machine (${machine.id}):\n\n${diagramText(states, current, context.outStyle.cyan)}\n\n${where}\n`,
  )
  return ExitCode.ok
}
