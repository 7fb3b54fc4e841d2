import { type Command, Option, Command as Program } from 'commander'
import type { GitCredentialOptions } from './commands/git-credential.js'
import type { RunCommandOptions } from './commands/run.js'
import { dpopOption, flagOf, givenDpop, settingOptions } from './config/setting-options.js'
import type { GivenSettings } from './config/settings.js'
import type { Sourced } from './config/source.js'
import { type CommandContext, type CommonOptions, commandContext } from './context.js'
import type { ExitCode } from './exit-codes.js'
import { reportFailure } from './failure.js'
import { helpEpilogue } from './help.js'
import type { CliIo } from './io.js'
import { VERSION } from './version.js'

/** A command's code: what it does with the context, its own options and its arguments. */
type Run<Options> = (
  context: CommandContext,
  options: Options,
  ...operands: never[]
) => Promise<ExitCode>

/** The commands that take no options of their own, and what each does. */
const plainCommands = {
  status: 'who is logged in, scopes, expiry, store, and where each value comes from',
  logout: 'revoke the grant at the provider and remove the stored tokens',
  doctor: 'check the config, the provider, the clock and the store; print a masked report',
} as const

type PlainCommand = keyof typeof plainCommands

/** Each plain command's code, loaded when it runs. */
const plainLoaders: Record<PlainCommand, () => Promise<Run<unknown>>> = {
  status: async () => (await import('./commands/status.js')).runStatus,
  logout: async () => (await import('./commands/logout.js')).runLogout,
  doctor: async () => (await import('./commands/doctor.js')).runDoctor,
}

/** A setting as commander found it, with its source: the flag, or its `KEYWAY_*` variable. */
function sourced(command: Command, key: string, flag: string, env: string) {
  const value: unknown = command.optsWithGlobals()[key]
  if (typeof value !== 'string') return undefined
  const from = command.getOptionValueSourceWithGlobals(key)
  const source = from === 'env' ? { kind: 'env', variable: env } : { kind: 'flag', flag }
  return { value, source } as Sourced<string>
}

function commonOptions(command: Command, io: CliIo): CommonOptions {
  const all = command.optsWithGlobals<Record<string, unknown>>()
  const given: Record<string, Sourced<string> | Sourced<boolean>> = {}
  for (const option of settingOptions) {
    const found = sourced(command, option.key, flagOf(option), option.env)
    if (found !== undefined) given[option.key] = found
  }
  // Commander reads a switch's variable by its presence only, so KEYWAY_DPOP=0 is read here.
  const fromLine = command.getOptionValueSourceWithGlobals('dpop') === 'cli'
  const dpop = givenDpop(fromLine ? all.dpop === true : undefined, io.env[dpopOption.env])
  if (dpop !== undefined) given.dpop = dpop
  const profile = sourced(command, 'profile', '--profile', 'KEYWAY_PROFILE')
  return {
    ...(profile === undefined ? {} : { profile }),
    json: all.json === true,
    verbose: all.verbose === true,
    input: all.input !== false,
    given: given as GivenSettings,
  }
}

/**
 * Builds the `keyway` command line. Each command's code is loaded when it runs, so
 * `keyway token` loads neither the transports nor the QR code and spinner libraries.
 *
 * @param finish - receives the exit code of the command that ran.
 * @param json - `--json` is on the command line: a wrong command line is then told without
 *   the help hint, and `main` adds its JSON error.
 */
