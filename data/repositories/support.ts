import { Transaction, UniqueConstraintError } from 'sequelize';
import type { Database } from '../db';
import { createSqlRunner } from '../sqlRunner';
import type { Dialect, SqlParam, SqlRunner } from '../../domain/sql';
import { dateOnly } from '../../domain/dates';
import { editDistance } from '../../domain/nameMatch';

/** What every repository gets: the database and "now" (injectable so tests can move time). */
export interface RepoContext {
  db: Database;
  now: () => Date;
}

/**
 * Runs `fn` in one write transaction. On SQLite it is BEGIN IMMEDIATE: Sequelize gives each
 * transaction its own connection, and a deferred transaction that read first cannot take the write
 * lock once another connection has committed (SQLITE_BUSY); immediate ones queue on the lock instead.
 */
export function writeTransaction<T>(db: Database, fn: (tx: SqlRunner, t: Transaction) => Promise<T>): Promise<T> {
  const opts = db.dialect === 'sqlite' ? { type: Transaction.TYPES.IMMEDIATE } : {};
  return db.sequelize.transaction(opts, (t) => fn(createSqlRunner(db.sequelize, db.dialect, t), t));
}

/** A unique index refused the row (the same key written twice, possibly by another process). */
export function isUniqueViolation(e: unknown): boolean {
  if (e instanceof UniqueConstraintError) return true;
  const err = e as { name?: string; parent?: { code?: string }; original?: { code?: string; message?: string } };
  return (
    err?.name === 'SequelizeUniqueConstraintError' ||
    err?.parent?.code === '23505' ||
    err?.original?.code === '23505' ||
    /UNIQUE constraint failed/.test(err?.original?.message ?? '')
  );
}

/**
 * Statements whose rows we read (RETURNING) start with a comment: Sequelize on SQLite runs a statement
 * that starts with INSERT or UPDATE without reading rows back.
 */
export const RETURNING = '/* repo */ ';

/** A DATEONLY value as YYYY-MM-DD (one reading for the whole program). */
export const ymd = dateOnly;

/** A timestamp column as a Date (SQLite returns Sequelize's text "2026-03-18 09:30:00.000 +00:00"). */
export function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  const d = new Date(s);
  if (!Number.isNaN(d.getTime())) return d;
  return new Date(s.replace(' ', 'T').replace(/ ?([+-]\d\d:\d\d)$/, '$1'));
}

/** The text Sequelize writes for a timestamp: sorts as text on SQLite, reads as timestamptz on PostgreSQL. */
export function stamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', ' +00:00');
}

/** DECIMAL and BIGINT come back as strings on PostgreSQL. */
export function num(v: unknown): number | null {
  return v === null || v === undefined || v === '' ? null : Number(v);
}

/** Orders text the same way on both databases (SQLite compares bytes; PostgreSQL by collation unless told). */
export function textOrder(dialect: Dialect, expr: string): string {
  return dialect === 'postgres' ? `${expr} COLLATE "C"` : expr;
}

