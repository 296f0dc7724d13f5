import { loadConfig } from '../../bot/config';
import { createApp, type App } from '../../bot/container';
import { createConsoleSession } from '../../bot/console/consoleChannel';
import { LOCAL_OPERATOR_ID } from '../../handlers/person';
import { isRole } from '../../domain/roles';
import { openDatabase, type Database } from '../../data/db';
import { projectRoot } from '../../bot/projectRoot';
import { TEST_DB_TARGETS } from '../support/databases';
import { TRANSCRIPT_NOW, loadTranscripts, play } from './transcriptRunner';

/**
 * Every transcript in ./transcripts, played through the console channel against the demo data set,
 * on each database. Transcripts run in file order on one database, each in its own conversation.
 */
const TABLES = ['orders', 'order_lines', 'invoice_disputes', 'digest_subscriptions', 'audit_findings', 'shipments', 'users'];

for (const target of TEST_DB_TARGETS) {
  describe(`conversation transcripts [${target.name}]`, () => {
    let app: App;
    let raw: Database;
    const url = target.freshUrl();

    beforeAll(async () => {
      const config = loadConfig({ DATABASE_URL: url, WAYBILL_NOW: TRANSCRIPT_NOW, WAYBILL_NLU: 'offline', LOG_LEVEL: 'silent' });
      app = await createApp(config);
      await app.seeder.seed({ shipments: 400, seed: 42, today: app.clock.today() });
      await app.audit.run({});
      raw = await openDatabase({ url, projectRoot: projectRoot() });
    });
    afterAll(async () => {
      await raw?.close();
      await app?.close();
      await target.dispose(url);
    });

    async function counts(): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const t of TABLES) {
        const [row] = await raw.sql.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${t}`);
        out[t] = Number(row.n);
      }
      const [open] = await raw.sql.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM audit_findings WHERE status <> 'open'`);
      out['findings_not_open'] = Number(open.n);
      const [cancelled] = await raw.sql.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM orders WHERE status = 'cancelled'`);
      out['orders_cancelled'] = Number(cancelled.n);
      return out;
    }

    for (const { file, t } of loadTranscripts()) {
      it(`${file}: ${t.title}`, async () => {
        for (const u of t.users ?? []) {
          if (!isRole(u.role)) throw new Error(`${file}: bad role ${u.role}`);
          await app.repos.users.upsert({ platform: 'local', externalId: u.handle, displayName: u.name, role: u.role });
        }
        const speaker = { platform: 'console' as const, id: t.as ?? LOCAL_OPERATOR_ID, displayName: t.as ?? 'Local operator' };
        const session = createConsoleSession(app.conversation, speaker, `transcript-${file}`);
        const before = await counts();
        const logBefore = await app.repos.actionLog.list({ limit: 100000 });
        const { failures, log } = await play(t, session);
        const after = await counts();
        for (const [table, delta] of Object.entries(t.writes ?? {})) {
          if (after[table] - before[table] !== delta) failures.push(`${table}: expected ${delta >= 0 ? '+' : ''}${delta} rows, got ${after[table] - before[table]}`);
        }
        // Every table not named must be unchanged: nothing is written by accident.
        for (const table of Object.keys(after)) {
          if (!(table in (t.writes ?? {})) && after[table] !== before[table]) failures.push(`${table} changed by ${after[table] - before[table]} but the transcript expects no writes there`);
        }
        const logAfter = await app.repos.actionLog.list({ limit: 100000 });
        const added = logAfter.filter((e) => !logBefore.some((b) => b.id === e.id));
        for (const [result, n] of Object.entries(t.logged ?? {})) {
          const got = added.filter((e) => e.result === result).length;
          if (got !== n) failures.push(`action log: expected ${n} "${result}" entries, got ${got}`);
        }
        if (failures.length) throw new Error(`${failures.join('\n')}\n\n--- transcript ---\n${log}`);
      });
    }
  });
}
