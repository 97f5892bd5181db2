-- deregister_worker.lua: a worker leaving cleanly. Tasks still on its processing list stall (as
-- if it had died), so nothing it held is lost even if it could not hand them back.
-- KEYS[1] = grid prefix
-- ARGV[1] = now (ms), ARGV[2] = worker id
-- Returns the number of tasks it still held.
local now, worker = tonumber(ARGV[1]), ARGV[2]
local proc = P .. ':proc:' .. worker
local held = redis.call('LRANGE', proc, 0, -1)
for _, id in ipairs(held) do stall(id, now, 'worker ' .. worker .. ' left without finishing it') end
redis.call('DEL', proc, P .. ':w:' .. worker)
redis.call('ZREM', P .. ':workers', worker)
flush()
return #held
