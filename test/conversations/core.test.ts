import { loadConfig } from '../../bot/config';
import { createApp, type App } from '../../bot/container';
import type { Inbound } from '../../domain/conversation/inbound';
import { buttonsOf, type Reply } from '../../domain/conversation/reply';
import { openDatabase, type Database } from '../../data/db';
import { projectRoot } from '../../bot/projectRoot';
import { TEST_DB_TARGETS } from '../support/databases';
import { TRANSCRIPT_NOW } from './transcriptRunner';

/**
 * The core's promises that a console transcript cannot show: button presses from chat platforms,
 * the same Confirm pressed twice at once on two replicas, retried deliveries, and role checks on buttons.
 */
for (const target of TEST_DB_TARGETS) {
  describe(`conversation core [${target.name}]`, () => {
    const url = target.freshUrl();
    let a: App;
    let b: App;
    let raw: Database;
    const config = () => loadConfig({ DATABASE_URL: url, WAYBILL_NOW: TRANSCRIPT_NOW, WAYBILL_NLU: 'offline', LOG_LEVEL: 'silent' });

    beforeAll(async () => {
      a = await createApp(config());
      await a.seeder.seed({ shipments: 200, seed: 7, today: a.clock.today() });
      await a.audit.run({});
      b = await createApp(config()); // a second replica on the same database
      raw = await openDatabase({ url, projectRoot: projectRoot() });
      await a.repos.users.upsert({ platform: 'slack', externalId: 'UOPS', displayName: 'Olga', role: 'ops' });
      await a.repos.users.upsert({ platform: 'slack', externalId: 'UCS', displayName: 'Cara', role: 'cs' });
      await a.repos.users.upsert({ platform: 'slack', externalId: 'UFIN', displayName: 'Fiona', role: 'finance' });
    });
    afterAll(async () => {
      await raw?.close();
      await a?.close();
      await b?.close();
      await target.dispose(url);
    });

    const count = async (sql: string) => Number((await raw.sql.query<{ n: number | string }>(sql))[0].n);
    let seq = 0;
    const msg = (user: string, conv: string, text: string, eventKey = `ev-${++seq}`): Inbound => ({
      speaker: { platform: 'slack', id: user },
      conversation: { platform: 'slack', id: conv, threadId: 't1', name: '#ops' },
      text,
      eventKey,
    });
    const press = (user: string, conv: string, action: { id: string; value: string }, eventKey = `ev-${++seq}`): Inbound => ({
      speaker: { platform: 'slack', id: user },
      conversation: { platform: 'slack', id: conv, threadId: 't1', name: '#ops' },
      action,
      eventKey,
    });
    const button = (replies: Reply[], id: string) => {
      const found = replies.flatMap(buttonsOf).find((x) => x.action.id === id);
      if (!found) throw new Error(`no ${id} button in: ${replies.map((r) => r.text).join('\n')}`);
      return found.action;
    };

    it('Confirm pressed twice at the same moment on two replicas creates one order', async () => {
      const before = await count('SELECT COUNT(*) AS n FROM orders');
      const card = await a.conversation.handle(msg('UOPS', 'C1', 'new order for Acme Corp: 6 pallets of printer paper from Chicago to Dallas, pickup Friday'));
      const confirm = button(card, 'confirm');
      const [r1, r2] = await Promise.all([a.conversation.handle(press('UOPS', 'C1', confirm)), b.conversation.handle(press('UOPS', 'C1', confirm))]);
      expect(await count('SELECT COUNT(*) AS n FROM orders')).toBe(before + 1);
      const texts = [...r1, ...r2].map((r) => r.text).join('\n');
      expect(texts).toMatch(/Created order ORD-\d+/);
      expect(texts).toMatch(/already created|Already done/);
      // and a third, later click only says so
      const r3 = await a.conversation.handle(press('UOPS', 'C1', confirm));
      expect(r3[0].text).toMatch(/Already done|already created/);
      expect(await count('SELECT COUNT(*) AS n FROM orders')).toBe(before + 1);
    });

    it('Confirm on a new schedule pressed twice at the same moment on two replicas creates one schedule', async () => {
      const before = await count('SELECT COUNT(*) AS n FROM digest_subscriptions');
      const card = await a.conversation.handle(msg('UOPS', 'C5', 'send the KPI digest to #ops-reports every Monday at 8am'));
      const confirm = button(card, 'confirm');
      const [r1, r2] = await Promise.all([a.conversation.handle(press('UOPS', 'C5', confirm)), b.conversation.handle(press('UOPS', 'C5', confirm))]);
      expect(await count('SELECT COUNT(*) AS n FROM digest_subscriptions')).toBe(before + 1);
      const texts = [...r1, ...r2].map((r) => r.text).join('\n');
      expect(texts).toMatch(/Scheduled #\d+/);
      expect(texts).toMatch(/Already done|already scheduled/);
    });

    it('a retried delivery (same event id) is acted on once, even on two replicas at once', async () => {
      const card = await a.conversation.handle(msg('UOPS', 'C2', 'new order for Globex: 3 crates of glass from Memphis to Atlanta'));
      const confirm = button(card, 'confirm');
      const before = await count('SELECT COUNT(*) AS n FROM orders');
      const deliveries = [a, b, a, b, a].map((app) => app.conversation.handle(press('UOPS', 'C2', confirm, 'Ev0RETRY')));
      const results = await Promise.all(deliveries);
      expect(results.filter((r) => r.length > 0)).toHaveLength(1);
      expect(await count('SELECT COUNT(*) AS n FROM orders')).toBe(before + 1);
    });

    it('Cancel on the card writes nothing; a stale card does nothing', async () => {
      const before = await count('SELECT COUNT(*) AS n FROM orders');
      const first = await a.conversation.handle(msg('UOPS', 'C3', 'new order for Initech: 2 drums from Houston to Denver'));
      const staleConfirm = button(first, 'confirm');
      const second = await a.conversation.handle(msg('UOPS', 'C3', 'make it 4 drums'));
      expect(second[0].text).toMatch(/4 drums/);
      const stale = await a.conversation.handle(press('UOPS', 'C3', staleConfirm));
      expect(stale[0].text).toMatch(/out of date/);
      const cancelled = await a.conversation.handle(press('UOPS', 'C3', button(second, 'cancel')));
      expect(cancelled[0].text).toMatch(/Nothing was saved/);
      expect(await count('SELECT COUNT(*) AS n FROM orders')).toBe(before);
    });

    it('buttons check the role too: customer service cannot dispute a finding', async () => {
      const audit = await a.conversation.handle(msg('UFIN', 'C4', 'audit all invoices'));
      const dispute = button(audit, 'dispute');
      const refused = await a.conversation.handle(press('UCS', 'C4', dispute));
      expect(refused[0].text).toMatch(/needs the finance or admin role/);
      expect(await count(`SELECT COUNT(*) AS n FROM audit_findings WHERE id = ${Number(dispute.value)} AND status = 'open'`)).toBe(1);
      const ok = await a.conversation.handle(press('UFIN', 'C4', dispute));
      expect(ok[0].text).toMatch(/^Disputed/);
      expect(await count(`SELECT COUNT(*) AS n FROM audit_findings WHERE id = ${Number(dispute.value)} AND status = 'disputed'`)).toBe(1);
      const log = await a.repos.actionLog.list({ limit: 20, result: 'refused' });
      expect(log.some((e) => e.action === 'dispute_finding' && e.actor.startsWith('slack:UCS'))).toBe(true);
    });

    it('people not yet known get the default role (cs) and are told why', async () => {
      const r = await a.conversation.handle(msg('UNEW', 'C5', 'cancel order 10077'));
      expect(r[0].text).toMatch(/not registered yet, so you have the default role cs/);
    });

    it('a person sending too fast on Slack is refused politely, logged, and others are not affected', async () => {
      const limited = await createApp(loadConfig({ DATABASE_URL: url, WAYBILL_NOW: TRANSCRIPT_NOW, WAYBILL_NLU: 'offline', LOG_LEVEL: 'silent', WAYBILL_RATE_LIMIT_PER_MINUTE: '2' }));
      try {
        const answers = [];
        for (let i = 0; i < 3; i++) answers.push(await limited.conversation.handle(msg('UCS', 'C7', 'where is order 10042?')));
        expect(answers[1][0].text).toMatch(/SHP-000123/);
        expect(answers[2][0].text).toMatch(/faster than I can keep up with \(2 a minute\)\. Please wait \d+ seconds? and try again/);
        expect((await limited.conversation.handle(msg('UOPS', 'C7', 'where is order 10042?')))[0].text).toMatch(/SHP-000123/);
        const log = await limited.repos.actionLog.list({ limit: 5, result: 'refused' });
        expect(log.some((e) => e.detail === 'rate limit' && e.actor.startsWith('slack:UCS'))).toBe(true);
      } finally {
        await limited.close();
      }
    });

    it('a message over the size limit is refused politely, nothing parsed', async () => {
      const r = await a.conversation.handle(msg('UOPS', 'C6', 'x'.repeat(5000)));
      expect(r[0].text).toMatch(/too long/);
    });
  });
}
