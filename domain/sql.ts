/**
 * The port through which domain engines run set-based SQL they build themselves. The domain decides
 * WHAT is computed (portable SQL for both dialects); the data layer only executes it.
 */
export type Dialect = 'sqlite' | 'postgres';

export type SqlParam = string | number | null;

export interface SqlRunner {
  readonly dialect: Dialect;
  /** Runs a statement with positional `?` parameters and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: SqlParam[]): Promise<T[]>;
  /** Runs `fn` inside one transaction (all or nothing). */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/**
 * A runner that lets at most `max` statements run at once, the rest waiting their turn in order: long
 * reads (a month of KPIs) then take a bounded share of a connection pool and of the database server's
 * CPU, and the short statements of every message always find a connection. `max` may be a function,
 * read whenever a statement could start (the limit may change with the load).
 */
export function withConcurrencyLimit(runner: SqlRunner, max: number | (() => number)): SqlRunner {
  const limit = typeof max === 'number' ? () => max : () => Math.max(1, max());
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running--;
    while (waiting.length && running < limit()) {
      running++;
      waiting.shift()!();
    }
  };
  const acquire = (): Promise<void> => {
    if (running < limit() && waiting.length === 0) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  return {
    dialect: runner.dialect,
    async query(sql, params) {
      await acquire();
      try {
        return await runner.query(sql, params);
      } finally {
        release();
      }
    },
    transaction: (fn) => runner.transaction(fn),
  };
}
