import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../bot/config';
import { createApp, type App } from '../../bot/container';
import { createTeamsChannel, type TeamsChannel } from '../../bot/teams/teamsChannel';
import { loadTeamsConfig } from '../../bot/teams/teamsConfig';
import type { ConversationCore } from '../../handlers/core';
import type { Inbound } from '../../domain/conversation/inbound';
import { reply as makeReply, textReply } from '../../domain/conversation/reply';
import { silentLogger } from '../../domain/logger';
import { openDatabase, type Database } from '../../data/db';
import { projectRoot } from '../../bot/projectRoot';
import { TEST_DB_TARGETS } from '../support/databases';
import { startFakeBotConnector, type ConnectorCall, type FakeBotConnector } from '../support/fakeBotConnector';

/**
 * The Teams channel over real HTTP: activities POSTed to /api/messages the way the Bot Connector
 * posts them, with serviceUrl pointing at a local fake connector that records the bot's replies.
 * On the real conversation core and a seeded demo database, on each test database.
 */
const NOW = '2026-11-24T10:00:00Z';
const OPS_AAD = '6f1c2d3e-0000-4a5b-8c9d-0123456789ab';
const TENANT = '72f988bf-0000-0000-0000-000000000000';
const BOT = { id: '28:waybill-bot', name: 'Waybill' };
const PERSONAL = 'a:1personal-chat-with-olga';
const CHANNEL = '19:ops-reports@thread.tacv2';
/** A 1x1 PNG: what a chart renderer returns, in miniature. */
const TINY_PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

async function serve(handler: TeamsChannel['handler']): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (handler(req, res)) return;
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Card = { body: Array<Record<string, unknown>> };
const cardsOf = (calls: ConnectorCall[]): Card[] =>
  calls.flatMap((c) => ((c.body.attachments as Array<{ contentType: string; content: Card }>) ?? []).map((a) => {
    expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
    return a.content;
  }));
/** Every element of the cards, nested ones included (ActionSets, table cells). */
function elementsOf(cards: Card[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.type === 'string') out.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(cards.map((c) => c.body));
  return out;
}
const submitData = (cards: Card[], id: string) => {
  const action = elementsOf(cards).find((e) => e.type === 'Action.Submit' && (e.data as { id?: string })?.id === id);
  if (!action) throw new Error(`no ${id} button in ${JSON.stringify(cards)}`);
  return action.data as { id: string; value: string };
};

