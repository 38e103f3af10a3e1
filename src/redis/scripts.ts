// The Lua the Redis store runs: each script is one atomic step, with Redis `TIME` as the one clock
// every process of the fleet shares. They mirror MemoryRateLimitStore (see its comments for why).

import { MAX_LIMIT_RAISE } from "../rateLimiter/store.js";

/** Entries per ZADD or ZREM: Lua's `unpack` passes at most a few thousand arguments to one command. */
const ENTRY_BATCH = 1000;

/**
 * Acquire. KEYS[1] the budget's hash (blockedUntil, serverLimit, the latest reading, a sequence),
 * KEYS[2..] one sorted set per window (score: time in ms; one member per unit spent).
 * ARGV: ahead, reserve, then per window: limit, windowInMs, cost, general (1/0).
 * Returns { waitInMs, general, now, slot } (numbers as strings: Redis would truncate Lua floats);
 * `slot` is the sequence number naming the recorded members (`<slot>:<unit>`).
 */
export const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local ahead = tonumber(ARGV[1])
local reserve = tonumber(ARGV[2])
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blockedUntil') or '0')
local serverLimit = redis.call('HGET', KEYS[1], 'serverLimit')
local waitUntil = math.max(now, blocked)
local general = 0
if waitUntil > now then general = 1 end
local windows = (#ARGV - 2) / 4
local longest = 0
for i = 1, windows do
  local key = KEYS[i + 1]
  local base = 2 + (i - 1) * 4
  local limit = tonumber(ARGV[base + 1])
  local windowInMs = tonumber(ARGV[base + 2])
  local cost = tonumber(ARGV[base + 3])
  if windowInMs > longest then longest = windowInMs end
  if i == 1 and serverLimit then limit = tonumber(serverLimit) end
  if reserve > 0 then limit = math.max(1, math.floor(limit * (1 - reserve))) end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - windowInMs)
  local count = redis.call('ZCARD', key)
  -- slotTime: whole windows skipped at once, so a long queue costs no more than a short one.
  local position = ahead + math.min(cost, limit) - 1
  local skipped = math.max(0, math.ceil((position + 1 - limit) / limit))
  local later = skipped * windowInMs
  local needed = count + position - skipped * limit + 1 - limit
  local at
  if needed <= 0 then
    at = now + later
  else
    local entry = redis.call('ZRANGE', key, needed - 1, needed - 1, 'WITHSCORES')
    at = math.max(now, tonumber(entry[2]) + windowInMs) + later
  end
  if at > waitUntil then
    waitUntil = at
    if ARGV[base + 4] == '1' then general = 1 else general = 0 end
  end
