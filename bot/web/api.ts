import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import type { ConversationCore } from '../../handlers/core';
import type { Inbound, Speaker } from '../../domain/conversation/inbound';
import { textReply, type Reply } from '../../domain/conversation/reply';
import type { Logger } from '../../domain/logger';

/** Same limit as the parser's (longer input is `unknown` there anyway); the page enforces it too. */
export const MAX_TEXT_CHARS = 4000;
/**
 * 16 KB: a 4,000-character message in a script of 3-byte UTF-8 characters (CJK) is 12 KB of JSON,
 * and it should get the same answer as any other valid message, not a 413.
 */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

/** The web chat is the local operator's window, like the console: one known person, many sessions. */
export const WEB_SPEAKER: Speaker = { platform: 'web', id: 'operator', displayName: 'Web operator' };

/** Ids the page generates (crypto.randomUUID); anything id-like is accepted, nothing that could smuggle markup or paths. */
const id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _');

const chatRequest = z
  .strictObject({
    session: id,
    /** The page's id for this message: a retried POST with the same id is acted on once. */
    messageId: id.optional(),
    // Counted in UTF-16 units like the core's limit (zod's max counts code points: 2,001 emoji would pass here and be refused there).
    text: z.string().refine((t) => t.length <= MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`).optional(),
    action: z.strictObject({ id: z.string().min(1).max(100), value: z.string().max(1000) }).optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.text === undefined) === (b.action === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'send either text or action, not both or neither' });
    } else if (b.text !== undefined && !b.text.trim()) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'is empty' });
    }
  });

export type ChatRequest = z.infer<typeof chatRequest>;

export function toInbound(body: ChatRequest): Inbound {
  return {
    speaker: WEB_SPEAKER,
    conversation: { platform: 'web', id: body.session, name: `web ${body.session.slice(0, 8)}` },
    ...(body.text !== undefined ? { text: body.text } : { action: body.action }),
    // Scoped by session so two tabs can never collide; without a client id every POST is new.
    eventKey: `web:${body.session}:${body.messageId ?? randomUUID()}`,
  };
}

const POLITE_ERROR: Reply = textReply(
  'Sorry, something went wrong on my side and I could not answer that. Please try again in a moment.',
  'error',
);

/** POST /api/chat: `{ session, messageId?, text }` or `{ session, messageId?, action: {id, value} }` → `{ replies }`. */
export async function handleChat(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  deps: { core: ConversationCore; logger: Logger; maxBodyBytes: number },
): Promise<void> {
  if (req.method !== 'POST') {
    return sendJson(res, 405, { error: 'method_not_allowed', message: 'Use POST with a JSON body.' }, { allow: 'POST' });
  }
  // A JSON content type forces a CORS preflight (which we never grant), so no other site can post here.
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    return sendJson(res, 415, { error: 'unsupported_media_type', message: 'Send the body as application/json.' });
  }
  const origin = req.headers.origin;
  if (origin && origin !== 'null' && hostOf(origin) !== req.headers.host) {
    req.resume();
    return sendJson(res, 403, { error: 'forbidden', message: 'Cross-site requests are not accepted.' });
  }
  const raw = await readBody(req, deps.maxBodyBytes);
  if (raw.kind === 'aborted') return;
  if (raw.kind === 'too_large') {
    return sendJson(res, 413, {
      error: 'too_large',
      message: `The request body is over ${deps.maxBodyBytes} bytes; messages are limited to ${MAX_TEXT_CHARS} characters.`,
    }, { connection: 'close' });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.body);
  } catch {
    return sendJson(res, 400, { error: 'bad_json', message: 'The request body is not valid JSON.' });
  }
  const parsed = chatRequest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return sendJson(res, 400, { error: 'invalid_request', message: `${where}${issue.message}` });
  }
  const started = Date.now();
  const inbound = toInbound(parsed.data);
  try {
    const replies = await deps.core.handle(inbound);
    deps.logger.info(
      { conversation: inbound.conversation.name, kind: inbound.text !== undefined ? 'text' : 'action', replies: replies.length, ms: Date.now() - started },
      'web chat message',
    );
    sendJson(res, 200, { replies });
  } catch (e) {
    // The core promises never to reject; if it does anyway, the person gets an apology, not a dead page.
    deps.logger.error({ err: (e as Error)?.message, conversation: inbound.conversation.name }, 'web chat: the conversation core failed');
    sendJson(res, 500, { error: 'internal', message: 'The assistant failed to answer.', replies: [POLITE_ERROR] });
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

type Body = { kind: 'ok'; body: string } | { kind: 'too_large' } | { kind: 'aborted' };

/** Reads the whole body up to `limit` bytes; past it, stops keeping data and lets the rest drain. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Body> {
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    return Promise.resolve({ kind: 'too_large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        resolve({ kind: 'too_large' });
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve({ kind: 'ok', body: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('aborted', () => resolve({ kind: 'aborted' }));
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(JSON.stringify(body));
}