for (const target of TEST_DB_TARGETS) {
  describe(`Teams channel over HTTP [${target.name}]`, () => {
    const url = target.freshUrl();
    let app: App;
    let fake: FakeBotConnector;
    let teams: TeamsChannel;
    let bot: { url: string; close(): Promise<void> };
    let raw: Database;
    let seq = 0;

    beforeAll(async () => {
      app = await createApp(loadConfig({ DATABASE_URL: url, WAYBILL_NOW: NOW, WAYBILL_NLU: 'offline', LOG_LEVEL: 'silent' }));
      await app.seeder.seed({ shipments: 300, seed: 42, today: app.clock.today() });
      await app.repos.users.upsert({ platform: 'teams', externalId: OPS_AAD, displayName: 'Olga', role: 'ops' });
      fake = await startFakeBotConnector();
      teams = createTeamsChannel({
        core: app.conversation, logger: silentLogger, refs: app.repos.conversationRefs, config: loadTeamsConfig({}),
        chartRenderer: async () => TINY_PNG,
      });
      bot = await serve(teams.handler);
      raw = await openDatabase({ url, projectRoot: projectRoot() });
    }, 120_000);
    afterAll(async () => {
      await bot?.close();
      await fake?.close();
      await raw?.close();
      await app?.close();
      await target.dispose(url);
    });

    const activity = (over: Record<string, unknown>) => ({
      type: 'message',
      id: `act-${++seq}`,
      channelId: 'msteams',
      serviceUrl: fake.url,
      timestamp: NOW,
      from: { id: '29:1olga-teams-id', aadObjectId: OPS_AAD, name: 'Olga' },
      recipient: BOT,
      conversation: { id: PERSONAL, conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      textFormat: 'plain',
      ...over,
    });
    const post = async (body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      return res.status;
    };
    /** Posts an activity and returns what the bot sent back for it (the fake recorded it before the POST returned). */
    const say = async (over: Record<string, unknown>) => {
      const before = fake.calls.length;
      const a = activity(over);
      expect(await post(a)).toBe(200);
      return { activity: a, calls: fake.calls.slice(before) };
    };

    it('answers a message with an Adaptive Card reply (heading, FactSet) to the activity', async () => {
      const { activity: a, calls } = await say({ text: 'where is order 10042?' });
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ method: 'POST', kind: 'reply', conversationId: PERSONAL, activityId: a.id });
      expect(calls[0].body).toMatchObject({ type: 'message', replyToId: a.id, conversation: { id: PERSONAL } });
      const cards = cardsOf(calls);
      expect(cards[0]).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
      const els = elementsOf(cards);
      expect(els[0]).toMatchObject({ type: 'TextBlock', weight: 'Bolder', size: 'Large' });
      const facts = els.find((e) => e.type === 'FactSet')?.facts as Array<{ title: string; value: string }>;
      expect(facts.length).toBeGreaterThan(2);
      expect(JSON.stringify(cards)).toMatch(/SHP-000123/);
      expect(JSON.stringify(cards)).toMatch(/Acme/);
    });

    it('strips the @mention in a channel and parses the rest', async () => {
      const { calls } = await say({
        text: '<at>Waybill</at> where is order&nbsp;10077?',
        textFormat: 'xml',
        entities: [{ type: 'mention', text: '<at>Waybill</at>', mentioned: BOT }],
        conversation: { id: CHANNEL, conversationType: 'channel', name: 'ops-reports', tenantId: TENANT },
      });
      expect(calls.map((c) => c.conversationId)).toEqual([CHANNEL]);
      const text = JSON.stringify(cardsOf(calls));
      expect(text).toMatch(/ORD-10077/);
      const [last] = await app.repos.actionLog.list({ limit: 1 });
      expect(last).toMatchObject({ platform: 'teams', channel: 'ops-reports', action: 'track_shipment', result: 'ok' });
      expect(last.actor).toContain(OPS_AAD);
    });

    it('a card action (Action.Submit) confirms an order: one order, also when the click is delivered twice or clicked again', async () => {
      const orders = async () => Number((await raw.sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM orders'))[0].n);
      const before = await orders();
      const { calls } = await say({ text: 'new order for Acme Corp: 6 pallets of printer paper from Chicago to Dallas, pickup Friday' });
      const cards = cardsOf(calls);
      const confirm = submitData(cards, 'confirm');
      expect(submitData(cards, 'cancel')).toBeDefined();
      const press = activity({ value: confirm, text: undefined });
      expect(await post(press)).toBe(200);
      const created = fake.calls.at(-1)!;
      const createdText = JSON.stringify(created.body);
      const id = /ORD-\d+/.exec(createdText)?.[0];
      expect(createdText).toMatch(/Created order ORD-\d+/);
      expect((await app.repos.orders.find({ orderId: id })).map((o) => o.customer)).toEqual(['Acme Corp']);
      // The same delivery again (Teams retried it): nothing is sent, nothing is done.
      const n = fake.calls.length;
      expect(await post(press)).toBe(200);
      expect(fake.calls.length).toBe(n);
      // A second click (a new activity): it only says so.
      const { calls: again } = await say({ value: confirm });
      expect(JSON.stringify(cardsOf(again))).toMatch(/already created|Already done/);
      expect(await orders()).toBe(before + 1);
    });

    it('acts once on a duplicate activity id', async () => {
      const a = activity({ text: 'help' });
      const before = fake.messages().length;
      expect(await post(a)).toBe(200);
      expect(await post(a)).toBe(200);
      expect(fake.messages().length).toBe(before + 1);
      const [dup] = await app.repos.actionLog.list({ limit: 1 });
      expect(dup.result).toBe('duplicate');
    });

    it('shows a chart as an inline PNG image', async () => {
      const { calls } = await say({ text: 'on-time rate last week' });
      const image = elementsOf(cardsOf(calls)).find((e) => e.type === 'Image');
      expect(image?.url).toBe(`data:image/png;base64,${Buffer.from(TINY_PNG).toString('base64')}`);
    });

    it('posts proactively to a conversation it has heard from, and refuses an unknown one', async () => {
      const before = fake.calls.length;
      await teams.poster.post({ platform: 'teams', id: CHANNEL }, [makeReply([{ kind: 'heading', text: 'KPI digest' }, { kind: 'fields', fields: [{ label: 'On-time', value: '91.0%' }] }])]);
      const calls = fake.calls.slice(before);
      expect(calls).toHaveLength(1);
      // A new message in the conversation, not a reply to an old activity.
      expect(calls[0]).toMatchObject({ method: 'POST', kind: 'send', conversationId: CHANNEL });
      expect(calls[0].body.replyToId).toBeUndefined();
      expect(elementsOf(cardsOf(calls))).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'FactSet' })]));
      await expect(teams.poster.post({ platform: 'teams', id: '19:never-seen@thread.tacv2' }, [textReply('x')])).rejects.toThrow(/unknown/);
    });

    it('a proactive post the connector refuses rejects', async () => {
      fake.failWith(403);
      try {
        await expect(teams.poster.post({ platform: 'teams', id: PERSONAL }, [textReply('digest')])).rejects.toThrow();
      } finally {
        fake.failWith(undefined);
      }
    });

    it('answers 405 to GET, 400 to a body that is not JSON', async () => {
      expect((await fetch(`${bot.url}/api/messages`)).status).toBe(405);
      const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
      expect(res.status).toBe(400);
      // JSON, but not an activity: a client error too, never a 500.
      for (const body of ['{}', '[]', 'null', '{"type":7}']) {
        const r = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect({ body, status: r.status }).toEqual({ body, status: 400 });
      }
    });
  });
}

