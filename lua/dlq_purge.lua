-- dlq_purge.lua: deletes failed tasks for good, oldest first, bounded per call; children still
-- waiting on one of them (policy Wait) fail, since nothing can requeue it any more.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), ARGV[2] = highest failure time to delete, as a ZRANGEBYSCORE bound
-- ('(<ms>' or '+inf'), ARGV[3] = most tasks to delete
-- Returns the number deleted.
local ids = redis.call('ZRANGEBYSCORE', P .. ':dlq', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local deleted = drop_dead_letters(ids, tonumber(ARGV[1]))
flush()
return deleted
