import * as t from 'io-ts'

/** A string with at least one non-blank character. */
export interface NonEmptyStringBrand {
  readonly NonEmptyString: unique symbol
}

/** Decodes a string that is not empty or blank. */
export const NonEmptyString = t.brand(
  t.string,
  (value): value is t.Branded<string, NonEmptyStringBrand> => value.trim().length > 0,
  'NonEmptyString',
)

/** A finite, non-negative number of seconds, given as a number or as a numeric string. */
export const Seconds = new t.Type<number, number, unknown>(
  'Seconds',
  (value): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0,
  (input, context) => {
    const value =
      typeof input === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(input) ? Number(input) : input
    return typeof value === 'number' && Number.isFinite(value) && value >= 0
      ? t.success(value)
      : t.failure(input, context, 'expected a non-negative number of seconds')
  },
  (value) => value,
)

/** Milliseconds since the epoch, as a finite integer. */
export const EpochMillis = new t.Type<number, number, unknown>(
  'EpochMillis',
  (value): value is number => typeof value === 'number' && Number.isSafeInteger(value),
  (input, context) =>
    typeof input === 'number' && Number.isSafeInteger(input) && input >= 0
      ? t.success(input)
      : t.failure(input, context, 'expected epoch milliseconds'),
  (value) => value,
)
