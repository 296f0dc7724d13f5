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
