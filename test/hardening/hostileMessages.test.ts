import { loadConfig } from '../../bot/config';
import { createApp, type App } from '../../bot/container';
import type { Inbound, Speaker } from '../../domain/conversation/inbound';
import { buttonsOf, type ButtonAction, type Reply } from '../../domain/conversation/reply';
import type { Role } from '../../domain/roles';
import { openDatabase, type Database } from '../../data/db';
import { projectRoot } from '../../bot/projectRoot';
import { TEST_DB_TARGETS } from '../support/databases';
import { TRANSCRIPT_NOW } from '../conversations/transcriptRunner';
import { formatBreakdown, hostileCorpus, preview, realIdsOf, type HostileMessage } from './hostileCorpus';
import { BOOKKEEPING_TABLES, UNCHANGED_TABLES, tableHashes, tablesOf } from './businessTables';
import { replyProblems } from './replyChecks';
import { describeHttp } from './hostileHttp';
import { pool } from './concurrency';

/**
 * 10,000 hostile and broken messages through the conversation core that `npm start` wires up
 * (bot/container.ts), on every database, from people of every role on every channel, each in a
 * conversation of its own: every one answered in time with a well-formed reply that leaks nothing,
 * and nothing but the bot's bookkeeping written. Then real proposals followed by noise and forged
 * confirmations, which must write nothing either; and a genuine confirmation, which must (so the
 * comparison is known to see a write). The same over real HTTP is in ./hostileHttp.ts.
 */

/** "No hang": far above any answer's time on the slowest machine, far below a stuck promise. */
const DEADLINE_MS = 10_000;
/** Messages in flight at once, as when several people talk to one replica. */
const CONCURRENCY = 4;

interface Participant {
  speaker: Speaker;
  /** Registered with this role (on the speaker's platform, or as a local handle on console); none: the default role (cs) or the local operator. */
  role?: Role;
}

/** Every role, on every channel; unregistered people get the default role (cs). */
const PEOPLE: Participant[] = [
  { speaker: { platform: 'slack', id: 'UHCS01' }, role: 'cs' },
  { speaker: { platform: 'slack', id: 'UHOPS01' }, role: 'ops' },
  { speaker: { platform: 'slack', id: 'UHFIN01' }, role: 'finance' },
  { speaker: { platform: 'slack', id: 'UHADM01' }, role: 'admin' },
  { speaker: { platform: 'teams', id: '6f1c2d3e-0000-4a5b-8c9d-0123456789ab' }, role: 'ops' },
  { speaker: { platform: 'teams', id: '7a2b3c4d-1111-4a5b-8c9d-0123456789ab' }, role: 'finance' },
  { speaker: { platform: 'console', id: 'olga' }, role: 'ops' },
  { speaker: { platform: 'console', id: 'fiona' }, role: 'finance' },
  { speaker: { platform: 'console', id: 'operator' } }, // the local operator: admin
  { speaker: { platform: 'web', id: 'operator' } }, // the web chat operator: admin
  { speaker: { platform: 'slack', id: 'UNOBODY1' } }, // not registered: cs
  { speaker: { platform: 'teams', id: '00000000-dead-beef-0000-000000000000' } }, // not registered: cs
];
const person = (id: string): Speaker => PEOPLE.find((p) => p.speaker.id === id)!.speaker;
const OPS = person('UHOPS01');
const FINANCE = person('UHFIN01');
const ADMIN = person('UHADM01');

async function registerPeople(app: App): Promise<void> {
  for (const p of PEOPLE) {
    if (!p.role) continue;
    const platform = p.speaker.platform === 'console' || p.speaker.platform === 'web' ? 'local' : p.speaker.platform;
    await app.repos.users.upsert({ platform, externalId: p.speaker.id, displayName: `Hostile ${p.role}`, role: p.role });
  }
}

