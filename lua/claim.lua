-- claim.lua: hands up to `count` of the best pending tasks to one worker, from its classes in
-- the order given (most demanding first), promoting due delayed tasks first.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), ARGV[2] = worker id, ARGV[3] = lease (ms), ARGV[4] = count,
-- ARGV[5] = most delayed tasks to promote in this call, ARGV[6] = the claim's secret nonce
-- (a random number below 2^32, from the worker), ARGV[7..] = the worker's classes in order
-- Returns a flat list, 6 entries per claimed task: "<id> <attempts before> <body>", the claim's
-- fencing token (whose high half is the attempt number), the class, the priority, 1 when this
-- is a first run (no earlier claim can exist, not even one a Redis forgot; see incarnation in
-- common.lua) else 0, and the traceparent of the previous attempt's span ('' when none is known;
-- read only for tasks claimed before), so a worker needs no read per task (the submission time is in the id);
-- then one last entry: the ms until the earliest delayed task is due (-1 when there is none), so
-- an idle worker sleeps until then.
local now, worker = tonumber(ARGV[1]), ARGV[2]
local deadline = now + tonumber(ARGV[3])
local wanted = tonumber(ARGV[4])
promote_due(now, tonumber(ARGV[5]))

-- Per task: one HSET; everything else is read from its list entry or written once for the batch.
local out, claimed, lease_args = {}, {}, {}
local n = 0
local any_cancelled = redis.call('EXISTS', P .. ':cancelled') == 1
local any_replaced = redis.call('EXISTS', P .. ':replaced') == 1
local nonce = tonumber(ARGV[6])
-- The claim's tokens, one per attempt number (they share the nonce).
local tokens = {}
local serving = serving_incarnation()
-- Paused classes are skipped (one EXISTS when none is).
local paused = redis.call('EXISTS', P .. ':paused') == 1
-- A task cancelled while pending left its entry behind: skipped and dropped (pop_level).
local function live(entry)
  return not (any_cancelled and redis.call('SREM', P .. ':cancelled', string.sub(entry, 1, ID_LENGTH)) == 1)
end
for c = 7, #ARGV do
  local class = ARGV[c]
  local from_class = 0
  local allowed = (paused and redis.call('HEXISTS', P .. ':paused', class) == 1) and 0 or claimable(class, wanted - n, now)
  while from_class < allowed do
    local popped, levels = pop_best(class, allowed - from_class, live)
    if #popped == 0 then break end
    for k, entry in ipairs(popped) do
      local id = string.sub(entry, 1, ID_LENGTH)
      n = n + 1
      from_class = from_class + 1
      local before, stamp, inline = string.match(entry, '^(%d+):?(%d*)( ?)', ID_LENGTH + 2)
      local attempt = tonumber(before) + 1
      local token = tokens[attempt] or fencing_token(attempt, nonce)
      tokens[attempt] = token
      local key = tkey(id)
      local hashed = token_hash(token)
      redis.call('HSET', key, F.state, 'R', F.attempts, num(attempt), F.token, hashed, F.worker, worker, F.claimed, num(now))
      if any_replaced and redis.call('SREM', P .. ':replaced', id) == 1 then
        -- A duplicate replaced its body after it was queued: the entry's copy is stale.
        entry = string.match(entry, '^%S+ %S+') .. ' ' .. redis.call('HGET', key, F.body)
      elseif inline == '' then
        entry = entry .. ' ' .. redis.call('HGET', key, F.body)
      end
      claimed[n] = id
      lease_args[2 * n - 1] = num(deadline); lease_args[2 * n] = lease_of(id, hashed)
      out[6 * n - 5] = entry; out[6 * n - 4] = token; out[6 * n - 3] = class; out[6 * n - 2] = levels[k]
      out[6 * n - 1] = (before == '0' and stamp == serving) and 1 or 0
      out[6 * n] = before ~= '0' and redis.call('HGET', key, F.last_span) or ''
    end
  end
  if from_class > 0 then count_pending(class, -from_class) end
  started_running(class, from_class, now)
end
if n > 0 then
  redis.call('ZADD', P .. ':leases', unpack(lease_args))
  redis.call('SADD', P .. ':proc:' .. worker, unpack(claimed))
end
flush()
local head = redis.call('ZRANGE', P .. ':delayed', 0, 0, 'WITHSCORES')
out[6 * n + 1] = (#head == 0) and -1 or math.max(0, tonumber(head[2]) - now)
return out
