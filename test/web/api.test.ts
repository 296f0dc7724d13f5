import http from 'node:http';
import { createFakeCore, type FakeCore } from './fakeCore';
import { startWebChat, type TestServer } from './server';
import { MAX_TEXT_CHARS } from '../../bot/web/api';
import type { Logger } from '../../domain/logger';
import type { Reply } from '../../domain/conversation/reply';

interface ApiBody { replies?: Reply[]; error?: string; message?: string }
const jsonOf = async (res: Response) => (await res.json()) as ApiBody;

/** POST /api/chat and the page's files at the HTTP level, on a fake conversation core. */
describe('web chat HTTP API', () => {
  let core: FakeCore;
  let srv: TestServer;
  const errors: unknown[] = [];
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (o) => void errors.push(o) };
  const SESSION = '0b6f3c1e-5a7d-4f53-9c3e-0f4e8d2a6b71';

  beforeEach(async () => {
    core = createFakeCore();
    errors.length = 0;
    srv = await startWebChat(core, { logger });
  });
  afterEach(() => srv.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${srv.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers a text message with the core\'s replies, as the local web operator in the page\'s session', async () => {
    const res = await post({ session: SESSION, messageId: 'm-00000001', text: 'hello' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await jsonOf(res)).toEqual({ replies: [{ text: 'Echo: hello', parts: [{ kind: 'text', text: 'Echo: hello' }], tone: 'answer' }] });
    expect(core.received).toEqual([
      {
        speaker: { platform: 'web', id: 'operator', displayName: 'Web operator' },
        conversation: { platform: 'web', id: SESSION, name: 'web 0b6f3c1e' },
        text: 'hello',
        eventKey: `web:${SESSION}:m-00000001`,
      },
    ]);
  });

  it('passes a button press on as an action', async () => {
    const res = await post({ session: SESSION, messageId: 'm-00000002', action: { id: 'confirm', value: 'tok-1' } });
    expect((await jsonOf(res)).replies?.[0].text).toBe('Done: confirm tok-1.');
    expect(core.received[0]).toMatchObject({ action: { id: 'confirm', value: 'tok-1' } });
    expect(core.received[0].text).toBeUndefined();
  });

  it('acts once on a retried message id; without an id every POST is new', async () => {
    const message = { session: SESSION, messageId: 'retry-me-1', text: 'order 10 pallets' };
    expect((await jsonOf(await post(message))).replies).toHaveLength(1);
    expect(await jsonOf(await post(message))).toEqual({ replies: [] });
    // The same message id in another session is another message.
    expect((await jsonOf(await post({ ...message, session: 'another-session-1' }))).replies).toHaveLength(1);
    await post({ session: SESSION, text: 'x' });
    await post({ session: SESSION, text: 'x' });
    expect(core.acted).toBe(4);
  });

  it('answers bad JSON with 400 and a clear JSON error', async () => {
    const res = await post('{"session": "abc');
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toEqual({ error: 'bad_json', message: 'The request body is not valid JSON.' });
    expect(core.received).toHaveLength(0);
  });

  it.each([
    ['no text or action', { session: SESSION }, /either text or action/],
    ['both text and action', { session: SESSION, text: 'a', action: { id: 'confirm', value: 'v' } }, /either text or action/],
    ['empty text', { session: SESSION, text: '   ' }, /^text: is empty/],
    ['text over the limit', { session: SESSION, text: 'a'.repeat(MAX_TEXT_CHARS + 1) }, /^text: must be at most 4000 characters/],
    ['emoji over the limit in UTF-16 units, as the core counts', { session: SESSION, text: '😀'.repeat(MAX_TEXT_CHARS / 2 + 1) }, /^text: must be at most 4000 characters/],
    ['a missing session', { text: 'hi' }, /^session: /],
    ['a session that is not an id', { session: '../../etc/passwd', text: 'hi' }, /^session: must be 8 to 64/],
    ['an unknown field', { session: SESSION, text: 'hi', user: 'admin' }, /user/],
    ['an action without value', { session: SESSION, action: { id: 'confirm' } }, /^action\.value: /],
    ['a JSON array', [1, 2], /expected object/],
  ])('rejects %s with 400', async (_what, request, message) => {
    const res = await post(request);
    expect(res.status).toBe(400);
    const json = await jsonOf(res);
    expect(json.error).toBe('invalid_request');
    expect(json.message).toMatch(message);
    expect(core.received).toHaveLength(0);
  });

  it('accepts a 4,000-character message, even in a three-byte script', async () => {
    const res = await post({ session: SESSION, text: '貨'.repeat(MAX_TEXT_CHARS) });
    expect(res.status).toBe(200);
  });

  it('refuses a body over the size limit with 413, declared or streamed', async () => {
    const res = await post({ session: SESSION, text: 'a'.repeat(40_000) });
    expect(res.status).toBe(413);
    expect((await jsonOf(res)).error).toBe('too_large');

    // Chunked, with no content-length: the limit holds while reading.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${srv.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error).toBe('too_large');
    expect(core.received).toHaveLength(0);
  });

  it('refuses other content types (415), cross-site origins (403) and other methods (405)', async () => {
    const text = await fetch(`${srv.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ session: SESSION, text: 'hi' }) });
    expect(text.status).toBe(415);
    const cross = await post({ session: SESSION, text: 'hi' }, { origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    const same = await post({ session: SESSION, text: 'hi' }, { origin: srv.url });
    expect(same.status).toBe(200);
    const get = await fetch(`${srv.url}/api/chat`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(core.received).toHaveLength(1);
  });

  it('turns a failing core into 500 with a polite error reply, logs it, and keeps serving', async () => {
    const res = await post({ session: SESSION, text: 'boom' });
    expect(res.status).toBe(500);
    const json = await jsonOf(res);
    expect(json.replies).toEqual([expect.objectContaining({ tone: 'error', text: expect.stringMatching(/^Sorry, something went wrong/) })]);
    expect(JSON.stringify(json)).not.toMatch(/database on fire/);
    expect(errors).toEqual([expect.objectContaining({ err: 'database on fire' })]);
    expect((await post({ session: SESSION, text: 'still there?' })).status).toBe(200);
  });

  it('survives a client that hangs up halfway through its body', async () => {
    await new Promise<void>((resolve) => {
      const req = http.request(`${srv.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '500' } });
      req.on('error', () => resolve());
      req.write('{"session":"', () => {
        req.destroy();
        resolve();
      });
    });
    expect((await post({ session: SESSION, text: 'hello again' })).status).toBe(200);
  });

  it('serves the page and its files with a strict content security policy, and nothing else', async () => {
    const page = await fetch(`${srv.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await page.text();
    expect(html).toMatch(/<script src="\/static\/chat.js" defer><\/script>/);
    expect(html).not.toMatch(/https?:\/\//); // no CDN: the page works without the internet
    for (const [file, type] of [['chat.js', 'text/javascript'], ['chat.css', 'text/css'], ['favicon.svg', 'image/svg+xml']]) {
      const res = await fetch(`${srv.url}/static/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(type);
    }
    expect((await fetch(`${srv.url}/?utm=x`)).status).toBe(200);
    for (const p of ['/static/../api.ts', '/static/', '/static/chat.js.map', '/bot/web/api.ts', '/healthz']) {
      expect((await fetch(`${srv.url}${p}`)).status).toBe(404); // left to the next route
    }
    expect((await fetch(`${srv.url}/`, { method: 'DELETE' })).status).toBe(405);
  });
});