/** The answer, or a rejection naming the message when there is none within the deadline. */
async function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DEADLINE_MS / 1000} s: ${what}`)), DEADLINE_MS);
  });
  try {
    return await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
  }
}

const typedOf = (m: { text?: string; action?: ButtonAction }) => m.text ?? `${m.action!.id} ${m.action!.value}`;
/** What a carried-out write answers; a forged confirmation must never get one of these. */
const WROTE = /Created order|Cancelled order|Dispute #\d+ recorded|Already recorded|^Scheduled #|Stopped schedule|^Disputed:|^Accepted:/m;

let corpusPrinted = false;

for (const target of TEST_DB_TARGETS) {
  describe(`hostile and broken messages through the conversation core [${target.name}]`, () => {
    const url = target.freshUrl();
    let app: App;
    let raw: Database;
    let corpus: HostileMessage[];
    let before: Record<string, string>;
    let logBefore: number;

    beforeAll(async () => {
      // The rate limiter is not under test here (test/conversations covers it): every message must reach the parser and the handlers.
      app = await createApp(loadConfig({ DATABASE_URL: url, WAYBILL_NOW: TRANSCRIPT_NOW, WAYBILL_NLU: 'offline', LOG_LEVEL: 'silent', WAYBILL_RATE_LIMIT_PER_MINUTE: '0' }));
      // What `waybill seed --demo --shipments 400` does: the demo data set, then the audit of its invoices.
      await app.seeder.seed({ shipments: 400, seed: 42, today: app.clock.today() });
      await app.audit.run({});
      await registerPeople(app);
      raw = await openDatabase({ url, projectRoot: projectRoot() });
      corpus = hostileCorpus({ ids: await realIdsOf(raw.sql) });
      if (!corpusPrinted) console.log(formatBreakdown(corpus));
      corpusPrinted = true;
      before = await tableHashes(raw.sql);
      logBefore = await app.repos.actionLog.count();
    }, 120_000);
    afterAll(async () => {
      await raw?.close();
      await app?.close();
      await target.dispose(url);
    });

    it('knows every table: each one is either compared or named as bookkeeping', async () => {
      expect(await tablesOf(raw.sql)).toEqual([...Object.keys(UNCHANGED_TABLES), ...Object.keys(BOOKKEEPING_TABLES)].sort());
    });

    it('answers all 10,000 in time, never throws, shows no internals, writes nothing', async () => {
      const failures: string[] = [];
      const tones = new Map<string, number>();
      const slowest: Array<[number, HostileMessage]> = [];
      const started = Date.now();
      await pool(corpus, CONCURRENCY, async (m) => {
        const who = PEOPLE[m.n % PEOPLE.length].speaker;
        const inbound: Inbound = {
          speaker: who,
          // A conversation and thread of its own: a typed "yes" never follows a real proposal here.
          conversation: { platform: who.platform, id: `hostile-${m.n}`, threadId: `t${m.n}`, name: `#hostile-${m.n % 10}` },
          ...(m.action ? { action: m.action } : { text: m.text }),
          eventKey: `hostile:${m.n}`,
        };
        let replies: Reply[];
        const t0 = Date.now();
        try {
          replies = await withDeadline(app.conversation.handle(inbound), preview(m));
          slowest.push([Date.now() - t0, m]);
          if (slowest.length > 5) slowest.sort((a, b) => b[0] - a[0]).pop();
        } catch (e) {
          failures.push(`${preview(m)} [${who.platform}:${who.id}] -> ${(e as Error).message}`);
          return;
        }
        for (const p of replyProblems(replies, typedOf(m))) failures.push(`${preview(m)} [${who.platform}:${who.id}] -> ${p}`);
        const tone = `${m.category}:${replies[0]?.tone ?? '?'}`;
        tones.set(tone, (tones.get(tone) ?? 0) + 1);
      });
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `[${target.name}] ${corpus.length.toLocaleString('en-US')} hostile messages through the core in ${seconds.toFixed(1)} s ` +
          `(${Math.round(corpus.length / seconds).toLocaleString('en-US')} messages/s, ${CONCURRENCY} in flight)\n` +
          `  first reply's tone by category: ${[...tones.entries()].sort().map(([k, n]) => `${k} ${n}`).join(', ')}\n` +
          `  slowest answers: ${slowest.map(([ms, m]) => `${ms} ms ${preview(m, 70)}`).join('; ')}`,
      );
      expect({ count: failures.length, first: failures.slice(0, 15) }).toEqual({ count: 0, first: [] });
      expect(await tableHashes(raw.sql)).toEqual(before);
      const logged = (await app.repos.actionLog.count()) - logBefore;
      console.log(`[${target.name}] the action log grew by ${logged.toLocaleString('en-US')} entries`);
      expect(logged).toBeGreaterThan(0);
    }, 240_000);

    /** Messages this test found answered wrongly, kept by name (each was a bug fixed in the product). */
    const REGRESSIONS: Array<{ name: string; who: Speaker; text?: string; action?: ButtonAction; says: RegExp }> = [
      // The parser's word tables were plain objects: "constructor" found Object's constructor as a month or a unit.
      { name: '"constructor" as a month: a NaN period and an internal error', who: OPS, text: 'in transit to constructor', says: /No in transit shipments/ },
      { name: '"constructor" as a month: "NaN-NaN-NaN" as the audit period', who: FINANCE, text: 'audit invoice constructor', says: /Freight audit|can't find invoice/ },
      { name: '"constructor" as a unit: function Object() on the order card', who: OPS, text: 'new order for Acme Corp: 3 constructor from Chicago to Dallas', says: /What is shipping\?/ },
      { name: '"constructor" as a unit word in a later answer of the dialog', who: person('olga'), text: 'new order for Globex: 2 pallets from Memphis to Atlanta, make it 4 constructor', says: /New order for Globex|What is shipping/ },
      // A Stop button's value went to SQL as NaN ("no such column: NaN" on SQLite).
      { name: 'a forged Stop button whose value is not a number', who: OPS, action: { id: 'stop_digest', value: 'abc' }, says: /not valid any more/ },
      { name: 'a forged Stop button with an id beyond any integer column', who: ADMIN, action: { id: 'stop_digest', value: '1e308' }, says: /not valid any more/ },
    ];

    it.each(REGRESSIONS.map((r) => [r.name, r] as const))('regression: %s', async (_name, r) => {
      const replies = await withDeadline(
        app.conversation.handle({ speaker: r.who, conversation: { platform: r.who.platform, id: 'regressions', threadId: r.name }, ...(r.text ? { text: r.text } : { action: r.action }), eventKey: `regression:${r.name}` }),
        r.name,
      );
      expect(replyProblems(replies, r.text ?? '')).toEqual([]);
      expect(replies[0].text).toMatch(r.says);
    }, 30_000);

    describe('real proposals followed by noise and forged confirmations', () => {
      const [ops, admin, finance] = [OPS, ADMIN, FINANCE];
      const otherOps = person('6f1c2d3e-0000-4a5b-8c9d-0123456789ab');
      const stranger = person('UNOBODY1');
      let seq = 0;
      const send = async (speaker: Speaker, where: { platform?: Speaker['platform']; id: string; threadId?: string }, what: { text?: string; action?: ButtonAction }, eventKey = `forge:${++seq}`) => {
        const inbound: Inbound = {
          speaker,
          conversation: { platform: where.platform ?? speaker.platform, id: where.id, threadId: where.threadId, name: `#${where.id}` },
          ...what,
          eventKey,
        };
        return withDeadline(app.conversation.handle(inbound), JSON.stringify(what).slice(0, 100));
      };
      const confirmOf = (replies: Reply[]) => replies.flatMap(buttonsOf).find((b) => b.action.id === 'confirm')?.action;

      /** Noise from the corpus that is not a confirmation: injections, markup, junk ids, extremes. */
      const noise = () => corpus.filter((m) => m.text && ['sql', 'prompt', 'markup', 'fake_ids', 'numbers', 'dates', 'huge'].includes(m.category)).slice(0, 12);

      const PROPOSALS: Array<{ who: Speaker; text: string; action: string }> = [
        { who: ops, text: 'cancel order {open}', action: 'cancel_order' },
        { who: ops, text: 'new order for Acme Corp: 6 pallets of printer paper from Chicago to Dallas, pickup Friday', action: 'create_order' },
        { who: finance, text: 'flag {invoice}, fuel surcharge billed twice, $120.50', action: 'flag_invoice' },
        { who: admin, text: 'post the KPI digest to #ops-reports every weekday at 8am', action: 'schedule_digest' },
      ];

      it.each(PROPOSALS.map((p, i) => [p.action, i] as const))('%s: a card, then noise and forgeries, and nothing is written', async (_action, i) => {
        const p = PROPOSALS[i];
        const ids = await realIdsOf(raw.sql);
        const text = p.text.replace('{open}', ids.orders[0]).replace('{invoice}', ids.invoices[0]);
        const channel = `forge-${target.name}-${i}`;
        const thread = { id: channel, threadId: 'T1' };
        const cardKey = `forge:${channel}:card`;
        const card = await send(p.who, thread, { text }, cardKey);
        const real = confirmOf(card);
        if (!real) throw new Error(`no confirmation card for "${text}": ${card.map((r) => r.text).join('\n')}`);
        const answers: Array<[string, Reply[]]> = [];
        const say = async (label: string, r: Promise<Reply[]>) => answers.push([label, await r]);

        // Noise in the very thread, by the very person: none of it is a confirmation.
        for (const m of noise()) await say(`noise ${preview(m, 60)}`, send(p.who, thread, { text: m.text }));
        await say('the real token as typed JSON', send(p.who, thread, { text: JSON.stringify({ action: real }) }));
        await say('typed "yes, and create 1000 more"', send(p.who, thread, { text: 'yes, and create 1000 more orders' }));
        await say('typed "confirm; DROP TABLE orders"', send(p.who, thread, { text: "confirm'; DROP TABLE orders;--" }));
        // Typed confirmations elsewhere: another thread, another channel, another platform.
        for (const word of ['yes', 'Confirm', 'confirm', 'ok']) {
          await say(`"${word}" in another thread`, send(p.who, { id: channel, threadId: 'T2' }, { text: word }));
          await say(`"${word}" in another channel`, send(p.who, { id: `${channel}-elsewhere`, threadId: 'T1' }, { text: word }));
          await say(`"${word}" with no thread`, send(p.who, { id: channel }, { text: word }));
        }
        await say('"yes" on another platform', send({ ...p.who, platform: 'teams' }, thread, { text: 'yes' }));
        // Other people confirming in the thread: typed, and pressing the real button.
        for (const other of [otherOps, admin, finance, stranger].filter((s) => s.id !== p.who.id)) {
          await say(`"yes" by ${other.id}`, send(other, { ...thread, platform: p.who.platform }, { text: 'yes' }));
          await say(`"Confirm" by ${other.id}`, send(other, { ...thread, platform: p.who.platform }, { text: 'Confirm' }));
          await say(`the real button by ${other.id}`, send(other, { ...thread, platform: p.who.platform }, { action: real }));
        }
        // Forged and misplaced button presses by the person.
        await say('the real button in another thread', send(p.who, { id: channel, threadId: 'T2' }, { action: real }));
        await say('the real button in another channel', send(p.who, { id: `${channel}-elsewhere`, threadId: 'T1' }, { action: real }));
        for (const value of ['', '0123456789abcdef', real.value.toUpperCase(), `${real.value} `, real.value.slice(0, -1), `${real.value}|${real.value}`, "' OR '1'='1", '{"$ne":null}']) {
          await say(`made-up token ${JSON.stringify(value)}`, send(p.who, thread, { action: { id: 'confirm', value } }));
        }
        for (const id of ['CONFIRM', 'Confirm', ' confirm', 'confirmed', 'yes', 'dispute', 'accept', 'stop_digest']) {
          await say(`the real token under id ${JSON.stringify(id)}`, send(p.who, thread, { action: { id, value: real.value } }));
        }
        // A stale card: the person asks again (a new card, a new token), then presses the old one.
        const second = confirmOf(await send(p.who, thread, { text }));
        await say('the stale (replaced) card', send(p.who, thread, { action: real }));
        // A replay of an event already handled (the proposal's own key), now carrying the live token.
        expect(await send(p.who, thread, { action: second ?? real }, cardKey)).toEqual([]);

        const problems: string[] = [];
        for (const [label, replies] of answers) {
          for (const x of replyProblems(replies, label)) problems.push(`${label}: ${x}`);
          const said = replies.map((r) => r.text).join('\n');
          if (WROTE.test(said)) problems.push(`${label}: carried out a write: ${said.slice(0, 200)}`);
        }
        expect(problems).toEqual([]);
        expect(await tableHashes(raw.sql)).toEqual(before);
      }, 60_000);

      it('control: the genuine confirmation does write, and the comparison sees it', async () => {
        const ids = await realIdsOf(raw.sql);
        const thread = { id: `control-${target.name}`, threadId: 'T1' };
        const card = await send(ops, thread, { text: `cancel order ${ids.orders[0]}` });
        const done = await send(ops, thread, { action: confirmOf(card)! });
        expect(done[0].text).toMatch(new RegExp(`Cancelled order ${ids.orders[0]}`));
        const after = await tableHashes(raw.sql);
        expect(after.orders).not.toEqual(before.orders);
        // Cancelling an order also cancels its shipments not yet shipped; nothing else changes.
        expect({ ...after, orders: before.orders, shipments: before.shipments }).toEqual(before);
      }, 30_000);
    });
  });
}

describeHttp();
