import { describeOnPostgres } from '../support/databases';
import { runCli } from '../support/cli';
import { startFakeSlack, type FakeSlack } from '../support/fakeSlack';
import { startBot, type BotProcess } from '../slack/botProcess';

/**
 * Two `npm start` processes on one PostgreSQL schema, both started after a digest slot was missed:
 * each tries to post it (grace-window catch-up), the digest_runs row lets exactly one of them.
 */
describeOnPostgres('scheduled digest on two replicas (PostgreSQL)', (pg) => {
  let fake: FakeSlack;
  let url = '';
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    url = pg.freshUrl();
    const env = { DATABASE_URL: url, WAYBILL_NOW: '2026-11-24T10:00:00Z' };
    expect(runCli(['seed', '--demo', '--shipments', '300'], { env }).code).toBe(0);
    // Due at 09:30; "now" is 10:00, inside the default 60-minute grace window.
    const add = runCli(['digest', 'add', '--report', 'kpi_digest', '--target', 'slack:C0OPSREP', '--name', '#ops-reports', '--frequency', 'daily', '--time', '09:30', '--tz', 'UTC'], { env });
    expect(add.code).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await fake?.close();
    if (url) await pg.dispose(url);
  });

  it('the missed slot is posted once, not once per replica', async () => {
    bots.push(...(await Promise.all([0, 1].map(() => startBot({ DATABASE_URL: url, SLACK_API_URL: fake.apiUrl })))));
    // Both banners are out, so both catch-ups have finished (the banner waits for the scheduler's start).
    for (const b of bots) expect(b.banner).toMatch(/Digests: 1 scheduled/);
    const posts = fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0OPSREP');
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0].args)).toMatch(/KPI/);
    const caughtUp = bots.filter((b) => /missed within 60 min posted now/.test(b.banner));
    expect(caughtUp).toHaveLength(1);
  });
});
