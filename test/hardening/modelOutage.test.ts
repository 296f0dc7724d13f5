import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Reply } from '../../domain/conversation/reply';
import { apiError, startFakeOpenAI, toolCallCompletion, type FakeOpenAI, type Script } from '../support/fakeOpenAI';
import { eventEnvelope, postSigned, startFakeSlack, type FakeSlack } from '../support/fakeSlack';
import { SIGNING_SECRET, startBot, type BotProcess } from '../slack/botProcess';

/**
 * Hardening, model outage, end to end: `npm start` (dist/bot/main.js) with the language model in
 * `llm` and in `hybrid` mode, the model endpoint down (connection refused), silent, late, stalled or
 * answering garbage. Messages come over the web chat API and as signed Slack events (fake Slack Web
 * API). Each reply must be the one the offline bot gives for that message, arrive within the model
 * timeout plus a fixed margin, and leave a warning naming the offline fallback in the log, never the
 * API key; the process stays healthy throughout. The fake server counts requests: one per message
 * means the model was really asked (hybrid asks only when the offline parser is unsure) and never retried.
 */
const NOW = '2026-11-24T10:00:00Z';
const TIMEOUT_MS = 800;
/**
 * A "no hang" bound, not a performance figure: the model may take up to the timeout (the recognizer
 * stops waiting 500 ms after it at the latest); the margin covers the rest of a turn (database, reply,
 * HTTP, on a shared 2-core machine). A retry (the SDK's backoff starts at about half a second, a 429's
 * retry-after here is 5 s), an ignored timeout (the SDK's default is 10 minutes) or a stalled body read
 * would all take far longer.
 */
const DEADLINE_MS = TIMEOUT_MS + 1_500;
/** How long a test waits for a reply at all before it calls it a hang. */
const HANG_GUARD_MS = 15_000;
const API_KEY = 'sk-hardening-9f3c2a7e5b1d4c8a';

/** The offline parser is sure of these (llm mode still asks the model) ... */
const CONFIDENT = ['where is order 10042?', 'on-time rate last week'];
/** ... and unsure of these (hybrid mode asks the model only for them). */
const UNSURE = ['what did we deliver for Initech in June', 'book me a table for 4 at 7pm'];

/** A frame of another intent: were a late or broken answer used, the reply would be the help card. */
const HELP_FRAME = toolCallCompletion({ intent: 'help', entities: {} });

const GARBAGE: Array<[string, Script]> = [
  ['accepts the request and never answers', { delayMs: 10 * 60_000, json: HELP_FRAME }],
  ['answers a valid frame after the timeout', { delayMs: TIMEOUT_MS + 700, json: HELP_FRAME }],
  ['sends the headers and part of the body, then stalls', { stallAfter: 40, json: HELP_FRAME }],
  ['answers an HTML page with 200', { raw: '<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>', headers: { 'content-type': 'text/html' } }],
  ['answers a 502 gateway page', { status: 502, raw: '<html><head><title>502 Bad Gateway</title></head></html>', headers: { 'content-type': 'text/html' } }],
  ['answers truncated JSON', { raw: JSON.stringify(HELP_FRAME).slice(0, 150) }],
  ['calls the tool with arguments that are not JSON', { json: toolCallCompletion('{"intent": "help", "entities": {') }],
  ['calls the tool with arguments outside the contract', { json: toolCallCompletion({ intent: 'launch_rockets', entities: { order_id: 42 } }) }],
  ['answers HTTP 500 (echoing the key)', apiError(500, `upstream failure for key ${API_KEY}`)],
  ['answers HTTP 429 with retry-after 1 s', { ...apiError(429, 'Rate limit reached for requests.', 'requests'), headers: { 'retry-after': '1' } }],
  ['answers HTTP 429 with retry-after 5 s', { ...apiError(429, 'Rate limit reached for requests. Please try again in 5s.', 'requests'), headers: { 'retry-after': '5', 'retry-after-ms': '5000' } }],
];

interface SlackPost {
  text: unknown;
  blocks: unknown;
}

