/**
 * Token buckets per key, in process: each device may send `perMinute` events a minute
 * with bursts up to the same number. Several nodes each allow that much; the point is to
 * stop a runaway script, not to meter fairly.
 */
export function createRateLimiter(perMinute: number, maxKeys = 200_000) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;

  return {
    /** Takes `cost` tokens; answers 0 when allowed, else the seconds to wait. */
    take(key: string, cost: number, now = Date.now()): number {
      const bucket = buckets.get(key) ?? { tokens: perMinute, at: now };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
      bucket.at = now;
      if (buckets.size >= maxKeys && !buckets.has(key)) buckets.delete(buckets.keys().next().value!);
      buckets.set(key, bucket);
      if (bucket.tokens < cost) return Math.max(1, Math.ceil((cost - bucket.tokens) / refillPerMs / 1000));
      bucket.tokens -= cost;
      return 0;
    },
  };
}
