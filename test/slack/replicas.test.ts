import { describeOnPostgres } from '../support/databases';
import { eventEnvelope, FAKE_BOT, postSigned, startFakeSlack, type FakeSlack } from '../support/fakeSlack';
import { SIGNING_SECRET, startBot, type BotProcess } from './botProcess';

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
});
