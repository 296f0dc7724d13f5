import { createHmac } from 'node:crypto';
import { runCli } from '../support/cli';
import { blockActionsBody, eventEnvelope, FAKE_BOT, startFakeSlack, type FakeSlack, type SlackCall } from '../support/fakeSlack';
import { SIGNING_SECRET, startBot, type BotProcess } from '../slack/botProcess';
import { blockKitProblems, type Block } from '../../bot/slack/blockKit';
import { DEFAULT_MAX_BODY_BYTES, MAX_TEXT_CHARS } from '../../bot/web/api';
import { openDatabase, type Database } from '../../data/db';
import { projectRoot } from '../../bot/projectRoot';
import { TEST_DB_TARGETS } from '../support/databases';
import { hostileCorpus, preview, realIdsOf, type HostileMessage } from './hostileCorpus';
import { tableHashes } from './businessTables';
import { replyProblems, textProblems } from './replyChecks';
import { pool } from './concurrency';

/**
 * A slice of the hostile corpus over real HTTP to `npm start` (node dist/bot/main.js): signed Slack
 * events and button presses to /slack/events (answers land in a fake Slack Web API), and the web
 * chat's POST /api/chat, plus bodies no client should send (invalid JSON, invalid UTF-8, 100 KB). The
 * process must stay up and healthy, every accepted event must be answered in Slack, every web request
 * must get the documented status, and the business tables must not change.
 */

/** How many corpus messages go to each endpoint (besides the broken bodies). */
const SLACK_TEXTS = 240;
const SLACK_BUTTONS = 30;
const WEB_TEXTS = 200;
const WEB_BUTTONS = 30;
/** 100 KB bodies and messages around the 4,000-character limit, to each endpoint. */
const HUGE_EACH = 15;
/** Requests in flight at once. */
const IN_FLIGHT = 6;
/** Slack people: two registered (ops, finance), the rest get the default role; few enough messages each to stay under the rate limit. */
const SLACK_USERS = ['U0HOPS', 'U0HFIN', ...Array.from({ length: 18 }, (_, i) => `U0H${String(i).padStart(2, '0')}`)];

/** Signs the raw bytes as Slack does (v0 HMAC-SHA256 over "v0:<ts>:<body>"). */
async function postSignedBytes(url: string, body: Buffer, type: string): Promise<{ status: number; text: string }> {
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SIGNING_SECRET).update(Buffer.concat([Buffer.from(`v0:${ts}:`), body])).digest('hex')}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig }, body });
  return { status: res.status, text: await res.text() };
}

async function postJson(url: string, body: Buffer | string, type = 'application/json'): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    return { status: res.status, json: text };
  }
}

