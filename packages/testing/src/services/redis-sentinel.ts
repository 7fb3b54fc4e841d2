import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningProgram } from './child-program.js'
import { pollUntil, redisCli } from './redis-cli.js'
import { baseRedisArgs, launchRedis, launchRedisOnFreePort } from './redis-process.js'

/** Options of {@link startRedisSentinel}. */
export interface RedisSentinelOptions {
  /** The `redis-server` to run, as `requireProgram()` found it. Default `redis-server`. */
  readonly program?: string
  /** The `redis-cli` the helper queries the processes with. Default `redis-cli`. */
  readonly cli?: string
  /** How many sentinels watch the master (quorum: a majority). Default 3. */
  readonly sentinels?: number
}

/** A loopback address, as ioredis takes it in `sentinels`. */
export interface LoopbackAddress {
  readonly host: '127.0.0.1'
  readonly port: number
}

/** What one {@link RedisSentinelGroup.failover} did. */
export interface Failover {
  /** The port of the master that was killed. */
  readonly from: number
  /** The port of the replica the sentinels promoted. */
  readonly to: number
}

/**
 * A master, one replica and sentinels, each a real `redis-server` on a free loopback port,
 * started by {@link startRedisSentinel}. Nothing touches the disk but their config files.
 */
export interface RedisSentinelGroup {
  /** The name the sentinels monitor the master under (ioredis's `name`). */
  readonly name: string
  /** The sentinels, as ioredis's `sentinels` option takes them. */
  readonly sentinels: readonly LoopbackAddress[]
  /** The port of the master, as the sentinels name it now. */
  masterPort(): Promise<number>
  /** The port of the replica (the other data node). */
  replicaPort(): Promise<number>
  /**
   * Kills the master at once with SIGKILL, as a crash would, and waits until every sentinel
   * names the replica as master. Then starts the
   * old master again as a replica of the new one (empty, as a crashed node without
   * persistence is), and resolves once it is in sync and every sentinel knows it, so that
   * the next failover has a replica to promote.
   */
  failover(): Promise<Failover>
  /** Stops the replica (SIGSTOP): it neither replicates nor acknowledges, like a stalled node. */
  pauseReplica(): Promise<void>
  /** Lets a paused replica go on (SIGCONT). */
  resumeReplica(): Promise<void>
  /** Stops every process (SIGKILL) and removes their folder. */
  close(): Promise<void>
}

const NAME = 'keyway'
const SENTINEL_READY = '+monitor master'

/** A data node: its port, folder and process (undefined while killed). */
interface DataNode {
  readonly port: number
  readonly dir: string
  running: RunningProgram | undefined
}

function dataArgs(port: number, dir: string, masterPort?: number): string[] {
  const args = [...baseRedisArgs(port, dir), '--appendonly', 'no']
  // A replica syncs at once instead of waiting for more replicas to share the transfer.
  args.push('--repl-diskless-sync-delay', '0')
  if (masterPort !== undefined) args.push('--replicaof', '127.0.0.1', String(masterPort))
  return args
}

function sentinelConfig(masterPort: number, quorum: number): string {
  return [
    'bind 127.0.0.1',
    'sentinel announce-ip 127.0.0.1',
    `sentinel monitor ${NAME} 127.0.0.1 ${masterPort} ${quorum}`,
    `sentinel down-after-milliseconds ${NAME} 500`,
    `sentinel failover-timeout ${NAME} 2000`,
    `sentinel parallel-syncs ${NAME} 1`,
    '',
  ].join('\n')
}

/** Reads `field:value` lines (Redis `INFO`) into a map. */
function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':')
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trim())
  }
  return fields
}

/** Reads a flat `key value key value …` reply (`redis-cli --raw`, one item a line) into a map. */
function pairs(text: string): Map<string, string> {
  const items = text.split(/\r?\n/)
  const fields = new Map<string, string>()
  for (let at = 0; at + 1 < items.length; at += 2) fields.set(items[at] ?? '', items[at + 1] ?? '')
  return fields
}

/**
 * Starts a master, a replica and (by default) 3 sentinels on 127.0.0.1, with failure
 * detection in 500 ms, so a failover takes a second or two.
 *
 * @example
 * ```ts
 * const group = await startRedisSentinel({ program, cli })
 * const store = redisStore({ redisOptions: { sentinels: [...group.sentinels], name: group.name } })
 * await group.failover()
 * await group.close()
 * ```
 */
