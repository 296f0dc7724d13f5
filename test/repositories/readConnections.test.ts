import { performance } from 'node:perf_hooks';
import { freshDatabase, TEST_DB_TARGETS } from '../support/databases';

/**
 * The KPIs' read connections (Database.readSql): a long statement on one does not hold up the next
 * statement, which runs on another connection (on SQLite, one connection runs one statement at a time).
 */
describe.each(TEST_DB_TARGETS.map((t) => [t.name, t] as const))('readSql [%s]', (_, target) => {
  it('runs a short statement beside a long one, on another connection', async () => {
    const { db, cleanup } = await freshDatabase(target);
    try {
      // ~1 s of work in the database engine, no table needed.
      const long = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) AS n FROM c';
      let longEnded = 0;
      const started = performance.now();
      const longRun = db.readSql.query<{ n: number | string }>(long).then((rows) => {
        longEnded = performance.now();
        return rows;
      });
      // Let the long statement start before the short one is issued.
      await new Promise((r) => setTimeout(r, 30));
      const [short] = await db.readSql.query<{ one: number }>('SELECT 1 AS one');
      const shortEnded = performance.now();
      expect(Number(short.one)).toBe(1);
      expect(longEnded).toBe(0); // the long one is still running
      const [{ n }] = await longRun;
      expect(Number(n)).toBe(3_000_000);
      expect(shortEnded - started).toBeLessThan(longEnded - started);
    } finally {
      await cleanup();
    }
  });
});
