-- submit.lua: creates a batch of tasks atomically; all or nothing.
-- KEYS[1] = grid prefix
-- ARGV[1] = now (ms), ARGV[2] = task count N, then per task 11 fields:
--   kind, payload, class, priority, delay ms, max attempts ('' = default), backoff ('' = default),
--   idempotency key (''), correlation id (''), parents (comma-separated ids, or '#i' for the i-th
--   task of this batch, 0-based; ''), on parent failure ('c' cancel, 'f' fail)
-- Returns {OK, id1, dup1, id2, dup2, ...} (dup = 1 when an idempotency key matched an earlier task)
--      or {code, index, detail} for the first invalid task, having written nothing.
local FIELDS = 11
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
if not cfg('aging_per_ms') then return { NOT_CONFIGURED, -1, P } end
local max_payload = cfgnum('max_payload_bytes')

local function field(i, f) return ARGV[2 + (i - 1) * FIELDS + f] end

-- Validation first, so a bad task leaves no partial batch behind.
local known_class = {}
for i = 1, count do
  local kind, payload, class = field(i, 1), field(i, 2), field(i, 3)
  if kind == '' or #kind > 64 then return { BAD_ARGUMENT, i - 1, 'kind must be 1..64 characters' } end
  if #payload > max_payload then
    return { PAYLOAD_TOO_LARGE, i - 1, string.format('payload is %d bytes, limit %d', #payload, max_payload) }
  end
  if not known_class[class] then
    if redis.call('SISMEMBER', P .. ':classes', class) == 0 then return { UNKNOWN_CLASS, i - 1, class } end
    known_class[class] = true
  end
  local parents = field(i, 10)
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
-- One INCRBY reserves ids for the whole batch (a duplicate leaves a harmless gap).
local next_seq = redis.call('INCRBY', P .. ':seq', count) - count
for i = 1, count do
  local kind, payload, class = field(i, 1), field(i, 2), field(i, 3)
  local pr, delay = tonumber(field(i, 4)), tonumber(field(i, 5))
  local ma, bo, ik, cid = field(i, 6), field(i, 7), field(i, 8), field(i, 9)
  local parents, of = field(i, 10), field(i, 11)
  local existing = ik ~= '' and redis.call('GET', P .. ':idem:' .. ik)
  if existing then
    ids[i] = existing
    out[#out + 1] = existing; out[#out + 1] = 1
  else
    next_seq = next_seq + 1
    local id = format_id(next_seq)
    ids[i] = id
    local key = tkey(id)
    local h = { 'k', kind, 'p', payload, 'c', class, 's', now }
    if pr ~= 0 then h[#h + 1] = 'pr'; h[#h + 1] = pr end
    if ma ~= '' then h[#h + 1] = 'ma'; h[#h + 1] = ma end
    if bo ~= '' then h[#h + 1] = 'bo'; h[#h + 1] = bo end
    if cid ~= '' then h[#h + 1] = 'cid'; h[#h + 1] = cid end
    if of == 'c' then h[#h + 1] = 'of'; h[#h + 1] = 'c' end
    -- The common case, no parents and no delay, is one HSET and one ZADD.
    local plain = parents == '' and delay == 0
    if plain then
      h[#h + 1] = 'st'; h[#h + 1] = 'P'; h[#h + 1] = 'e'; h[#h + 1] = now
    end
    redis.call('HSET', key, unpack(h))
    if ik ~= '' then redis.call('SET', P .. ':idem:' .. ik, id, 'PX', cfg('idempotency_ttl_ms')) end

    -- Parents: completed ones are satisfied; a failed or cancelled one ends the child at once.
    local waiting_on, doomed = 0, nil
    if parents ~= '' then
      for ref in string.gmatch(parents, '[^,]+') do
        local local_index = string.match(ref, '^#(%d+)$')
        local pid = local_index and ids[tonumber(local_index) + 1] or ref
        local pst = redis.call('HGET', tkey(pid), 'st')
        if pst == 'F' or pst == 'X' then
          doomed = doomed or { pid, pst }
        elseif pst ~= 'C' and pst then
          redis.call('SADD', P .. ':ch:' .. pid, id)
          redis.call('HSET', tkey(pid), 'hc', 1)
          waiting_on = waiting_on + 1
        end
      end
    end
    if plain then
      redis.call('ZADD', qkey(class), score(pr, now), id)
    elseif doomed then
      -- Remove any child links just made, then end it the way its policy says.
      for ref in string.gmatch(parents, '[^,]+') do
        local local_index = string.match(ref, '^#(%d+)$')
        redis.call('SREM', P .. ':ch:' .. (local_index and ids[tonumber(local_index) + 1] or ref), id)
      end
      finish(id, of == 'c' and 'X' or 'F',
        'parent ' .. doomed[1] .. (doomed[2] == 'X' and ' cancelled' or ' failed'), now)
    elseif waiting_on > 0 then
      redis.call('HSET', key, 'st', 'W', 'np', waiting_on, 'e', now)
      redis.call('SADD', P .. ':waiting', id)
    elseif delay > 0 then
      redis.call('HSET', key, 'st', 'D', 'e', now + delay)
      redis.call('ZADD', P .. ':delayed', now + delay, id)
    else
      enqueue(id, class, pr, now)
    end
    out[#out + 1] = id; out[#out + 1] = 0
  end
end
flush()
return out
