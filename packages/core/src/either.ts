import type { Either, Left, Right } from 'fp-ts/lib/Either.js'

// fp-ts's Either is a plain tagged object. These build and test one without loading fp-ts,
// for the code a program runs when it only reads a valid stored token; elsewhere Keyway
// uses fp-ts itself, and the values are the same.

/** A failure, as fp-ts's `Either` represents it. */
export function left<E>(error: E): Left<E> {
  return { _tag: 'Left', left: error }
}

/** A success, as fp-ts's `Either` represents it. */
export function right<A>(value: A): Right<A> {
  return { _tag: 'Right', right: value }
}

/** True when `result` is a success. */
export function isRight<E, A>(result: Either<E, A>): result is Right<A> {
  return result._tag === 'Right'
}

/** True when `result` is a failure. */
export function isLeft<E, A>(result: Either<E, A>): result is Left<E> {
  return result._tag === 'Left'
}
