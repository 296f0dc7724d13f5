import { createResultCache } from '../../domain/kpi/resultCache';

/** The KPI result cache on its own: a version it is told, computations it counts. */
describe('KPI result cache', () => {
  function setup(start = 1) {
    let version = start;
    let computed = 0;
    const cache = createResultCache(async () => version);
    const get = (key: string) => cache.get(key, async () => ({ key, n: ++computed }));
    return { get, setVersion: (v: number) => (version = v), computed: () => computed };
  }

  it('computes a key once per version of the data', async () => {
    const c = setup();
    expect(await c.get('a')).toEqual({ key: 'a', n: 1 });
    expect(await c.get('a')).toEqual({ key: 'a', n: 1 });
    expect(await c.get('b')).toEqual({ key: 'b', n: 2 });
    c.setVersion(2);
    expect(await c.get('a')).toEqual({ key: 'a', n: 3 });
    expect(await c.get('b')).toEqual({ key: 'b', n: 4 });
    expect(c.computed()).toBe(4);
  });

  it('shares one computation between concurrent lookups of a key', async () => {
    const c = setup();
    const all = await Promise.all([c.get('a'), c.get('a'), c.get('a')]);
    expect(all.map((r) => r.n)).toEqual([1, 1, 1]);
    expect(c.computed()).toBe(1);
  });

  it('a lookup that read an older version computes for itself and leaves the newer entries alone', async () => {
    const c = setup(5);
    await c.get('a'); // version 5, n 1
    c.setVersion(4);
    expect((await c.get('a')).n).toBe(2);
    c.setVersion(5);
    expect((await c.get('a')).n).toBe(1);
  });

  it('does not keep failures', async () => {
    const cache = createResultCache(async () => 1);
    let calls = 0;
    const flaky = () => cache.get('k', async () => {
      if (++calls === 1) throw new Error('database unavailable');
      return { ok: true };
    });
    await expect(flaky()).rejects.toThrow('database unavailable');
    expect(await flaky()).toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it('hands out frozen results, so one caller cannot change another one\'s figures', async () => {
    const cache = createResultCache(async () => 1);
    const r = await cache.get('k', async () => ({ metrics: { on_time_rate: 0.9 } }));
    expect(Object.isFrozen(r.metrics)).toBe(true);
  });

  it('evicts the least recently used key beyond its size', async () => {
    let computed = 0;
    const cache = createResultCache(async () => 1, 2);
    const get = (k: string) => cache.get(k, async () => ++computed);
    await get('a');
    await get('b');
    await get('a'); // a is now the most recent
    await get('c'); // evicts b
    expect(await get('a')).toBe(1);
    expect(await get('b')).toBe(4);
  });
});
