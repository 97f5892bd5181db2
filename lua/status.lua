-- status.lua: one task as it is now, in one round trip.
-- KEYS[1] = grid prefix
-- ARGV[1] = task id
-- Returns {the task hash as a flat field/value list, then its fencing token while it runs, else
-- ''}; an empty list when the task does not exist.
local fields = redis.call('HGETALL', tkey(ARGV[1]))
if #fields == 0 then return fields end
fields[#fields + 1] = redis.call('HGET', P .. ':run', ARGV[1]) or ''
return fields
