// One round trip appends one or more entries, publishes each, and sets expiry, atomically, so
// a subscriber can never see a live entry that the stream does not hold. After a final event
// the log is closed: later appends (a cancelled job's last chunk in flight) are refused. An
// attempt's appends (ARGV[6] > 0) are fenced: the highest attempt that wrote is kept (KEYS[3]),
// and an earlier attempt still running (its job was lost and run again) is refused with -1, so
// two attempts never interleave in one log. An append that continues a log (ARGV[5] = '1') is
// refused with 0 when the log is gone: Redis lost it (a restart without persistence, a
// failover), and appending would leave a log without its start that a follower would take for
// the whole answer. Its first XADD is NOMKSTREAM, which is that check: nothing is written
// before it. Expiry is set where it changes: a new log or attempt (the idle TTL), a final
// event (the TTL, for the three keys), and a continuing append only when its writer asks
// (ARGV[7] = '1': it last set the expiry a while ago), so a busy log costs no EXPIRE per append.
// ARGV: channel, maxLength, ttlSeconds, idleTtlSeconds, continuing, attempt, refresh expiry,
// then per entry: final flag, payload.
export const appendEventsScript = `
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
local attempt = tonumber(ARGV[6])
local claim = false
if attempt > 0 then
  local owner = tonumber(redis.call('GET', KEYS[3]) or '0')
  if owner > attempt then return -1 end
  claim = owner < attempt
end
local continuing = ARGV[5] == '1'
local ids = {}
local final = false
for i = 8, #ARGV, 2 do
  local id
  if continuing and i == 8 then
    id = redis.call('XADD', KEYS[1], 'NOMKSTREAM', 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[i + 1])
    if not id then return 0 end
  else
    id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[i + 1])
  end
  redis.call('PUBLISH', ARGV[1], id .. ' ' .. ARGV[i + 1])
  ids[#ids + 1] = id
  if ARGV[i] == '1' then final = true break end
end
if final then
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('EXPIRE', KEYS[3], ARGV[3])
elseif claim then
  redis.call('SET', KEYS[3], ARGV[6], 'EX', ARGV[4])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
elseif not continuing or ARGV[7] == '1' then
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  if attempt > 0 then redis.call('EXPIRE', KEYS[3], ARGV[4]) end
end
return ids
`;

/** The append script, defined on the connection so ioredis sends it by SHA (EVALSHA). */
export interface AppendEventsCommand {
  llmqAppendEvents(
    streamKey: string,
    endKey: string,
    attemptKey: string,
    ...args: string[]
  ): Promise<string[] | null | 0 | -1>;
}
