-- overview.lua: what dashboards show beyond the counts, in one round trip: the oldest pending
-- task of each class, what each submitter has queued there (fair share's turns), and every live
-- worker with its profile.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms)
-- Returns {n classes, then per class: name, eligible time of its oldest pending task (ms, -1 when
-- none), s submitters with pending tasks, then s (name, queue entries) pairs ('' = none given);
-- m live workers, then per worker: id, registration expiry (ms), k, then k field/value pairs}.
-- The oldest task is the earliest head among the class's priority levels and submitters; a task cancelled while
-- pending can linger at a head until a claim skips it, so the age is an upper bound, and a
-- submitter's count includes such entries.
local now = tonumber(ARGV[1])
local classes = redis.call('SMEMBERS', P .. ':classes')
table.sort(classes)
local out = { #classes }
for _, c in ipairs(classes) do
  local oldest = -1
  local queued, subs = {}, {}
  for _, pr in ipairs(redis.call('ZRANGE', P .. ':lv:' .. c, 0, -1)) do
    for _, sub in ipairs(redis.call('LRANGE', ring_of(c, pr), 0, -1)) do
      local list = level_list(c, pr, sub)
      local head = redis.call('LINDEX', list, 0)
      if head then
        local f = redis.call('HMGET', tkey(string.sub(head, 1, ID_LENGTH)), F.eligible, F.submitted)
        local e = tonumber(f[1] or f[2])
        if e and (oldest < 0 or e < oldest) then oldest = e end
        if not queued[sub] then subs[#subs + 1] = sub; queued[sub] = 0 end
        queued[sub] = queued[sub] + redis.call('LLEN', list)
      end
    end
  end
  out[#out + 1] = c
  out[#out + 1] = oldest
  out[#out + 1] = #subs
  for _, sub in ipairs(subs) do
    out[#out + 1] = sub == '0' and '' or (redis.call('HGET', P .. ':subn', sub) or sub)
    out[#out + 1] = queued[sub]
  end
end
local workers = redis.call('ZRANGEBYSCORE', P .. ':workers', '(' .. now, '+inf', 'WITHSCORES')
out[#out + 1] = #workers / 2
for i = 1, #workers, 2 do
  local profile = redis.call('HGETALL', P .. ':w:' .. workers[i])
  out[#out + 1] = workers[i]
  out[#out + 1] = tonumber(workers[i + 1])
  out[#out + 1] = #profile / 2
  for _, v in ipairs(profile) do out[#out + 1] = v end
end
return out
