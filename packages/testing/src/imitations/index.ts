/**
 * Local imitations of OAuth providers that have no discovery and quirks of their own (Spotify,
 * GitHub), each on a free port of 127.0.0.1: for tests of the presets and of programs built on
 * them, run unattended. The authorization server behind them and the small HTTP server they
 * share are exported for imitations of other providers.
 *
 * @example
 * ```ts
 * import { startSpotify } from '@keyway/testing/imitations'
 *
 * const imitation = await startSpotify()
 * // spotify.options({ clientId: imitation.client.id, baseUrl: imitation.base }) logs in there,
 * // and GET `${imitation.base}/v1/me/playlists` answers its access tokens.
 * await imitation.close()
 * ```
 *
 * @packageDocumentation
 */
export {
  type Authorization,
  AuthorizationServer,
  type Client,
  type ClientAuthUsed,
  type ErrorNames,
  type Issued,
  type Outcome,
  type Refusal,
  type ServerPolicy,
  s256,
} from './authorization-server.js'
export {
  type DevicePollAnswer,
  GITHUB_LOGIN,
  type GitHubImitation,
  type GitHubOptions,
  startGitHub,
} from './github.js'
export {
  type Answer,
  bearerToken,
  formAnswer,
  type Imitation,
  json,
  page,
  type Received,
  redirect,
  startImitation,
} from './http.js'
export { type SpotifyImitation, type SpotifyOptions, startSpotify } from './spotify.js'
export {
  defaultPlaylists,
  type PlaylistSeed,
  playlistsPage,
  SPOTIFY_USER_ID,
  webApiError,
} from './spotify-web-api.js'
