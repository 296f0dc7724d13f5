import { describeOnPostgres } from '../support/databases';
import { runCli } from '../support/cli';
import { blockActionsBody, eventEnvelope, FAKE_BOT, postSigned, startFakeSlack, type FakeSlack, type SlackCall } from '../support/fakeSlack';
import { SIGNING_SECRET, startBot, type BotProcess } from './botProcess';
import type { Block, ButtonElement } from '../../bot/slack/blockKit';
import { openDatabase } from '../../data/db';
import { projectRoot } from '../../bot/projectRoot';

/**
 * Two bot processes on one PostgreSQL schema receive the same signed event at the same moment (Slack
 * retrying to a second replica behind a load balancer): the database claim makes exactly one answer.
 */
describeOnPostgres('Slack on two replicas (PostgreSQL)', (pg) => {
  let fake: FakeSlack;
  let url = '';
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    url = pg.freshUrl();
    // The first seeds the empty schema; the second starts on the seeded one (as a second replica does).
    bots.push(await startBot({ DATABASE_URL: url, SLACK_API_URL: fake.apiUrl }));
    bots.push(await startBot({ DATABASE_URL: url, SLACK_API_URL: fake.apiUrl }));
    expect(runCli(['users', 'add', 'U0OPS', '--platform', 'slack', '--role', 'ops', '--name', 'Olga'], { env: { DATABASE_URL: url } }).code).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await fake?.close();
    if (url) await pg.dispose(url);
  });

  it('the same event delivered to both at once is answered exactly once', async () => {
    for (const [i, text] of ['where is order 10042?', 'help', 'on-time rate last week'].entries()) {
      const ts = `1764100${i}00.000300`;
      const body = eventEnvelope(`Ev0TWIN${i}`, { type: 'app_mention', user: 'U0CS', text: `<@${FAKE_BOT.userId}> ${text}`, channel: 'C0TWIN', ts });
      const [a, b] = await Promise.all(bots.map((bot, n) =>
        postSigned(`${bot.base}/slack/events`, body, 'json', { secret: SIGNING_SECRET, headers: n ? { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } : {} })));
      expect([a.status, b.status]).toEqual([200, 200]);
      const key = `msg:C0TWIN:${ts}`;
      await Promise.all(bots.map((bot) => bot.waitHandled(key)));
      // One replica answered, the other found the event claimed and said nothing.
      expect(bots.map((bot) => bot.handled(key)[0].replies).sort()).toEqual([0, 1]);
      expect(fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === ts)).toHaveLength(1);
    }
  });

  it('an order request delivered 5 times to each replica at once, then Confirm double-clicked on both: one card, one order', async () => {
    const db = await openDatabase({ url, projectRoot: projectRoot() });
    const orders = async () => Number(((await db.sequelize.query('SELECT COUNT(*) AS n FROM orders')) as [Array<{ n: number | string }>, unknown])[0][0].n);
    try {
      const before = await orders();
      const ts = '1764200000.000500';
      const body = eventEnvelope('Ev0ORDER5', {
        type: 'app_mention', user: 'U0OPS', channel: 'C0TWIN', ts,
        text: `<@${FAKE_BOT.userId}> new order for Acme Corp: 12 pallets of paper towels from Chicago to Dallas, pickup Friday`,
      });
      // Slack's first delivery plus four retries, each reaching both replicas: ten requests in flight together.
      const deliveries = bots.flatMap((bot) => [0, 1, 2, 3, 4].map((n) =>
        postSigned(`${bot.base}/slack/events`, body, 'json', { secret: SIGNING_SECRET, headers: n ? { 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_timeout' } : {} })));
      expect((await Promise.all(deliveries)).map((r) => r.status)).toEqual(Array(10).fill(200));
      const key = `msg:C0TWIN:${ts}`;
      // Every delivery is logged as handled once its work is done; exactly one of the ten answered.
      await Promise.all(bots.map((bot) => bot.waitHandled(key, 5)));
      expect(bots.flatMap((bot) => bot.handled(key).map((h) => h.replies)).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
      const cards = fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === ts);
      expect(cards).toHaveLength(1);
      const card = cards[0];
      expect(JSON.stringify(card.args.blocks)).toMatch(/New order for Acme Corp/);
      expect(await orders()).toBe(before); // nothing written before Confirm

      const blocks = card.args.blocks as Block[];
      const confirm = blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ({ ...(e as ButtonElement), block_id: b.block_id })) : [])).find((b) => b.text.text === 'Confirm')!;
      const click = (bot: BotProcess, trigger: string) =>
        postSigned(`${bot.base}/slack/events`, blockActionsBody({
          user_id: 'U0OPS', channel_id: 'C0TWIN', trigger_id: trigger,
          message: { ts: '1764200001.000100', thread_ts: ts, text: String(card.args.text), blocks },
          action: { action_id: confirm.action_id, block_id: confirm.block_id, value: confirm.value, text: 'Confirm' },
        }), 'form', { secret: SIGNING_SECRET });
      // A double click (two triggers), each click reaching both replicas.
      const clicks = await Promise.all(['trig-dbl-1', 'trig-dbl-2'].flatMap((t) => bots.map((bot) => click(bot, t))));
      expect(clicks.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      await Promise.all(bots.flatMap((bot) => ['act:trig-dbl-1', 'act:trig-dbl-2'].map((k) => bot.waitHandled(k))));
      const threadPosts = () => fake.callsOf('chat.postMessage').filter((c: SlackCall) => c.args.thread_ts === ts).slice(1);
      expect(await orders()).toBe(before + 1);
      const created = threadPosts().filter((c) => /Created order ORD-\d+/.test(JSON.stringify(c.args.blocks ?? c.args.text)));
      expect(created).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});
