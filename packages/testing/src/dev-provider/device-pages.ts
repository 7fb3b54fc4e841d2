import type { Configuration, KoaContextWithOIDC } from 'oidc-provider'
import { escapeHtml, page } from './pages.js'

type DeviceFlow = NonNullable<NonNullable<Configuration['features']>['deviceFlow']>

/** The device flow's pages, self-contained and with stable buttons for scripted browsers. */
export const devicePages: Pick<
  DeviceFlow,
  'userCodeInputSource' | 'userCodeConfirmSource' | 'successSource'
> = {
  async userCodeInputSource(ctx: KoaContextWithOIDC, form: string, _out, error) {
    const note = error ? '<p role="alert">That code did not work. Try again.</p>' : ''
    ctx.body = page(
      'Connect a device',
      `${note}<p>Enter the code shown on your device.</p>${form}
<button type="submit" form="op.deviceInputForm">Continue</button>`,
      'device-input',
    )
  },
  async userCodeConfirmSource(ctx: KoaContextWithOIDC, form: string, client, _info, userCode) {
    // The form carries `confirm=yes` itself: a named Continue button would send it twice,
    // which the provider refuses (400) as a repeated parameter.
    ctx.body = page(
      'Confirm the device',
      `<p>${escapeHtml(client.clientId)} shows the code <code>${escapeHtml(userCode)}</code>.</p>${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`,
      'device-confirm',
    )
  },
  async successSource(ctx: KoaContextWithOIDC) {
    ctx.body = page('Device connected', '<p>You can return to your device.</p>', 'device-done')
  },
}
