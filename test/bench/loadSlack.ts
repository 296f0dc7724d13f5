import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { FAKE_BOT } from '../support/fakeSlack';

/**
 * A lean fake Slack Web API for the load benchmark. test/support/fakeSlack.ts keeps every call with its
 * parsed blocks and wakes its waiters on each one, which is right for tests and wrong for 12,000
 * answers a minute: this one keeps nothing, and hands each chat.postMessage (its receive time, channel,
 * thread and text) to `onPost` as it arrives. Uploads (charts) are answered and counted.
 */
export interface PostedMessage {
  /** performance.now() when the request was complete. */
  at: number;
  channel: string;
  threadTs?: string;
  text: string;
}

export interface LoadSlack {
  apiUrl: string;
  /** Calls per Web API method, and uploaded bytes. */
  counts: Record<string, number>;
  uploadedBytes: number;
  close(): Promise<void>;
}

function fields(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.startsWith('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  return Object.fromEntries(new URLSearchParams(raw));
}

export async function startLoadSlack(onPost: (m: PostedMessage) => void): Promise<LoadSlack> {
  const counts: Record<string, number> = {};
  let uploadedBytes = 0;
  let ts = 1_764_000_000;
  let fileNo = 0;
  let base = '';

  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: FAKE_BOT.team, team_id: FAKE_BOT.teamId, user: 'waybill', user_id: FAKE_BOT.userId, bot_id: FAKE_BOT.botId };
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: `${++ts}.000100` };
      case 'files.getUploadURLExternal': {
        const id = `F0LOAD${++fileNo}`;
        return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: [] };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const url = req.url ?? '/';
      if (url.startsWith('/upload/')) {
        uploadedBytes += chunks.reduce((n, c) => n + c.length, 0);
        counts.upload = (counts.upload ?? 0) + 1;
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('OK');
        return;
      }
      const m = /^\/api\/([\w.]+)/.exec(url);
      const method = m?.[1] ?? '?';
      counts[method] = (counts[method] ?? 0) + 1;
      const args = fields(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(method, args)));
      if (method === 'chat.postMessage') {
        onPost({ at, channel: String(args.channel), threadTs: typeof args.thread_ts === 'string' && args.thread_ts ? args.thread_ts : undefined, text: String(args.text ?? '') });
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${base}/api/`,
    counts,
    get uploadedBytes() {
      return uploadedBytes;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
