/**
 * A sliding-window limit per key (a person): at most `limit` events in any `windowMs`. In memory, per
 * process: with N replicas behind a load balancer a person gets at most N x limit, which is enough to
 * stop a runaway script or a stuck client without a database round trip on every message.
 */
export interface RateLimiter {
  /** Records an event for the key; false when it is over the limit (the event is not counted). */
  take(key: string, nowMs: number): boolean;
  /** Seconds until the key may send again (0 when it may now). */
  retryAfter(key: string, nowMs: number): number;
}

export function createRateLimiter(limit: number, windowMs = 60_000): RateLimiter {
  const events = new Map<string, number[]>();
  const prune = (key: string, now: number): number[] => {
    const kept = (events.get(key) ?? []).filter((t) => t > now - windowMs);
    if (kept.length) events.set(key, kept);
    else events.delete(key);
    return kept;
  };
  return {
    take(key, now) {
      if (limit <= 0) return true;
      const kept = prune(key, now);
      if (kept.length >= limit) return false;
      kept.push(now);
      events.set(key, kept);
      return true;
    },
    retryAfter(key, now) {
      const kept = prune(key, now);
      if (limit <= 0 || kept.length < limit) return 0;
      return Math.max(1, Math.ceil((kept[0] + windowMs - now) / 1000));
    },
  };
}