describe('Teams channel with an app id (authentication on)', () => {
  let fake: FakeBotConnector;
  let bot: { url: string; close(): Promise<void> };
  const seen: Inbound[] = [];
  const core: ConversationCore = {
    async handle(inbound) {
      seen.push(inbound);
      return [textReply('should never be sent')];
    },
  };
  let saved = 0;

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    const teams = createTeamsChannel({
      core,
      logger: silentLogger,
      refs: { save: async () => void (saved += 1), get: async () => null },
      config: loadTeamsConfig({ MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555', MICROSOFT_APP_PASSWORD: 's3cr3t-value' }),
    });
    expect(teams.authEnabled).toBe(true);
    bot = await serve(teams.handler);
    // The adapter reports refused requests with console.error; expected here, so kept out of the output.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await bot?.close();
    await fake?.close();
  });

  const message = {
    type: 'message', id: 'auth-1', channelId: 'msteams', serviceUrl: '', text: 'help',
    from: { id: '29:x', aadObjectId: OPS_AAD }, recipient: BOT, conversation: { id: PERSONAL },
  };

  // A valid token is signed by Microsoft's keys (fetched from its OpenID metadata), which a test cannot
  // reach or forge; so only refusals are tested here.
  it.each([
    ['no Authorization header', {}],
    ['a malformed bearer token', { authorization: 'Bearer not-a-jwt' }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('refuses a request with %s (401) and the core never sees it', async (_label, headers) => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ ...message, serviceUrl: fake.url }),
    });
    expect(res.status).toBe(401);
    expect(seen).toEqual([]);
    expect(saved).toBe(0);
    expect(fake.calls).toEqual([]);
  });
});
