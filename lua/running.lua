-- running.lua: the tasks running now, the soonest lease deadline first, with what an operator and
-- the dashboard show (attempts are recorded in Postgres when they end, so this is the in-flight view).
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = most tasks to return
-- Returns {total, then 8 entries per task: id, kind, class, worker, attempt, claimed at (ms),
-- lease deadline (ms), progress ("fraction|message", '' when none reported)}. Never the fencing
-- token: it is the claimant's secret.
local leases = redis.call('ZRANGE', P .. ':leases', 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
local out = { redis.call('ZCARD', P .. ':leases') }
for i = 1, #leases, 2 do
  local id = string.sub(leases[i], 1, ID_LENGTH)
  local f = redis.call('HMGET', tkey(id), F.body, F.class, F.worker, F.attempts, F.claimed, F.progress)
  out[#out + 1] = id; out[#out + 1] = string.match(f[1] or '', '^[^\n]*'); out[#out + 1] = f[2] or ''
  out[#out + 1] = f[3] or ''; out[#out + 1] = tonumber(f[4]) or 0; out[#out + 1] = tonumber(f[5]) or 0
  out[#out + 1] = tonumber(leases[i + 1]); out[#out + 1] = f[6] or ''
end
return out
