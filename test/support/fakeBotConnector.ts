import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Connector service (the Bot Framework REST API Teams replies go to).
 * Activities sent to the bot carry `serviceUrl` = this server's url, so everything the bot says
 * arrives here and is recorded; nothing reaches Microsoft.
 */
export interface ConnectorCall {
  method: string;
  path: string;
  /** The conversation id from the path (decoded). */
  conversationId?: string;
  /** Set for replies (POST …/activities/{replyToId}) and updates. */
  activityId?: string;
  kind: 'send' | 'reply' | 'update' | 'other';
  authorization?: string;
  body: Record<string, unknown>;
}

export interface FakeBotConnector {
  /** With a trailing slash, as Teams sends serviceUrl. */
  url: string;
  calls: ConnectorCall[];
  /** Recorded calls that post a message (send or reply), in order. */
  messages(conversationId?: string): ConnectorCall[];
  /** Refuse every call with this status from now on (undefined: accept again). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  let failure: number | undefined;
  let seq = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = { unparsed: raw };
      }
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
      const kind: ConnectorCall['kind'] = !m ? 'other' : req.method === 'PUT' ? 'update' : m[2] ? 'reply' : 'send';
      calls.push({
        method: req.method ?? '',
        path,
        conversationId: m ? decodeURIComponent(m[1]) : undefined,
        activityId: m?.[2] ? decodeURIComponent(m[2]) : undefined,
        kind,
        authorization: req.headers.authorization,
        body,
      });
      if (failure) {
        res.writeHead(failure, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'Refused', message: 'fake connector refuses' } }));
        return;
      }
      res.writeHead(m ? 200 : 404, { 'content-type': 'application/json' });
      // The connector answers a posted activity with its new id (a ResourceResponse).
      res.end(JSON.stringify(m ? { id: `fake-${++seq}` } : { error: { code: 'NotFound', message: path } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    messages: (conversationId) =>
      calls.filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.body.type === 'message' && (!conversationId || c.conversationId === conversationId)),
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
