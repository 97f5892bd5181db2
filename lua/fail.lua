-- fail.lua: records failed attempts of a batch of tasks, fenced like complete.lua. A retryable
-- failure with attempts left goes to the delayed set after its backoff; anything else goes to the
-- dead-letter queue with its error; a task whose cancel was requested ends cancelled.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), then per task 6 fields: id, fencing token, error, retryable ('1' or '0'),
--   jitter draw u in [0, 1) (taken by the caller, so the script stays deterministic), and the
--   W3C traceparent of the attempt's span ('' when untraced), which a retry's claim hands on
-- Returns per task a pair (code, due ms): RETRY_SCHEDULED with its due time, FAILED, CANCELLED,
-- NOT_FOUND or STALE_LEASE (due 0).
local now = tonumber(ARGV[1])

-- Backoff spec "kind:base:max:jitter": kind e (exponential, base * 2^(attempt-1)) or
-- f (fixed, base); capped at max; jitter j shortens the delay by up to j of itself.
local function backoff_ms(spec, attempt, u)
  local kind, base, cap, jitter = string.match(spec, '^(%a):(%d+):(%d+):([%d.]+)$')
  base, cap, jitter = tonumber(base), tonumber(cap), tonumber(jitter)
  local delay = base
  if kind == 'e' then delay = base * 2 ^ (attempt - 1) end
  if delay > cap then delay = cap end
  return math.floor(delay * (1 - jitter * u))
end

local out = {}
for i = 2, #ARGV, 6 do
  local id, token, err, retryable, u, span = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], tonumber(ARGV[i + 4]), ARGV[i + 5]
  local key = tkey(id)
  if not holds(id, token) then
    out[#out + 1] = redis.call('EXISTS', key) == 1 and STALE_LEASE or NOT_FOUND; out[#out + 1] = 0
  else
    local f = redis.call('HMGET', key, F.cancel_requested, F.attempts, F.max_attempts, F.backoff, F.uncharged, F.worker)
    drop_lease(id, f[6], token_hash(token))
    -- Attempts charged against the budget: releases and DLQ requeues are not.
    local attempts = tonumber(f[2]) - (tonumber(f[5]) or 0)
    local max_attempts = tonumber(f[3]) or cfgnum('max_attempts')
    if f[1] then
      finish(id, 'X', err, now)
      out[#out + 1] = CANCELLED; out[#out + 1] = 0
    elseif retryable == '1' and attempts < max_attempts then
      local due = now + backoff_ms(f[4] or cfg('backoff'), attempts, u)
      redis.call('HSET', key, F.state, 'D', F.eligible, due, F.error, err)
      if span ~= '' then redis.call('HSET', key, F.last_span, span) end
      delay_task(id, due)
      out[#out + 1] = RETRY_SCHEDULED; out[#out + 1] = due
    else
      local why = retryable == '1'
        and string.format('attempt %d of %d failed: %s', attempts, max_attempts, err)
        or ('failed, not retryable: ' .. err)
      finish(id, 'F', why, now)
      out[#out + 1] = FAILED; out[#out + 1] = 0
    end
  end
end
flush()
return out