end
if waitUntil > now or ahead > 0 then
  return { tostring(waitUntil - now), general, tostring(now), '' }
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
for i = 1, windows do
  local key = KEYS[i + 1]
  local base = 2 + (i - 1) * 4
  -- In flight: stamped one window ahead until observe moves it to the response's arrival.
  local windowInMs = tonumber(ARGV[base + 2])
  -- At most the configured limit of entries (a larger cost takes the whole window), in batches.
  local units = math.min(tonumber(ARGV[base + 3]), tonumber(ARGV[base + 1]))
  local batch = {}
  for unit = 1, units do
    batch[#batch + 1] = now + windowInMs
    batch[#batch + 1] = seq .. ':' .. unit
    if #batch == ${2 * ENTRY_BATCH} or unit == units then
      redis.call('ZADD', key, unpack(batch))
      batch = {}
    end
  end
  redis.call('PEXPIRE', key, math.ceil(2 * windowInMs))
end
redis.call('PEXPIRE', KEYS[1], math.ceil(2 * longest))
return { '0', 0, tostring(now), tostring(seq) }
`;

/**
 * Observe. KEYS[1] the budget's hash, KEYS[2..] the sorted sets of the windows the request counted
 * in: first the ones every request counts in (the headers' one leading), then the routes'.
 * ARGV: blockForMs ('' for none); limit, remaining, resetAtMs ('' for no reading); sentAt; slot;
 * the number of general windows; the configured limit of the headers' window; then windowInMs,
 * cost and configured limit of each window, in KEYS order (a cost counts up to its window's limit). The limit is believed up to MAX_LIMIT_RAISE times the
 * configured one; phantom entries added and entries dropped per call are at most the configured limit, so a call's work never follows a header; they are written in
 * batches (one ZADD per ENTRY_BATCH entries), not one command each.
 */
export const OBSERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function windowOf(k) return tonumber(ARGV[9 + 3 * (k - 2)]) end
local configuredLimit = tonumber(ARGV[8])
local longest = 0
for k = 2, #KEYS do longest = math.max(longest, windowOf(k)) end
-- The server counted the request when it arrived: its slot frees no earlier than the response.
if ARGV[6] ~= '' then
  for k = 2, #KEYS do
    local units = math.min(tonumber(ARGV[10 + 3 * (k - 2)]), tonumber(ARGV[11 + 3 * (k - 2)]))
    local batch = {}
    for unit = 1, units do
      batch[#batch + 1] = now
      batch[#batch + 1] = ARGV[6] .. ':' .. unit
      if #batch == ${2 * ENTRY_BATCH} or unit == units then
        redis.call('ZADD', KEYS[k], 'XX', unpack(batch))
        batch = {}
      end
    end
  end
end
if ARGV[1] ~= '' then
  local blockedUntil = now + tonumber(ARGV[1])
  if blockedUntil > tonumber(redis.call('HGET', KEYS[1], 'blockedUntil') or '0') then
    redis.call('HSET', KEYS[1], 'blockedUntil', tostring(blockedUntil))
  end
end
redis.call('PEXPIRE', KEYS[1], math.ceil(2 * longest))
if ARGV[2] == '' then return 0 end
local limit = tonumber(ARGV[2])
local remaining = tonumber(ARGV[3])
local reset = tonumber(ARGV[4])
local sentAt = tonumber(ARGV[5])
local generals = tonumber(ARGV[7])
local lastReset = redis.call('HGET', KEYS[1], 'lastReset')
if lastReset then
  lastReset = tonumber(lastReset)
  local lastRemaining = tonumber(redis.call('HGET', KEYS[1], 'lastRemaining'))
  if reset < lastReset or (reset == lastReset and remaining > lastRemaining) then return 0 end
end
local believed = math.min(limit, ${MAX_LIMIT_RAISE} * configuredLimit)
redis.call('HSET', KEYS[1], 'lastReset', tostring(reset), 'lastRemaining', tostring(remaining), 'serverLimit', tostring(believed))
local windowInMs = windowOf(2)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - windowInMs)
local counted = math.min(believed, limit - remaining)
local own = redis.call('ZCARD', KEYS[2])
if counted > own then
  local start = math.min(math.max(reset - windowInMs, now - windowInMs + 1), now)
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  local times = {}
  local left = math.min(counted - own, configuredLimit)
  if oldest[2] == nil or tonumber(oldest[2]) > start then
    times[1] = start
    left = left - 1
  end
  for i = 1, left do times[#times + 1] = start + (now - start) * i / left end
  local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  for k = 2, 1 + generals do
    local cutoff = now - windowOf(k)
    local batch = {}
    for j, time in ipairs(times) do
      if k == 2 or time > cutoff then
        batch[#batch + 1] = time
        batch[#batch + 1] = 'p' .. seq .. ':' .. j
      end
      if #batch == ${2 * ENTRY_BATCH} or (j == #times and #batch > 0) then
        redis.call('ZADD', KEYS[k], unpack(batch))
        batch = {}
      end
    end
    redis.call('PEXPIRE', KEYS[k], math.ceil(2 * windowOf(k)))
  end
  return #times
end
-- Fewer counted than the entries answered before this request was sent (and itself): the server wins.
local mustBeCounted = redis.call('ZCOUNT', KEYS[2], '-inf', '(' .. tostring(sentAt)) + 1
-- By rank, not ZPOPMIN: the dropped entries are not needed back, and a reply of thousands would cost more than the drop.
if counted < mustBeCounted then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, math.min(mustBeCounted - counted, configuredLimit) - 1) end
return 0
`;

/**
 * Release: forgets the entries of a slot whose request was never sent. KEYS the sorted sets of its
 * windows; ARGV: the slot, then each window's units (cost, at most the window's limit), in KEYS order.
 */
export const RELEASE_SCRIPT = `
for k = 1, #KEYS do
  local units = tonumber(ARGV[k + 1])
  local batch = {}
  for unit = 1, units do
    batch[#batch + 1] = ARGV[1] .. ':' .. unit
    if #batch == ${ENTRY_BATCH} or unit == units then
      redis.call('ZREM', KEYS[k], unpack(batch))
      batch = {}
    end
  end
end
return 0
`;
