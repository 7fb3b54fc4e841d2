import { storeSpecText } from '../store/store-spec.js'
import type { SavedProfile } from './profile.js'
import type { Settings } from './settings.js'

/**
 * What `keyway login` saves: the provider (or issuer), the client, the scopes when chosen,
 * the store, the port and DPoP when on, so that later commands need only `--profile`. A client secret is
 * saved only when it came from a flag or the profile: one kept in `KEYWAY_CLIENT_SECRET` stays
 * there, out of the file.
 */
export function profileToSave(settings: Settings): SavedProfile {
  const { provider, issuer, tenant, clientId, clientSecret, scopes, resources, store, port, dpop } =
    settings
  const secret = clientSecret !== undefined && clientSecret.source.kind !== 'env'
  return {
    provider: provider.value,
    ...(issuer === undefined ? {} : { issuer: issuer.value }),
    ...(tenant === undefined ? {} : { tenant: tenant.value }),
    clientId: clientId.value,
    ...(secret ? { clientSecret: clientSecret.value } : {}),
    ...(scopes.source.kind === 'default' ? {} : { scopes: scopes.value }),
    ...(resources === undefined ? {} : { resources: resources.value }),
    store: storeSpecText(store.value),
    ...(port === undefined ? {} : { port: port.value }),
    ...(dpop?.value === true ? { dpop: true } : {}),
  }
}