interface Answer {
  web: Reply[];
  slack: SlackPost;
  webMs: number;
  slackMs: number;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-outage-'));
const dbUrl = `sqlite:${path.join(tmp, 'outage.sqlite')}`;
let slack: FakeSlack;
let sent = 0;

/** One message over the web chat API and the same as a Slack DM at the same time, each timed until its reply. */
async function ask(bot: BotProcess, text: string): Promise<Answer> {
  const n = ++sent;
  const web = async () => {
    const started = Date.now();
    const res = await fetch(`${bot.base}/api/chat`, {
      method: 'POST',
      // A hang fails here, with the reason, rather than at the test's own timeout.
      signal: AbortSignal.timeout(HANG_GUARD_MS),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session: `outage-session-${n}`, messageId: `outage-message-${n}`, text }),
    });
    expect(res.status).toBe(200);
    const replies = ((await res.json()) as { replies: Reply[] }).replies;
    return { replies, ms: Date.now() - started };
  };
  const dm = async () => {
    const channel = `D0OUT${n}`;
    const ts = `1764001${String(n).padStart(3, '0')}.000100`;
    const started = Date.now();
    const ack = await postSigned(`${bot.base}/slack/events`, eventEnvelope(`Ev0OUT${n}`, { type: 'message', channel_type: 'im', user: 'U0CS', text, channel, ts, event_ts: ts }), 'json', { secret: SIGNING_SECRET });
    expect(ack.status).toBe(200);
    const posted = () => slack.callsOf('chat.postMessage').find((c) => c.args.channel === channel);
    await slack.waitFor(() => posted() !== undefined, `the reply in ${channel}`, HANG_GUARD_MS);
    const ms = Date.now() - started;
    const { text: t, blocks } = posted()!.args;
    return { post: { text: t, blocks }, ms };
  };
  const [w, s] = await Promise.all([web(), dm()]);
  return { web: w.replies, slack: s.post, webMs: w.ms, slackMs: s.ms };
}

/** The warnings the bot logged about falling back to the offline frame. */
function fallbackWarnings(bot: BotProcess): Array<{ msg: string; nlu: { fallback: string; mode: string } }> {
  return bot
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string; nlu?: { fallback: string; mode: string } })
    .filter((l) => l.level === 40 && l.nlu?.fallback === 'offline') as Array<{ msg: string; nlu: { fallback: string; mode: string } }>;
}

/** A port nothing listens on (bound, then released): connecting is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const offline = new Map<string, Answer>();

beforeAll(async () => {
  slack = await startFakeSlack();
  // The reference: the offline bot's answer to every message (it also seeds the shared demo database).
  const bot = await startBot(botEnv({ WAYBILL_NLU: 'offline' }));
  try {
    for (const text of [...CONFIDENT, ...UNSURE]) offline.set(text, await ask(bot, text));
  } finally {
    await bot.stop();
  }
}, 180_000);

afterAll(async () => {
  await slack?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function botEnv(env: Record<string, string>): Record<string, string> {
  return {
    DATABASE_URL: dbUrl,
    WAYBILL_NOW: NOW,
    SLACK_API_URL: slack.apiUrl,
    WAYBILL_DIGESTS: 'off',
    WAYBILL_RATE_LIMIT_PER_MINUTE: '0',
    WAYBILL_NLU_TIMEOUT_MS: String(TIMEOUT_MS),
    ...env,
  };
}

/** Asks `text` and checks the answer is the offline one, in time, with one more fallback warning. */
async function expectOfflineAnswerInTime(bot: BotProcess, text: string): Promise<void> {
  const warningsBefore = fallbackWarnings(bot).length;
  const answer = await ask(bot, text);
  const reference = offline.get(text)!;
  expect(answer.web).toEqual(reference.web);
  expect(answer.slack).toEqual(reference.slack);
  expect([answer.webMs, answer.slackMs].filter((ms) => ms >= DEADLINE_MS)).toEqual([]);
  // One warning per message (web and Slack), naming the fallback.
  expect(fallbackWarnings(bot).length - warningsBefore).toBe(2);
}

