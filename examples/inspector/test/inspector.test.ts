import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const execNode = promisify(execFile)

/** Runs the built example unattended (stdin not a terminal), offline. */
async function runExample(mode?: string): Promise<string> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first.`)
  const env = { PATH: process.env.PATH, ...(mode === undefined ? {} : { KEYWAY_INSPECT: mode }) }
  const { stdout } = await execNode(process.execPath, [main], { env, timeout: 20_000 })
  return stdout
}

describe('inspector', () => {
  it('prints a line for each inspection event: the whole login, the refresh and the logout', async () => {
    const lines = (await runExample()).trimEnd().split('\n')

    const rootStates = lines
      .filter((line) => line.startsWith('snapshot  keyway: '))
      .map((line) => line.slice('snapshot  keyway: '.length))
      .filter((state, index, all) => state !== all[index - 1])
    expect(rootStates).toEqual([
      '"restoring"',
      '"idle"',
      '"authorizing"',
      '"exchanging"',
      '{"authorized":"waiting"}',
      '"refreshing"',
      '{"authorized":"waiting"}',
      '"loggingOut"',
      '"idle"',
    ])
    const sent = lines.filter((line) =>
      /^event {5}(login|token\.refresh|logout) → keyway$/.test(line),
    )
    expect(sent).toEqual([
      'event     login → keyway',
      'event     token.refresh → keyway',
      'event     logout → keyway',
    ])
    expect(lines).toContain('actor     0.keyway.exchanging (invoked by keyway)')
  })

  it('in json mode prints each event whole, as it would be sent, with token values redacted', async () => {
    const events = (await runExample('json'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))

    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']),
    )
    const exchanged = events.find((event) =>
      event.event?.type?.startsWith('xstate.done.actor.0.keyway.exchanging'),
    )
    expect(exchanged.event.output).toMatchObject({ tokenType: 'Bearer', hasRefreshToken: true })
    expect(exchanged.event.output).not.toHaveProperty('accessToken')
    // No token, code or verifier: nothing token-sized anywhere in what would be sent.
    for (const event of events) expect(JSON.stringify(event)).not.toMatch(/[\w-]{40,}/)
  })
})
