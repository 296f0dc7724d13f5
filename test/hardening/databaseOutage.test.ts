import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli';
import { blockActionsBody, eventEnvelope, FAKE_BOT, postSigned, slashCommandBody, startFakeSlack, type FakeSlack, type SlackCall } from '../support/fakeSlack';
import { describeWithPrivatePostgres, type PrivateCluster } from '../support/privatePostgres';
import { SIGNING_SECRET, startBot, type BotProcess } from '../slack/botProcess';
import type { Block, ButtonElement } from '../../bot/slack/blockKit';
import { openDatabase, type Database } from '../../data/db';
import { projectRoot } from '../../bot/projectRoot';
import type { Transaction } from 'sequelize';
import { bounded, chatOver, conditionOf, healthOf, holdSqliteLock, loggedProblems, UNAVAILABLE } from './outageSupport';

/**
 * PostgreSQL stopped under the running bot (`npm start` with Slack over HTTP and the web chat), on a
 * private cluster of the test's own: people get "the database is unavailable, try again shortly" at
 * once on every channel, whether their query was refused, cut off mid-way or waiting for a pool
 * connection; /healthz says 503 with the reason; the process and its digest scheduler live on; and
 * when the server is back the next message is answered without restarting anything.
 */
describeWithPrivatePostgres('Database outage (PostgreSQL stopped under npm start)', (cluster: PrivateCluster) => {
  let fake: FakeSlack;
  let bot: BotProcess;
  let n = 0;
  const ts = () => `1764100${String(++n).padStart(3, '0')}.000300`;
  const dbUrl = () => cluster.url;
  const chat = (text: string, session = 'outage-session-1') => chatOver(bot.base, session, { text });

  beforeAll(async () => {
    const env = { DATABASE_URL: dbUrl(), WAYBILL_NOW: '2026-11-24T10:00:00Z' };
    for (const args of [
      ['seed', '--demo', '--shipments', '300'],
      ['users', 'add', 'U0OPS', '--platform', 'slack', '--role', 'ops', '--name', 'Olga'],
      ['digest', 'add', '--report', 'kpi_digest', '--target', 'web:outage-digest-inbox', '--frequency', 'daily', '--time', '08:00'],
    ]) {
      const r = runCli(args, { env });
      if (r.code !== 0) throw new Error(`waybill ${args.join(' ')}: ${r.stderr}`);
    }
    // A digest due every 5 seconds (node-cron reads a seconds field), so the scheduler fires during the outage.
    await withDb((db) => db.sequelize.query("UPDATE digest_subscriptions SET cron = '*/5 * * * * *'"));
    fake = await startFakeSlack();
    bot = await startBot({ DATABASE_URL: dbUrl(), SLACK_API_URL: fake.apiUrl, WAYBILL_DEMO: 'off' });
  }, 240_000);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  const events = () => `${bot.base}/slack/events`;
  const postsTo = (channel: string, threadTs?: string) =>
    fake.callsOf('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);
  const textOf = (c: SlackCall) => JSON.stringify(c.args.blocks ?? c.args.text);

  /** Mentions the bot in #general and returns the text of its answer in the thread, within the no-hang deadline. */
  async function askOnSlack(text: string): Promise<string> {
    const t = ts();
    const res = await postSigned(events(), eventEnvelope(`Ev0OUT${n}`, { type: 'app_mention', user: 'U0CS', text: `<@${FAKE_BOT.userId}> ${text}`, channel: 'C0GENERAL', ts: t }), 'json', { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    await bounded(bot.waitHandled(`msg:C0GENERAL:${t}`), `the Slack answer to "${text}"`);
    const [post] = postsTo('C0GENERAL', t);
    return post ? textOf(post) : '(no answer posted)';
  }

  /** The test's own look at the database (a connection of its own, closed again). */
  async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase({ url: dbUrl(), projectRoot: projectRoot() });
    try {
      return await fn(db);
    } finally {
      await db.close().catch(() => undefined);
    }
  }

  const orderCount = () => withDb(async (db) => Number((await db.sql.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM orders'))[0].n));

  it('answers normally while the database is up; /healthz is 200', async () => {
    expect(await askOnSlack('where is SHP-000123?')).toMatch(/SHP-000123/);
    const kpi = await chat('on-time rate last week');
    expect(kpi.status).toBe(200);
    expect(kpi.text).toMatch(/On-time/i);
    expect(kpi.text).not.toMatch(UNAVAILABLE);
    expect(await healthOf(bot.base)).toEqual({ status: 200, body: { ok: true, database: 'postgres' } });
  });

  describe.each(['fast', 'immediate'] as const)('pg_ctl stop -m %s', (mode) => {
    let locker: { db: Database; tx: Transaction; serverGone?: boolean } | undefined;
    afterEach(async () => {
      // Its transaction died with the server; rolling it back is only needed when the test failed before the stop.
      if (locker && !locker.serverGone) await locker.tx.rollback().catch(() => undefined);
      await locker?.db.close().catch(() => undefined);
      locker = undefined;
      await cluster.start(); // a failed test must not leave the next one without a server
    });

    it('queries cut off mid-way and queries waiting for a pool connection answer "unavailable", not an error', async () => {
      // Hold a lock every message needs (each claims its event id in processed_events), so the bot's
      // queries are in flight on the server; 12 messages: 10 take the pool's 10 connections, 2 wait for one.
      const db = await openDatabase({ url: dbUrl(), projectRoot: projectRoot() });
      locker = { db, tx: await db.sequelize.transaction() };
      const tx = locker.tx;
      await db.sequelize.query('LOCK TABLE processed_events IN ACCESS EXCLUSIVE MODE', { transaction: tx });
      // Asked outside the locking transaction: inside it, pg_stat_activity is a snapshot that never changes.
      const waiting = async () =>
        Number((await db.sql.query<{ n: unknown }>("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'"))[0].n);
      const before = bot.stderr().length;
      const answers = Array.from({ length: 12 }, (_, i) => chatOver(bot.base, `outage-${mode}-busy-${i}`, { text: 'where is SHP-000123?' }));
      await conditionOf(async () => (await waiting()) >= 10, 'ten of the bot\'s queries waiting on the lock');
      await cluster.stop(mode);
      locker.serverGone = true;
      for (const a of await Promise.all(answers)) {
        expect(a.status).toBe(200);
        expect(a.text).toMatch(UNAVAILABLE);
      }
      expect(loggedProblems(bot.stderr().slice(before))).toEqual([]);
    }, 120_000);

    it('while stopped: Slack and web chat say "unavailable" at once, /healthz is 503, the process and the scheduler live on; then it recovers by itself', async () => {
      await cluster.stop(mode);
      const before = bot.stderr().length;
      expect(await askOnSlack('where is SHP-000123?')).toMatch(UNAVAILABLE);
      const web = await chat('how are we doing?');
      expect(web.status).toBe(200);
      expect(web.text).toMatch(UNAVAILABLE);
      const health = await healthOf(bot.base);
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ ok: false, database: 'postgres', reason: expect.stringMatching(/database is unavailable \(.*ECONNREFUSED/) });
      // The scheduler fired during the outage (a digest is due every 5 s), could not claim its run, and lives on.
      await bounded(conditionOf(async () => /could not claim a digest run/.test(bot.stderr().slice(before)), 'a digest fire during the outage'), 'a digest fire');
      expect(loggedProblems(bot.stderr().slice(before))).toEqual([]);

      await cluster.start();
      const recoveredAt = bot.stderr().length;
      // The very next message, with no restart of the bot: the pool opens new connections.
      expect(await askOnSlack('where is SHP-000123?')).toMatch(/SHP-000123/);
      const kpi = await chat('on-time rate last week');
      expect(kpi.text).not.toMatch(UNAVAILABLE);
      expect(kpi.text).toMatch(/On-time/i);
      expect(await healthOf(bot.base)).toEqual({ status: 200, body: { ok: true, database: 'postgres' } });
      // And the scheduler posts again.
      await bounded(conditionOf(async () => /"digest posted"/.test(bot.stderr().slice(recoveredAt)), 'a digest posted after recovery'), 'a digest after recovery');
      expect(loggedProblems(bot.stderr().slice(before))).toEqual([]);
    }, 120_000);
  });

  it('Slack: a Confirm pressed while the database is down says "unavailable", keeps the card, and pressing it again later creates exactly one order', async () => {
    const ordersBefore = await orderCount();
    const form = slashCommandBody({
      text: 'new order for Acme Corp: 12 pallets of paper towels from Chicago to Dallas, pickup Friday',
      user_id: 'U0OPS', channel_id: 'C0GENERAL', trigger_id: 'trig-outage-cmd',
    });
    expect((await postSigned(events(), form, 'form', { secret: SIGNING_SECRET })).status).toBe(200);
    await bot.waitHandled('cmd:trig-outage-cmd');
    const card = postsTo('C0GENERAL', undefined).at(-1)!;
    expect(textOf(card)).toMatch(/New order for Acme Corp/);
    const blocks = card.args.blocks as Block[];
    const confirm = blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ({ ...e, block_id: b.block_id })) : []))
      .find((e) => (e as ButtonElement).text.text === 'Confirm') as ButtonElement & { block_id: string };
    const click = async (trigger: string) => {
      const body = blockActionsBody({
        user_id: 'U0OPS', channel_id: 'C0GENERAL', trigger_id: trigger,
        message: { ts: '1764100999.000100', text: String(card.args.text), blocks },
        action: { action_id: confirm.action_id, block_id: confirm.block_id, value: confirm.value!, text: confirm.text.text },
      });
      expect((await postSigned(events(), body, 'form', { secret: SIGNING_SECRET })).status).toBe(200);
      await bounded(bot.waitHandled(`act:${trigger}`), `the answer to click ${trigger}`);
      return textOf(postsTo('C0GENERAL', undefined).at(-1)!);
    };

    /** The card's buttons replaced by a "chose Confirm" note (chat.update), as positions in the fake's call log. */
    const cardUpdates = () => fake.calls.flatMap((c, i) => (c.method === 'chat.update' && c.args.ts === '1764100999.000100' ? [i] : []));

    await cluster.stop('fast');
    try {
      expect(await click('trig-outage-confirm-1')).toMatch(UNAVAILABLE);
    } finally {
      await cluster.start();
    }
    expect(await orderCount()).toBe(ordersBefore);
    const retriedAt = fake.calls.length;
    expect(await click('trig-outage-confirm-2')).toMatch(/Created order ORD-\d+/);
    expect(await click('trig-outage-confirm-3')).toMatch(/Already done/);
    expect((await orderCount()) - ordersBefore).toBe(1);
    // The two clicks that did something each mark the card; the one that failed did not (nothing was
    // carried out, so its buttons had to stay): every update comes after the retry was sent.
    await fake.waitFor(() => cardUpdates().length >= 2, 'the card marked after the clicks that were carried out');
    expect(cardUpdates().map((i) => i >= retriedAt)).toEqual([true, true]);
  });

  it('web chat: a Confirm in flight when the server dies is not lost or doubled once it returns', async () => {
    const session = 'outage-web-order';
    const ordersBefore = await orderCount();
    const card = await chatOver(bot.base, session, { text: 'new order for Acme Corp: 3 pallets of paper towels from Chicago to Dallas, pickup Friday' });
    const token = /"id":"confirm","value":"([^"]+)"/.exec(card.text)?.[1];
    expect(token).toBeDefined();
    await cluster.stop('immediate');
    try {
      const pressed = await chatOver(bot.base, session, { action: { id: 'confirm', value: token! } });
      expect(pressed.text).toMatch(UNAVAILABLE);
    } finally {
      await cluster.start();
    }
    expect(await orderCount()).toBe(ordersBefore);
    const again = await chatOver(bot.base, session, { action: { id: 'confirm', value: token! } });
    expect(again.text).toMatch(/Created order ORD-\d+/);
    const third = await chatOver(bot.base, session, { action: { id: 'confirm', value: token! } });
    expect(third.text).toMatch(/Already done/);
    expect((await orderCount()) - ordersBefore).toBe(1);
  });

  it('logged no crash, unhandled rejection or "handler failed" during the whole outage run', async () => {
    expect(loggedProblems(bot.stderr())).toEqual([]);
    expect((await healthOf(bot.base)).status).toBe(200);
  });
});

