import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { FAKE_BOT, slashCommandFields, type SlashCommandFields } from './fakeSlack';
import { createConditions } from './conditions';

/**
 * A fake Slack Socket Mode server on 127.0.0.1 (the `ws` package), speaking the protocol
 * @slack/socket-mode's client expects: the client gets the URL from apps.connections.open (the fake
 * Web API hands out `url`), opens the WebSocket, and waits for the server's `hello` before it counts
 * as connected; the server then pushes envelopes `{ envelope_id, type, payload,
 * accepts_response_payload }` and the client acknowledges each with `{ envelope_id, payload }`.
 * Pings from the client are answered by `ws` itself. Every message the client sends is recorded;
 * tests wait for them by condition (waitFor), never by time.
 */
export interface SocketModeEnvelope {
  envelope_id: string;
  type: 'events_api' | 'slash_commands' | 'interactive';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface FakeSocketMode {
  /** What apps.connections.open returns: ws://127.0.0.1:<port>/link/?ticket=… */
  url: string;
  /** The request path of every WebSocket connection opened, in order. */
  connections: string[];
  /** Messages the client sent (parsed JSON): acknowledgements `{ envelope_id, payload }`. */
  received: Array<Record<string, unknown>>;
  /** The acknowledgements received for one envelope id. */
  acks(envelopeId: string): Array<Record<string, unknown>>;
  /** Pushes an envelope to every open connection (throws when none is open: the bot is not connected). */
  send(envelope: SocketModeEnvelope): void;
  /** Resolves when the condition holds (checked after every connection and message). */
  waitFor(condition: () => boolean, what: string, guardMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('WebSocket only\n');
  });
  const wss = new WebSocket.Server({ server });
  const connections: string[] = [];
  const received: Array<Record<string, unknown>> = [];
  const conditions = createConditions();
  const notify = conditions.notify;

  wss.on('connection', (socket: WebSocket, req: http.IncomingMessage) => {
    connections.push(req.url ?? '/');
    socket.on('message', (data: WebSocket.Data) => {
      const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      try {
        received.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        received.push({ unparsed: text });
      }
      notify();
    });
    // Slack opens every connection with hello; the client's start() resolves on it.
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: wss.clients.size,
        debug_info: { host: 'fake-socket-mode', approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0WAYBILL' },
      }),
    );
    notify();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=fake-ticket-${FAKE_BOT.teamId}`,
    connections,
    received,
    acks: (envelopeId) => received.filter((m) => m.envelope_id === envelopeId),
    send(envelope) {
      const open = [...wss.clients].filter((c) => c.readyState === WebSocket.OPEN);
      if (!open.length) throw new Error('fake Socket Mode: no open connection to send to');
      for (const c of open) c.send(JSON.stringify(envelope));
    },
    waitFor(condition, what, guardMs = 60_000) {
      return conditions.waitFor(condition, guardMs, () => new Error(`fake Socket Mode: gave up waiting for ${what}; received: ${JSON.stringify(received)}`));
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** An events_api envelope around an Events API payload (as eventEnvelope builds it, parsed). */
export function eventsApiEnvelope(envelopeId: string, payload: Record<string, unknown>, retry?: { attempt: number; reason: string }): SocketModeEnvelope {
  return {
    envelope_id: envelopeId,
    type: 'events_api',
    payload,
    accepts_response_payload: false,
    retry_attempt: retry?.attempt ?? 0,
    retry_reason: retry?.reason ?? '',
  };
}

/** A slash_commands envelope: in Socket Mode the command comes as a JSON object, not a form. */
export function slashCommandEnvelope(envelopeId: string, fields: SlashCommandFields): SocketModeEnvelope {
  return {
    envelope_id: envelopeId,
    type: 'slash_commands',
    payload: { ...slashCommandFields(fields), is_enterprise_install: 'false' },
    accepts_response_payload: true,
  };
}
