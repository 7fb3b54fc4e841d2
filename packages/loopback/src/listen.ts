import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { configError, KeywayError, KeywayErrorCodes } from '@keyway/core'
import { type HostPlan, uriHostOf } from './host.js'
import { type PortChoice, portCandidates } from './ports.js'
import { closeServers } from './shutdown.js'

/** The servers of one receiver: one per address of its host, all on the same port. */
export interface Listening {
  readonly servers: readonly Server[]
  readonly port: number
}

/** How often to retry when the system's free port for IPv4 is taken on IPv6 (`localhost`). */
const FREE_PORT_ATTEMPTS = 5

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

function listenOn(server: Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error)
    server.once('error', onError)
    server.listen({ host: address, port }, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** The address on which a candidate port was taken by another program. */
interface Taken {
  readonly takenOn: string
}

/**
 * Listens on every address of the plan with the same port. When the port is taken on one
 * of them, closes what was opened and says where; throws for any other failure.
 */
async function listenAll(plan: HostPlan, port: number): Promise<Listening | Taken> {
  const servers: Server[] = []
  let bound = port
  let address: (typeof plan.addresses)[number] | undefined
  try {
    for (address of plan.addresses) {
      const server = createServer()
      servers.push(server)
      bound = await listenOn(server, address, bound)
    }
    return { servers, port: bound }
  } catch (error) {
    await closeServers(servers)
    if (errnoOf(error) === 'EADDRINUSE') return { takenOn: uriHostOf(address ?? '127.0.0.1') }
    throw cannotListen(error, plan, port)
  }
}

function cannotListen(error: unknown, plan: HostPlan, port: number): KeywayError {
  const code = errnoOf(error)
  if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') {
    const both =
      plan.addresses.length > 1 ? ' (localhost must be served on both 127.0.0.1 and [::1])' : ''
    return configError(
      `This machine has no IPv6 loopback address [::1]${both}: use host '127.0.0.1' instead.`,
      error,
    )
  }
  if (code === 'EACCES') {
    return configError(
      `Listening on port ${port} needs privileges this process lacks: choose a port above 1023, or 0 for any free port.`,
      error,
    )
  }
  return configError(`The loopback receiver could not listen on ${plan.uriHost}.`, error)
}

/** Says which port was taken where, for the `port_in_use` message. */
function describeTaken(plan: HostPlan, choice: PortChoice, last: Taken): string {
  const where = plan.addresses.map(uriHostOf).join(' and ')
  if (typeof choice !== 'number') {
    return `Every port from ${choice.from} to ${choice.to} is in use on ${where} by another program.`
  }
  if (choice === 0) return `No port is free on both ${where}.`
  const needs = plan.addresses.length > 1 ? ` (${plan.uriHost} needs it on ${where})` : ''
  return `Port ${choice} on ${last.takenOn} is in use by another program${needs}.`
}

function portInUse(plan: HostPlan, choice: PortChoice, last: Taken): KeywayError {
  return new KeywayError(
    KeywayErrorCodes.portInUse,
    `${describeTaken(plan, choice, last)} Stop that program, or choose another port (port: 0 picks a free one, which providers that follow RFC 8252 accept).`,
  )
}

/**
 * Opens the receiver's HTTP servers: tries each candidate port in turn and, for port 0,
 * retries a few times when the port the system picked for the first address is taken on the
 * second. Fails with `port_in_use` when every candidate is taken, `config_error` otherwise.
 * The servers have no request listener yet: the session that owns them adds its own.
 */
export async function listen(plan: HostPlan, choice: PortChoice): Promise<Listening> {
  let last: Taken = { takenOn: plan.uriHost }
  for (const candidate of portCandidates(choice)) {
    const attempts = candidate === 0 ? FREE_PORT_ATTEMPTS : 1
    for (let attempt = 0; attempt < attempts; attempt++) {
      const result = await listenAll(plan, candidate)
      if (!('takenOn' in result)) return result
      last = result
    }
  }
  throw portInUse(plan, choice, last)
}