/** Polls until the condition holds: the bot logs each answered delivery, the test waits for all of them. */
async function until(condition: () => boolean, what: () => string, guardMs: number): Promise<void> {
  const end = Date.now() + guardMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A press whose value the bot repeats verbatim ("I don't know a customer called …"), from the ops person
 * (n % 20 = 0): Slack markup in it must arrive escaped, so it is known to reach a post.
 */
const ECHOED_MARKUP: HostileMessage = { n: 100_000, category: 'markup', kind: 'echoed_markup', action: { id: 'choose_customer', value: '<!channel> <@U0HOPS> <#C0GENERAL>' } };

/** The slices: in corpus order, so they are the same every run. */
function slices(corpus: HostileMessage[]) {
  const texts = corpus.filter((m) => m.text !== undefined && m.category !== 'huge');
  const huge = corpus.filter((m) => m.category === 'huge');
  const buttons = corpus.filter((m) => m.action);
  return {
    slack: [...texts.slice(0, SLACK_TEXTS), ...huge.slice(0, HUGE_EACH), ...buttons.slice(0, SLACK_BUTTONS), ECHOED_MARKUP],
    web: [...texts.slice(SLACK_TEXTS, SLACK_TEXTS + WEB_TEXTS), ...huge.slice(HUGE_EACH, 2 * HUGE_EACH), ...buttons.slice(SLACK_BUTTONS, SLACK_BUTTONS + WEB_BUTTONS)],
  };
}

/**
 * What POST /api/chat must answer for a message (bot/web/api.ts: 16 KB bodies, 4,000 characters, ids and
 * values bounded). Characters are counted in UTF-16 units, as the core counts them: 2,001 emoji are too long.
 */
function expectedWebStatus(m: HostileMessage, bodyBytes: number): number {
  if (bodyBytes > DEFAULT_MAX_BODY_BYTES) return 413;
  if (m.text !== undefined) return m.text.length > MAX_TEXT_CHARS || !m.text.trim() ? 400 : 200;
  const a = m.action!;
  return a.id.length < 1 || a.id.length > 100 || a.value.length > 1000 ? 400 : 200;
}

/** Bodies no well-behaved client sends, with the statuses the web chat may answer (never a 5xx). */
const BROKEN_WEB: Array<{ what: string; body: Buffer | string; type?: string; statuses: number[] }> = [
  { what: 'truncated JSON', body: '{"session":"brokenjson01","text":', statuses: [400] },
  { what: 'a lone brace', body: '{', statuses: [400] },
  { what: 'JSON null', body: 'null', statuses: [400] },
  { what: 'a JSON array', body: '[{"session":"brokenjson02","text":"help"}]', statuses: [400] },
  { what: 'a JSON string', body: '"help"', statuses: [400] },
  { what: 'trailing garbage', body: '{"session":"brokenjson03","text":"help"}garbage', statuses: [400] },
  { what: 'an empty body', body: '', statuses: [400] },
  { what: 'deeply nested arrays', body: '['.repeat(15_000), statuses: [400, 413] },
  { what: 'a prototype key', body: '{"session":"brokenjson04","text":"help","__proto__":{"admin":true}}', statuses: [400] },
  { what: 'text as a number', body: '{"session":"brokenjson05","text":1e308}', statuses: [400] },
  { what: 'a NUL in the session id', body: '{"session":"broken\\u0000json06","text":"help"}', statuses: [400] },
  { what: 'invalid UTF-8 inside the text', body: Buffer.concat([Buffer.from('{"session":"brokenutf801","text":"where is order '), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from(' 10042?"}')]), statuses: [200] },
  { what: 'an overlong-encoded quote', body: Buffer.concat([Buffer.from('{"session":"brokenutf802","text":"help'), Buffer.from([0xc0, 0xa2]), Buffer.from('"}')]), statuses: [200] },
  { what: 'invalid UTF-8 outside strings', body: Buffer.concat([Buffer.from('{"session":"brokenutf803",'), Buffer.from([0xff, 0xff]), Buffer.from('"text":"help"}')]), statuses: [400] },
  { what: 'a lone surrogate encoded in UTF-8 (CESU)', body: Buffer.concat([Buffer.from('{"session":"brokenutf804","text":"track '), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), statuses: [200] },
  { what: 'UTF-16 instead of UTF-8', body: Buffer.from('{"session":"brokenutf805","text":"help"}', 'utf16le'), statuses: [400] },
  { what: '100 KB of JSON', body: JSON.stringify({ session: 'brokenbig01', text: 'x'.repeat(100 * 1024) }), statuses: [413] },
  { what: 'the wrong content type', body: '{"session":"brokentype1","text":"help"}', type: 'text/plain', statuses: [415] },
];

/** Signed Slack bodies that are broken (the signature is right; the content is not). */
const BROKEN_SLACK: Array<{ what: string; body: Buffer; type: string }> = [
  { what: 'truncated JSON', body: Buffer.from('{"type":"event_callback","event":{"type":"app_mention"'), type: 'application/json' },
  { what: 'not JSON at all', body: Buffer.from("'; DROP TABLE orders;--"), type: 'application/json' },
  { what: 'an event without fields', body: Buffer.from('{"type":"event_callback","event_id":"Ev0HBROKEN1","event":{}}'), type: 'application/json' },
  // Wrong types where our code reads the event (regression: a text that is not a string was a TypeError in the listener).
  { what: 'an event of the wrong types', body: Buffer.from('{"type":"event_callback","event_id":"Ev0HBROKEN2","event":{"type":"app_mention","user":7,"text":["a"],"channel":"C0HBROKEN","ts":{}}}'), type: 'application/json' },
  { what: 'a mention whose text is a list', body: Buffer.from('{"type":"event_callback","event_id":"Ev0HBROKEN4","event":{"type":"app_mention","user":"U0H01","text":["help"],"channel":"C0HBROKEN","ts":"1765999002.000100"}}'), type: 'application/json' },
  { what: 'invalid UTF-8 in the text', body: Buffer.concat([Buffer.from('{"type":"event_callback","event_id":"Ev0HBROKEN3","event":{"type":"app_mention","user":"U0H01","channel":"C0HBROKEN","ts":"1764999001.000100","text":"help '), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]), type: 'application/json' },
  { what: 'a form with a broken payload', body: Buffer.from('payload=%7Bnot%20json'), type: 'application/x-www-form-urlencoded' },
  { what: 'a payload without actions', body: Buffer.from(`payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"U0H01"},"actions":[]}')}`), type: 'application/x-www-form-urlencoded' },
  { what: '100 KB of garbage', body: Buffer.alloc(100 * 1024, 0xff), type: 'application/json' },
];

export function describeHttp(): void {
  for (const target of TEST_DB_TARGETS) {
    describe(`hostile and broken messages over HTTP to npm start: Slack events and the web chat [${target.name}]`, () => {
      const url = target.freshUrl();
      let fake: FakeSlack;
      let bot: BotProcess;
      let raw: Database;
      let corpus: HostileMessage[];
      let before: Record<string, string>;
      let logBefore = 0;

      beforeAll(async () => {
        fake = await startFakeSlack();
        // npm start seeds the demo data set into the empty database and audits it, then serves.
        bot = await startBot({ DATABASE_URL: url, SLACK_API_URL: fake.apiUrl });
        for (const [id, role] of [['U0HOPS', 'ops'], ['U0HFIN', 'finance']]) {
          expect(runCli(['users', 'add', id, '--platform', 'slack', '--role', role], { env: { DATABASE_URL: url } }).code).toBe(0);
        }
        raw = await openDatabase({ url, projectRoot: projectRoot() });
        corpus = hostileCorpus({ ids: await realIdsOf(raw.sql) });
        before = await tableHashes(raw.sql);
        logBefore = Number((await raw.sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM action_log'))[0].n);
      }, 180_000);
      afterAll(async () => {
        await bot?.stop();
        await fake?.close();
        await raw?.close();
        await target.dispose(url);
      });

      it('Slack: every accepted event and button press is answered in its thread with valid Block Kit; broken bodies are refused', async () => {
        const started = Date.now();
        const events = `${bot.base}/slack/events`;
        const accepted: Array<{ key: string; ts: string; m: HostileMessage }> = [];
        const failures: string[] = [];
        await pool(slices(corpus).slack, IN_FLIGHT, async (m) => {
          const ts = `1765${String(m.n).padStart(6, '0')}.000100`;
          const user = SLACK_USERS[m.n % SLACK_USERS.length];
          let body: string;
          let type: 'json' | 'form';
          let key: string;
          if (m.action) {
            const trigger = `trig-hostile-${m.n}`;
            body = blockActionsBody({
              user_id: user, channel_id: 'C0HOSTILE', trigger_id: trigger,
              message: { ts, thread_ts: ts, text: 'an earlier card', blocks: [] },
              action: { action_id: 'waybill:1', block_id: 'b1', value: JSON.stringify(m.action), text: 'Confirm' },
            });
            type = 'form';
            key = `act:${trigger}`;
          } else {
            // A mention in a channel (answered in its thread) or a direct message in a thread.
            const dm = m.n % 4 === 0;
            const channel = dm ? 'D0HOSTILE' : 'C0HOSTILE';
            body = eventEnvelope(`Ev0H${m.n}`, dm
              ? { type: 'message', channel_type: 'im', user, text: m.text, channel, ts, thread_ts: ts, event_ts: ts }
              : { type: 'app_mention', user, text: `<@${FAKE_BOT.userId}> ${m.text}`, channel, ts, event_ts: ts });
            type = 'json';
            key = `msg:${channel}:${ts}`;
          }
          const res = await postSignedBytes(events, Buffer.from(body), type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded');
          if (res.status !== 200) failures.push(`${preview(m)} -> HTTP ${res.status}`);
          else accepted.push({ key, ts, m });
        });
        const broken: string[] = [];
        for (const b of BROKEN_SLACK) {
          const res = await postSignedBytes(events, b.body, b.type);
          if (res.status >= 500) broken.push(`${b.what} -> HTTP ${res.status}`);
        }
        const ours = new Set(accepted.map((a) => a.key));
        const handled = () => bot.handled().filter((h) => ours.has(h.eventKey)) as Array<{ eventKey: string; replies: number; delivered?: boolean }>;
        await until(() => handled().length >= accepted.length, () => `${accepted.length - handled().length} of ${accepted.length} Slack deliveries to be answered`, 120_000);
        const byKey = new Map(handled().map((h) => [h.eventKey, h]));
        const posts = new Map<string, SlackCall[]>();
        for (const c of fake.callsOf('chat.postMessage')) {
          const k = `${c.args.channel}:${c.args.thread_ts}`;
          posts.set(k, [...(posts.get(k) ?? []), c]);
        }
        for (const a of accepted) {
          const h = byKey.get(a.key)!;
          const channel = a.key.startsWith('act:') ? 'C0HOSTILE' : a.key.split(':')[1];
          const mine = posts.get(`${channel}:${a.ts}`) ?? [];
          if (h.replies < 1 || h.delivered === false) failures.push(`${preview(a.m)} -> handled with ${h.replies} replies, delivered ${h.delivered}`);
          if (!mine.length) failures.push(`${preview(a.m)} -> accepted but nothing posted in its thread`);
          for (const post of mine) {
            const blocks = (post.args.blocks ?? []) as Block[];
            for (const p of blockKitProblems({ text: String(post.args.text ?? ''), blocks })) failures.push(`${preview(a.m)} -> invalid Block Kit: ${p}`);
            const shown = `${post.args.text}\n${JSON.stringify(blocks)}`;
            for (const p of textProblems(shown, a.m.text ?? JSON.stringify(a.m.action))) failures.push(`${preview(a.m)} -> ${p}`);
            // Markup soup echoed back must arrive escaped: a live <!channel> or <@U…> would ping people.
            const live = /<[!@#][^>]*>/.exec(shown);
            if (live) failures.push(`${preview(a.m)} -> posts live Slack markup ${JSON.stringify(live[0])}`);
          }
        }
        const seconds = (Date.now() - started) / 1000;
        console.log(`[${target.name}] Slack over HTTP: ${accepted.length} events and clicks accepted and answered, ${BROKEN_SLACK.length} broken bodies refused, in ${seconds.toFixed(1)} s (${Math.round(accepted.length / seconds)} messages/s)`);
        expect(broken).toEqual([]);
        expect({ count: failures.length, first: failures.slice(0, 15) }).toEqual({ count: 0, first: [] });
        expect(fake.callsOf('chat.postMessage').some((c) => JSON.stringify(c.args.blocks).includes('&lt;!channel&gt; &lt;@U0HOPS&gt;'))).toBe(true);
      }, 180_000);

      it('web chat: every request gets its documented status, every 200 a well-formed answer; broken bodies get a 4xx', async () => {
        const started = Date.now();
        const chat = `${bot.base}/api/chat`;
        const failures: string[] = [];
        const items = slices(corpus).web;
        await pool(items, IN_FLIGHT, async (m) => {
          const body = JSON.stringify({ session: `hostile-web-${m.n}`, messageId: `message-${m.n}`, ...(m.action ? { action: m.action } : { text: m.text }) });
          const want = expectedWebStatus(m, Buffer.byteLength(body));
          const res = await postJson(chat, body);
          if (res.status !== want) failures.push(`${preview(m)} -> HTTP ${res.status}, expected ${want}: ${JSON.stringify(res.json).slice(0, 200)}`);
          if (res.status === 200) {
            for (const p of replyProblems((res.json as { replies?: unknown }).replies, m.text ?? `${m.action!.id} ${m.action!.value}`)) failures.push(`${preview(m)} -> ${p}`);
          } else if (typeof (res.json as { message?: unknown }).message !== 'string') failures.push(`${preview(m)} -> HTTP ${res.status} without a JSON error message`);
        });
        for (const b of BROKEN_WEB) {
          const res = await postJson(chat, b.body, b.type);
          if (!b.statuses.includes(res.status)) failures.push(`${b.what} -> HTTP ${res.status}, expected ${b.statuses.join(' or ')}`);
          if (res.status === 200) for (const p of replyProblems((res.json as { replies?: unknown }).replies, '')) failures.push(`${b.what} -> ${p}`);
        }
        const seconds = (Date.now() - started) / 1000;
        console.log(`[${target.name}] web chat over HTTP: ${items.length + BROKEN_WEB.length} requests in ${seconds.toFixed(1)} s (${Math.round((items.length + BROKEN_WEB.length) / seconds)} requests/s)`);
        expect({ count: failures.length, first: failures.slice(0, 15) }).toEqual({ count: 0, first: [] });
      }, 120_000);

      it('afterwards the process is up and healthy, logged no failure, and changed nothing but its bookkeeping', async () => {
        const res = await fetch(`${bot.base}/healthz`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ ok: true, database: target.name });
        // The core and the channels log a failure they caught (an answer that could not be made or posted).
        const failed = bot.stderr().split('\n').filter((l) => /handler failed|slack: \w+ failed|core failed|request failed|Bolt error|uncaught|unhandled/i.test(l));
        expect(failed.slice(0, 5)).toEqual([]);
        expect(await tableHashes(raw.sql)).toEqual(before);
        const logAfter = Number((await raw.sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM action_log'))[0].n);
        expect(logAfter).toBeGreaterThan(logBefore);
      }, 30_000);
    });
  }
}
