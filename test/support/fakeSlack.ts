import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createConditions } from './conditions';

/**
 * A fake Slack on 127.0.0.1: the Web API methods the bot calls (POST /api/<method>, form-encoded or
 * JSON, as @slack/web-api sends them), the file upload URL it hands out, and response_url targets.
 * With `socketModeUrl`, apps.connections.open (Socket Mode, called with the app token) hands out that
 * WebSocket URL (see fakeSocketMode.ts); without it, it refuses as Slack does for a non-app token.
 * Every call is recorded; tests wait for calls by condition (waitFor), never by time.
 */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  authorization?: string;
}

export interface FakeSlack {
  /** The Web API base URL for SLACK_API_URL (ends with /api/). */
  apiUrl: string;
  base: string;
  calls: SlackCall[];
  /** Bytes posted to each upload URL, by file id. */
  uploads: Map<string, Buffer>;
  /** Bodies posted to response_url targets (POST /response/<id>). */
  responses: Array<Record<string, unknown>>;
  callsOf(method: string): SlackCall[];
  /** Resolves when the condition holds (checked after every recorded call). */
  waitFor(condition: () => boolean, what: string, guardMs?: number): Promise<void>;
  /** Channels whose chat.postMessage fails with not_in_channel. */
  notInChannel: Set<string>;
  close(): Promise<void>;
}

export const FAKE_BOT = { userId: 'UWAYBILL1', botId: 'BWAYBILL1', teamId: 'T0FAKE', team: 'Fake Logistics' };

export const FAKE_CHANNELS = [
  { id: 'C0GENERAL', name: 'general' },
  { id: 'C0OPSREP', name: 'ops-reports' },
];

function parseBody(raw: string, type: string): Record<string, unknown> {
  if (type.startsWith('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // The WebClient sends nested arguments (blocks, files) as JSON strings.
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

export interface FakeSlackOptions {
  /** The URL apps.connections.open returns (a fake Socket Mode server's ws:// URL). */
  socketModeUrl?: string;
}

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const uploads = new Map<string, Buffer>();
  const responses: Array<Record<string, unknown>> = [];
  const conditions = createConditions();
  const notInChannel = new Set<string>();
  let ts = 1_764_000_000;
  let fileNo = 0;
  let base = '';
  const notify = conditions.notify;

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'apps.connections.open':
        return opts.socketModeUrl ? { ok: true, url: opts.socketModeUrl } : { ok: false, error: 'not_allowed_token_type' };
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: FAKE_BOT.team, team_id: FAKE_BOT.teamId, user: 'waybill', user_id: FAKE_BOT.userId, bot_id: FAKE_BOT.botId };
      case 'chat.postMessage': {
        const channel = String(args.channel);
        if (notInChannel.has(channel)) return { ok: false, error: 'not_in_channel' };
        return { ok: true, channel, ts: `${++ts}.000100`, message: { text: args.text, blocks: args.blocks, thread_ts: args.thread_ts } };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'files.getUploadURLExternal': {
        const id = `F0FAKE${++fileNo}`;
        return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: ((args.files as Array<{ id: string; title?: string }>) ?? []).map((f) => ({ id: f.id, title: f.title })) };
      case 'conversations.list':
        return { ok: true, channels: FAKE_CHANNELS, response_metadata: { next_cursor: '' } };
      case 'users.info':
        return { ok: true, user: { id: args.user, name: String(args.user).toLowerCase(), real_name: `User ${args.user}` } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (url.pathname.startsWith('/upload/')) {
        uploads.set(url.pathname.slice('/upload/'.length), raw);
        send(200, `OK - ${raw.length}`, 'text/plain');
        notify();
        return;
      }
      if (url.pathname.startsWith('/response/')) {
        responses.push(parseBody(raw.toString('utf8'), req.headers['content-type'] ?? 'application/json'));
        send(200, 'ok', 'text/plain');
        notify();
        return;
      }
      const m = /^\/api\/([\w.]+)$/.exec(url.pathname);
      if (!m) return send(404, { ok: false, error: 'not_found' });
      const args = parseBody(raw.toString('utf8'), req.headers['content-type'] ?? '');
      calls.push({ method: m[1], args, authorization: req.headers.authorization });
      send(200, answer(m[1], args));
      notify();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    base,
    calls,
    uploads,
    responses,
    notInChannel,
    callsOf: (method) => calls.filter((c) => c.method === method),
    waitFor(condition, what, guardMs = 60_000) {
      return conditions.waitFor(condition, guardMs, () => new Error(`fake Slack: gave up waiting for ${what}; calls: ${calls.map((c) => c.method).join(', ')}`));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Signs a request body the way Slack does (v0 HMAC-SHA256 over "v0:<ts>:<body>"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedRequestOptions {
  secret: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  headers?: Record<string, string>;
  /** Sign with this secret instead (a forged request). */
  signWith?: string;
  omit?: Array<'signature' | 'timestamp'>;
}

/** POSTs a signed Events API (JSON) or slash-command/interactivity (form) body to the bot. */
export async function postSigned(url: string, body: string, type: 'json' | 'form', o: SignedRequestOptions): Promise<{ status: number; text: string }> {
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
    ...o.headers,
  };
  if (!o.omit?.includes('timestamp')) headers['x-slack-request-timestamp'] = String(timestamp);
  if (!o.omit?.includes('signature')) headers['x-slack-signature'] = slackSignature(o.signWith ?? o.secret, timestamp, body);
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

/** An Events API envelope around one event. */
export function eventEnvelope(eventId: string, event: Record<string, unknown>): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: FAKE_BOT.teamId,
    api_app_id: 'A0WAYBILL',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: FAKE_BOT.teamId, user_id: FAKE_BOT.userId, is_bot: true }],
    event,
  });
}

export interface SlashCommandFields {
  text: string;
  user_id: string;
  channel_id: string;
  trigger_id: string;
  response_url?: string;
}

/** The fields of a /waybill command, the same over HTTP (a form) and Socket Mode (a JSON payload). */
export function slashCommandFields(fields: SlashCommandFields): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: FAKE_BOT.teamId,
    team_domain: 'fake',
    channel_name: 'general',
    user_name: fields.user_id.toLowerCase(),
    command: '/waybill',
    api_app_id: 'A0WAYBILL',
    ...fields,
    response_url: fields.response_url ?? '',
  };
}

/** A slash command as Slack posts it (form-encoded). */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams(slashCommandFields(fields)).toString();
}

/** A block_actions interactivity payload (form-encoded `payload=`) for a click on a button of a posted message. */
export function blockActionsBody(p: {
  user_id: string;
  channel_id: string;
  trigger_id: string;
  message: { ts: string; thread_ts?: string; text?: string; blocks: unknown[] };
  action: { action_id: string; block_id: string; value: string; text: string };
  response_url?: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: FAKE_BOT.teamId, domain: 'fake' },
    user: { id: p.user_id, name: p.user_id.toLowerCase() },
    api_app_id: 'A0WAYBILL',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: p.message.ts, channel_id: p.channel_id, is_ephemeral: false, thread_ts: p.message.thread_ts },
    trigger_id: p.trigger_id,
    channel: { id: p.channel_id, name: 'general' },
    message: { type: 'message', user: FAKE_BOT.userId, bot_id: FAKE_BOT.botId, ...p.message },
    response_url: p.response_url,
    actions: [
      {
        type: 'button',
        action_id: p.action.action_id,
        block_id: p.action.block_id,
        value: p.action.value,
        text: { type: 'plain_text', text: p.action.text, emoji: true },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
