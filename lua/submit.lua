-- submit.lua: creates a batch of tasks atomically; all or nothing.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), ARGV[2] = task count N, then per task 12 fields:
--   id (issued by the client, TaskIds.cs), body ("<kind>\n<correlation id>\n<payload>"), class, priority, delay ms, max attempts
--   ('' = default), backoff ('' = default), idempotency key (''), parents (comma-separated ids, or
--   '#i' for the i-th task of this batch, 0-based; ''), on parent failure ('f' fail, 'c' cancel,
--   'i' ignore, 'w' wait for a requeue; see settle_children in common.lua),
--   and what a duplicate of the key does ('' the first task wins, 'e' it also restarts the key's
--   window, 'r' it also replaces the first task's body while that has not started, 'k' the same,
--   but once the first has started it becomes a new task the key then names: at most one running
--   and one waiting per key), and the submitter ('' none; fair share, see common.lua)
-- Returns {OK, id1, dup1, id2, dup2, ...} (dup = 1 when an idempotency key matched an earlier task,
--      2 when it also replaced that task's body) or {code, index, detail} for the first invalid
--      task, having written nothing.
local FIELDS = 12
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
if not cfg('aging_per_ms') then return { NOT_CONFIGURED, -1, P } end
local max_payload = cfgnum('max_payload_bytes')

-- Validation first, so a bad task leaves no partial batch behind.
local known_class = {}
for i = 1, count do
  local at = 2 + (i - 1) * FIELDS
  local body, class, parents = ARGV[at + 2], ARGV[at + 3], ARGV[at + 9]
  if #ARGV[at + 1] ~= ID_LENGTH then
    return { BAD_ARGUMENT, i - 1, 'task id must be ' .. ID_LENGTH .. ' characters' }
  end
  local kind_end = string.find(body, '\n', 1, true)
  local cid_end = kind_end and string.find(body, '\n', kind_end + 1, true)
  if not cid_end or kind_end == 1 or kind_end > 65 then
    return { BAD_ARGUMENT, i - 1, 'body must be "<kind>\\n<correlation id>\\n<payload>" with a kind of 1..64 characters' }
  end
  local payload_bytes = #body - cid_end
  if payload_bytes > max_payload then
    return { PAYLOAD_TOO_LARGE, i - 1, string.format('payload is %d bytes, limit %d', payload_bytes, max_payload) }
  end
  if #ARGV[at + 12] > 128 then return { BAD_ARGUMENT, i - 1, 'submitter must be at most 128 bytes' } end
  if not known_class[class] then
    if redis.call('SISMEMBER', P .. ':classes', class) == 0 then return { UNKNOWN_CLASS, i - 1, class } end
    known_class[class] = true
  end
  if parents ~= '' then
    for ref in string.gmatch(parents, '[^,]+') do
      local local_index = string.match(ref, '^#(%d+)$')
      if local_index then
        if tonumber(local_index) >= i - 1 then
          return { BAD_ARGUMENT, i - 1, 'parent ' .. ref .. ' must be an earlier task of the batch' }
        end
      elseif redis.call('EXISTS', tkey(ref)) == 0 then
        return { PARENT_NOT_FOUND, i - 1, ref }
      end
    end
  end
end

local out = { OK }
local ids = {}
-- A new task's attempts as its entry writes them: none yet, under the serving incarnation.
local fresh = '0:' .. queued_incarnation()
-- Each submitter's number (P:subs), issued on its first task.
local numbers = { [''] = '0' }
local function submitter_number(name)
  local n = numbers[name] or redis.call('HGET', P .. ':subs', name)
  if not n then
    n = tostring(redis.call('HLEN', P .. ':subn') + 1)
    redis.call('HSET', P .. ':subs', name, n)
    redis.call('HSET', P .. ':subn', n, name)
  end
  numbers[name] = n
  return n
end

-- Plain tasks (no parents, no delay) of one class, priority and submitter go to their level in one RPUSH.
local runs, run_class, run_pr, run_sub = {}, nil, nil, nil
local function flush_run()
  if #runs > 0 then push_back(run_class, run_pr, run_sub, now, runs) end
  runs = {}
end

for i = 1, count do
  local at = 2 + (i - 1) * FIELDS
  local body, class = ARGV[at + 2], ARGV[at + 3]
  local pr, delay = tonumber(ARGV[at + 4]), tonumber(ARGV[at + 5])
  local ma, bo, ik = ARGV[at + 6], ARGV[at + 7], ARGV[at + 8]
  local parents, of, dedup = ARGV[at + 9], ARGV[at + 10], ARGV[at + 11]
  local sub = submitter_number(ARGV[at + 12])
  local existing = ik ~= '' and redis.call('GET', P .. ':idem:' .. ik)
  local existing_state = existing and (dedup == 'r' or dedup == 'k') and redis.call('HGET', tkey(existing), F.state)
  local not_started = existing_state == 'P' or existing_state == 'D' or existing_state == 'W'
  if existing and dedup == 'k' and not not_started then existing = nil end
  if existing then
    ids[i] = existing
    local dup = 1
    if dedup == 'e' then redis.call('PEXPIRE', P .. ':idem:' .. ik, cfg('idempotency_ttl_ms')) end
    if not_started then
      -- Not started: the body is replaced (class and priority stay), and its claim reads the new one.
      redis.call('HSET', tkey(existing), F.body, body)
      redis.call('SADD', P .. ':replaced', existing)
      dup = 2
    end
    out[#out + 1] = existing; out[#out + 1] = dup
  else
    local id = ARGV[at + 1]
    ids[i] = id
    local key = tkey(id)
    local plain = parents == '' and delay == 0
    if plain and pr == 0 and ma == '' and bo == '' and sub == '0' then
      redis.call('HSET', key, F.body, body, F.class, class, F.submitted, num(now), F.state, 'P')
    else
      local h = { F.body, body, F.class, class, F.submitted, num(now), F.state, plain and 'P' or 'W' }
      if sub ~= '0' then h[#h + 1] = F.submitter; h[#h + 1] = sub end
      if pr ~= 0 then h[#h + 1] = F.priority; h[#h + 1] = pr end
      if ma ~= '' then h[#h + 1] = F.max_attempts; h[#h + 1] = ma end
      if bo ~= '' then h[#h + 1] = F.backoff; h[#h + 1] = bo end
      if of ~= 'f' then h[#h + 1] = F.on_parent_failure; h[#h + 1] = of end
      redis.call('HSET', key, unpack(h))
    end
    if ik ~= '' then redis.call('SET', P .. ':idem:' .. ik, id, 'PX', cfg('idempotency_ttl_ms')) end

    if plain then
      if class ~= run_class or pr ~= run_pr or sub ~= run_sub then flush_run(); run_class, run_pr, run_sub = class, pr, sub end
      runs[#runs + 1] = queue_entry(id, fresh, body)
    else
      -- Parents: completed ones are satisfied; a failed or cancelled one ends the child at once.
      local waiting_on, doomed, resolved = 0, nil, {}
      for ref in string.gmatch(parents, '[^,]+') do
        local local_index = string.match(ref, '^#(%d+)$')
        local pid = local_index and ids[tonumber(local_index) + 1] or ref
        resolved[#resolved + 1] = pid
        local pst = redis.call('HGET', tkey(pid), F.state)
        local ended_badly = pst == 'F' or pst == 'X'
        if ended_badly and of == 'i' then
          note_failed_parent(id, pid, pst)
        elseif ended_badly and not (of == 'w' and pst == 'F') then
          doomed = doomed or { pid, pst }
        elseif pst ~= 'C' and pst then
          -- Running or yet to run, or (policy Wait) failed and waiting to be requeued.
          redis.call('SADD', P .. ':ch:' .. pid, id)
          redis.call('SADD', P .. ':parents', pid)
          waiting_on = waiting_on + 1
        end
      end
      if #resolved > 0 then redis.call('HSET', key, F.parents, table.concat(resolved, ',')) end
      if doomed then
        for ref in string.gmatch(parents, '[^,]+') do
          local local_index = string.match(ref, '^#(%d+)$')
          redis.call('SREM', P .. ':ch:' .. (local_index and ids[tonumber(local_index) + 1] or ref), id)
        end
        finish(id, (of == 'c' or of == 'w') and 'X' or 'F',
          'parent ' .. doomed[1] .. (doomed[2] == 'X' and ' cancelled' or ' failed'), now, false)
      elseif waiting_on > 0 then
        redis.call('HSET', key, F.waiting_on, waiting_on)
        redis.call('SADD', P .. ':waiting', id)
      elseif delay > 0 then
        redis.call('HSET', key, F.state, 'D', F.eligible, now + delay)
        delay_task(id, now + delay)
      else
        flush_run()
        enqueue(id, now)
      end
    end
    out[#out + 1] = id; out[#out + 1] = 0
  end
end
flush_run()
flush()
return out
