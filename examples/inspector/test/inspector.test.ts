import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const execNode = promisify(execFile)

/** Runs the built example unattended (stdin not a terminal), offline, until it exits by itself. */
async function runExample(mode?: string): Promise<{ stdout: string; stderr: string }> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first.`)
  const env = { PATH: process.env.PATH, ...(mode === undefined ? {} : { KEYWAY_INSPECT: mode }) }
  return execNode(process.execPath, [main], { env, timeout: 20_000 })
}

describe('inspector', () => {
  it('serves the live page, prints a line for each inspection event, and exits by itself', async () => {
    const { stdout, stderr } = await runExample()
    const lines = stdout.trimEnd().split('\n')

    // The page's address comes first, alone on its line; the authorization URL after it.
    const addresses = stderr.split('\n').filter((line) => /^https?:\/\/\S+$/.test(line))
    expect(addresses).toEqual([
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{32}\/$/),
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/auth\?/),
    ])

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
    const events = (await runExample('json')).stdout
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
