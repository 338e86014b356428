/**
 * The Redis store's server-side scripts. Each runs atomically in Redis, so a read resolves the
 * served generation and the profile in one step, and an incremental load is applied in one step
 * (readers see it all or none of it). Keys are derived from `prefix` inside the scripts: the
 * store targets a single Redis server (not Redis Cluster).
 */

/**
 * The profile API's read, one round trip: 'overlay' when one of the live overlay keys ARGV[5..]
 * exists, or ARGV[4] .. the profile id found (ARGV[4] empty: none); else the profile id and its
 * record JSON, or nil. KEYS[1] = `<prefix>:gen`; ARGV = prefix, 'i' | 'p', `type:value` |
 * profileId, owner guard prefix, guard keys.
 */
export const ANSWER_SCRIPT = `
for i = 5, #ARGV do
  if redis.call('EXISTS', ARGV[i]) == 1 then return 'overlay' end
end
local gen = redis.call('GET', KEYS[1])
if not gen then return false end
local id = ARGV[3]
if ARGV[2] == 'i' then
  id = redis.call('HGET', ARGV[1] .. ':' .. gen .. ':i', ARGV[3])
  if not id then return false end
end
local record = redis.call('HGET', ARGV[1] .. ':' .. gen .. ':p', id)
if not record then return false end
if ARGV[4] ~= '' and redis.call('EXISTS', ARGV[4] .. id) == 1 then return 'overlay' end
return {id, record}
`;

/**
 * Applies the staged hash `<prefix>:stage` (fields `d:<id>` removals, `p:<id>` → record JSON)
 * to the served generation: removals first, then puts, so an identifier that moved between two
 * profiles in this load ends with its new profile. KEYS[1] = `<prefix>:gen`;
 * ARGV = prefix, expected generation, new token, lock owner.
 */
export const APPLY_SCRIPT = `
local prefix = ARGV[1]
local gen = redis.call('GET', KEYS[1])
if gen ~= ARGV[2] then return redis.error_reply('STALE the served generation changed during the load') end
if redis.call('GET', prefix .. ':lock') ~= ARGV[4] then return redis.error_reply('LOCK the load lock was lost') end
local profiles = prefix .. ':' .. gen .. ':p'
local index = prefix .. ':' .. gen .. ':i'
local count = 0
local function drop(pid, keep)
  local old = redis.call('HGET', profiles, pid)
  if not old then return false end
  for _, ident in ipairs(cjson.decode(old).identifiers) do
    local k = ident.type .. ':' .. ident.value
    if not keep[k] and redis.call('HGET', index, k) == pid then redis.call('HDEL', index, k) end
  end
  return true
end
local fields = redis.call('HGETALL', prefix .. ':stage')
for i = 1, #fields, 2 do
  local f = fields[i]
  if string.sub(f, 1, 2) == 'd:' then
    local pid = string.sub(f, 3)
    if drop(pid, {}) then count = count - 1 end
    redis.call('HDEL', profiles, pid)
  end
end
for i = 1, #fields, 2 do
  local f = fields[i]
  if string.sub(f, 1, 2) == 'p:' then
    local pid = string.sub(f, 3)
    local idents = cjson.decode(fields[i + 1]).identifiers
    local keep = {}
    for _, ident in ipairs(idents) do keep[ident.type .. ':' .. ident.value] = true end
    if not drop(pid, keep) then count = count + 1 end
    redis.call('HSET', profiles, pid, fields[i + 1])
    for _, ident in ipairs(idents) do redis.call('HSET', index, ident.type .. ':' .. ident.value, pid) end
  end
end
redis.call('UNLINK', prefix .. ':stage')
redis.call('INCRBY', prefix .. ':count', count)
redis.call('SET', prefix .. ':token', ARGV[3])
redis.call('DEL', prefix .. ':lock')
return count
`;

