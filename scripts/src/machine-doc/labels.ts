import type { MachineTransition, StatePath, Trigger } from './machine-graph.js'

/** A state's name in the document: its keys joined with dots, e.g. `authorized.waiting`. */
export function stateName(path: StatePath): string {
  return path.join('.')
}

/** How a trigger reads in diagrams and tables: `login`, `restore done`, `after untilRefresh`. */
export function triggerLabel(trigger: Trigger): string {
  switch (trigger.kind) {
    case 'event':
      return trigger.event
    case 'done':
    case 'error':
      return `${trigger.actor} ${trigger.kind}`
    case 'after':
      return `after ${trigger.delay}`
    case 'always':
      return 'always'
  }
}

/** The condition a transition is taken on: `[guard]`, `[else]`, or nothing. */
export function conditionLabel(transition: MachineTransition): string {
  if (transition.guard !== undefined) return ` [${transition.guard}]`
  return transition.otherwise ? ' [else]' : ''
}

/** A transition's label: its trigger and its condition, e.g. `login.cancel [hasTokens]`. */
export function transitionLabel(transition: MachineTransition): string {
  return `${triggerLabel(transition.trigger)}${conditionLabel(transition)}`
}

/** Where a transition leads, in code: `authorized.retrying`, or `stays`. */
export function targetText(transition: MachineTransition): string {
  if (transition.targets.length === 0) return 'stays'
  return transition.targets.map((target) => `\`${stateName(target)}\``).join(' and ')
}

/**
 * Where the alternatives of one trigger lead, in the order xstate tries them:
 * `` `refreshing` if `hasRefreshToken`, else `loginRequired` ``.
 */
export function alternativesText(transitions: readonly MachineTransition[]): string {
  return transitions
    .map((transition) => {
      const target = targetText(transition)
      if (transition.guard !== undefined) return `${target} if \`${transition.guard}\``
      return transition.otherwise ? `else ${target}` : target
    })
    .join(', ')
}
