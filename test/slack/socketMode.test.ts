import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventEnvelope, FAKE_BOT, startFakeSlack, type FakeSlack, type SlackCall } from '../support/fakeSlack';
import { eventsApiEnvelope, slashCommandEnvelope, startFakeSocketMode, type FakeSocketMode, type SocketModeEnvelope } from '../support/fakeSocketMode';
import { startBot, type BotProcess } from './botProcess';
import { blockKitProblems, type Block } from '../../bot/slack/blockKit';

/**
 * The Slack channel in Socket Mode as `npm start` runs it (SLACK_APP_TOKEN set): the real bot gets
 * its WebSocket URL from the fake Web API's apps.connections.open (SLACK_API_URL covers the app
 * token's client too), connects to the fake Socket Mode server, and answers envelopes pushed over the
 * socket; nothing reaches slack.com. Acks are what the client sent back on the socket, answers what
 * the fake Web API recorded.
 */
describe('Slack in Socket Mode (npm start, real core, fake Slack and fake Socket Mode server)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-slack-socket-'));
  const dbUrl = `sqlite:${path.join(tmp, 'socket.sqlite')}`;
  let socket: FakeSocketMode;
  let fake: FakeSlack;
  let bot: BotProcess;

  beforeAll(async () => {
    socket = await startFakeSocketMode();
    fake = await startFakeSlack({ socketModeUrl: socket.url });
    bot = await startBot({
      DATABASE_URL: dbUrl,
      SLACK_API_URL: fake.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_SIGNING_SECRET: '', // Socket Mode needs none (README: bot token + app token)
      WAYBILL_NOW: '2026-11-24T10:00:00Z',
      WAYBILL_DEMO_SHIPMENTS: '300',
      PORT: '0',
    });
  }, 180_000);
  afterAll(async () => {
    // The bot first (it closes its socket cleanly), then the servers it talks to.
    await bot?.stop();
    await socket?.close();
    await fake?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const postsTo = (channel: string, threadTs?: string) =>
    fake.callsOf('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);
  const blocksOf = (c: SlackCall) => c.args.blocks as Block[];
  const contentOf = (c: SlackCall) => JSON.stringify({ text: c.args.text, blocks: c.args.blocks });
  /** Pushes an envelope and resolves once the bot acknowledged it (once more than before). */
  async function deliver(envelope: SocketModeEnvelope): Promise<void> {
    const before = socket.acks(envelope.envelope_id).length;
    socket.send(envelope);
    await socket.waitFor(() => socket.acks(envelope.envelope_id).length > before, `the ack of ${envelope.envelope_id}`);
  }
  const mention = (ts: string, text: string) => ({ type: 'app_mention', user: 'U0CS', text: `<@${FAKE_BOT.userId}> ${text}`, channel: 'C0GENERAL', ts, event_ts: ts });
  const payloadOf = (eventId: string, event: Record<string, unknown>) => JSON.parse(eventEnvelope(eventId, event)) as Record<string, unknown>;

  it('starts in Socket Mode, says so, and got its WebSocket URL from the fake Web API with the app token', () => {
    expect(bot.banner).toContain('Slack: Socket Mode, connected as UWAYBILL1 in Fake Logistics.');
    expect(bot.banner).not.toMatch(/Slack: HTTP mode/);
    expect(fake.callsOf('auth.test')[0].authorization).toBe('Bearer xoxb-test');
    const opens = fake.callsOf('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0].authorization).toBe('Bearer xapp-test');
    expect(socket.connections).toEqual([new URL(socket.url).pathname + new URL(socket.url).search]);
    expect(bot.banner).not.toContain('xapp-test');
    expect(bot.banner).not.toContain('xoxb-test');
  });

  it('/slack/events is not used in Socket Mode', async () => {
    const res = await fetch(`${bot.base}/slack/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/Socket Mode/);
  });

  it('acks an events_api envelope and answers the mention in its thread, as valid Block Kit', async () => {
    const ts = '1764000001.000200';
    await deliver(eventsApiEnvelope('env-mention-1', payloadOf('Ev0SOCK1', mention(ts, 'where is order 10042?'))));
    expect(socket.acks('env-mention-1')).toEqual([{ envelope_id: 'env-mention-1', payload: {} }]);
    await bot.waitHandled(`msg:C0GENERAL:${ts}`);
    const posts = postsTo('C0GENERAL', ts);
    expect(posts).toHaveLength(1);
    expect(posts[0].authorization).toBe('Bearer xoxb-test');
    expect(contentOf(posts[0])).toMatch(/SHP-000123/);
    expect(blockKitProblems({ text: String(posts[0].args.text), blocks: blocksOf(posts[0]) })).toEqual([]);
  });

  it('acks a slash_commands envelope for /waybill help and answers it in the channel', async () => {
    const before = postsTo('C0GENERAL', undefined).length;
    await deliver(slashCommandEnvelope('env-cmd-1', { text: 'help', user_id: 'U0CS', channel_id: 'C0GENERAL', trigger_id: 'trig-sock-1', response_url: `${fake.base}/response/sock1` }));
    expect(socket.acks('env-cmd-1')).toEqual([{ envelope_id: 'env-cmd-1', payload: {} }]);
    await bot.waitHandled('cmd:trig-sock-1');
    const posts = postsTo('C0GENERAL', undefined);
    expect(posts).toHaveLength(before + 1);
    expect(contentOf(posts.at(-1)!)).toMatch(/What I can do for you \(role: cs\)/);
    expect(fake.responses).toEqual([]); // the bot is in the channel: no response_url fallback
  });

  it('acts once on an event delivered twice (the same envelope again, and Slack retrying with a new envelope)', async () => {
    const ts = '1764000002.000200';
    const payload = payloadOf('Ev0SOCKDUP', mention(ts, 'help'));
    const first = eventsApiEnvelope('env-dup-1', payload);
    await deliver(first);
    await deliver(first);
    await deliver(eventsApiEnvelope('env-dup-2', payload, { attempt: 1, reason: 'timeout' }));
    expect(socket.acks('env-dup-1')).toHaveLength(2);
    expect(socket.acks('env-dup-2')).toHaveLength(1);
    await bot.waitHandled(`msg:C0GENERAL:${ts}`, 3);
    expect(bot.handled(`msg:C0GENERAL:${ts}`).map((h) => h.replies).sort()).toEqual([0, 0, 1]);
    expect(postsTo('C0GENERAL', ts)).toHaveLength(1);
    expect(contentOf(postsTo('C0GENERAL', ts)[0])).toMatch(/What I can do for you/);
  });

  it('stayed on one connection throughout', () => {
    expect(socket.connections).toHaveLength(1);
    expect(fake.callsOf('apps.connections.open')).toHaveLength(1);
  });
});
