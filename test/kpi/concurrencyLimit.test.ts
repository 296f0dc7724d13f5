import { withConcurrencyLimit, type SqlRunner } from '../../domain/sql';

/** The KPI engine's share of the connections: at most N statements at once, the others in order. */
describe('withConcurrencyLimit', () => {
  function fakeRunner() {
    let running = 0;
    let most = 0;
    const started: string[] = [];
    const finish = new Map<string, (v?: unknown) => void>();
    const runner: SqlRunner = {
      dialect: 'sqlite',
      query: <T>(sql: string) =>
        new Promise<T[]>((resolve, reject) => {
          running++;
          most = Math.max(most, running);
          started.push(sql);
          finish.set(sql, (v) => {
            running--;
            if (v instanceof Error) reject(v);
            else resolve([] as T[]);
          });
        }),
      transaction: (fn) => fn(runner),
    };
    return { runner, started, finish: (sql: string, v?: unknown) => finish.get(sql)!(v), most: () => most };
  }
  const tick = () => new Promise((r) => setImmediate(r));

  it('runs at most N statements at once and starts the waiting ones in order as others end, failures included', async () => {
    const f = fakeRunner();
    const limited = withConcurrencyLimit(f.runner, 2);
    const all = ['a', 'b', 'c', 'd'].map((s) => limited.query(s).then(() => s, () => `${s} failed`));
    await tick();
    expect(f.started).toEqual(['a', 'b']);
    f.finish('b', new Error('boom'));
    await tick();
    expect(f.started).toEqual(['a', 'b', 'c']);
    f.finish('a');
    await tick();
    expect(f.started).toEqual(['a', 'b', 'c', 'd']);
    f.finish('c');
    f.finish('d');
    expect(await Promise.all(all)).toEqual(['a', 'b failed', 'c', 'd']);
    expect(f.most()).toBe(2);
  });

  it('reads a changing limit whenever a statement could start: lowered, running ones finish and fewer start; raised, more start at the next end', async () => {
    const f = fakeRunner();
    let max = 2;
    const limited = withConcurrencyLimit(f.runner, () => max);
    const all = ['a', 'b', 'c', 'd', 'e'].map((s) => limited.query(s).then(() => s));
    await tick();
    expect(f.started).toEqual(['a', 'b']);
    max = 1;
    f.finish('a');
    await tick();
    // b still runs: at the limit of 1, c waits.
    expect(f.started).toEqual(['a', 'b']);
    f.finish('b');
    await tick();
    expect(f.started).toEqual(['a', 'b', 'c']);
    max = 3;
    f.finish('c');
    await tick();
    expect(f.started).toEqual(['a', 'b', 'c', 'd', 'e']);
    f.finish('d');
    f.finish('e');
    expect(await Promise.all(all)).toEqual(['a', 'b', 'c', 'd', 'e']);
    // A limit below 1 still lets statements through one at a time.
    max = 0;
    const g = withConcurrencyLimit(f.runner, () => max);
    const one = g.query('f');
    await tick();
    expect(f.started).toContain('f');
    f.finish('f');
    await one;
  });
});
