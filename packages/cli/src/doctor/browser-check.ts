import { environmentOf } from '../environment.js'
import { type CheckResult, check } from './check.js'

/** How `keyway login` will reach the person here: a browser, or a pasted address. */
export function checkBrowser(env: Readonly<Record<string, string | undefined>>): CheckResult {
  const here = environmentOf(env)
  if (here.canOpenBrowser)
    return check('browser', 'ok', 'login opens a browser and listens on 127.0.0.1')
  return check('browser', 'ok', `login asks you to paste the address: ${here.reason}`, [
    'login --device works from anywhere the provider offers the device flow',
  ])
}
