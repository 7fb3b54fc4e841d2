import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type RunningProgram, startProgram } from './child-program.js'

/** The programs {@link startSecretService} runs; each as `requireProgram()` found it. */
export interface SecretServicePrograms {
  readonly dbusDaemon?: string
  readonly dbusSend?: string
  readonly keyringDaemon?: string
}

/** A private Secret Service: a D-Bus session bus with gnome-keyring unlocked in it. */
export interface SecretService {
  /** The bus address; `process.env.DBUS_SESSION_BUS_ADDRESS` points at it until `close()`. */
  readonly address: string
  /** Everything the keyring keeps on disk, as text, to check that no secret is there in clear. */
  atRest(): Promise<string>
  /** Stops the keyring and the bus, restores the environment, removes the folder. */
  close(): Promise<void>
}

const SECRETS = 'org.freedesktop.secrets'

/** A session bus that only serves the programs we start: no activation of system services. */
function busConfig(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <!-- The limits of a desktop's session bus (session.conf): the built-in ones (256
       connections a user) are a system bus's, and the keyring library holds a connection
       per open entry until it is collected, so a busy test run reaches them. -->
  <limit name="max_completed_connections">100000</limit>
  <limit name="max_incomplete_connections">10000</limit>
  <limit name="max_connections_per_user">100000</limit>
</busconfig>
`
}

async function hasOwner(dbusSend: string, address: string, name: string): Promise<boolean> {
  const args = [
    '--session',
    '--print-reply',
    '--dest=org.freedesktop.DBus',
    '/org/freedesktop/DBus',
  ]
  args.push('org.freedesktop.DBus.NameHasOwner', `string:${name}`)
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address }
  const result = await promisify(execFile)(dbusSend, args, { env }).catch(() => undefined)
  return result?.stdout.includes('boolean true') === true
}

/**
 * Starts a private D-Bus session bus and `gnome-keyring-daemon --unlock --components=secrets`
 * in it, unlocked with a random password fed on stdin, and points this process (and the child
 * processes it starts) at it through `DBUS_SESSION_BUS_ADDRESS`. Nothing touches the person's
 * own keyring: the keyring's files live in a temporary folder.
 *
 * @example
 * ```ts
 * const dbusDaemon = requireProgram('dbus-daemon', 'the keychain tests')
 * const secrets = await startSecretService({ dbusDaemon })
 * // … keychainStore() now talks to the private keyring …
 * await secrets.close()
 * ```
 */
export async function startSecretService(
  programs: SecretServicePrograms = {},
): Promise<SecretService> {
  const dir = await mkdtemp(join(tmpdir(), 'keyway-secrets-'))
  const socket = join(dir, 'bus')
  await mkdir(join(dir, 'run'), { mode: 0o700 })
  await writeFile(join(dir, 'bus.conf'), busConfig(socket))
  const started: RunningProgram[] = []
  const previous = process.env.DBUS_SESSION_BUS_ADDRESS
  const close = async () => {
    for (const program of started.reverse()) await program.stop()
    if (previous === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS
    else process.env.DBUS_SESSION_BUS_ADDRESS = previous
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const bus = await startProgram(
      programs.dbusDaemon ?? 'dbus-daemon',
      [`--config-file=${join(dir, 'bus.conf')}`, '--nofork', '--print-address=1'],
      { ready: (output) => output.includes('unix:') },
    )
    started.push(bus)
    const address = `unix:path=${socket}`
    const env = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: address,
      HOME: dir,
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_RUNTIME_DIR: join(dir, 'run'),
    }
    const dbusSend = programs.dbusSend ?? 'dbus-send'
    started.push(
      await startProgram(
        programs.keyringDaemon ?? 'gnome-keyring-daemon',
        ['--unlock', '--components=secrets', '--foreground'],
        {
          env,
          stdin: randomBytes(18).toString('base64url'),
          ready: () => hasOwner(dbusSend, address, SECRETS),
        },
      ),
    )
    process.env.DBUS_SESSION_BUS_ADDRESS = address
    return {
      address,
      async atRest() {
        const keyrings = join(dir, 'data', 'keyrings')
        const names = await readdir(keyrings).catch(() => [])
        const contents = await Promise.all(names.map((name) => readFile(join(keyrings, name))))
        return contents.map((content) => content.toString('latin1')).join('\n')
      },
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
