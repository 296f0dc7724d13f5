import { createHash } from 'node:crypto';
import type { SqlRunner } from '../../domain/sql';

/**
 * Which tables a conversation may change without anyone confirming anything, and a content hash of
 * every other table: "the database is unchanged except the action log" as something a test can check.
 */

/**
 * The tables every message may write, and why. Everything else must be byte-for-byte the same after
 * hostile input that nobody confirmed.
 */
export const BOOKKEEPING_TABLES: Record<string, string> = {
  // Every message, refusal and error is logged: the log is supposed to grow.
  action_log: 'the action log records every turn',
  // The dialog (an order half entered, a card waiting for Confirm, the last list) lives here so any
  // replica can take the next message; it holds proposals, never the writes themselves.
  conversation_states: 'dialog state per conversation (proposals, not writes)',
  // The idempotency keys of deliveries (Slack event ids, Teams activity ids, web message ids).
  processed_events: 'one claim per delivery, so a retry is acted on once',
  // The version of the data the KPIs read (migration 004) moves only with those tables, but a KPI
  // question may fold its rows into one (PostgreSQL), keeping their sum.
  kpi_data_changes: 'the KPI data version; a KPI question may fold its rows, never change their sum',
};

/**
 * The tables that must not change, each with the columns its rows are ordered by (its primary key).
 * schema_migrations is here too: answering a message must never migrate anything.
 */
export const UNCHANGED_TABLES: Record<string, string> = {
  users: 'id',
  customers: 'id',
  carriers: 'id',
  orders: 'id',
  order_lines: 'id',
  shipments: 'id',
  tracking_events: 'id',
  invoices: 'id',
  invoice_lines: 'id',
  invoice_disputes: 'id',
  rates: 'id',
  audit_findings: 'id',
  digest_subscriptions: 'id',
  digest_runs: 'id',
  // Written by the Teams channel for proactive posts (not by the core): unchanged by these messages.
  conversation_refs: 'id',
  // What a PostgreSQL bulk import dropped and will recreate (migration 007): empty outside imports.
  import_dropped_indexes: 'name',
  schema_migrations: 'name',
};

/** The tables the database actually has (so a new table must be put in one of the two lists above). */
export async function tablesOf(sql: SqlRunner): Promise<string[]> {
  const rows =
    sql.dialect === 'postgres'
      ? await sql.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
      : await sql.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  return rows.map((r) => r.name).sort();
}

/** SHA-256 over every row (in primary-key order, all columns) of each table, and the row count. */
export async function tableHashes(sql: SqlRunner, tables: Record<string, string> = UNCHANGED_TABLES): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, key] of Object.entries(tables)) {
    const rows = await sql.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${key}`);
    const h = createHash('sha256');
    for (const row of rows) h.update(`${JSON.stringify(row)}\n`);
    out[table] = `${rows.length} rows ${h.digest('hex').slice(0, 16)}`;
  }
  return out;
}
