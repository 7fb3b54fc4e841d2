/** Where a setting's value came from, in the order they take precedence. */
export type Source =
  | { readonly kind: 'flag'; readonly flag: string }
  | { readonly kind: 'env'; readonly variable: string }
  | { readonly kind: 'profile'; readonly profile: string; readonly file: string }
  | { readonly kind: 'default'; readonly detail?: string }

/** A setting's value and where it came from. */
export interface Sourced<T> {
  readonly value: T
  readonly source: Source
}

/** Where a value came from, for people: `--client-id`, `KEYWAY_STORE`, `profile work`, … */
export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'flag':
      return source.flag
    case 'env':
      return source.variable
    case 'profile':
      return `profile ${source.profile}`
    case 'default':
      return source.detail === undefined ? 'default' : `default (${source.detail})`
  }
}