export function buildProgram(io: CliIo, finish: (code: ExitCode) => void, json = false): Program {
  const program = new Program('keyway')
    .description(
      'Log in to an OAuth 2.0 / OpenID Connect provider and hand out fresh access tokens.',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError(json ? false : '(keyway --help shows the commands and options)')
    .addOption(
      new Option(
        '--profile <name>',
        'the profile to use; the one called default when not given',
      ).env('KEYWAY_PROFILE'),
    )
  for (const option of settingOptions) {
    program.addOption(new Option(option.flags, option.description).env(option.env))
  }
  program
    .addOption(new Option(dpopOption.flag, dpopOption.description))
    .addOption(new Option(dpopOption.negation, dpopOption.negationDescription))
  program
    .option('--json', 'print the result as JSON on stdout')
    .option('--verbose', 'trace each HTTP step on stderr, secrets masked (or KEYWAY_TRACE=1|file)')
    .option('--no-input', 'never prompt (or KEYWAY_INTERACTIVE=0)')
    .addHelpText('after', helpEpilogue)

  const run =
    <Options>(load: () => Promise<Run<Options>>) =>
    async (...given: unknown[]) => {
      // commander passes the command's arguments first, then its options and itself.
      const command = given.at(-1) as Command
      const options = given.at(-2) as Options
      const operands = given.slice(0, -2) as never[]
      const context = commandContext(io, commonOptions(command, io))
      try {
        finish(await (await load())(context, options, ...operands))
      } catch (error) {
        finish(reportFailure(context, error))
      }
    }

  program
    .command('login')
    .description('log in and save the profile, so later commands need only --profile')
    .option('--browser', 'open a browser, even where none seems to be available')
    .option('--no-browser', 'do not open a browser: print the address to open')
    .option('--paste', 'paste the address the browser ends on (no local server)')
    .option('--device', 'use the device flow: enter a code on any device')
    .option('--timeout <seconds>', 'give up (exit 2) after this long', '300')
    .action(run(async () => (await import('./commands/login.js')).runLogin))
  program
    .command('token')
    .description('print a fresh access token on stdout (never logs in: exit 4 instead)')
    .option('--min-ttl <seconds>', 'refresh first when fewer seconds are left', '60')
    .option('--force-refresh', 'refresh now, whatever the expiry')
    .option('--header', 'print "Authorization: Bearer <token>" (and "DPoP: <proof>" for --url)')
    .option('--url <url>', 'the request a DPoP-bound token is for: its proof names it')
    .option('--method <method>', 'the method of that request', 'GET')
    .option('--env', 'print shell export lines: eval "$(keyway token --env)"')
    .option(
      '--id-token',
      'print the ID token instead (refreshed the same way), e.g. for Kubernetes',
    )
    .action(run(async () => (await import('./commands/token.js')).runToken))
  program
    .command('kubectl-credential')
    .description("kubectl's exec credential plugin: print an ExecCredential with a fresh ID token")
    .option('--min-ttl <seconds>', 'refresh first when fewer seconds are left', '60')
    .action(
      run(async () => (await import('./commands/kubectl-credential.js')).runKubectlCredential),
    )
  program
    .command('git-credential')
    .description(
      "git's credential helper (git-credential-keyway): a fresh access token as the HTTPS password",
    )
    .argument('<action>', 'get, store or erase, as git asks')
    .option('--username <name>', "the username to send, in place of the provider's")
    .option('--min-ttl <seconds>', 'refresh first when fewer seconds are left', '60')
    .action(
      run<GitCredentialOptions>(
        async () => async (context, options, action: string) =>
          (await import('./commands/git-credential.js')).runGitCredential(context, action, options),
      ),
    )
  program
    .command('run')
    .description(
      'run a command with a fresh access token in KEYWAY_ACCESS_TOKEN: keyway run -- CMD',
    )
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--env-name <name>', 'put the token in this variable too')
    .option('--min-ttl <seconds>', 'refresh first when fewer seconds are left', '60')
    .action(
      run<RunCommandOptions>(
        async () => async (context, options, commandLine: string[]) =>
          (await import('./commands/run.js')).runRun(context, commandLine, options),
      ),
    )
  program
    .command('inspect')
    .description("print Keyway's state machine and the profile's current state")
    .option('--serve', 'watch it live instead: a statechart on a local page, until Ctrl-C')
    .action(
      run<{ serve?: boolean }>(
        async () => async (context, options) =>
          options.serve === true
            ? (await import('./commands/inspect-serve.js')).runInspectServe(context)
            : (await import('./commands/inspect.js')).runInspect(context),
      ),
    )
  for (const [name, description] of Object.entries(plainCommands)) {
    program
      .command(name)
      .description(description)
      .action(run(plainLoaders[name as PlainCommand]))
  }
  return program
}
