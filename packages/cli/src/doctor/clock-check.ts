import { humanDuration } from '../ui/time.js'
import { type CheckResult, check, skipped } from './check.js'
import type { ProviderTime } from './provider-check.js'

/** Skews up to this are fine: `Date` has whole seconds, and requests take time. */
const CLOSE_ENOUGH = 5_000
/** Skews beyond this misjudge token expiry and ID token times: a failure. */
const TOO_FAR = 60_000

/**
 * Compares this machine's clock with the provider's `Date` header. The header is truncated to
 * the second, so the provider's time is taken as the middle of that second.
 */
export function checkClock(time: ProviderTime | undefined): CheckResult {
  if (time === undefined)
    return skipped('clock', 'no Date header from the provider to compare with')
  const skew = time.local - (time.server + 500)
  const size = Math.abs(skew)
  const way = skew > 0 ? 'ahead of' : 'behind'
  if (size <= CLOSE_ENOUGH) {
    return check(
      'clock',
      'ok',
      `within ${humanDuration(CLOSE_ENOUGH)} of the provider's Date header`,
    )
  }
  const summary = `this machine's clock is ${humanDuration(size)} ${way} the provider's`
  const advice = 'Set the clock right (NTP): tokens would be judged fresh or expired wrongly.'
  return check('clock', size <= TOO_FAR ? 'warn' : 'fail', summary, [advice])
}
