import type { Keyway } from '@keyway/core'

/** The fields of Spotify's simplified playlist object that this program shows. */
export interface Playlist {
  readonly name: string
  /** Null when Spotify does not say (a playlist someone else shares with you). */
  readonly public: boolean | null
  readonly collaborative: boolean
  readonly tracks: { readonly total: number }
}

/** Spotify's paging object; `next` is the whole URL of the following page, or null. */
interface Page<T> {
  readonly items: readonly T[]
  readonly next: string | null
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

/**
 * GETs `url` from the Web API with the current access token. Keyway refreshes the token before
 * it expires; a 401 means Spotify ended it early anyway, so refresh once (no person needed) and
 * try again.
 */
async function getJson<T>(kw: Keyway, apiUrl: string, url: string): Promise<T> {
  // The URL may come from Spotify's answer (`next`): never send the token anywhere else.
  if (new URL(url).origin !== new URL(apiUrl).origin) throw new Error(`Refusing to call ${url}.`)
  let response = await fetch(url, bearer(await kw.getAccessToken()))
  if (response.status === 401) {
    response = await fetch(url, bearer(await kw.getAccessToken({ forceRefresh: true })))
  }
  if (!response.ok) {
    throw new Error(`Spotify's Web API answered ${response.status} to ${new URL(url).pathname}.`)
  }
  return (await response.json()) as T
}

/** Every playlist of the signed-in person, page after page (50 a page, Spotify's maximum). */
export async function listPlaylists(kw: Keyway, apiUrl: string): Promise<Playlist[]> {
  const playlists: Playlist[] = []
  let next: string | null = `${apiUrl}/v1/me/playlists?limit=50`
  while (next !== null) {
    const page: Page<Playlist> = await getJson(kw, apiUrl, next)
    playlists.push(...page.items)
    next = page.next
  }
  return playlists
}

/** One line for a playlist: its name, its size, and who may see it. */
export function describePlaylist(playlist: Playlist): string {
  const kind = playlist.collaborative
    ? ' · collaborative'
    : playlist.public === false
      ? ' · private'
      : ''
  return `${playlist.name} · ${playlist.tracks.total} tracks${kind}`
}
