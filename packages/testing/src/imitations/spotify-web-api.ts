import { type Answer, json } from './http.js'

/** A playlist in the imitated person's library, as a test describes it. */
export interface PlaylistSeed {
  readonly name: string
  /** How many tracks it holds. */
  readonly tracks: number
  /** Shown on the person's profile. Default true; a private one needs `playlist-read-private`. */
  readonly public?: boolean
  /** Others may add to it. Default false; listing it needs `playlist-read-collaborative`. */
  readonly collaborative?: boolean
}

/** The library of {@link startSpotify} when a test gives none: one playlist of each kind. */
export const defaultPlaylists: readonly PlaylistSeed[] = [
  { name: 'Morning Run', tracks: 24 },
  { name: 'Deep Focus', tracks: 120, public: false },
  { name: 'Road Trip with Sam', tracks: 57, public: false, collaborative: true },
]

/** The person the imitation's grants belong to. */
export const SPOTIFY_USER_ID = 'imitation-listener'

/** Spotify's Web API error body, which differs from the accounts service's. */
export function webApiError(status: number, message: string): Answer {
  return json(status, { error: { status, message } })
}

/** Whether a grant with `scopes` may see `playlist` (Spotify leaves the others out). */
function isVisible(playlist: PlaylistSeed, scopes: readonly string[]): boolean {
  if (playlist.collaborative === true) return scopes.includes('playlist-read-collaborative')
  return playlist.public !== false || scopes.includes('playlist-read-private')
}

/** A whole number from the query, within bounds, or the default when absent. */
function bounded(value: string | null, fallback: number, min: number, max: number): number {
  const number = value === null ? fallback : Number.parseInt(value, 10)
  return Number.isFinite(number) ? Math.min(max, Math.max(min, number)) : fallback
}

/**
 * The answer to `GET /v1/me/playlists` for a grant with `scopes`: Spotify's paging object
 * (`limit` 1 to 50, default 20; `offset`; `next` and `previous` as whole URLs or null) of
 * simplified playlist objects, private and collaborative ones only with their scopes.
 */
export function playlistsPage(
  query: URLSearchParams,
  base: string,
  library: readonly PlaylistSeed[],
  scopes: readonly string[],
): Answer {
  const visible = library.filter((playlist) => isVisible(playlist, scopes))
  const limit = bounded(query.get('limit'), 20, 1, 50)
  const offset = bounded(query.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER)
  const pageUrl = (at: number) => `${base}/v1/me/playlists?offset=${at}&limit=${limit}`
  const owner = {
    id: SPOTIFY_USER_ID,
    display_name: 'Imitation Listener',
    type: 'user',
    uri: `spotify:user:${SPOTIFY_USER_ID}`,
  }
  const items = visible.slice(offset, offset + limit).map((playlist) => {
    const id = `imitation${library.indexOf(playlist) + 1}`
    return {
      id,
      name: playlist.name,
      description: '',
      public: playlist.public !== false,
      collaborative: playlist.collaborative === true,
      owner,
      tracks: { href: `${base}/v1/playlists/${id}/tracks`, total: playlist.tracks },
      images: [],
      type: 'playlist',
      uri: `spotify:playlist:${id}`,
      href: `${base}/v1/playlists/${id}`,
    }
  })
  return json(200, {
    href: pageUrl(offset),
    items,
    limit,
    offset,
    total: visible.length,
    next: offset + limit < visible.length ? pageUrl(offset + limit) : null,
    previous: offset > 0 ? pageUrl(Math.max(0, offset - limit)) : null,
  })
}
