import type { Sequelize, Transaction } from 'sequelize';

export type Cell = string | number | null;

/** At most this many rows per INSERT statement. */
export const ROWS_PER_STATEMENT = 500;

export { date, float, instant, int, money, text } from '../columns';
import type { SqlColumn } from '../columns';

export interface InsertOptions {
  /** e.g. `ON CONFLICT (name_key) DO NOTHING`. */
  onConflict?: string;
}

/**
 * Multi-row INSERTs (≤ 500 rows a statement) through one connection and transaction: the fast,
 * portable way to load generated rows. Values are never spliced into the SQL by hand:
 *  - PostgreSQL: one bound array per column, `INSERT ... SELECT * FROM unnest($1::integer[], ...)`
 *    (a handful of parameters instead of thousands: about twice as fast as a VALUES list);
 *  - SQLite: a VALUES list whose values Sequelize escapes (replacements); the driver is slow with
 *    hundreds of bound parameters.
 */
export async function insertRows(
  sequelize: Sequelize,
  transaction: Transaction,
  table: string,
  columns: readonly SqlColumn[],
  rows: Iterable<Cell[]>,
  opts: InsertOptions = {},
): Promise<number> {
  const head = `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) `;
  const tail = opts.onConflict ? ` ${opts.onConflict}` : '';
  const width = columns.length;
  const pg = sequelize.getDialect() === 'postgres';
  const unnest = `${head}SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c.pg}[]`).join(', ')})${tail}`;
  const tuple = `(${new Array(width).fill('?').join(',')})`;
  const flush = async (chunk: Cell[][]) => {
    if (pg) {
      const arrays = columns.map((_, c) => chunk.map((r) => r[c] ?? null));
      await sequelize.query(unnest, { bind: arrays, transaction, raw: true });
    } else {
      const values: Cell[] = [];
      for (const r of chunk) for (let c = 0; c < width; c++) values.push(r[c] ?? null);
      await sequelize.query(`${head}VALUES ${new Array(chunk.length).fill(tuple).join(',')}${tail}`, { replacements: values, transaction, raw: true });
    }
  };
  // Rows are taken from the iterable a statement at a time: callers can produce them lazily.
  let chunk: Cell[][] = [];
  let total = 0;
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length === ROWS_PER_STATEMENT) {
      await flush(chunk);
      total += chunk.length;
      chunk = [];
    }
  }
  if (chunk.length) {
    await flush(chunk);
    total += chunk.length;
  }
  return total;
}
