-- status.lua: one task as it is now, in one round trip.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = task id
-- Returns the task hash as a flat field/value list, and the submitter's name as the pair
-- ('_u', name) when it has one; an empty list when the task does not exist.
local h = redis.call('HGETALL', tkey(ARGV[1]))
for i = 1, #h, 2 do
  if h[i] == F.submitter then
    h[#h + 1] = '_u'
    h[#h + 1] = redis.call('HGET', P .. ':subn', h[i + 1]) or ''
    break
  end
end
return h
