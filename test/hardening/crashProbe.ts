import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import sqlite3 from 'sqlite3';
import { QueryTypes } from 'sequelize';
import { openDatabase, type Database } from '../../data/db';
import { projectRoot } from '../../bot/projectRoot';
import { CLI, ROOT } from '../support/cli';

/**
 * What the import crash test needs around a real `waybill import` process: start it, watch the rows it
 * commits from outside (a read-only SQLite connection, or a PostgreSQL session that also sees the
 * importer's locks and temporary staging tables), SIGKILL it at a chosen point, and open the database
 * afterwards the way the next process would.
 */
export interface ImportRun {
  /** Resolves when the process ends: exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  kill(): void;
}

export function startImport(kind: string, file: string, env: Record<string, string>): ImportRun {
  const child = spawn(process.execPath, [CLI, 'import', kind, file, '--json'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', WAYBILL_NLU: 'offline', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { exited, stdout: () => out, stderr: () => err, kill: () => child.kill('SIGKILL') };
}

/** The importer's PostgreSQL sessions seen from outside: their pids and the temporary tables they hold. */
export interface ImporterSessions {
  pids: number[];
  tempTables: number[];
}

/** Watches the database while the importer writes it (never writes itself). */
export interface Probe {
  readonly dialect: 'sqlite' | 'postgres';
  count(table: string): Promise<number>;
  /** PostgreSQL: the other sessions holding locks on this schema's tables (an import in a transaction). */
  sessions(): Promise<ImporterSessions>;
  close(): Promise<void>;
}

export function schemaOf(url: string): string | undefined {
  return url.startsWith('postgres') ? (new URL(url).searchParams.get('schema') ?? undefined) : undefined;
}

export function sqliteFile(url: string): string {
  return url.slice('sqlite:'.length);
}

export async function openProbe(url: string): Promise<Probe> {
  if (url.startsWith('sqlite:')) {
    // Read-only: it never checkpoints or removes the WAL, so the next opener finds the files as the kill left them.
    const conn = await new Promise<sqlite3.Database>((resolve, reject) => {
      const c = new sqlite3.Database(sqliteFile(url), sqlite3.OPEN_READONLY, (e) => (e ? reject(e) : resolve(c)));
    });
    return {
      dialect: 'sqlite',
      count: (table) =>
        new Promise((resolve, reject) => conn.get(`SELECT count(*) AS n FROM ${table}`, (e: Error | null, row: { n: number }) => (e ? reject(e) : resolve(row.n)))),
      sessions: async () => ({ pids: [], tempTables: [] }),
      close: () => new Promise((resolve, reject) => conn.close((e) => (e ? reject(e) : resolve()))),
    };
  }
  const db = await openDatabase({ url, projectRoot: projectRoot() });
  const schema = schemaOf(url)!;
  const select = <T>(sql: string, replacements: unknown[] = []) => db.sequelize.query(sql, { replacements, type: QueryTypes.SELECT }) as Promise<T[]>;
  return {
    dialect: 'postgres',
    count: async (table) => Number((await select<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n),
    async sessions() {
      const pids = (
        await select<{ pid: number }>(
          'SELECT DISTINCT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace ' +
            'WHERE n.nspname = ? AND l.pid <> pg_backend_pid()',
          [schema],
        )
      ).map((r) => r.pid);
      if (pids.length === 0) return { pids, tempTables: [] };
      const temps = await select<{ oid: number }>(
        "SELECT DISTINCT c.oid::int AS oid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid IN (?) AND c.relpersistence = 't'",
        [pids],
      );
      return { pids, tempTables: temps.map((t) => t.oid) };
    },
    close: () => db.close(),
  };
}

/**
 * Polls `probe` until `reached` holds, then SIGKILLs the import (on PostgreSQL only while the importer
 * is inside a transaction, so the kill lands on a batch in flight and its sessions are known). Fails
 * if the import ends first: the file is then too small for the machine.
 */
export async function killWhen(run: ImportRun, probe: Probe, table: string, reached: (rows: number) => boolean): Promise<{ rows: number; sessions: ImporterSessions }> {
  let ended = false;
  void run.exited.then(() => (ended = true));
  for (;;) {
    if (ended) throw new Error(`the import ended before the kill point (make the file bigger):\n${run.stdout()}${run.stderr()}`);
    const rows = await probe.count(table).catch(() => -1);
    if (rows >= 0 && reached(rows)) {
      const sessions = await probe.sessions();
      if (!ended && (probe.dialect === 'sqlite' || sessions.pids.length > 0)) {
        run.kill();
        return { rows, sessions };
      }
    }
    await sleep(10);
  }
}

/** Resolves when none of the pids has a backend any more (the server noticed the dead client). */
export async function waitBackendsGone(db: Database, pids: number[], guardMs = 30_000): Promise<void> {
  if (pids.length === 0) return;
  const until = Date.now() + guardMs;
  for (;;) {
    const [r] = (await db.sequelize.query('SELECT count(*) AS n FROM pg_stat_activity WHERE pid IN (?)', { replacements: [pids], type: QueryTypes.SELECT })) as Array<{ n: string }>;
    if (Number(r.n) === 0) return;
    if (Date.now() > until) throw new Error(`backends ${pids.join(', ')} still there ${guardMs} ms after the kill`);
    await sleep(50);
  }
}

/** The WAL file the kill left behind (its size; 0 when there is none). */
export function walSize(url: string): number {
  try {
    return fs.statSync(`${sqliteFile(url)}-wal`).size;
  } catch {
    return 0;
  }
}
