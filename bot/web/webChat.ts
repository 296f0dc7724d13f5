import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { ConversationCore } from '../../handlers/core';
import type { Logger } from '../../domain/logger';
import { projectRoot } from '../projectRoot';
import { DEFAULT_MAX_BODY_BYTES, handleChat, sendJson } from './api';

/** Handles the request and returns true, or returns false and leaves it to the next route. */
export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

export interface WebChatOptions {
  core: ConversationCore;
  logger: Logger;
  /** Largest accepted POST body in bytes (default 16 KB). */
  maxBodyBytes?: number;
  /** Where the page's files are (default: bot/web/static in the source tree, also when running from dist/). */
  staticDir?: string;
  /** GET /api/inbox: digests posted to a session (bot/web/inbox.ts); without it the inbox is always empty. */
  inbox?: RequestHandler;
}

/**
 * The page is a fixed set of files, listed here: nothing else is ever read from disk, so no path in
 * a URL can reach another file.
 */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/static/chat.css': { file: 'chat.css', type: 'text/css; charset=utf-8' },
  '/static/chat.js': { file: 'chat.js', type: 'text/javascript; charset=utf-8' },
  '/static/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/**
 * Scripts and styles only from our own files, requests only to ourselves: even if some text ever
 * reached the DOM as markup, the browser would run nothing from it.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** The local web chat: GET / (the page and its files) and POST /api/chat (one message, its replies). */
export function createWebChat(opts: WebChatOptions): RequestHandler {
  const dir = opts.staticDir ?? path.join(projectRoot(), 'bot', 'web', 'static');
  // Read once at start-up, so a missing file fails `npm start` at once rather than the first visitor.
  const assets = new Map(
    Object.entries(FILES).map(([route, f]) => [route, { body: fs.readFileSync(path.join(dir, f.file)), type: f.type }]),
  );
  const deps = { core: opts.core, logger: opts.logger, maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES };

  return (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/api/chat') {
      handleChat(req, res, deps).catch((e: unknown) => {
        // Only a bug gets here (handleChat answers every failure it knows); the process must live on.
        opts.logger.error({ err: (e as Error)?.message }, 'web chat: request failed');
        sendJson(res, 500, { error: 'internal', message: 'The request failed.' });
      });
      return true;
    }
    if (pathname === '/api/inbox') {
      if (opts.inbox) return opts.inbox(req, res);
      sendJson(res, 200, { replies: [] });
      return true;
    }
    const asset = assets.get(pathname);
    if (!asset) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed.\n');
      return true;
    }
    res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}
