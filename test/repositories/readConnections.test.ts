import { performance } from 'node:perf_hooks';
import { freshDatabase, TEST_DB_TARGETS } from '../support/databases';
import { isPureRead } from '../../data/sqlRunner';

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

/**
 * SQLite: Database.sql sends the statements that only read, outside a transaction, to a read-only
 * connection of their own, so a message's lookups do not queue behind the writes (one SQLite
 * connection runs one statement at a time); writes and transactions stay on the main connection, and
 * a read sees every write that has returned.
 */
const sqliteTarget = TEST_DB_TARGETS.find((t) => t.name === 'sqlite')!;

describe('Database.sql on SQLite', () => {
  it.each([
    ['SELECT 1', true],
    ['  /* a comment */ select x from t', true],
    ['WITH a AS (SELECT 1) SELECT * FROM a', true],
    ['WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a', false],
    ['SELECT updated_at FROM conversation_states', true],
    ['INSERT INTO t VALUES (1)', false],
    ['UPDATE t SET x = 1', false],
    ['DELETE FROM t', false],
    ['REPLACE INTO t VALUES (1)', false],
    ['PRAGMA wal_checkpoint(TRUNCATE)', false],
    ['EXPLAIN QUERY PLAN SELECT 1', false],
  ])('routes %j to the read connection: %s', (text, read) => {
    expect(isPureRead(text)).toBe(read);
  });

  it('runs a lookup beside a long write on the main connection, and reads what was written', async () => {
    const { db, cleanup } = await freshDatabase(sqliteTarget);
    try {
      await db.sql.query('CREATE TABLE route_probe (n INTEGER)');
      // ~1 s of work for the main connection: an INSERT of three million generated rows.
      const long = db.sql.query('INSERT INTO route_probe (n) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c');
      let longDone = false;
      void long.then(() => (longDone = true));
      await new Promise((r) => setTimeout(r, 30));
      const [{ n }] = await db.sql.query<{ n: number }>('SELECT COUNT(*) AS n FROM route_probe');
      // The lookup did not wait for the write: it saw the table before the insert committed.
      expect(longDone).toBe(false);
      expect(n).toBe(0);
      await long;
      const [after] = await db.sql.query<{ n: number }>('SELECT COUNT(*) AS n FROM route_probe');
      expect(after.n).toBe(3_000_000);
      // Inside a transaction, a read sees the transaction's own writes (it runs on the transaction's connection).
      const inside = await db.sql.transaction(async (tx) => {
        await tx.query('INSERT INTO route_probe (n) VALUES (0)');
        return (await tx.query<{ n: number }>('SELECT COUNT(*) AS n FROM route_probe'))[0].n;
      });
      expect(inside).toBe(3_000_001);
      // The read connection is read-only: a write sent there by mistake fails rather than writes.
      await expect(db.readSql.query('INSERT INTO route_probe (n) VALUES (1)')).rejects.toThrow(/readonly/i);
    } finally {
      await cleanup();
    }
  });
});
