import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command, InvalidArgumentError } from 'commander';
import { eventEnvelope, slackSignature, FAKE_BOT } from '../support/fakeSlack';
import { mulberry32 } from '../../domain/seed/prng';
import { projectRoot } from '../../bot/projectRoot';
import { NOW, postgresDatabase, resetRunTables, sampleData, sqliteDatabase, type LoadDataSpec } from './loadData';
import { createQuestions, parseMix, type Mix, type QuestionKind } from './loadQuestions';
import { startLoadSlack, type PostedMessage } from './loadSlack';
import { LOAD_SIGNING_SECRET, procSample, startLoadBot, type LoadBot } from './loadBots';

/**
 * `npm run bench:load`: the bot in Slack HTTP mode on a 1,000,000-shipment database under an open-loop
 * load of signed Events API requests (default 200 a second for 60 s; track, list and KPI questions
 * about real ids and names, some misses), answered to a fake Slack Web API on loopback.
 *
 * Open loop: every event has its send time fixed in advance (i / rate), and is sent then whether or
 * not earlier ones were answered, so a slow bot cannot slow the load down and hide its latency
 * (coordinated omission). Latency is from sending the request to the fake Slack receiving the answer's
 * chat.postMessage. Events go round-robin to the replicas; each comes from one of --users people (the
 * per-person rate limit stays at its default, as in real use), as a mention in one of 20 channels
 * (answered in the message's thread, which identifies the answer) or, one in six, a direct message
 * (answered in the DM; matched in order per DM channel).
 *
 * Reports per database: sent, acked (HTTP 200 within Slack's 3 s), answered, lost (sent, never
 * answered after --drain seconds), errors (non-200 acks, failed requests, error replies), throughput,
 * latency percentiles (overall and per kind), peak RSS and CPU of each bot. By default the clock starts
 * with the bots (every KPI cache empty, as after a restart or an import); --warmup N first runs N
 * seconds of the same load, answered but not counted (steady state). Prints the figures and writes
 * JSON (bench-results/load-bench.json or --json). A benchmark: it asserts nothing.
 */
interface Options {
  db?: 'sqlite' | 'postgres' | 'both';
  pgUrl?: string;
  replicas?: number;
  rate: number;
  duration: number;
  shipments: number;
  seed: number;
  mix: Mix;
  users: number;
  drain: number;
  warmup: number;
  json?: string;
  profile: boolean;
}

/** One scheduled event and what became of it. */
interface Sent {
  kind: QuestionKind;
  replica: number;
  /** performance.now() values. */
  scheduled: number;
  sentAt?: number;
  ackAt?: number;
  status?: number;
  failure?: string;
  postAt?: number;
  posts: number;
  reply?: 'ok' | 'error' | 'rate_limited';
}

const SLACK_ACK_DEADLINE_MS = 3_000;
const CHANNELS = Array.from({ length: 20 }, (_, i) => `C0LOAD${String(i + 1).padStart(3, '0')}`);

const positiveInt = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`${name} must be a positive whole number`);
  return Number(v);
};

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const ms = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

function classify(text: string): Sent['reply'] {
  if (/database is unavailable|something went wrong/i.test(text)) return 'error';
  if (/faster than I can keep up/i.test(text)) return 'rate_limited';
  return 'ok';
}