/** `?, ?, ?` for a list. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** A LIKE pattern matching `s` literally (escape character `!`). */
export function likeLiteral(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`);
}

// ---------------------------------------------------------------- "did you mean"

export { editDistance };

/** "ORD-10042" -> prefix "ORD-", number 10042 (at most 15 trailing digits; the rest is prefix). */
export function splitRef(ref: string): { prefix: string; digits: string | null } {
  const m = /^(.*?)(\d{1,15})$/.exec(ref);
  return m ? { prefix: m[1], digits: m[2] } : { prefix: ref, digits: null };
}

/** How many candidates the database hands over for the final ranking in JavaScript. */
const CANDIDATES = 200;

/**
 * Existing values of `column` in `table` closest to `ref`, best first. The database narrows (the same
 * prefix, case-insensitive, and the nearest numbers among ids of about the same length; or, for a
 * reference without a number, ids sharing its first characters), JavaScript ranks the few hundred
 * candidates by edit distance, then numeric distance, then id.
 */
export async function closestValues(sql: SqlRunner, sources: Array<{ table: string; column: string }>, ref: string, limit: number): Promise<string[]> {
  const target = ref.trim().toUpperCase();
  if (target === '' || limit <= 0) return [];
  const { prefix, digits } = splitRef(target);
  const candidates = new Set<string>();
  for (const { table, column } of sources) {
    if (digits !== null) {
      for (const v of await nearestNumbered(sql, table, column, prefix, digits)) candidates.add(v);
      continue;
    }
    const shared = target.slice(0, Math.min(3, target.length));
    const rows = await sql.query<{ v: string }>(
      `SELECT DISTINCT ${column} AS v, abs(length(${column}) - ?) AS dist FROM ${table}
       WHERE ${column} IS NOT NULL AND upper(${column}) LIKE ? ESCAPE '!'
       ORDER BY dist, v LIMIT ${CANDIDATES}`,
      [target.length, `${likeLiteral(shared)}%`],
    );
    for (const r of rows) candidates.add(r.v);
  }
  const n = digits === null ? null : Number(digits);
  const numericDistance = (v: string) => {
    const d = splitRef(v.toUpperCase()).digits;
    return n === null || d === null ? Number.MAX_SAFE_INTEGER : Math.abs(Number(d) - n);
  };
  return [...candidates]
    .filter((v) => v.toUpperCase() !== target)
    .map((v) => ({ v, e: editDistance(v.toUpperCase(), target), d: numericDistance(v) }))
    .sort((a, b) => a.e - b.e || a.d - b.d || (a.v < b.v ? -1 : a.v > b.v ? 1 : 0))
    .slice(0, limit)
    .map((c) => c.v);
}

/** Index entries one walk of nearestNumbered looks at, at most. */
const WALK = 5 * CANDIDATES;

/**
 * Up to CANDIDATES values of `prefix` + a number, with the numbers nearest to `digits`, among values as
 * long as the reference or one character shorter or longer. Among values of one length with the same
 * prefix and a digits-only tail, text order is number order ("SHP-0001234" < "SHP-0001240"), so each
 * length is two short walks of the upper(column) index, up and down from where the number would be:
 * a miss costs a few thousand index entries, not a scan of the table (a million shipments). Values of
 * the other lengths sit between them in text order ("SHP-123456" among the "SHP-123456x"), so each walk
 * is capped at WALK entries: an id of another length far from the reference in text order is not
 * suggested, which is fine for "did you mean".
 */
async function nearestNumbered(sql: SqlRunner, table: string, column: string, prefix: string, digits: string): Promise<string[]> {
  const pg = sql.dialect === 'postgres';
  const n = Number(digits);
  const walks: string[] = [];
  const params: SqlParam[] = [];
  const like = `${likeLiteral(prefix)}%`;
  for (const len of [digits.length - 1, digits.length, digits.length + 1]) {
    if (len < 1 || len > 15) continue;
    const tail = `substr(u, ${prefix.length + 1})`;
    const valid = `length(u) = ${prefix.length + len} AND u LIKE ? ESCAPE '!' AND ${pg ? `${tail} ~ '^[0-9]+$'` : `${tail} NOT GLOB '*[^0-9]*'`}`;
    const walk = (name: string, range: string, desc: boolean) =>
      `SELECT v FROM (SELECT ${column} AS v, upper(${column}) AS u FROM ${table} WHERE ${range}
        ORDER BY upper(${column})${desc ? ' DESC' : ''} LIMIT ${WALK}) ${name} WHERE ${valid}`;
    const lowest = prefix + '0'.repeat(len);
    const highest = prefix + '9'.repeat(len);
    // Where the number sits among the tails of this length (past the end when it has more digits).
    const at = n < 10 ** len ? prefix + String(n).padStart(len, '0') : undefined;
    if (at !== undefined) {
      walks.push(walk(`up${len}`, `upper(${column}) >= ? AND upper(${column}) <= ?`, false));
      params.push(at, highest, like);
    }
    walks.push(walk(`down${len}`, `upper(${column}) ${at !== undefined ? '<' : '<='} ? AND upper(${column}) >= ?`, true));
    params.push(at ?? highest, lowest, like);
  }
  if (!walks.length) return [];
  const rows = await sql.query<{ v: string }>(walks.join('\nUNION ALL\n'), params);
  const distance = (v: string) => Math.abs(Number(v.slice(prefix.length)) - n);
  return [...new Set(rows.map((r) => r.v))]
    .map((v) => ({ v, d: distance(v) }))
    .sort((a, b) => a.d - b.d || (a.v < b.v ? -1 : a.v > b.v ? 1 : 0))
    .slice(0, CANDIDATES)
    .map((c) => c.v);
}

export type { SqlParam };
