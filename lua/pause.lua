-- pause.lua: pauses or resumes hardware classes. Claims skip a paused class: its tasks stay
-- pending, in their order, and keep aging; tasks already running finish. Resuming wakes idle
-- workers, so the class's tasks start at once.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), ARGV[2] = '1' to pause, '0' to resume, ARGV[3..] = classes
-- Returns {OK} having paused or resumed every class, or {UNKNOWN_CLASS, class} having changed nothing.
local now, pause = ARGV[1], ARGV[2] == '1'
for i = 3, #ARGV do
  if redis.call('SISMEMBER', P .. ':classes', ARGV[i]) == 0 then return { UNKNOWN_CLASS, ARGV[i] } end
end
for i = 3, #ARGV do
  if pause then
    redis.call('HSETNX', P .. ':paused', ARGV[i], now)
  else
    redis.call('HDEL', P .. ':paused', ARGV[i])
  end
end
if not pause then redis.call('PUBLISH', P .. ':wake', '1') end
return { OK }
