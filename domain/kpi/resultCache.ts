/**
 * KPI results kept while the data they were computed from is unchanged. The version is a number the
 * database moves with every committed change to the tables the KPIs read, whichever process or replica
 * makes it (migration 004, data/kpiDataVersion.ts). Each lookup reads it first and computes after, so
 * a result is never older than the version it is filed under: when a change commits, the next lookup
 * sees a higher version, drops every entry and computes again. Concurrent lookups of one key share one
 * computation. A version lower than the one in hand (a lookup that read it before another did) neither
 * reads nor fills the cache. Results are shared between callers: they are frozen.
 */
export interface ResultCache {
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /**
   * Whether a result is kept under `key` for the version last read: a hint for choosing how to
   * compute (the version may have moved since; `get` decides).
   */
  has(key: string): boolean;
}

export function createResultCache(version: () => Promise<number>, maxEntries = 1_000): ResultCache {
  let current = -1;
  const entries = new Map<string, Promise<unknown>>();
  return {
    has: (key) => entries.has(key),
    async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const v = await version();
      if (v < current) return compute();
      if (v > current) {
        entries.clear();
        current = v;
      }
      const hit = entries.get(key);
      if (hit) {
        // Most recently used last: the first key is the one to evict.
        entries.delete(key);
        entries.set(key, hit);
        return hit as Promise<T>;
      }
      const p = compute().then(deepFreeze);
      entries.set(key, p);
      p.catch(() => entries.get(key) === p && entries.delete(key));
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return p;
    },
  };
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