for (const mode of ['llm', 'hybrid'] as const) {
  // llm asks the model about every message; hybrid only about those the offline parser is unsure of.
  const messages = mode === 'llm' ? [...CONFIDENT, ...UNSURE] : UNSURE;
  const pick = (i: number) => messages[i % messages.length];

  describe(`model outage, ${mode} mode: the offline answer, in time`, () => {
    describe('the endpoint refuses connections', () => {
      let bot: BotProcess;
      beforeAll(async () => {
        bot = await startBot(botEnv({ WAYBILL_NLU: mode, OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1` }));
      }, 120_000);
      afterAll(() => bot?.stop());

      it.each(messages)('%s', async (text) => {
        await expectOfflineAnswerInTime(bot, text);
      });

      it('stays healthy, and its warnings name the fallback but never the key', async () => {
        await expectHealthy(bot, mode);
      });
    });

    describe('the endpoint accepts connections but fails', () => {
      let bot: BotProcess;
      let fake: FakeOpenAI;
      beforeAll(async () => {
        fake = await startFakeOpenAI();
        bot = await startBot(botEnv({ WAYBILL_NLU: mode, OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.baseURL }));
      }, 120_000);
      afterAll(async () => {
        await bot?.stop();
        await fake?.close();
      });

      it.each(GARBAGE.map(([name, script], i) => [name, script, i] as const))('%s', async (_name, script, i) => {
        fake.reset();
        fake.setFallback(script);
        await expectOfflineAnswerInTime(bot, pick(i));
        // Asked once per message (web and Slack), never again: no retry, whatever the status or retry-after says.
        expect(fake.requests).toHaveLength(2);
        expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
      });

      if (mode === 'hybrid') {
        it('a message the offline parser is sure of never reaches the model', async () => {
          fake.reset();
          fake.setFallback({ delayMs: 10 * 60_000, json: HELP_FRAME });
          const answer = await ask(bot, CONFIDENT[0]);
          expect(answer.web).toEqual(offline.get(CONFIDENT[0])!.web);
          expect(fake.requests).toHaveLength(0);
        });
      }

      it('stays healthy, and its warnings name the fallback but never the key', async () => {
        await expectHealthy(bot, mode);
      });
    });
  });
}

describe('model outage with the default timeout (4 s): a failing server is asked once per message', () => {
  // Under 800 ms a retry could not even start (LangChain's backoff is 1 to 2 s): here one would.
  const DEFAULT_TIMEOUT_MS = 4_000;
  let bot: BotProcess;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const { WAYBILL_NLU_TIMEOUT_MS: _low, ...env } = botEnv({ WAYBILL_NLU: 'llm', OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.baseURL });
    bot = await startBot(env);
  }, 120_000);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it.each(GARBAGE.filter(([name]) => /HTTP|502/.test(name)))('%s', async (_name, script) => {
    fake.reset();
    fake.setFallback(script);
    const answer = await ask(bot, CONFIDENT[0]);
    expect(answer.web).toEqual(offline.get(CONFIDENT[0])!.web);
    expect(answer.slack).toEqual(offline.get(CONFIDENT[0])!.slack);
    expect([answer.webMs, answer.slackMs].filter((ms) => ms >= DEFAULT_TIMEOUT_MS + 1_500)).toEqual([]);
    expect(fake.requests).toHaveLength(2);
  });
});

async function expectHealthy(bot: BotProcess, mode: string): Promise<void> {
  const health = await fetch(`${bot.base}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true, database: 'sqlite' });
  const warnings = fallbackWarnings(bot);
  expect(warnings.length).toBeGreaterThan(0);
  for (const w of warnings) {
    expect(w.msg).toMatch(/^nlu: the language model (failed|answered with an invalid frame); using the offline frame$/);
    expect(w.nlu.mode).toBe(mode);
  }
  expect(bot.stderr()).not.toContain(API_KEY);
  expect(bot.stderr()).not.toContain(API_KEY.slice(3, 15));
}
