-- common.lua: prepended to every script by ScriptLibrary; defines no keys of its own.
-- The only copy of the task-lifecycle helpers, so each transition is written once.
--
-- Key schema (every key starts with the grid prefix KEYS[1], e.g. "{nflc}", whose hash tag puts
-- them all in one Redis Cluster slot). Scripts build the keys they touch from the prefix, which is
-- safe because they all live in the prefix's slot: a script only ever runs on the node that owns
-- the slot. While a cluster migrates that slot, keys are on two nodes; then no script may run,
-- or it would see half of the grid. So every script declares two keys that never exist, the
-- prefix and P:slot-guard: a migrating node answers a call with only missing keys with ASK, and
-- an importing node answers a call with several keys it lacks with TRYAGAIN, so every call is
-- refused, before it runs, until the slot has moved (the client waits TRYAGAIN out).
--   P:slot-guard    never written: declared as KEYS[2] by every call (see above)
--   P:cfg hash      grid settings written by configure.lua
--   P:classes set   hardware classes tasks may target
--   P:t:<id> hash   one task
--   P:q:<class>:<priority>:<n> list   pending tasks of one class, priority and submitter n
--                   (see fair share below), oldest first; each
--                   entry is "<id> <attempts so far> <body>", all a claim needs without a read,
--                   or "<id> <attempts so far>" when the body is over INLINE_BODY bytes (stored
--                   once, in the task hash). A submission's entry writes its attempts as
--                   "0:<incarnation n it was queued under>" (see incarnation below)
--   P:cancelled set tasks cancelled while pending, whose entries claims skip and drop
--   P:replaced set  tasks whose body a duplicate replaced while pending: their claim reads the hash's
--   P:rr:<class>:<priority> list   the ring of submitters with pending tasks in that level
--   P:subs hash     submitter name -> its number n (1, 2, ...)   P:subn hash  n -> name
--   P:lv:<class> zset  the non-empty priority levels of a class, scored by their next task's
--                   aging score (lowest = best), so the best pending task is one ZRANGE away
--   P:pending hash  pending count per class
--   P:paused hash   paused classes: class -> paused since (ms); claims skip them (pause.lua)
--   P:limits hash   per-class concurrency and rate limits; P:running, P:bucket:<class> (see limit_of)
--   P:schedules zset  recurring schedules by next tick (ms; +inf while paused)
--   P:sched:<name> hash  a schedule: def (JSON), nt next tick, lt last tick submitted, pa paused
--   P:incarnation hash  the Redis process serving the grid: run (its run_id) and n (one more for
--                   each new process: a restart, a promoted replica); see incarnation below
--   P:delayed zset  due time
--   P:leases zset   "<id>:<token hash>" of each running task, scored by its lease deadline. The
--                   token is the claim's fencing token (see fencing_token below), kept hashed.
--   P:parents set   tasks that other tasks depend on
--   P:proc:<w> set  the processing set: tasks worker w holds
--   P:done zset     completed tasks by finish time, trimmed past the retention by recover.lua
--   P:workers zset  registration deadline       P:w:<w> hash   worker profile (expires)
--   P:waiting set   tasks waiting on parents    P:ch:<id> set  children of a task
--   P:dlq zset      failed tasks by time        P:idem:<key>   idempotency key -> task id
--   P:stats hash    totals by final state       P:events       pub/sub channel
--
-- States, one letter each (TaskState in C# maps them):
--   W waiting on parents, D delayed, P pending, R running, C completed, F failed (in the DLQ),
--   X cancelled.
--
-- Cancelling a pending task leaves its entry in its level list (O(1) instead of an O(n) LREM)
-- and adds it to P:cancelled; claims skip and drop such entries.

-- Task hash fields, by name: the one table, mirrored by TaskFields.cs (a test reads both). Short
-- names on the wire, because a waiting task must stay under 200 bytes of Redis memory; scripts
-- and C# use the names.
local F = {
  body = 'b',              -- "<kind>\n<correlation id>[\t<traceparent>]\n<payload>", packed by the client
  class = 'c',             -- hardware class
  priority = 'pr',         -- absent = 0
  submitted = 's',         -- ms
  submitter = 'u',         -- the submitter's number in P:subs (absent = 0, none given)
  eligible = 'e',          -- eligible since (ms; absent = submitted): aging counts from here
  state = 'st',            -- one letter (below)
  attempts = 'a',          -- claims so far; never decreases
  uncharged = 'ab',        -- attempts not charged (released, stalled, or before a DLQ requeue)
  token = 'tk',            -- hash of the last claim's fencing token
  stalls = 'n',
  worker = 'wk',           -- the last worker
  error = 'err',           -- the last error
  result = 'r',
  parents = 'pa',          -- its parents' ids, comma-separated (a job reads their results)
  waiting_on = 'np',       -- parents still to wait for
  on_parent_failure = 'of',-- 'c' cancel, 'i' ignore, 'w' wait, else fail
  failed_parents = 'pf',   -- one "<id> <F|X> <error>" per line of parents that failed or were cancelled (policy ignore)
  max_attempts = 'ma',     -- absent = the grid default
  backoff = 'bo',          -- absent = the grid default
  cancel_requested = 'cx',
  finished = 'fa',         -- ms
  claimed = 'ca',          -- ms, of the last claim
  last_span = 'ls',        -- W3C traceparent of the last failed attempt's span (traced retries only)
  progress = 'pg',         -- "fraction|message" of the running attempt, from its worker's heartbeats
}

local P = KEYS[1]
local TASK_PREFIX = P .. ':t:'
local function tkey(id) return TASK_PREFIX .. id end

-- Result codes: the one table, mirrored by ResultCode.cs (a test reads both). 9 is retired.
local OK, NOT_FOUND, STALE_LEASE, WRONG_STATE, UNKNOWN_CLASS, PAYLOAD_TOO_LARGE,
      BAD_ARGUMENT, PARENT_NOT_FOUND, NOT_CONFIGURED, RETRY_SCHEDULED, CANCELLED,
      FAILED, CANCEL_REQUESTED = 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13

local cfg_cache
local function cfg(name)
  if not cfg_cache then
    local flat = redis.call('HGETALL', P .. ':cfg')
    if #flat == 0 then return nil end
    cfg_cache = {}
    for i = 1, #flat, 2 do cfg_cache[flat[i]] = flat[i + 1] end
    cfg_cache.rate = tonumber(cfg_cache.aging_per_ms)
    cfg_cache.keep_completed = tonumber(cfg_cache.completed_ttl_ms)
  end
  return cfg_cache[name]
end
local function cfgnum(name) return tonumber(cfg(name)) end

-- Linear priority aging at no cost per waiting task: the effective priority
-- pr + rate * (now - e) orders like pr - rate * e, so a level's score is rate * e - pr of its
-- head (its oldest task), and the lowest score is the best task of the class.
local function score(pr, e)
  cfg('rate')
  return cfg_cache.rate * e - pr
end
local function fmt(x) return string.format('%.17g', x) end
-- A number given to redis.call is formatted by Redis on every use (a sprintf, a few percent of a
-- busy grid's Redis CPU): the few distinct ones of a call (its clock, a lease deadline, attempt
-- numbers) are formatted once, into the same text Redis would write.
local formatted = {}
local function num(x)
  local s = formatted[x]
  if not s then s = tostring(x); formatted[x] = s end
  return s
end

-- Ids are issued by the client (TaskIds.cs): 20 characters, fixed width, so their byte order is
-- their age order, and never from a Redis counter that a Redis restored from an older log would
-- count again.
local ID_LENGTH = 20

-- A claim's fencing token: attempt * 2^32 + the claim's secret nonce (32 bits from the worker's
-- random generator, the same for every task of one claim). It grows with every claim of a task;
-- nobody but the claimant can know it (status never returns it, Redis keeps only its hash), so no
-- other client can complete or fail the task; and a Redis that forgot a claim (it lost the tail
-- of its log, or failed over to a replica that had not seen it) issues the same attempt number
-- again but under another nonce, so the forgotten holder's token never matches again. Exact in
-- Lua's doubles while attempt < 2^21; text through '%d', as C# writes a long.
local TOKEN_LOW = 4294967296
local function fencing_token(attempt, nonce) return string.format('%d', attempt * TOKEN_LOW + nonce) end

-- A claim the serving Redis forgot (it lost the tail of its log, or failed over to a replica that
-- had not seen it) leaves a task pending as if never claimed, though its worker may have run it
-- and made its result durable. Such a task was queued under an earlier Redis process than the one
-- serving now; a task queued under the serving process is not, since a process forgets nothing
-- it acknowledged while it runs. So a submission stamps its entry with the incarnation number n
-- (read here, never advanced: a submit that comes before the first claim of a new process stamps
-- the old number, which only errs on the side of a look), and each claim notices a new process
-- by its run_id and counts one more. A first attempt stamped with the current n cannot have run
-- before: its worker need not look in Postgres for an earlier attempt's result.
local function queued_incarnation() return redis.call('HGET', P .. ':incarnation', 'n') or '0' end
local function serving_incarnation()
  local run = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
  local f = redis.call('HMGET', P .. ':incarnation', 'run', 'n')
  if f[1] == run then return f[2] end
  local n = tostring((tonumber(f[2]) or 0) + 1)
  redis.call('HSET', P .. ':incarnation', 'run', run, 'n', n)
  return n
end

-- Pending counts per class, written once per call.
local pending_delta = {}
local function count_pending(class, n) pending_delta[class] = (pending_delta[class] or 0) + n end

-- Fair share: within one class and priority (a level) each submitter has its own FIFO,
-- P:q:<class>:<pr>:<n> (n: the submitter's number in P:subs, 0 when none was given), and the
-- level's ring P:rr:<class>:<pr> lists the submitters that have pending tasks there, in turn
-- order; a submitter is in the ring exactly while its FIFO is not empty. A claim serves the ring
-- in turn (pop_level), so however many tasks one submitter queued, another's task waits at most
-- one claim batch; with a single submitter a batch is one LPOP as before.
local function level_list(class, pr, sub) return P .. ':q:' .. class .. ':' .. pr .. ':' .. sub end
local function ring_of(class, pr) return P .. ':rr:' .. class .. ':' .. pr end

-- Appends one submitter's entries (one class and priority, oldest first) to their level; `e` is
-- the eligible time of the first one, which becomes the level's head when the level was empty.
local function push_back(class, pr, sub, e, entries)
  local len = redis.call('RPUSH', level_list(class, pr, sub), unpack(entries))
  if len == #entries and redis.call('RPUSH', ring_of(class, pr), sub) == 1 then
    redis.call('ZADD', P .. ':lv:' .. class, fmt(score(pr, e)), pr)
  end
  count_pending(class, #entries)
end

-- The level-list entry of a task. Small bodies travel in the entry so a claim of a small task
-- reads nothing; a big one would double the task's memory, so its claim reads it instead.
local INLINE_BODY = 64
local function queue_entry(id, attempts, body)
  if #body <= INLINE_BODY then return id .. ' ' .. attempts .. ' ' .. body end
  return id .. ' ' .. attempts
end
-- The entry from a task hash's fields f = {c, pr, b, a}.
local function entry_of(id, f) return queue_entry(id, f[4] or 0, f[3]) end

-- Makes a task pending at the back of its level, eligible since e.
local function enqueue(id, e)
  local key = tkey(id)
  local f = redis.call('HMGET', key, F.class, F.priority, F.body, F.attempts, F.submitter)
  redis.call('HSET', key, F.state, 'P', F.eligible, e)
  push_back(f[1], tonumber(f[2]) or 0, f[5] or '0', e, { entry_of(id, f) })
end

-- Re-scores a level by the task a claim would take from it next (the head of its ring's first
-- submitter), or drops it when empty. Returns the score, or nil.
local function rescore_level(class, pr)
  local sub = redis.call('LINDEX', ring_of(class, pr), 0)
  local head = sub and redis.call('LINDEX', level_list(class, pr, sub), 0)
  if not head then
    redis.call('ZREM', P .. ':lv:' .. class, pr)
    return nil
  end
  local f = redis.call('HMGET', tkey(string.sub(head, 1, ID_LENGTH)), F.eligible, F.submitted)
  local s = score(tonumber(pr), tonumber(f[1] or f[2]) or 0)
  redis.call('ZADD', P .. ':lv:' .. class, fmt(s), pr)
  return s
end

-- Makes a task pending at the head of its submitter's FIFO, keeping its place (a stalled or
-- released task); a submitter that had nothing pending there is served next.
local function requeue_front(id)
  local key = tkey(id)
  local f = redis.call('HMGET', key, F.class, F.priority, F.body, F.attempts, F.submitter)
  redis.call('HSET', key, F.state, 'P')
  local pr, sub = tonumber(f[2]) or 0, f[5] or '0'
  if redis.call('LPUSH', level_list(f[1], pr, sub), entry_of(id, f)) == 1 then
    redis.call('LPUSH', ring_of(f[1], pr), sub)
  end
  rescore_level(f[1], pr)
  count_pending(f[1], 1)
end

-- Takes up to `want` entries from one level, its submitters in turn (see fair share above): in
-- rounds, each submitter in the ring takes an equal share of what is still wanted (at least one,
-- until the batch is full) and goes to the back; one that runs out leaves the ring and its
-- unused share goes to the next round. So a batch splits as evenly as the submitters' tasks
-- allow, as turns of one task each would, at a few calls per submitter instead of per task.
-- `live(entry)` says whether the entry's task still wants to run: entries of tasks cancelled
-- while pending are dropped here and count for nothing, as if they had left the list at once.
local function pop_level(class, pr, want, live)
  local ring = ring_of(class, pr)
  local out = {}
  local turns = redis.call('LLEN', ring)
  while #out < want and turns > 0 do
    local share = math.max(1, math.floor((want - #out) / turns))
    for _ = 1, turns do
      if #out >= want then break end
      local sub = redis.call('LMOVE', ring, ring, 'LEFT', 'RIGHT')
      local list = level_list(class, pr, sub)
      local took, empty = 0, false
      repeat
        local asked = math.min(share - took, want - #out)
        local entries = redis.call('LPOP', list, asked) or {}
        for _, entry in ipairs(entries) do
          if live(entry) then out[#out + 1] = entry; took = took + 1 end
        end
        empty = #entries < asked
      until empty or took >= share or #out >= want
      if empty or redis.call('EXISTS', list) == 0 then
        redis.call('RPOP', ring)
        turns = turns - 1
      end
    end
  end
  return out
end

-- Pops up to `want` live entries (see pop_level), best first, from one class: the best level's
-- next task each time. With one level the whole batch is one pass over its ring; with several,
-- a level gives tasks while its next one still beats the runner-up level's. Returns the entries
-- and, beside them, the priority (level) each came from.
local function pop_best(class, want, live)
  local out, levels = {}, {}
  local lv = P .. ':lv:' .. class
  while #out < want do
    local top = redis.call('ZRANGE', lv, 0, 1, 'WITHSCORES')
    if #top == 0 then break end
    local pr = top[1]
    if #top == 2 then
      for _, entry in ipairs(pop_level(class, pr, want - #out, live)) do
        out[#out + 1] = entry; levels[#out] = pr
      end
      rescore_level(class, pr)
    else
      local rival = tonumber(top[4])
      local got, s
      repeat
        got = pop_level(class, pr, 1, live)[1]
        if got then out[#out + 1] = got; levels[#out] = pr end
        s = rescore_level(class, pr)
      until not got or #out >= want or not s or s > rival
    end
  end
  return out, levels
end

-- Writes that every task-ending script batches per call: pending counts, completed tasks into
-- P:done (their retention clock), one HINCRBY and one PUBLISH ("<state> <id> <id> ...") per
-- final state, and one PUBLISH on P:wake when the call queued work (pending or delayed), so idle
-- workers claim at once instead of at their next poll.
local ended = {}
local done_args = {}
local queued_delayed = false
local function delay_task(id, due)
  redis.call('ZADD', P .. ':delayed', due, id)
  queued_delayed = true
end
local function announce(state, id)
  local b = ended[state]
  if not b then b = {}; ended[state] = b end
  b[#b + 1] = id
end
-- Deletes the given members of a zset of task ids (done, dlq) with their task hashes; returns how many.
local function drop_tasks(zset, ids)
  if #ids == 0 then return 0 end
  for _, id in ipairs(ids) do redis.call('UNLINK', tkey(id)) end
  redis.call('ZREM', zset, unpack(ids))
  return #ids
end

-- Deletes up to `most` of the oldest completed tasks beyond the number the grid keeps.
local function trim_completed(most)
  local keep = tonumber(cfg('completed_max')) or 0
  local over = keep > 0 and redis.call('ZCARD', P .. ':done') - keep or 0
  if over <= 0 then return 0 end
  return drop_tasks(P .. ':done', redis.call('ZRANGE', P .. ':done', 0, math.min(over, most) - 1))
end

local function flush()
  local wake = queued_delayed
  for class, n in pairs(pending_delta) do
    if n ~= 0 then redis.call('HINCRBY', P .. ':pending', class, n) end
    if n > 0 then wake = true end
  end
  if wake then redis.call('PUBLISH', P .. ':wake', '1') end
  queued_delayed = false
  pending_delta = {}
  if #done_args > 0 then
    redis.call('ZADD', P .. ':done', unpack(done_args))
    -- Beyond the most kept, the oldest go now, up to twice as many as were added: the bound holds
    -- however fast tasks complete (recovery passes trim by age).
    trim_completed(#done_args)
    done_args = {}
  end
  for state, ids in pairs(ended) do
    redis.call('HINCRBY', P .. ':stats', state, #ids)
    redis.call('PUBLISH', P .. ':events', state .. ' ' .. table.concat(ids, ' '))
  end
  ended = {}
end

-- Redis keeps only a hash of each token (in the task's tk field and its lease member), so a
-- client allowed to read the grid's keys still cannot learn a token and present it.
-- The tasks of one claim share a token per attempt number, so a call hashes each distinct token once.
local hashed_tokens = {}
local function token_hash(token)
  local hashed = hashed_tokens[token]
  if not hashed then
    hashed = string.sub(redis.sha1hex(token), 1, 16)
    hashed_tokens[token] = hashed
  end
  return hashed
end
local function lease_of(id, hashed) return id .. ':' .. hashed end

-- True when `token` is the fencing token of the current claim of the task.
local function holds(id, token) return redis.call('ZSCORE', P .. ':leases', lease_of(id, token_hash(token))) ~= false end
local function has_children(id) return redis.call('SISMEMBER', P .. ':parents', id) == 1 end

-- Class limits (limit.lua): P:limits holds "<class>:c" -> most tasks of the class running at once
-- grid-wide, and "<class>:r" -> most started per window, "n:ms" (a token bucket in
-- P:bucket:<class>, fields t tokens and at ms). P:running counts each concurrency-limited class's
-- running tasks (limit.lua counts them when the limit is set; claims add, every way out of
-- running takes away). A grid with no limits pays one EXISTS per claim and per call that ends
-- running tasks.
local limits_cache
local function load_limits()
  if limits_cache == nil then
    limits_cache = false
    if redis.call('EXISTS', P .. ':limits') == 1 then
      limits_cache = {}
      local flat = redis.call('HGETALL', P .. ':limits')
      for i = 1, #flat, 2 do limits_cache[flat[i]] = flat[i + 1] end
    end
  end
  return limits_cache
end
local function any_limits() return load_limits() ~= false end
local function limit_of(class, what) return any_limits() and limits_cache[class .. ':' .. what] or nil end

-- A task of a concurrency-limited class stopped running (its class read only when some limit exists).
local function left_running(id)
  if not any_limits() then return end
  local class = redis.call('HGET', tkey(id), F.class)
  if class and limit_of(class, 'c') and redis.call('HINCRBY', P .. ':running', class, -1) < 0 then
    redis.call('HSET', P .. ':running', class, 0)
  end
end

-- How many tasks of a class a claim may start now, at most `wanted`: its concurrency limit less
-- those running, and the tokens in its rate bucket (refilled for the time since the last claim).
local bucket_tokens = {}
local function claimable(class, wanted, now)
  if not any_limits() then return wanted end
  local most = wanted
  local c = limit_of(class, 'c')
  if c then most = math.min(most, tonumber(c) - (tonumber(redis.call('HGET', P .. ':running', class)) or 0)) end
  local r = limit_of(class, 'r')
  if r then
    local n, window = string.match(r, '^(%d+):(%d+)$')
    n, window = tonumber(n), tonumber(window)
    local b = redis.call('HMGET', P .. ':bucket:' .. class, 't', 'at')
    bucket_tokens[class] = math.min(n, (tonumber(b[1]) or n) + (now - (tonumber(b[2]) or now)) * n / window)
    most = math.min(most, math.floor(bucket_tokens[class]))
  end
  return math.max(0, most)
end

-- A claim started n tasks of a class: they count against its limits (the bucket, refilled by
-- claimable, is written once, less what was taken).
local function started_running(class, n, now)
  if not any_limits() then return end
  if n > 0 and limit_of(class, 'c') then redis.call('HINCRBY', P .. ':running', class, n) end
  if bucket_tokens[class] then redis.call('HSET', P .. ':bucket:' .. class, 't', fmt(bucket_tokens[class] - n), 'at', now) end
end

-- Moves a task out of running: its lease and its worker's processing set.
local function drop_lease(id, worker, hashed)
  redis.call('ZREM', P .. ':leases', lease_of(id, hashed))
  redis.call('SREM', P .. ':proc:' .. worker, id)
  left_running(id)
end

-- Writes a task's final state (C, F or X) with its error or result: into the DLQ, the completed
-- set, or a cancelled task's expiry.
local function write_final(id, state, err, now, result)
  local key = tkey(id)
  if result then
    redis.call('HSET', key, F.state, state, F.finished, num(now), F.result, result)
  elseif err then
    redis.call('HSET', key, F.state, state, F.finished, num(now), F.error, err)
  else
    redis.call('HSET', key, F.state, state, F.finished, num(now))
  end
  if state == 'F' then
    redis.call('ZADD', P .. ':dlq', now, id)
  elseif state == 'C' then
    cfg('rate')
    if cfg_cache.keep_completed > 0 then
      done_args[#done_args + 1] = num(now); done_args[#done_args + 1] = id
    else
      redis.call('DEL', key)
    end
  else
    local keep = cfgnum('cancelled_ttl_ms')
    if keep > 0 then redis.call('PEXPIRE', key, keep) else redis.call('DEL', key) end
  end
  announce(state, id)
end

-- Why a parent that did not complete holds back a child: "<parent id> <F|X> <its error>", one
-- per line in the child's pf field (read by status and by a job whose policy is Ignore).
local function note_failed_parent(child, pid, pstate)
  local why = string.sub(redis.call('HGET', tkey(pid), F.error) or '', 1, 200)
  local key = tkey(child)
  local before = redis.call('HGET', key, F.failed_parents)
  local line = pid .. ' ' .. pstate .. ' ' .. string.gsub(why, '\n', ' ')
  redis.call('HSET', key, F.failed_parents, before and (before .. '\n' .. line) or line)
end

-- One parent of a waiting child will not be waited for any more (it completed, or the child
-- ignores its failure): the child is queued once none is left.
local function parent_settled(child, now)
  if redis.call('HINCRBY', tkey(child), F.waiting_on, -1) <= 0 then
    redis.call('HDEL', tkey(child), F.waiting_on)
    redis.call('SREM', P .. ':waiting', child)
    enqueue(child, now)
  end
end

-- Settles the children of a task that ended: a completed parent releases each child once all its
-- parents completed; a failed or cancelled one acts on each child by the child's policy (of):
-- fail (absent) or cancel ('c') it, transitively (an explicit stack, no recursion limit); count it
-- as ended and record why ('i', ignore); or, for a failure, keep the child waiting on it until it
-- is requeued from the DLQ and completes ('w', wait; a cancelled parent never runs again, so its
-- waiting children are cancelled). `gone` says the failed parent is being deleted from the DLQ:
-- nothing can requeue it any more, so children that waited on it fail.
local function settle_children(id, state, now, gone)
  local stack = { { id, state } }
  while #stack > 0 do
    local top = table.remove(stack)
    local pid, pstate = top[1], top[2]
    local chkey = P .. ':ch:' .. pid
    local children = redis.call('SMEMBERS', chkey)
    local still_waiting = {}
    for _, child in ipairs(children) do
      local ckey = tkey(child)
      local cf = redis.call('HMGET', ckey, F.state, F.on_parent_failure)
      local policy = cf[2]
      if cf[1] ~= 'W' then
        -- Ended already (cancelled while waiting): nothing to settle.
      elseif pstate == 'C' then
        parent_settled(child, now)
      elseif policy == 'i' then
        note_failed_parent(child, pid, pstate)
        parent_settled(child, now)
      elseif policy == 'w' and pstate == 'F' and not gone then
        still_waiting[#still_waiting + 1] = child
      else
        redis.call('SREM', P .. ':waiting', child)
        local cstate = (policy == 'c' or (policy == 'w' and pstate == 'X')) and 'X' or 'F'
        local why = gone and ' failed and was deleted from the dead-letter queue' or (pstate == 'X' and ' cancelled' or ' failed')
        write_final(child, cstate, 'parent ' .. pid .. why, now)
        if has_children(child) then stack[#stack + 1] = { child, cstate } end
      end
    end
    if #still_waiting == 0 then
      redis.call('DEL', chkey)
      redis.call('SREM', P .. ':parents', pid)
    elseif #still_waiting < #children then
      redis.call('DEL', chkey)
      redis.call('SADD', chkey, unpack(still_waiting))
    end
  end
end

-- Deletes dead letters for good (purge, or past the DLQ's retention), with their task hashes;
-- children still waiting on one of them fail. Returns how many.
local function drop_dead_letters(ids, now)
  for _, id in ipairs(ids) do
    if has_children(id) then settle_children(id, 'F', now, true) end
  end
  return drop_tasks(P .. ':dlq', ids)
end

-- Ends a task and settles its children; `hc` says whether it has any (nil: look it up).
local function finish(id, state, err, now, hc, result)
  write_final(id, state, err, now, result)
  if hc == nil then hc = has_children(id) end
  if hc then settle_children(id, state, now) end
end

-- A running task that lost its worker (lease expired, registration lapsed, worker left): back to
-- the head of its level, unless cancel was requested or it stalled more than the grid allows.
-- Returns the outcome ('P', 'F' or 'X'), or nil when `worker` no longer holds it.
local function stall(id, now, why, worker)
  local key = tkey(id)
  local f = redis.call('HMGET', key, F.worker, F.cancel_requested, F.state, F.token)
  if f[3] ~= 'R' or (worker and f[1] ~= worker) then return nil end
  drop_lease(id, f[1], f[4])
  if f[2] then finish(id, 'X', 'cancelled while its worker was lost', now); return 'X' end
  local stalls = redis.call('HINCRBY', key, F.stalls, 1)
  local limit = cfgnum('max_stalls')
  if stalls > limit then
    finish(id, 'F', string.format('stalled %d times (limit %d): %s', stalls, limit, why), now)
    return 'F'
  end
  -- Losing its worker is not a failure of the task: the claim is not charged to its attempts.
  redis.call('HINCRBY', key, F.uncharged, 1)
  requeue_front(id)
  return 'P'
end

-- Due delayed tasks enter their queues in due order, as if submitted when due.
local function promote_due(now, limit)
  local due = redis.call('ZRANGEBYSCORE', P .. ':delayed', '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
  if #due == 0 then return 0 end
  local ids = {}
  for i = 1, #due, 2 do ids[#ids + 1] = due[i] end
  redis.call('ZREM', P .. ':delayed', unpack(ids))
  for i = 1, #due, 2 do enqueue(due[i], tonumber(due[i + 1])) end
  return #ids
end
