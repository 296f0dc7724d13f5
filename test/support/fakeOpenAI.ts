import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-compatible server for tests: plain node:http on 127.0.0.1, a free port. It serves
 * POST /v1/chat/completions (and /chat/completions), records every request, and answers with scripted
 * responses, in order; when the script runs out it repeats the fallback (HTTP 500 unless set).
 * The real SDK reaches it over real HTTP: OPENAI_BASE_URL=`fake.baseURL`.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The JSON body (undefined when it was not JSON). */
  body: any;
}

export interface ScriptedResponse {
  status?: number;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (e.g. a broken body). */
  raw?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  headers?: Record<string, string>;
  /** Send the status, the headers and only this many characters of the body, then nothing more (a server stalled mid-answer). */
  stallAfter?: number;
}

export type Script = ScriptedResponse | ((req: RecordedRequest) => ScriptedResponse);

export interface FakeOpenAI {
  /** e.g. http://127.0.0.1:41234/v1 */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** The most chat requests that were open at the same time. */
  readonly maxInFlight: number;
  /** Queues responses for the next requests, in order. */
  enqueue(...responses: Script[]): void;
  /** What every request gets once the queue is empty. */
  setFallback(response: Script): void;
  /** Forgets requests and queued responses. */
  reset(): void;
  close(): Promise<void>;
}

let completionCounter = 0;

/** A chat completion whose message calls `name` with `args` (an object, or a string sent verbatim). */
export function toolCallCompletion(args: unknown, opts: { name?: string; model?: string } = {}): Record<string, unknown> {
  const id = ++completionCounter;
  return {
    id: `chatcmpl-fake-${id}`,
    object: 'chat.completion',
    created: 1773826200,
    model: opts.model ?? 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        finish_reason: 'tool_calls',
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: `call_fake_${id}`,
              type: 'function',
              function: { name: opts.name ?? 'record_frame', arguments: typeof args === 'string' ? args : JSON.stringify(args) },
            },
          ],
        },
      },
    ],
    usage: { prompt_tokens: 1000, completion_tokens: 20, total_tokens: 1020 },
  };
}

/** A chat completion that answers in text (no tool call). */
export function textCompletion(content: string): Record<string, unknown> {
  return {
    id: `chatcmpl-fake-${++completionCounter}`,
    object: 'chat.completion',
    created: 1773826200,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
    usage: { prompt_tokens: 1000, completion_tokens: 20, total_tokens: 1020 },
  };
}

/** An OpenAI-style error body. */
export function apiError(status: number, message: string, type = 'server_error'): ScriptedResponse {
  return { status, json: { error: { message, type, param: null, code: null } } };
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  let queue: Script[] = [];
  let fallback: Script = apiError(500, 'fake OpenAI: no scripted response');
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let inFlight = 0;
  let maxInFlight = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '').split('?')[0];
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      if (req.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fake OpenAI: no route ${req.method} ${path}`, type: 'invalid_request_error' } }));
        return;
      }
      requests.push(recorded);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.once('close', () => inFlight--);
      const script = queue.length ? queue.shift()! : fallback;
      const r = typeof script === 'function' ? script(recorded) : script;
      const send = () => {
        if (res.destroyed || res.writableEnded) return;
        const status = r.status ?? 200;
        const payload = r.raw ?? JSON.stringify(r.json ?? {});
        res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_fake_${requests.length}`, ...r.headers });
        if (r.stallAfter !== undefined) res.write(payload.slice(0, r.stallAfter));
        else res.end(payload);
      };
      if (r.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, r.delayMs);
        timers.add(t);
      } else send();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    setFallback: (response) => {
      fallback = response;
    },
    reset: () => {
      requests.length = 0;
      queue = [];
      maxInFlight = inFlight;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