export async function startRedisSentinel(
  options: RedisSentinelOptions = {},
): Promise<RedisSentinelGroup> {
  const program = options.program ?? 'redis-server'
  const cli = options.cli ?? 'redis-cli'
  const count = options.sentinels ?? 3
  const root = await mkdtemp(join(tmpdir(), 'keyway-sentinel-'))
  const nodes: DataNode[] = []
  const sentinels: { readonly port: number; readonly running: RunningProgram }[] = []
  const stopAll = async () => {
    await Promise.all([
      ...nodes.map((node) => node.running?.stop('SIGKILL')),
      ...sentinels.map((sentinel) => sentinel.running.stop('SIGKILL')),
    ])
  }
  const startNode = async (masterPort?: number): Promise<DataNode> => {
    const dir = await mkdtemp(join(root, 'node-'))
    const started = await launchRedisOnFreePort(program, (port) => dataArgs(port, dir, masterPort))
    const node = { port: started.port, dir, running: started.running }
    nodes.push(node)
    return node
  }
  const ask = (port: number, args: readonly string[]) => redisCli(cli, port, args)
  const masterPort = async () => {
    const named = await ask(sentinels[0]?.port ?? 0, ['SENTINEL', 'get-master-addr-by-name', NAME])
    return Number(named.split('\n')[1])
  }
  /**
   * The failover to `port` is over: every sentinel names it master with no failover under
   * way (while one is, sentinels already name the replica they are promoting, and an aborted
   * promotion falls back), and it says it is a master.
   */
  const promoted = async (port: number) => {
    for (const sentinel of sentinels) {
      const master = pairs(await ask(sentinel.port, ['SENTINEL', 'master', NAME]))
      if (master.get('port') !== String(port) || master.get('flags') !== 'master') return false
    }
    return infoFields(await ask(port, ['INFO', 'replication'])).get('role') === 'master'
  }
  /** The master as of the last failover: killing it must not wait for a question. */
  let current: { master: DataNode; replica: DataNode } | undefined
  const roles = () => {
    if (current === undefined) throw new Error('the group is not started')
    return current
  }
  /** The replica is in sync with the master and every sentinel could promote it. */
  const replicaReady = async (replica: number, master: number) => {
    const info = infoFields(await ask(master, ['INFO', 'replication']))
    const link = info.get('slave0') ?? ''
    if (!link.includes(`port=${replica},`) || !link.includes('state=online')) return false
    for (const sentinel of sentinels) {
      const known = (await ask(sentinel.port, ['SENTINEL', 'replicas', NAME])).split('\n')
      const at = known.indexOf(String(replica))
      const flags = known[known.indexOf('flags', at) + 1] ?? ''
      if (at < 0 || flags !== 'slave') return false
    }
    return true
  }
  try {
    const master = await startNode()
    const replica = await startNode(master.port)
    const quorum = Math.floor(count / 2) + 1
    for (let index = 0; index < count; index++) {
      const dir = join(root, `sentinel-${index}`)
      await mkdir(dir)
      const config = join(dir, 'sentinel.conf')
      await writeFile(config, sentinelConfig(master.port, quorum))
      const started = await launchRedisOnFreePort(
        program,
        (port) => [config, '--sentinel', '--port', String(port), '--dir', dir],
        SENTINEL_READY,
      )
      sentinels.push(started)
    }
    await pollUntil(
      () => replicaReady(replica.port, master.port),
      'the replica syncing and the sentinels seeing it',
    )
    current = { master, replica }
  } catch (error) {
    await stopAll()
    await rm(root, { recursive: true, force: true })
    throw error
  }
  return {
    name: NAME,
    sentinels: sentinels.map(({ port }) => ({ host: '127.0.0.1', port })),
    masterPort,
    replicaPort: async () => roles().replica.port,
    async failover() {
      const { master: old, replica } = roles()
      const [from, to] = [old.port, replica.port]
      await old.running?.stop('SIGKILL')
      old.running = undefined
      await pollUntil(() => promoted(to), 'the promotion')
      const restarted = await launchRedis(program, dataArgs(from, old.dir, to))
      if (restarted === undefined) throw new Error(`port ${from} was taken during the failover`)
      old.running = restarted
      current = { master: replica, replica: old }
      await pollUntil(() => replicaReady(from, to), 'the old master rejoining as a replica')
      return { from, to }
    },
    async pauseReplica() {
      roles().replica.running?.child.kill('SIGSTOP')
    },
    async resumeReplica() {
      roles().replica.running?.child.kill('SIGCONT')
    },
    async close() {
      for (const node of nodes) node.running?.child.kill('SIGCONT')
      await stopAll()
      await rm(root, { recursive: true, force: true })
    },
  }
}
