import type { Settings } from '../config/settings.js'
import { settingLines } from '../config/settings-report.js'
import type { CommandContext } from '../context.js'
import { type CheckResult, check } from './check.js'

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Reads the config file and settles the profile's settings. The details list each value and
 * where it came from, the client secret masked; the settings are handed to the other checks.
 */
export async function checkConfig(
  context: CommandContext,
): Promise<{ readonly result: CheckResult; readonly settings?: Settings }> {
  const profile = context.profile.value
  let exists: boolean
  try {
    exists = (await context.config()).exists
  } catch (error) {
    return { result: check('config', 'fail', reason(error)) }
  }
  let settings: Settings
  try {
    settings = await context.settings()
  } catch (error) {
    return {
      result: check('config', 'fail', reason(error), [`config file: ${context.configFile}`]),
    }
  }
  const where = exists ? context.configFile : `${context.configFile} (not there yet)`
  const saved = settings.saved === undefined ? 'not saved yet' : 'saved'
  const details = settingLines(settings, context.configDir).map(
    (line) => `${line.label}: ${line.value}  (from ${line.source})`,
  )
  return {
    result: check('config', 'ok', `profile ${profile}, ${saved}, in ${where}`, details),
    settings,
  }
}
