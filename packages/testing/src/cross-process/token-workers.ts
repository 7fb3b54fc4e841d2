import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { StoreKey } from '@keyway/core'
import type { DevProvider } from '../dev-provider/provider.js'
import type { ChildStoreSpec, ParentMessage, WorkerConfig, WorkerMessage } from './protocol.js'

/** A worker's answer to `final`. */
export type FinalReport = Extract<WorkerMessage, { type: 'final' }>

/** Options of {@link TokenWorkers.start}. Times are milliseconds. */
export interface TokenWorkersOptions {
  readonly dev: DevProvider
  readonly store: ChildStoreSpec
  readonly refreshMargin: number
  readonly lockLease: number
  /** The pause between two calls in a worker's loop. Default 25. */
  readonly pollMs?: number
}

/**
 * The built worker, whether this module runs from `src/` (under vitest) or from `dist/`: child
 * processes always run the build.
 */
function workerPath(): string {
  const path = fileURLToPath(new URL('../../dist/cross-process/worker.js', import.meta.url))
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`pnpm build\` first.`)
  return path
}

function startWorker(config: WorkerConfig): ChildProcess {
  return fork(workerPath(), [JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Children run plain Node on the build, whatever loader the test runner uses.
    execArgv: [],
  })
}

/** Resolves with the next message of `type` from `child`; rejects if it exits first. */
function nextMessage<T extends WorkerMessage['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<WorkerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: WorkerMessage) => {
      if (message.type !== type) return
      cleanup()
      resolve(message as Extract<WorkerMessage, { type: T }>)
    }
    const onExit = (code: number | null, signal: string | null) => {
      cleanup()
      reject(new Error(`a token worker exited (${signal ?? code}) before sending ${type}`))
    }
    const cleanup = () => {
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

function tell(child: ChildProcess, message: ParentMessage): void {
  child.send(message)
}

async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await once(child, 'exit')
}

/**
 * Child `node` processes that each run a Keyway on the same store and call
 * `getAccessToken()` in a loop, for the cross-process refresh tests.
 */
export class TokenWorkers {
  private constructor(readonly children: readonly ChildProcess[]) {}

  /** Starts `count` workers and resolves once each has restored from the store. */
  static async start(count: number, options: TokenWorkersOptions): Promise<TokenWorkers> {
    const config: WorkerConfig = {
      mode: 'poll',
      store: options.store,
      issuer: options.dev.issuer,
      clientId: options.dev.clients.native.clientId,
      refreshMargin: options.refreshMargin,
      lockLease: options.lockLease,
      pollMs: options.pollMs ?? 25,
    }
    const children = Array.from({ length: count }, () => startWorker(config))
    const workers = new TokenWorkers(children)
    try {
      await Promise.all(children.map((child) => nextMessage(child, 'ready')))
    } catch (error) {
      await workers.close()
      throw error
    }
    return workers
  }

  /** Stops every worker's loop, asks each for one more token, and collects the reports. */
  async final(): Promise<FinalReport[]> {
    return Promise.all(
      this.children.map((child) => {
        const report = nextMessage(child, 'final')
        tell(child, { type: 'final' })
        return report
      }),
    )
  }

  /** Lets every worker exit, killing those that do not. */
  async close(): Promise<void> {
    for (const child of this.children) {
      if (child.connected) tell(child, { type: 'exit' })
    }
    const timer = setTimeout(() => {
      for (const child of this.children) child.kill('SIGKILL')
    }, 5_000)
    await Promise.all(this.children.map(ended))
    clearTimeout(timer)
  }
}

/** A child process that holds the store's lock on a key, until it is killed. */
export interface LockHolder {
  /** Kills the holder with SIGKILL, as a crash would, and waits until it is gone. */
  kill(): Promise<void>
}

/** Starts a child that takes the lock on `key` with `leaseMs`, and resolves once it holds it. */
export async function startLockHolder(options: {
  readonly store: ChildStoreSpec
  readonly key: StoreKey
  readonly leaseMs: number
}): Promise<LockHolder> {
  const child = startWorker({ mode: 'hold-lock', ...options })
  await nextMessage(child, 'locked')
  return {
    async kill() {
      child.kill('SIGKILL')
      await ended(child)
    },
  }
}

/** How a refresher ended: its answer, or the signal or exit code it ended with before one. */
export type RefresherOutcome =
  | Extract<WorkerMessage, { type: 'refreshed' | 'refresh-failed' }>
  | { readonly type: 'ended'; readonly signal: NodeJS.Signals | null; readonly code: number | null }

/** A child process that gets one token from the store, refreshing it when it is due. */
export interface Refresher {
  /** The process, e.g. to read its pid. */
  readonly child: ChildProcess
  /** Resolves once the child has restored from the store; its `getAccessToken()` follows. */
  readonly ready: Promise<void>
  /** Resolves with how it ended. */
  readonly outcome: Promise<RefresherOutcome>
  /** Kills it with SIGKILL, as a crash would (harmless once it ended), and waits until it is gone. */
  kill(): Promise<void>
}

/**
 * Starts a child that opens the store, restores the grant of `profile` at the dev provider,
 * calls `getAccessToken()` once (which refreshes a token that is due) and exits: what a crash
 * test kills at a chosen moment of the refresh.
 */
export function startRefresher(options: {
  readonly dev: DevProvider
  readonly store: ChildStoreSpec
  readonly profile: string
  readonly lockLease: number
  /** The client whose grant the store holds; the dev provider's public client by default. */
  readonly clientId?: string
}): Refresher {
  const child = startWorker({
    mode: 'refresh',
    store: options.store,
    issuer: options.dev.issuer,
    clientId: options.clientId ?? options.dev.clients.native.clientId,
    profile: options.profile,
    lockLease: options.lockLease,
  })
  const ready = nextMessage(child, 'ready').then(() => undefined)
  let answer: RefresherOutcome | undefined
  child.on('message', (message: WorkerMessage) => {
    if (message.type === 'refreshed' || message.type === 'refresh-failed') answer = message
  })
  // 'close' comes after the IPC channel closed, so after every message the child sent.
  const outcome = once(child, 'close').then(
    ([code, signal]): RefresherOutcome =>
      answer ?? {
        type: 'ended',
        code: code as number | null,
        signal: signal as NodeJS.Signals | null,
      },
  )
  ready.catch(() => undefined)
  return {
    child,
    ready,
    outcome,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await outcome
    },
  }
}