/**
 * SQLite has no server to stop; its outage is a file another process keeps locked longer than the
 * busy timeout (an import, a backup tool, a stuck sqlite3 shell).
 */
describe('Database busy (SQLite file write-locked by another process)', () => {
  let tmp = '';
  let file = '';
  let bot: BotProcess;
  // Made in beforeAll, not while collecting: with every test filtered out (-t), afterAll does not run.
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-busy-'));
    file = path.join(tmp, 'busy.sqlite');
    bot = await startBot({ DATABASE_URL: `sqlite:${file}`, SLACK_BOT_TOKEN: '' });
  }, 180_000);
  afterAll(async () => {
    await bot?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a lock held past the busy timeout gets a polite "unavailable, try again" (no crash, no hang); released, the next message is answered', async () => {
    expect((await chatOver(bot.base, 'busy-session', { text: 'where is SHP-000123?' })).text).toMatch(/SHP-000123/);
    const before = bot.stderr().length;
    const lock = await holdSqliteLock(file);
    try {
      // Two at once: the second waits for the one connection while the first waits for the lock.
      const busy = await Promise.all(['busy-session', 'busy-session-2'].map((s) => chatOver(bot.base, s, { text: 'where is SHP-000123?' })));
      for (const b of busy) {
        expect(b.status).toBe(200);
        expect(b.text).toMatch(UNAVAILABLE);
      }
      // The health check answers too (readers are not blocked in WAL mode; a busy pool says 503), never hangs.
      expect([200, 503]).toContain((await healthOf(bot.base)).status);
    } finally {
      await lock.release();
    }
    const again = await chatOver(bot.base, 'busy-session', { text: 'where is SHP-000123?' });
    expect(again.text).toMatch(/SHP-000123/);
    expect(loggedProblems(bot.stderr().slice(before))).toEqual([]);
  }, 120_000);
});
