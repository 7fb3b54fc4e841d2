import { createServer, type Server } from 'node:net'
import { onTestFinished, vi } from 'vitest'

function listenOn(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({ host, port }, () => resolve(server))
  })
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

/** True when nothing listens on `host:port`: a server can be started there. */
export async function canListen(host: string, port: number): Promise<boolean> {
  try {
    await close(await listenOn(host, port))
    return true
  } catch {
    return false
  }
}

/** The host and port a redirect URI names, as `listen()` wants them. */
export function listenAddressOf(uri: URL | string): { host: string; port: number } {
  const url = new URL(uri)
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) }
}

/** Asserts that the receiver behind `uri` closed its port; `eventually` waits for it. */
export async function expectPortFree(uri: URL | string, eventually = false): Promise<void> {
  const { host, port } = listenAddressOf(uri)
  const check = async () => {
    if (!(await canListen(host, port))) throw new Error(`${host}:${port} is still taken`)
  }
  await (eventually ? vi.waitFor(check, { timeout: 5_000, interval: 20 }) : check())
}

/** Takes a port (0: any free one) for the rest of the test, as another program would. */
export async function occupyPort(host: string, port = 0): Promise<number> {
  const server = await listenOn(host, port)
  onTestFinished(() => close(server))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** Finds `count` consecutive ports that are free on 127.0.0.1 right now. */
export async function freePortRange(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const from = 20_000 + Math.floor(Math.random() * 40_000)
    const ports = Array.from({ length: count }, (_, index) => from + index)
    const free = await Promise.all(ports.map((port) => canListen('127.0.0.1', port)))
    if (free.every(Boolean)) return ports
  }
  throw new Error(`no ${count} consecutive free ports found`)
}

/** True when this machine can listen on the IPv6 loopback address. */
export function hasIpv6Loopback(): Promise<boolean> {
  return canListen('::1', 0)
}
