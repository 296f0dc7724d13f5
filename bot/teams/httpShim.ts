import type http from 'node:http';

/**
 * botbuilder's CloudAdapter.process expects an Express/Restify request with a parsed `body` and a
 * response with status/header/send; bot/main.ts serves plain node:http. These adapt one to the other.
 */
export interface ShimRequest {
  body?: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  method?: string;
}

export interface ShimResponse {
  socket: unknown;
  status(code: number): ShimResponse;
  header(name: string, value: unknown): ShimResponse;
  send(body?: unknown): ShimResponse;
  end(): ShimResponse;
}

export type BodyResult =
  | { kind: 'ok'; body: Record<string, unknown> }
  | { kind: 'too_large' }
  | { kind: 'bad_json' }
  | { kind: 'aborted' };

/** Reads and parses a JSON object body up to `maxBytes` (a bigger one is drained and refused). */
export function readJsonBody(req: http.IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(c);
    });
    req.on('aborted', () => resolve({ kind: 'aborted' }));
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('end', () => {
      if (tooLarge) return resolve({ kind: 'too_large' });
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(body && typeof body === 'object' && !Array.isArray(body) ? { kind: 'ok', body: body as Record<string, unknown> } : { kind: 'bad_json' });
      } catch {
        resolve({ kind: 'bad_json' });
      }
    });
  });
}

export function shimResponse(res: http.ServerResponse): ShimResponse {
  const shim: ShimResponse = {
    socket: res.socket,
    status(code) {
      res.statusCode = code;
      return shim;
    },
    header(name, value) {
      if (!res.headersSent) res.setHeader(name, String(value));
      return shim;
    },
    send(body) {
      if (body === undefined || body === null) return shim;
      // Invoke responses are objects (JSON); error bodies are strings.
      const json = typeof body !== 'string' && !Buffer.isBuffer(body);
      if (!res.headersSent) res.setHeader('content-type', json ? 'application/json' : 'text/plain; charset=utf-8');
      res.write(json ? JSON.stringify(body) : body);
      return shim;
    },
    end() {
      if (!res.writableEnded) res.end();
      return shim;
    },
  };
  return shim;
}
