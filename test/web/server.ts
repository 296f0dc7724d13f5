import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConversationCore } from '../../handlers/core';
import { silentLogger, type Logger } from '../../domain/logger';
import { createWebChat, type WebChatOptions } from '../../bot/web/webChat';

export interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The web chat on its own node:http server, routed the way bot/main.ts routes it (first claim wins, else 404). */
export async function startWebChat(
  core: ConversationCore,
  opts: Partial<WebChatOptions> & { port?: number; logger?: Logger } = {},
): Promise<TestServer> {
  const chat = createWebChat({ core, logger: opts.logger ?? silentLogger, ...opts });
  const server = http.createServer((req, res) => {
    if (chat(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
