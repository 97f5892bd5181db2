-- dlq_purge.lua: deletes failed tasks for good, oldest first, bounded per call.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = highest failure time to delete, as a ZRANGEBYSCORE bound ('(<ms>' or '+inf'),
-- ARGV[2] = most tasks to delete
-- Returns the number deleted.
local ids = redis.call('ZRANGEBYSCORE', P .. ':dlq', '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  redis.call('DEL', tkey(id))
  redis.call('ZREM', P .. ':dlq', id)
end
return #ids
