import type { SqlRunner } from '../domain/sql';

/** Rows of kpi_data_changes (PostgreSQL) past which a reader folds them into one. */
const FOLD_AFTER = 1_000;

/**
 * The current version of the data the KPIs read (migration 004): the sum of kpi_data_changes.n, which
 * every committed change to those tables moves, in any process. One short statement; on PostgreSQL,
 * when the table has grown past FOLD_AFTER rows (one per writing statement), the reader also replaces
 * them by one row with their sum, in one transaction, so the version does not move and the sum stays
 * cheap. Concurrent folds (two replicas) do not double anything: the second finds the rows gone.
 */
export function createKpiDataVersion(sql: SqlRunner): () => Promise<number> {
  let folding: Promise<void> | undefined;
  const fold = (upTo: number) =>
    sql
      .query(
        `WITH gone AS (DELETE FROM kpi_data_changes WHERE id <= ? RETURNING n)
         INSERT INTO kpi_data_changes (n) SELECT SUM(n) FROM gone HAVING SUM(n) > 0`,
        [upTo],
      )
      .then(() => undefined);
  return async () => {
    const [row] = await sql.query<{ v: number | string | null; rows: number | string; last: number | string | null }>(
      'SELECT COALESCE(SUM(n), 0) AS v, COUNT(*) AS rows, MAX(id) AS last FROM kpi_data_changes',
    );
    if (sql.dialect === 'postgres' && Number(row.rows) > FOLD_AFTER && !folding) {
      // In the background: the version just read is right either way.
      folding = fold(Number(row.last)).catch(() => undefined).finally(() => (folding = undefined));
    }
    return Number(row.v);
  };
}
