import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningProgram } from './child-program.js'
import { pollUntil, redisCli } from './redis-cli.js'
import { baseRedisArgs, launchRedis, launchRedisOnFreePort } from './redis-process.js'
import type { LoopbackAddress } from './redis-sentinel.js'

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** The `redis-server` to run, as `requireProgram()` found it. Default `redis-server`. */
  readonly program?: string
  /** The `redis-cli` that creates the cluster and queries it. Default `redis-cli`. */
  readonly cli?: string
  /** How many masters share the 16 384 slots (no replicas). Default 3. */
  readonly masters?: number
}

/**
 * A Redis Cluster of masters without replicas, each a real `redis-server` on a free loopback
 * port with an append-only file synced on every write, started by {@link startRedisCluster}.
 */
export interface RedisCluster {
  /** The masters, as ioredis's `Cluster` takes its startup nodes. */
  readonly nodes: readonly LoopbackAddress[]
  /** The port of the master that serves `key`'s slot. */
  masterOf(key: string): Promise<number>
  /** Kills the master on `port` at once with SIGKILL, as a crash would. */
  kill(port: number): Promise<void>
  /**
   * Starts a killed master again on its port, with its data and its cluster config, and
   * resolves once every master reports the cluster healthy.
   */
  restart(port: number): Promise<void>
  /** Stops every master (SIGKILL) and removes their folder. */
  close(): Promise<void>
}

/** A master: its port, folder and process (undefined while killed). */
interface ClusterNodeProcess {
  readonly port: number
  readonly dir: string
  running: RunningProgram | undefined
}

function nodeArgs(port: number, dir: string): string[] {
  return [
    ...baseRedisArgs(port, dir),
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    'nodes.conf',
    '--cluster-node-timeout',
    '5000',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
  ]
}

/**
 * Starts a Redis Cluster of (by default) 3 masters on 127.0.0.1 and creates it with
 * `redis-cli --cluster create`; resolves once every master reports `cluster_state:ok`.
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster({ program, cli })
 * const store = redisStore({ cluster: { nodes: [...cluster.nodes] } })
 * await cluster.close()
 * ```
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const program = options.program ?? 'redis-server'
  const cli = options.cli ?? 'redis-cli'
  const root = await mkdtemp(join(tmpdir(), 'keyway-cluster-'))
  const nodes: ClusterNodeProcess[] = []
  const healthy = async () => {
    for (const node of nodes) {
      const info = await redisCli(cli, node.port, ['CLUSTER', 'INFO'])
      if (!info.includes('cluster_state:ok')) return false
    }
    return true
  }
  const nodeAt = (port: number) => {
    const node = nodes.find((candidate) => candidate.port === port)
    if (node === undefined) throw new Error(`no cluster node on port ${port}`)
    return node
  }
  const stopAll = () => Promise.all(nodes.map((node) => node.running?.stop('SIGKILL')))
  try {
    for (let index = 0; index < (options.masters ?? 3); index++) {
      const dir = await mkdtemp(join(root, 'node-'))
      const started = await launchRedisOnFreePort(program, (port) => nodeArgs(port, dir))
      nodes.push({ port: started.port, dir, running: started.running })
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`)
    const first = nodes[0]?.port ?? 0
    await redisCli(
      cli,
      first,
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      30_000,
    )
    await pollUntil(healthy, 'the cluster reporting cluster_state:ok')
  } catch (error) {
    await stopAll()
    await rm(root, { recursive: true, force: true })
    throw error
  }
  return {
    nodes: nodes.map(({ port }) => ({ host: '127.0.0.1', port })),
    async masterOf(key) {
      const anyPort = nodes.find((node) => node.running !== undefined)?.port ?? 0
      const slot = Number(await redisCli(cli, anyPort, ['CLUSTER', 'KEYSLOT', key]))
      // `CLUSTER SLOTS` in raw form: start, end, then the master's ip, port and id, per range.
      const slots = (await redisCli(cli, anyPort, ['CLUSTER', 'SLOTS'])).split('\n')
      for (let at = 0; at + 3 < slots.length; at++) {
        const [start, end, host, port] = slots.slice(at, at + 4)
        if (host === '127.0.0.1' && Number(start) <= slot && slot <= Number(end)) {
          return Number(port)
        }
      }
      throw new Error(`no master serves slot ${slot}`)
    },
    async kill(port) {
      const node = nodeAt(port)
      await node.running?.stop('SIGKILL')
      node.running = undefined
    },
    async restart(port) {
      const node = nodeAt(port)
      const running = await launchRedis(program, nodeArgs(port, node.dir))
      if (running === undefined) throw new Error(`port ${port} was taken while the node was down`)
      node.running = running
      await pollUntil(healthy, 'the cluster healthy again')
    },
    async close() {
      await stopAll()
      await rm(root, { recursive: true, force: true })
    },
  }
}
