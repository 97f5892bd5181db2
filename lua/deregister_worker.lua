-- deregister_worker.lua: a worker leaving cleanly. Tasks still in its processing set stall (as
-- if it had died), so nothing it held is lost even if it could not hand them back.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), ARGV[2] = worker id
-- Returns the number of tasks it still held.
local now, worker = tonumber(ARGV[1]), ARGV[2]
local proc = P .. ':proc:' .. worker
local held = 0
for _, id in ipairs(redis.call('SMEMBERS', proc)) do
  if stall(id, now, 'worker ' .. worker .. ' left without finishing it', worker) then held = held + 1 end
end
redis.call('DEL', proc, P .. ':w:' .. worker)
redis.call('ZREM', P .. ':workers', worker)
flush()
return held
