-- common.lua: prepended to every script by ScriptLibrary; defines no keys of its own.
-- The only copy of the task-lifecycle helpers, so each transition is written once.
--
-- Key schema (every key starts with the grid prefix KEYS[1], e.g. "{nflc}", whose hash tag puts
-- them all in one Redis Cluster slot):
--   P:cfg hash     grid settings written by configure.lua
--   P:classes set  hardware classes tasks may target
--   P:seq          task id counter          P:fence  fencing-token counter
--   P:t:<id> hash  one task                 P:q:<class> zset  pending, ZPOPMIN = best
--   P:delayed zset due time                 P:leases zset     lease deadline of running tasks
--   P:proc:<w>     list of tasks worker w holds
--   P:workers zset registration deadline    P:w:<w> hash      worker profile (expires)
--   P:waiting set  tasks waiting on parents P:ch:<id> set     children of a task
--   P:dlq zset     failed tasks by time      P:idem:<key>      idempotency key -> task id
--   P:stats hash   totals by outcome         P:events          pub/sub channel
--
-- Task hash fields (short names: a waiting task must stay under 200 bytes of Redis memory):
--   k kind  p payload  c class  pr priority (absent = 0)  e eligible since (ms)  s submitted (ms)
--   st state  a attempts (claims so far; never decreases)  ab attempts not charged (released,
--   or before a DLQ requeue)  n stalls  tok fencing token  wk worker  err last error  r result
--   cid correlation id  np parents still running  of on-parent-failure ('c' = cancel, else fail)
--   hc 1 when other tasks depend on it
--   ma max attempts, bo backoff (absent = the grid default)  cx cancel requested  fa finished (ms)
--
-- States, one letter each (TaskState in C# maps them):
--   W waiting on parents, D delayed, P pending, R running, C completed, F failed (in the DLQ),
--   X cancelled.

local P = KEYS[1]
local function tkey(id) return P .. ':t:' .. id end
local function qkey(class) return P .. ':q:' .. class end

-- Result codes: the one table, mirrored by ResultCode.cs.
local OK, NOT_FOUND, STALE_LEASE, WRONG_STATE, UNKNOWN_CLASS, PAYLOAD_TOO_LARGE,
      BAD_ARGUMENT, PARENT_NOT_FOUND, NOT_CONFIGURED, DUPLICATE, RETRY_SCHEDULED, CANCELLED,
      FAILED, CANCEL_REQUESTED = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13

local cfg_cache
local function cfg(name)
  if not cfg_cache then
    local flat = redis.call('HGETALL', P .. ':cfg')
    if #flat == 0 then return nil end
    cfg_cache = {}
    for i = 1, #flat, 2 do cfg_cache[flat[i]] = flat[i + 1] end
  end
  return cfg_cache[name]
end
local function cfgnum(name) return tonumber(cfg(name)) end

-- Linear priority aging at no cost per waiting task: the effective priority
-- pr + rate * (now - e) orders like pr - rate * e, so the stored score is rate * e - pr
-- (ZPOPMIN takes the lowest). Ties fall to the member order, and fixed-width ids make that FIFO.
local function score(pr, e)
  return string.format('%.17g', cfgnum('aging_per_ms') * e - pr)
end

local function enqueue(id, class, pr, e)
  redis.call('HSET', tkey(id), 'st', 'P', 'e', e)
  redis.call('ZADD', qkey(class), score(pr, e), id)
end

local function enqueue_task(id, e)
  local f = redis.call('HMGET', tkey(id), 'c', 'pr')
  enqueue(id, f[1], tonumber(f[2]) or 0, e)
end

-- Ids are base-36, fixed width, so their byte order is their age order.
local DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'
local function format_id(n)
  local out = {}
  for i = 8, 1, -1 do
    local d = n % 36
    out[i] = string.sub(DIGITS, d + 1, d + 1)
    n = (n - d) / 36
  end
  return table.concat(out)
end

-- Writes that every task-ending script batches per call: one PUBLISH per final state
-- ("<state> <id> <id> ...") and one HINCRBY per state on the totals.
local ended = {}
local function announce(state, id)
  local b = ended[state]
  if not b then b = {}; ended[state] = b end
  b[#b + 1] = id
end
local function flush()
  for state, ids in pairs(ended) do
    redis.call('HINCRBY', P .. ':stats', state, #ids)
    redis.call('PUBLISH', P .. ':events', state .. ' ' .. table.concat(ids, ' '))
  end
  ended = {}
end

-- Moves a task out of running: its lease and its worker's processing list. Tasks tend to finish
-- in the order they were claimed, so the search starts at the list's oldest end.
local function drop_lease(id, worker)
  redis.call('ZREM', P .. ':leases', id)
  if worker then redis.call('LREM', P .. ':proc:' .. worker, -1, id) end
end

-- Ends a task (C, F or X) and settles its children: a completed parent releases them once all
-- their parents completed; a failed or cancelled one fails or cancels them by their own policy,
-- transitively (an explicit stack, no recursion limit). `hc` is the task's has-children flag as
-- the caller read it; `extra` holds more fields to write with the state (the result, say).
local function finish(id, state, err, now, hc, extra)
  local stack = { { id, state, err, hc, extra } }
  while #stack > 0 do
    local top = table.remove(stack)
    local tid, tstate, terr, thc = top[1], top[2], top[3], top[4]
    local key = tkey(tid)
    local h = top[5] or {}
    h[#h + 1] = 'st'; h[#h + 1] = tstate; h[#h + 1] = 'fa'; h[#h + 1] = now
    if terr then h[#h + 1] = 'err'; h[#h + 1] = terr end
    redis.call('HSET', key, unpack(h))
    if tstate == 'F' then
      redis.call('ZADD', P .. ':dlq', now, tid)
    else
      local keep = cfgnum(tstate == 'C' and 'completed_ttl_ms' or 'cancelled_ttl_ms')
      if keep > 0 then redis.call('PEXPIRE', key, keep) else redis.call('DEL', key) end
    end
    announce(tstate, tid)
    if thc then
      local chkey = P .. ':ch:' .. tid
      local children = redis.call('SMEMBERS', chkey)
      redis.call('DEL', chkey)
      for _, child in ipairs(children) do
        local ckey = tkey(child)
        local cf = redis.call('HMGET', ckey, 'st', 'of', 'hc')
        if cf[1] == 'W' then
          if tstate == 'C' then
            if redis.call('HINCRBY', ckey, 'np', -1) <= 0 then
              redis.call('HDEL', ckey, 'np')
              redis.call('SREM', P .. ':waiting', child)
              enqueue_task(child, now)
            end
          else
            redis.call('SREM', P .. ':waiting', child)
            local verb = tstate == 'X' and 'cancelled' or 'failed'
            local cstate = cf[2] == 'c' and 'X' or 'F'
            stack[#stack + 1] = { child, cstate, 'parent ' .. tid .. ' ' .. verb, cf[3] }
          end
        end
      end
    end
  end
end

-- A running task whose lease ran out (or whose worker's registration expired): back to pending
-- in its old place, unless cancel was requested or it stalled more than the grid allows.
local function stall(id, now, why)
  local key = tkey(id)
  local f = redis.call('HMGET', key, 'st', 'wk', 'cx', 'e', 'hc')
  if f[1] ~= 'R' then return nil end
  drop_lease(id, f[2])
  redis.call('HDEL', key, 'tok')
  if f[3] then finish(id, 'X', 'cancelled while its worker was lost', now, f[5]); return 'X' end
  local stalls = redis.call('HINCRBY', key, 'n', 1)
  local limit = cfgnum('max_stalls')
  if stalls > limit then
    finish(id, 'F', string.format('stalled %d times (limit %d): %s', stalls, limit, why), now, f[5])
    return 'F'
  end
  enqueue_task(id, tonumber(f[4]) or now)
  return 'P'
end

-- Due delayed tasks enter their queues in due order, as if submitted when due.
local function promote_due(now, limit)
  local due = redis.call('ZRANGEBYSCORE', P .. ':delayed', '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
  for i = 1, #due, 2 do
    redis.call('ZREM', P .. ':delayed', due[i])
    enqueue_task(due[i], tonumber(due[i + 1]))
  end
  return #due / 2
end
