-- register_worker.lua: records a worker's profile with a registration that expires unless the
-- worker's heartbeats renew it; recover.lua reclaims the tasks of a worker whose registration
-- expired.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), ARGV[2] = worker id, ARGV[3] = registration ttl (ms), then profile
-- (field, value) pairs
-- Returns OK.
local now, worker, ttl = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local key = P .. ':w:' .. worker
redis.call('DEL', key)
local profile = { 'registered', now }
for i = 4, #ARGV do profile[#profile + 1] = ARGV[i] end
redis.call('HSET', key, unpack(profile))
redis.call('PEXPIRE', key, ttl)
redis.call('ZADD', P .. ':workers', now + ttl, worker)
return OK