/** Sends one signed Events API request; resolves with its HTTP status (or the failure). */
function postEvent(agent: http.Agent, port: number, body: string): Promise<{ status?: number; failure?: string }> {
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path: '/slack/events',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(LOAD_SIGNING_SECRET, timestamp, body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no response in 30 s')));
    req.on('error', (e) => resolve({ failure: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(body);
  });
}

interface RunResult {
  database: string;
  replicas: number;
  rate: number;
  duration: number;
  /** Seconds of load before the measured window (0: the cold start after the bot started). */
  warmup: number;
  sent: number;
  acked: number;
  answered: number;
  lost: number;
  errors: { non200: number; failedRequests: number; errorReplies: number; rateLimited: number };
  extraPosts: number;
  throughputPerSecond: number;
  latencyMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  latencyByKindMs: Record<string, { n: number; p50: number | null; p99: number | null; max: number | null }>;
  /** By 10-second window of the send time: how a cold start settles. */
  latencyByWindowMs: Array<{ from: number; sent: number; lost: number; p50: number | null; p99: number | null }>;
  ackMs: { p50: number | null; p99: number | null; max: number | null };
  generatorLagMs: { p99: number | null; max: number | null };
  bots: Array<{ pid: number; peakRssMb: number; endRssMb: number; peakSampledRssMb: number; cpuSeconds: number; cpuCoresAvg: number }>;
  slackCalls: Record<string, number>;
  loadAverage: number[];
  lostSamples: string[];
}

async function runLoad(database: string, url: string, replicas: number, o: Options): Promise<RunResult> {
  await resetRunTables(url);
  const sample = await sampleData(url, o.seed);
  const r = mulberry32(o.seed * 7919 + 17);
  const questions = createQuestions(sample, r);
  // Warm-up events (not counted) come first, then the measured ones.
  const warm = Math.round(o.rate * o.warmup);
  const total = warm + Math.round(o.rate * o.duration);
  const events: Sent[] = [];
  const bodies: string[] = [];
  const byThread = new Map<string, number>();
  const dmQueues = new Map<string, number[]>();
  const baseTs = Math.floor(Date.now() / 1000);
  for (let i = 0; i < total; i++) {
    const q = questions.next(o.mix);
    const user = `U0LOAD${String(Math.floor(r() * o.users)).padStart(5, '0')}`;
    const ts = `${baseTs}.${String(i).padStart(6, '0')}`;
    const dm = r() < 1 / 6;
    const channel = dm ? `D${user.slice(1)}` : CHANNELS[Math.floor(r() * CHANNELS.length)];
    const event = dm
      ? { type: 'message', channel_type: 'im', channel, user, text: q.text, ts, event_ts: ts }
      : { type: 'app_mention', channel, user, text: `<@${FAKE_BOT.userId}> ${q.text}`, ts, event_ts: ts };
    if (dm) dmQueues.set(channel, [...(dmQueues.get(channel) ?? []), i]);
    else byThread.set(`${channel}:${ts}`, i);
    bodies.push(eventEnvelope(`Ev0LOAD${i}`, event));
    events.push({ kind: q.kind, replica: i % replicas, scheduled: 0, posts: 0 });
  }
  // Direct messages are answered in the DM (no thread): the n-th answer in a DM channel is taken as the
  // answer to its n-th message.
  const dmAnswered = new Map<string, number>();
  let strayPosts = 0;
  const answered = [0, 0];
  let waiting: { phase: number; count: number; resolve: () => void } | undefined;
  const onPost = (m: PostedMessage) => {
    let i: number | undefined;
    if (m.threadTs) i = byThread.get(`${m.channel}:${m.threadTs}`);
    else {
      const n = dmAnswered.get(m.channel) ?? 0;
      i = dmQueues.get(m.channel)?.[n];
      if (i !== undefined) dmAnswered.set(m.channel, n + 1);
    }
    if (i === undefined) return void strayPosts++;
    const e = events[i];
    e.posts++;
    if (e.postAt !== undefined) return;
    e.postAt = m.at;
    e.reply = classify(m.text);
    const phase = i < warm ? 0 : 1;
    if (++answered[phase] === waiting?.count && waiting.phase === phase) waiting.resolve();
  };
  const slack = await startLoadSlack(onPost);
  const profileDir = o.profile ? path.join(projectRoot(), 'var', 'bench', 'profiles', `${database}-${new Date().toISOString().replace(/[:.]/g, '-')}`) : undefined;
  const bots: LoadBot[] = [];
  try {
    process.stderr.write(`  starting ${replicas} bot${replicas > 1 ? 's' : ''} ...\n`);
    for (let k = 0; k < replicas; k++) bots.push(await startLoadBot({ databaseUrl: url, slackApiUrl: slack.apiUrl, now: NOW, profileDir }));
    const agents = bots.map(() => new http.Agent({ keepAlive: true, maxSockets: 512 }));

    /**
     * The open loop over events [from, to): a timer wakes about every millisecond and sends every event
     * whose time has come; then waits (up to --drain seconds after the last one) for their answers.
     */
    const run = async (from: number, to: number, phase: number): Promise<{ start: number; endSend: number }> => {
      const start = performance.now() + 50;
      const inflight: Array<Promise<void>> = [];
      await new Promise<void>((done) => {
        let next = from;
        const tick = () => {
          const now = performance.now();
          while (next < to && start + ((next - from) * 1000) / o.rate <= now) {
            const e = events[next];
            e.scheduled = start + ((next - from) * 1000) / o.rate;
            e.sentAt = performance.now();
            inflight.push(
              postEvent(agents[e.replica], bots[e.replica].port, bodies[next]).then((res) => {
                e.ackAt = performance.now();
                e.status = res.status;
                e.failure = res.failure;
              }),
            );
            next++;
          }
          if (next >= to) return done();
          setTimeout(tick, 1);
        };
        setTimeout(tick, 50);
      });
      const endSend = performance.now();
      await Promise.all(inflight);
      if (answered[phase] < to - from) {
        await new Promise<void>((resolve) => {
          const guard = setTimeout(resolve, Math.max(0, o.drain * 1000 - (performance.now() - endSend)));
          waiting = { phase, count: to - from, resolve: () => (clearTimeout(guard), resolve()) };
        });
      }
      waiting = undefined;
      return { start, endSend };
    };

    if (warm) {
      process.stderr.write(`  warm-up: ${warm} events at ${o.rate}/s for ${o.warmup} s (not counted) ...\n`);
      await run(0, warm, 0);
      process.stderr.write(`  warm-up answered ${answered[0]} of ${warm}\n`);
    }
    const before = bots.map((b) => procSample(b.pid)!);
    const peaks = bots.map(() => 0);
    const sampler = setInterval(() => bots.forEach((b, k) => (peaks[k] = Math.max(peaks[k], procSample(b.pid)?.rssMb ?? 0))), 250);
    process.stderr.write(`  ${total - warm} events at ${o.rate}/s for ${o.duration} s to ${bots.map((b) => `:${b.port}`).join(', ')}; then up to ${o.drain} s for the last answers ...\n`);
    const { start, endSend } = await run(warm, total, 1);
    clearInterval(sampler);
    const after = bots.map((b) => procSample(b.pid)!);
    const wall = (performance.now() - start) / 1000;
    const botStats = bots.map((b, k) => ({
      pid: b.pid,
      peakRssMb: Math.round(after[k].hwmMb),
      endRssMb: Math.round(after[k].rssMb),
      cpuSeconds: Math.round((after[k].cpuSeconds - before[k].cpuSeconds) * 10) / 10,
      cpuCoresAvg: Math.round(((after[k].cpuSeconds - before[k].cpuSeconds) / wall) * 100) / 100,
      peakSampledRssMb: Math.round(peaks[k]),
    }));
    agents.forEach((a) => a.destroy());
    for (const b of bots) {
      // Warnings and errors, less the start-up notice that Teams runs unauthenticated (no app id here).
      const tail = b.stderrTail().split('\n').filter((l) => /"level":(40|50|60)/.test(l) && !l.includes('MICROSOFT_APP_ID')).slice(-3);
      if (tail.length) process.stderr.write(`  bot ${b.pid} logged warnings or errors, the last ones:\n    ${tail.join('\n    ')}\n`);
    }
    return summarise(database, replicas, o, events.slice(warm), slack.counts, strayPosts, botStats, endSend - start);
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await slack.close();
    if (profileDir) process.stderr.write(`  CPU profiles in ${profileDir}\n`);
  }
}

function summarise(
  database: string,
  replicas: number,
  o: Options,
  events: Sent[],
  slackCalls: Record<string, number>,
  strayPosts: number,
  bots: RunResult['bots'],
  sendMs: number,
): RunResult {
  const sent = events.filter((e) => e.sentAt !== undefined);
  const acked = sent.filter((e) => e.status === 200 && e.ackAt! - e.sentAt! <= SLACK_ACK_DEADLINE_MS);
  const posted = sent.filter((e) => e.postAt !== undefined);
  const lost = sent.filter((e) => e.postAt === undefined);
  const lat = (xs: Sent[]) => xs.map((e) => e.postAt! - e.sentAt!).sort((a, b) => a - b);
  const all = lat(posted);
  const byKind: RunResult['latencyByKindMs'] = {};
  for (const kind of ['track', 'list', 'kpi'] as const) {
    const l = lat(posted.filter((e) => e.kind === kind));
    byKind[kind] = { n: l.length, p50: ms(percentile(l, 50)), p99: ms(percentile(l, 99)), max: ms(percentile(l, 100)) };
  }
  const byWindow: RunResult['latencyByWindowMs'] = [];
  const t0 = Math.min(...sent.map((e) => e.sentAt!));
  for (let from = 0; from < o.duration; from += 10) {
    const inWindow = sent.filter((e) => e.sentAt! - t0 >= from * 1000 && e.sentAt! - t0 < (from + 10) * 1000);
    const l = lat(inWindow.filter((e) => e.postAt !== undefined));
    byWindow.push({ from, sent: inWindow.length, lost: inWindow.filter((e) => e.postAt === undefined).length, p50: ms(percentile(l, 50)), p99: ms(percentile(l, 99)) });
  }
  const acks = sent.filter((e) => e.ackAt !== undefined).map((e) => e.ackAt! - e.sentAt!).sort((a, b) => a - b);
  const lag = sent.map((e) => e.sentAt! - e.scheduled).sort((a, b) => a - b);
  const lastPost = Math.max(...posted.map((e) => e.postAt!));
  const firstSend = Math.min(...sent.map((e) => e.sentAt!));
  return {
    database,
    replicas,
    rate: o.rate,
    duration: o.duration,
    warmup: o.warmup,
    sent: sent.length,
    acked: acked.length,
    answered: posted.length,
    lost: lost.length,
    errors: {
      non200: sent.filter((e) => e.status !== undefined && e.status !== 200).length,
      failedRequests: sent.filter((e) => e.failure !== undefined).length,
      errorReplies: posted.filter((e) => e.reply === 'error').length,
      rateLimited: posted.filter((e) => e.reply === 'rate_limited').length,
    },
    extraPosts: events.reduce((n, e) => n + Math.max(0, e.posts - 1), 0) + strayPosts,
    throughputPerSecond: Math.round((posted.length / Math.max(sendMs, lastPost - firstSend)) * 1000 * 10) / 10,
    latencyMs: { p50: ms(percentile(all, 50)), p90: ms(percentile(all, 90)), p99: ms(percentile(all, 99)), max: ms(percentile(all, 100)) },
    latencyByKindMs: byKind,
    latencyByWindowMs: byWindow,
    ackMs: { p50: ms(percentile(acks, 50)), p99: ms(percentile(acks, 99)), max: ms(percentile(acks, 100)) },
    generatorLagMs: { p99: ms(percentile(lag, 99)), max: ms(percentile(lag, 100)) },
    bots,
    slackCalls,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    lostSamples: lost.slice(0, 5).map((e) => `${e.kind} (replica ${e.replica}, status ${e.status ?? e.failure})`),
  };
}

function printResult(r: RunResult): void {
  const f = (x: number | null) => (x === null ? 'n/a' : `${x} ms`);
  const lines = [
    `${r.database}, ${r.replicas} replica${r.replicas > 1 ? 's' : ''}: ${r.rate}/s for ${r.duration} s${r.warmup ? ` after ${r.warmup} s of warm-up` : ' from a cold start'}`,
    `  sent ${r.sent}, acked within 3 s ${r.acked}, answered ${r.answered}, LOST ${r.lost}`,
    `  errors: ${r.errors.non200} non-200, ${r.errors.failedRequests} failed requests, ${r.errors.errorReplies} error replies; ${r.errors.rateLimited} rate-limited; ${r.extraPosts} extra posts`,
    `  throughput ${r.throughputPerSecond} answers/s`,
    `  request -> chat.postMessage: p50 ${f(r.latencyMs.p50)}, p90 ${f(r.latencyMs.p90)}, p99 ${f(r.latencyMs.p99)}, max ${f(r.latencyMs.max)}`,
    ...Object.entries(r.latencyByKindMs).map(([k, v]) => `    ${k.padEnd(5)} (${v.n}): p50 ${f(v.p50)}, p99 ${f(v.p99)}, max ${f(v.max)}`),
    `  by 10 s of sending: ${r.latencyByWindowMs.map((w) => `[${w.from}s p50 ${f(w.p50)} p99 ${f(w.p99)}${w.lost ? ` lost ${w.lost}` : ''}]`).join(' ')}`,
    `  ack: p50 ${f(r.ackMs.p50)}, p99 ${f(r.ackMs.p99)}; generator lag p99 ${f(r.generatorLagMs.p99)}, max ${f(r.generatorLagMs.max)}`,
    ...r.bots.map((b) => `  bot ${b.pid}: peak RSS ${b.peakRssMb} MB (at end ${b.endRssMb} MB), CPU ${b.cpuSeconds} s (${b.cpuCoresAvg} cores)`),
    `  load average ${r.loadAverage.join(' ')}`,
    ...(r.lostSamples.length ? [`  lost, e.g.: ${r.lostSamples.join('; ')}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function options(argv: string[]): Options {
  const program = new Command('bench:load')
    .description('Open-loop Slack load on the bot (HTTP mode) over a 1,000,000-shipment database; prints figures.')
    .option('--db <which>', 'sqlite, postgres or both (default: both when a PostgreSQL URL is known, else sqlite)', (v) => {
      if (!['sqlite', 'postgres', 'both'].includes(v)) throw new InvalidArgumentError('sqlite, postgres or both');
      return v;
    })
    .option('--pg-url <url>', 'PostgreSQL server (default TEST_DATABASE_URL)')
    .option('--replicas <n>', 'bot processes (default 1 on SQLite, 2 on PostgreSQL)', positiveInt('--replicas'))
    .option('--rate <n>', 'events per second', positiveInt('--rate'), 200)
    .option('--duration <s>', 'seconds of load', positiveInt('--duration'), 60)
    .option('--shipments <n>', 'shipments in the database', positiveInt('--shipments'), 1_000_000)
    .option('--seed <n>', 'data and question seed', positiveInt('--seed'), 1)
    .option('--mix <spec>', 'question kinds by weight', (v) => {
      try {
        return parseMix(v);
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message);
      }
    }, parseMix('track=50,list=30,kpi=20'))
    .option('--users <n>', 'distinct people sending (each keeps the default per-person rate limit)', positiveInt('--users'), 2000)
    .option('--drain <s>', 'seconds to wait for answers after the last event', positiveInt('--drain'), 10)
    .option('--warmup <s>', 'seconds of the same load first, answered but not counted (steady state: caches warm)', (v) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError('--warmup must be a whole number of seconds');
      return Number(v);
    }, 0)
    .option('--json <file>', 'where to write the figures (default bench-results/load-bench.json)')
    .option('--profile', 'the bots write V8 CPU profiles (node --cpu-prof) to var/bench/profiles/', false)
    .parse(argv);
  return program.opts<Options>();
}

async function main(): Promise<void> {
  const o = options(process.argv);
  const pgUrl = o.pgUrl ?? process.env.TEST_DATABASE_URL;
  const which = o.db ?? (pgUrl ? 'both' : 'sqlite');
  if (which !== 'sqlite' && !pgUrl) throw new Error('--db postgres needs --pg-url or TEST_DATABASE_URL');
  const spec: LoadDataSpec = { shipments: o.shipments, seed: o.seed };
  const results: RunResult[] = [];
  if (which !== 'postgres') {
    process.stderr.write('SQLite:\n');
    const url = await sqliteDatabase(spec);
    const r = await runLoad('sqlite', url, o.replicas ?? 1, o);
    printResult(r);
    results.push(r);
  }
  if (which !== 'sqlite') {
    process.stderr.write('PostgreSQL:\n');
    const url = await postgresDatabase(pgUrl!, spec);
    const r = await runLoad('postgres', url, o.replicas ?? 2, o);
    printResult(r);
    results.push(r);
  }
  const out = o.json ? path.resolve(o.json) : path.join(projectRoot(), 'bench-results', 'load-bench.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const command = `npm run bench:load -- ${process.argv.slice(2).join(' ')}`.trim();
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), command, shipments: o.shipments, mix: o.mix, users: o.users, node: process.version, cpus: os.cpus().length, results }, null, 2));
  process.stderr.write(`wrote ${out}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
