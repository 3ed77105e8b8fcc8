/**
 * A token bucket in one atomic Redis script, run by RateLimiterRedis in place of its fixed-window
 * counter (its `customIncrTtlLuaScript` option). The bucket holds up to `points` (RATE_LIMIT_BURST)
 * tokens and refills continuously at RATE_LIMIT_PER_SECOND; a request takes one token.
 *
 * Why not the library's own constructs: its limiters count fixed windows, so `points: burst,
 * duration: burst / rate` lets 2 × burst through across a window edge, and BurstyRateLimiter (a
 * second, longer window) raises the sustained rate above the configured one. A bucket gives exactly
 * "100 per second, bursts of 200".
 *
 * The script answers in the library's contract, `{consumed, ttl_ms}`, which it turns into a
 * RateLimiterRes and rejects when consumed > points:
 * - allowed: consumed = burst − ⌊tokens left⌋ (≤ burst), ttl = ms until the bucket is full again;
 * - refused: consumed = burst + cost (> burst), ttl = ms until enough tokens are back (Retry-After).
 * A refusal takes no token, so a client hammering while limited is not pushed further back.
 *
 * Time is Redis' own (TIME), so gateway replicas with skewed clocks share one bucket correctly.
 * KEYS[1] is a hash {tokens, at}; ARGV[1] the cost and ARGV[3] the capacity (from the library).
 */
export function tokenBucketScript(ratePerSecond: number): string {
  if (!(ratePerSecond > 0)) throw new RangeError('the refill rate must be positive');
  return `
local cost = tonumber(ARGV[1])
local burst = tonumber(ARGV[3])
local rate_per_ms = ${ratePerSecond / 1000}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate_per_ms)
  at = now
end
if tokens < cost then
  return {burst + cost, math.ceil((cost - tokens) / rate_per_ms)}
end
tokens = tokens - cost
local full_in_ms = math.max(1, math.ceil((burst - tokens) / rate_per_ms))
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], full_in_ms)
return {burst - math.floor(tokens), full_in_ms}
`;
}