/**
 * Switches to a fully written generation and drops the one it replaces, in one step: a load
 * killed right after its switch leaves no old generation behind. UNLINK frees the old hashes in
 * the background. KEYS[1] = `<prefix>:gen`; ARGV = prefix, new generation, new token, lock
 * owner, profile count.
 */
export const SWITCH_SCRIPT = `
local prefix = ARGV[1]
if redis.call('GET', prefix .. ':lock') ~= ARGV[4] then return redis.error_reply('LOCK the load lock was lost') end
local old = redis.call('GET', KEYS[1])
if old and old ~= ARGV[2] then redis.call('UNLINK', prefix .. ':' .. old .. ':p', prefix .. ':' .. old .. ':i') end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', prefix .. ':token', ARGV[3])
redis.call('SET', prefix .. ':count', ARGV[5])
redis.call('DEL', prefix .. ':writing')
redis.call('DEL', prefix .. ':lock')
return 1
`;

/**
 * Starts a load: takes the load lock, removes what a dead load left (the generation it was
 * writing unless it is served, the staged changes), and for a full load picks a generation
 * number never used before. One step, so nothing another load does falls in between.
 * KEYS[1] = `<prefix>:lock`; ARGV = prefix, lock owner, lock ms, 'full' | 'incremental'.
 * Returns the served generation and the one the load writes ('' for none).
 */
export const BEGIN_SCRIPT = `
local prefix = ARGV[1]
if not redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'NX') then
  return redis.error_reply('BUSY another load is writing the serving store')
end
local current = redis.call('GET', prefix .. ':gen')
local abandoned = redis.call('GET', prefix .. ':writing')
if abandoned and abandoned ~= current then
  redis.call('UNLINK', prefix .. ':' .. abandoned .. ':p', prefix .. ':' .. abandoned .. ':i')
end
redis.call('DEL', prefix .. ':writing')
redis.call('UNLINK', prefix .. ':stage')
if ARGV[4] ~= 'full' then
  if not current then
    redis.call('DEL', KEYS[1])
    return redis.error_reply('EMPTY an incremental load needs a loaded store')
  end
  return {current, current}
end
local gen = redis.call('INCR', prefix .. ':nextgen')
if current and gen <= tonumber(current) then
  gen = tonumber(current) + 1
  redis.call('SET', prefix .. ':nextgen', gen)
end
gen = tostring(gen)
redis.call('UNLINK', prefix .. ':' .. gen .. ':p', prefix .. ':' .. gen .. ':i')
redis.call('SET', prefix .. ':writing', gen)
return {current or '', gen}
`;

/**
 * A load's write, fenced by its lock: applied (and the lock's expiry pushed back) only while the
 * load still holds the lock. A load whose lock expired and was taken over can then never write
 * into the staging or the generation of the load that took over, nor recreate keys that load
 * removed. KEYS[1] = `<prefix>:lock`, KEYS[2] = the hash written; ARGV = lock owner, lock ms,
 * then field, value pairs.
 */
export const WRITE_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('LOCK the load lock was lost: the load took too long') end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
-- HSET in slices: Lua's unpack has a bounded stack
for i = 3, #ARGV, 1000 do
  redis.call('HSET', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return 1
`;

/**
 * Drops a load's own staged data and releases its lock, only while it still holds the lock: a
 * load whose lock was taken over removes nothing (the load that took over removed its leftovers
 * when it began, and the staging now is that load's). KEYS[1] = `<prefix>:lock`;
 * ARGV = prefix, lock owner, the generation the load was writing ('' for none).
 */
export const ABORT_SCRIPT = `
local prefix = ARGV[1]
if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
if ARGV[3] ~= '' then
  redis.call('UNLINK', prefix .. ':' .. ARGV[3] .. ':p', prefix .. ':' .. ARGV[3] .. ':i')
  redis.call('DEL', prefix .. ':writing')
end
redis.call('UNLINK', prefix .. ':stage')
redis.call('DEL', KEYS[1])
return 1
`;
