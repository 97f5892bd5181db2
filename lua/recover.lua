-- recover.lua: one bounded recovery pass, O(log n + k). Any process may run it at any time;
-- concurrent passes find nothing twice because each is atomic.
--   1. workers whose registration expired: every task in their processing sets stalls now;
--   2. running tasks whose lease deadline passed stall;
--   3. due delayed tasks are promoted;
--   4. completed tasks past their retention, or beyond the most the grid keeps (oldest first),
--      are deleted, and dead letters past theirs (their history stays in Postgres).
-- A stalled task returns to pending at the head of its level, or fails to the DLQ past the stall
-- limit.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), ARGV[2] = most items per step
-- Returns {workers removed, tasks requeued, tasks failed, tasks cancelled, delayed promoted,
-- completed tasks deleted, dead letters deleted}.
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local tally = { P = 0, F = 0, X = 0 }
local function count(outcome) if outcome then tally[outcome] = tally[outcome] + 1 end end

local dead = redis.call('ZRANGEBYSCORE', P .. ':workers', '-inf', now, 'LIMIT', 0, limit)
for _, worker in ipairs(dead) do
  local proc = P .. ':proc:' .. worker
  for _, id in ipairs(redis.call('SMEMBERS', proc)) do
    count(stall(id, now, 'worker ' .. worker .. ' stopped renewing its registration', worker))
  end
  redis.call('DEL', proc, P .. ':w:' .. worker)
  redis.call('ZREM', P .. ':workers', worker)
end

local expired = redis.call('ZRANGEBYSCORE', P .. ':leases', '-inf', now, 'LIMIT', 0, limit)
for _, lease in ipairs(expired) do
  local id = string.sub(lease, 1, ID_LENGTH)
  local worker = redis.call('HGET', tkey(id), F.worker)
  local outcome = stall(id, now, 'lease expired on worker ' .. (worker or '?'))
  if outcome then count(outcome) else redis.call('ZREM', P .. ':leases', lease) end
end

local promoted = promote_due(now, limit)

local done = P .. ':done'
local deleted = drop_tasks(done, redis.call('ZRANGEBYSCORE', done, '-inf', now - cfgnum('completed_ttl_ms'), 'LIMIT', 0, limit))
-- Completions keep the count bound; this drains what a lowered bound left.
deleted = deleted + trim_completed(limit)
local dlq_ttl = tonumber(cfg('dlq_ttl_ms')) or 0
local dead_letters = dlq_ttl > 0 and drop_dead_letters(redis.call('ZRANGEBYSCORE', P .. ':dlq', '-inf', now - dlq_ttl, 'LIMIT', 0, limit), now) or 0
flush()
return { #dead, tally.P, tally.F, tally.X, promoted, deleted, dead_letters }
