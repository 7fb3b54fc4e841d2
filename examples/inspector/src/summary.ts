import type { StatelyInspectionEvent } from '@statelyai/inspect'

/**
 * Turns inspection events into one line each, as an inspector would draw them: an actor
 * started, an event it received, the state it moved to. Actors are named by the `@xstate.actor`
 * event that introduced them.
 */
export function summarizer(): (event: StatelyInspectionEvent) => string {
  const names = new Map<string, string>()
  const nameOf = (sessionId: string) => names.get(sessionId) ?? sessionId
  return (event) => {
    switch (event.type) {
      case '@xstate.actor': {
        names.set(event.sessionId, event.name)
        const parent = event.parentId === undefined ? '' : ` (invoked by ${nameOf(event.parentId)})`
        return `actor     ${event.name}${parent}`
      }
      case '@xstate.event':
        return `event     ${event.event.type} → ${nameOf(event.sessionId)}`
      case '@xstate.snapshot': {
        // A machine's snapshot has a state value; a promise actor's, only a status.
        const { snapshot } = event
        const state = 'value' in snapshot ? snapshot.value : snapshot.status
        return `snapshot  ${nameOf(event.sessionId)}: ${JSON.stringify(state)}`
      }
    }
  }
}
