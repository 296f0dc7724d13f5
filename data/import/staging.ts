import type { SqlColumn } from '../columns';
import type { RawConnection, SqlValue } from './rawConnection';

/**
 * PostgreSQL staging for bulk upserts: a temporary table (one per upsert shape and session, no
 * index, no WAL) that the rows reach through COPY FROM STDIN; an `INSERT ... SELECT` then moves them.
 * It is emptied at every commit (ON COMMIT DELETE ROWS), and before a second fill in one transaction.
 */
let tables = 0;

export class StagingTable {
  readonly name: string;
  private readonly ddl: string;
  /** The transaction of each connection this table was last filled in. */
  private readonly filledIn = new WeakMap<RawConnection, number>();

  constructor(table: string, columns: readonly SqlColumn[]) {
    this.name = `import_stage_${table}_${++tables}`;
    this.ddl = `CREATE TEMP TABLE IF NOT EXISTS ${this.name} (${columns.map((c) => `${c.name} ${c.pg}`).join(', ')}) ON COMMIT DELETE ROWS`;
  }

  /** Replaces the table's rows by `text` (COPY text format) inside the connection's current transaction. */
  async fill(conn: RawConnection, text: string): Promise<void> {
    const tx = conn.transactionId;
    if (tx === undefined) throw new Error(`${this.name}: staging needs a transaction (its rows go at commit)`);
    if (this.filledIn.get(conn) === tx) await conn.run(`TRUNCATE ${this.name}`);
    else await conn.ensureTable(this.name, this.ddl);
    this.filledIn.set(conn, tx);
    await conn.copyFrom(`COPY ${this.name} FROM STDIN`, text);
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Rows in COPY's text format: tab-separated, `\N` for NULL, backslash escapes (PostgreSQL docs, COPY
 * "Text Format"); `tail` (already escaped, e.g. a timestamp for every row) ends each line.
 */
export function copyText(rows: SqlValue[][], width: number, tail = ''): string {
  let out = '';
  for (const r of rows) {
    let line = '';
    for (let c = 0; c < width; c++) {
      const v = r[c];
      const cell = v === null || v === undefined ? '\\N' : typeof v === 'number' ? String(v) : copyEscape(String(v));
      line = c === 0 ? cell : `${line}\t${cell}`;
    }
    out += `${line}${tail}\n`;
  }
  return out;
}

function copyEscape(s: string): string {
  return COPY_SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch]) : s;
}
