import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli';
import { blockActionsBody, eventEnvelope, FAKE_BOT, postSigned, slashCommandBody, startFakeSlack, type FakeSlack, type SlackCall } from '../support/fakeSlack';
import { SIGNING_SECRET, startBot, type BotProcess } from './botProcess';
import { blockKitProblems, type Block, type ButtonElement } from '../../bot/slack/blockKit';
import { openDatabase } from '../../data/db';
import { projectRoot } from '../../bot/projectRoot';

/**
 * The Slack channel as `npm start` runs it: signed Events API, slash command and interactivity
 * requests over HTTP to /slack/events of the real bot on a seeded demo database; the answers are what
 * the fake Slack Web API recorded.
 */
describe('Slack over HTTP (npm start, real core, fake Slack)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-slack-'));
  const dbUrl = `sqlite:${path.join(tmp, 'slack.sqlite')}`;
  let fake: FakeSlack;
  let bot: BotProcess;
  let n = 0;
  const ts = () => `1764000${String(++n).padStart(3, '0')}.000200`;

  beforeAll(async () => {
    fake = await startFakeSlack();
    bot = await startBot({ DATABASE_URL: dbUrl, SLACK_API_URL: fake.apiUrl });
    // An ops person on Slack (orders), added the documented way; everyone else gets the default role (cs).
    const added = runCli(['users', 'add', 'U0OPS', '--platform', 'slack', '--role', 'ops', '--name', 'Olga'], { env: { DATABASE_URL: dbUrl } });
    expect(added.code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const events = () => `${bot.base}/slack/events`;
  const sendEvent = (eventId: string, event: Record<string, unknown>, headers: Record<string, string> = {}) =>
    postSigned(events(), eventEnvelope(eventId, event), 'json', { secret: SIGNING_SECRET, headers });
  const postsTo = (channel: string, threadTs?: string) =>
    fake.callsOf('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);
  const blocksOf = (c: SlackCall) => c.args.blocks as Block[];
  const textOf = (c: SlackCall) => JSON.stringify(c.args.blocks ?? c.args.text);
  const buttonsOf = (c: SlackCall) =>
    blocksOf(c).flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ({ ...e, block_id: b.block_id })) : [])) as Array<ButtonElement & { block_id: string }>;

  it('starts in HTTP mode, says so, and checked the token with auth.test', () => {
    expect(bot.banner).toMatch(/Slack: HTTP mode as UWAYBILL1 in Fake Logistics; Events API, interactivity and \/waybill at http:\/\/localhost:\d+\/slack\/events/);
    expect(fake.callsOf('auth.test').length).toBeGreaterThan(0);
    expect(fake.callsOf('auth.test')[0].authorization).toBe('Bearer xoxb-test-token');
    expect(bot.banner).not.toContain('test-signing-secret');
    expect(bot.banner).not.toContain('xoxb-test-token');
  });

  it('answers a mention in a channel in the thread of the message, as valid Block Kit', async () => {
    const t = ts();
    const res = await sendEvent('Ev0MENTION1', { type: 'app_mention', user: 'U0CS', text: `<@${FAKE_BOT.userId}> where is order 10042?`, channel: 'C0GENERAL', ts: t, event_ts: t });
    expect(res.status).toBe(200);
    await bot.waitHandled('msg:C0GENERAL:' + t);
    const [post] = postsTo('C0GENERAL', t);
    expect(post).toBeDefined();
    expect(textOf(post)).toMatch(/SHP-000123/);
    expect(blocksOf(post)[0].type).toBe('header');
    expect(blockKitProblems({ text: String(post.args.text), blocks: blocksOf(post) })).toEqual([]);
  });

  it('answers a direct message in the chat (no thread), and a DM in a thread in that thread', async () => {
    const t = ts();
    await sendEvent('Ev0DM1', { type: 'message', channel_type: 'im', user: 'U0CS', text: 'help', channel: 'D0DM1', ts: t, event_ts: t });
    await bot.waitHandled(`msg:D0DM1:${t}`);
    const [post] = postsTo('D0DM1', undefined);
    expect(textOf(post)).toMatch(/What I can do for you \(role: cs\)/);
    const t2 = ts();
    await sendEvent('Ev0DM2', { type: 'message', channel_type: 'im', user: 'U0CS', text: 'help', channel: 'D0DM1', ts: t2, thread_ts: t, event_ts: t2 });
    await bot.waitHandled(`msg:D0DM1:${t2}`);
    expect(postsTo('D0DM1', t)).toHaveLength(1);
  });

  it('ignores bot messages (its own included) and message subtypes, so it never talks to itself', async () => {
    const before = fake.callsOf('chat.postMessage').length;
    const [t1, t2, t3, t4] = [ts(), ts(), ts(), ts()];
    await sendEvent('Ev0BOT1', { type: 'message', channel_type: 'im', subtype: 'bot_message', bot_id: FAKE_BOT.botId, text: 'help', channel: 'D0DM1', ts: t1 });
    await sendEvent('Ev0BOT2', { type: 'message', channel_type: 'im', user: FAKE_BOT.userId, bot_id: FAKE_BOT.botId, text: 'help', channel: 'D0DM1', ts: t2 });
    await sendEvent('Ev0EDIT', { type: 'message', channel_type: 'im', subtype: 'message_changed', channel: 'D0DM1', ts: t3, message: { user: 'U0CS', text: 'help' } });
    await sendEvent('Ev0JOIN', { type: 'message', subtype: 'channel_join', user: 'U0CS', text: 'joined', channel: 'C0GENERAL', ts: t4 });
    // A message after them is answered: by then the four were long dispatched (same process, same order).
    const t5 = ts();
    await sendEvent('Ev0AFTER', { type: 'message', channel_type: 'im', user: 'U0CS', text: 'help', channel: 'D0DM2', ts: t5 });
    await bot.waitHandled(`msg:D0DM2:${t5}`);
    expect(fake.callsOf('chat.postMessage').length).toBe(before + 1);
    expect(bot.handled().filter((h) => [t1, t2, t3, t4].some((t) => h.eventKey.endsWith(t)))).toEqual([]);
  });

  it('acts once on a retried event (same event_id, X-Slack-Retry-Num: 1)', async () => {
    const t = ts();
    const ev = { type: 'app_mention', user: 'U0CS', text: `<@${FAKE_BOT.userId}> help`, channel: 'C0GENERAL', ts: t };
    expect((await sendEvent('Ev0RETRY', ev)).status).toBe(200);
    expect((await sendEvent('Ev0RETRY', ev, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await bot.waitHandled(`msg:C0GENERAL:${t}`, 2);
    expect(bot.handled(`msg:C0GENERAL:${t}`).map((h) => h.replies).sort()).toEqual([0, 1]);
    expect(postsTo('C0GENERAL', t)).toHaveLength(1);
  });

  it('refuses bad signatures, missing headers and stale timestamps with 401, before the core', async () => {
    const body = (id: string) => eventEnvelope(id, { type: 'app_mention', user: 'U0CS', text: 'help', channel: 'C0FORGED', ts: ts() });
    const now = Math.floor(Date.now() / 1000);
    const tries = [
      await postSigned(events(), body('Ev0F1'), 'json', { secret: SIGNING_SECRET, signWith: 'wrong-secret' }),
      await postSigned(events(), body('Ev0F2'), 'json', { secret: SIGNING_SECRET, omit: ['signature'] }),
      await postSigned(events(), body('Ev0F3'), 'json', { secret: SIGNING_SECRET, omit: ['timestamp', 'signature'] }),
      await postSigned(events(), body('Ev0F4'), 'json', { secret: SIGNING_SECRET, timestamp: now - 6 * 60 }),
      await postSigned(events(), body('Ev0F5'), 'json', { secret: SIGNING_SECRET, timestamp: now + 6 * 60 }),
    ];
    expect(tries.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    // A signature over another body (a replayed signature with a changed body) is refused too.
    const stolenTs = now;
    const sig = (await import('../support/fakeSlack')).slackSignature(SIGNING_SECRET, stolenTs, body('Ev0F6'));
    const replay = await fetch(events(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(stolenTs), 'x-slack-signature': sig },
      body: body('Ev0F7'),
    });
    expect(replay.status).toBe(401);
    expect(bot.handled().filter((h) => h.eventKey.includes('C0FORGED'))).toEqual([]);
    expect(fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0FORGED')).toEqual([]);
  });

  it('/waybill: a new order card with real buttons; Confirm creates one order, a second click creates nothing', async () => {
    const db = await openDatabase({ url: dbUrl, projectRoot: projectRoot() });
    const count = async () => Number(((await db.sequelize.query('SELECT COUNT(*) AS n FROM orders')) as [Array<{ n: number }>, unknown])[0][0].n);
    try {
      const ordersBefore = await count();
      const form = slashCommandBody({
        text: 'new order for Acme Corp: 12 pallets of paper towels from Chicago to Dallas, pickup Friday',
        user_id: 'U0OPS', channel_id: 'C0GENERAL', trigger_id: 'trig-cmd-1', response_url: `${fake.base}/response/cmd1`,
      });
      const ack = await postSigned(events(), form, 'form', { secret: SIGNING_SECRET });
      expect(ack.status).toBe(200);
      await bot.waitHandled('cmd:trig-cmd-1');
      const card = postsTo('C0GENERAL', undefined).at(-1)!;
      expect(textOf(card)).toMatch(/New order for Acme Corp/);
      expect(blockKitProblems({ text: String(card.args.text), blocks: blocksOf(card) })).toEqual([]);
      const buttons = buttonsOf(card);
      expect(buttons.map((b) => b.text.text)).toEqual(['Confirm', 'Edit', 'Cancel']);
      expect(buttons[0].style).toBe('primary');
      const confirm = buttons[0];
      const cardTs = `${fake.callsOf('chat.postMessage').indexOf(card)}`; // any ts: the fake does not check
      const click = (trigger: string) =>
        postSigned(events(), blockActionsBody({
          user_id: 'U0OPS', channel_id: 'C0GENERAL', trigger_id: trigger,
          message: { ts: cardTs, text: String(card.args.text), blocks: blocksOf(card) },
          action: { action_id: confirm.action_id, block_id: confirm.block_id, value: confirm.value, text: confirm.text.text },
        }), 'form', { secret: SIGNING_SECRET });
      expect((await click('trig-click-1')).status).toBe(200);
      await bot.waitHandled('act:trig-click-1');
      expect(textOf(postsTo('C0GENERAL', undefined).at(-1)!)).toMatch(/Created order ORD-\d+/);
      // The clicked group became a note; the card cannot be confirmed again by accident.
      await fake.waitFor(() => fake.callsOf('chat.update').length > 0, 'chat.update');
      const update = fake.callsOf('chat.update').at(-1)!;
      expect(JSON.stringify(update.args.blocks)).toMatch(/<@U0OPS> chose \*Confirm\*/);
      expect((update.args.blocks as Block[]).some((b) => b.type === 'actions')).toBe(false);
      // A second click (double click, or a stale copy of the card) is a new trigger: answered, nothing created.
      expect((await click('trig-click-2')).status).toBe(200);
      await bot.waitHandled('act:trig-click-2');
      expect(textOf(postsTo('C0GENERAL', undefined).at(-1)!)).toMatch(/Already done/);
      expect((await count()) - ordersBefore).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('/waybill in a channel the bot is not in answers through the response_url', async () => {
    fake.notInChannel.add('C0PRIVATE');
    const form = slashCommandBody({ text: '', user_id: 'U0CS', channel_id: 'C0PRIVATE', trigger_id: 'trig-cmd-2', response_url: `${fake.base}/response/cmd2` });
    expect((await postSigned(events(), form, 'form', { secret: SIGNING_SECRET })).status).toBe(200);
    await bot.waitHandled('cmd:trig-cmd-2');
    await fake.waitFor(() => fake.responses.length >= 2, 'response_url posts');
    expect(JSON.stringify(fake.responses[0])).toMatch(/What I can do/);
    expect(fake.responses[0].response_type).toBe('ephemeral');
  });

  it('a KPI answer attaches its chart as a PNG in the same thread', async () => {
    const t = ts();
    await sendEvent('Ev0KPI', { type: 'app_mention', user: 'U0CS', text: `<@${FAKE_BOT.userId}> how are we doing?`, channel: 'C0GENERAL', ts: t });
    await bot.waitHandled(`msg:C0GENERAL:${t}`);
    const [post] = postsTo('C0GENERAL', t);
    expect(textOf(post)).toMatch(/attached below/);
    expect(blockKitProblems({ text: String(post.args.text), blocks: blocksOf(post) })).toEqual([]);
    const done = fake.callsOf('files.completeUploadExternal').find((c) => c.args.thread_ts === t)!;
    expect(done.args.channel_id).toBe('C0GENERAL');
    const png = fake.uploads.get((done.args.files as Array<{ id: string }>)[0].id)!;
    expect(png.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  });
});
