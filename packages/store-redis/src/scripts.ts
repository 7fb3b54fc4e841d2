/**
 * The store's Lua scripts: each runs atomically in Redis, so no other client sees a half-done
 * step. Keys and arguments are named where each script is used.
 */

/**
 * KEYS: lock, fence. ARGV: owner id, lease (ms). Takes the lock when free and returns the new
 * fence (a number that grows with every acquisition); returns 0 when another holder has it.
 * A lock this owner id already holds is taken again, with a new lease: the script sent a
 * second time, because the connection was lost before its reply came back, finds the lock
 * its first run took.
 */
export const ACQUIRE_LOCK = `
local held = redis.call('GET', KEYS[1])
if not held or held == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return redis.call('INCR', KEYS[2])
end
return 0`

/** KEYS: lock. ARGV: owner id. Deletes the lock only while this owner still holds it. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`

/**
 * KEYS: tokens, fence. ARGV: record, fence ('' for a save without a lock). Writes the record
 * unless the fence is older than the newest one: a holder whose lease ran out, after which
 * someone else took the lock, cannot overwrite what the newer holder wrote. Returns 1 or 0.
 */
export const SAVE_FENCED = `
if ARGV[2] ~= '' and tonumber(ARGV[2]) < tonumber(redis.call('GET', KEYS[2]) or '0') then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
return 1`

/**
 * KEYS: tokens, aside. ARGV: the damaged text as it was read. Moves it aside, unless someone
 * wrote a new record in the meantime. Returns 1 or 0.
 */
export const SET_ASIDE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('RENAME', KEYS[1], KEYS[2])
  return 1
end
return 0`

/**
 * KEYS: lock, fence. ARGV: a new owner id, lease (ms), then every owner id the lock may be held
 * under (the one it was kept under, and those of earlier take-overs whose reply was lost).
 * Takes over a lock one of them (or the new id: the script sent again after a lost reply)
 * still holds, under the new id (a late release under an old one then deletes nothing) and a
 * new lease, and returns a new fence; returns 0 when the lock is none of theirs (its lease
 * ended).
 */
export const TAKE_OVER_LOCK = `
local held = redis.call('GET', KEYS[1])
for index = 1, #ARGV do
  if index ~= 2 and held == ARGV[index] then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return redis.call('INCR', KEYS[2])
  end
end
return 0`
