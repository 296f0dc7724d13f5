import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../data/db';
import { migrate } from '../../data/migrations';
import { projectRoot } from '../../bot/projectRoot';

/**
 * The databases every integration suite runs on: a fresh SQLite file always, and PostgreSQL when
 * TEST_DATABASE_URL is set (each suite in its own schema, dropped afterwards, so runs never collide).
 */
export interface TestDbTarget {
  name: 'sqlite' | 'postgres';
  /** A DATABASE_URL for a brand-new, empty database or schema. */
  freshUrl(): string;
  /** Removes what freshUrl created. */
  dispose(url: string): Promise<void>;
}

export const PG_URL = process.env.TEST_DATABASE_URL;

const sqliteTarget: TestDbTarget = {
  name: 'sqlite',
  freshUrl: () => `sqlite:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-test-')), 'test.sqlite')}`,
  async dispose(url) {
    fs.rmSync(path.dirname(url.slice('sqlite:'.length)), { recursive: true, force: true });
  },
};

const pgTarget: TestDbTarget = {
  name: 'postgres',
  freshUrl() {
    const u = new URL(PG_URL!);
    u.searchParams.set('schema', `wbt_${process.pid}_${randomBytes(4).toString('hex')}`);
    return u.toString();
  },
  async dispose(url) {
    const schema = new URL(url).searchParams.get('schema');
    const u = new URL(url);
    u.searchParams.delete('schema');
    const db = await openDatabase({ url: u.toString(), projectRoot: projectRoot() });
    try {
      await db.sequelize.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await db.close();
    }
  },
};

export const TEST_DB_TARGETS: TestDbTarget[] = PG_URL ? [sqliteTarget, pgTarget] : [sqliteTarget];

/** Opens a fresh, migrated database on a target; call the returned cleanup when done. */
export async function freshDatabase(target: TestDbTarget): Promise<{ db: Database; url: string; cleanup: () => Promise<void> }> {
  const url = target.freshUrl();
  const db = await openDatabase({ url, projectRoot: projectRoot() });
  await migrate(db.sequelize);
  return {
    db,
    url,
    cleanup: async () => {
      await db.close();
      await target.dispose(url);
    },
  };
}

/**
 * `describe` once per database target, with a fresh migrated database for the block:
 *   describeEachDatabase('KPIs', (ctx) => { it('...', async () => { ctx.db ... }) })
 */
export function describeEachDatabase(title: string, body: (ctx: { db: Database; url: string; target: TestDbTarget }) => void): void {
  for (const target of TEST_DB_TARGETS) {
    describe(`${title} [${target.name}]`, () => {
      const ctx = { target } as { db: Database; url: string; target: TestDbTarget };
      let cleanup: () => Promise<void> = async () => undefined;
      beforeAll(async () => {
        const fresh = await freshDatabase(target);
        ctx.db = fresh.db;
        ctx.url = fresh.url;
        cleanup = fresh.cleanup;
      });
      afterAll(() => cleanup());
      body(ctx);
    });
  }
}

/**
 * `describe` that runs only on PostgreSQL (tests of several replicas sharing one database), with the
 * target to make schemas from; without TEST_DATABASE_URL the block is skipped and the run says so.
 */
export function describeOnPostgres(title: string, body: (pg: TestDbTarget) => void): void {
  const pg = TEST_DB_TARGETS.find((t) => t.name === 'postgres');
  if (!pg) {
    process.stderr.write(`[waybill] "${title}" SKIPPED: set TEST_DATABASE_URL to run it on PostgreSQL.\n`);
    describe.skip(title, () => body(pgTarget));
    return;
  }
  describe(title, () => body(pg));
}
