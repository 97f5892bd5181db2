-- status.lua: one task as it is now, in one round trip.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = task id
-- Returns the task hash as a flat field/value list; an empty list when the task does not exist.
return redis.call('HGETALL', tkey(ARGV[1]))
