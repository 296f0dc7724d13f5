import http from 'node:http';
import { loadConfig } from './config';
import { createApp, type App } from './container';
import { createLogger } from './logger';
import { UserError } from '../domain/errors';
import { addDays } from '../domain/dates';
import { METRICS } from '../domain/kpi/types';
import { METRIC_LABELS, formatMetric } from '../domain/kpi/format';
import { createWebChat, type RequestHandler } from './web/webChat';
import { createTeamsChannel } from './teams/teamsChannel';
import { startSlack } from './slack/startSlack';
import { createPngChartRenderer } from './charts/png';
import type { SlackChannel } from './slack/slackChannel';
import { startDigests } from './scheduler/startDigests';
import { createWebInbox } from './web/inbox';

/**
 * `npm start`: migrate, seed the demo data on an empty database (unless WAYBILL_DEMO=off), serve on
 * PORT (/healthz, the web chat, Slack's /slack/events, Teams' /api/messages) and run the digest scheduler.
 */
async function seedIfEmpty(app: App): Promise<void> {
  if (!app.config.demo) return;
  if (!(await app.seeder.isEmpty())) return;
  const s = await app.seeder.seed({ shipments: app.config.demoShipments, seed: 42, today: app.clock.today() });
  // Audit the demo invoices at once, so findings and invoice accuracy are there from the first question.
  const audit = await app.audit.run({});
  process.stderr.write(
    `Empty database: seeded the demo data set (${s.shipments} shipments, ${s.orders} orders, ${s.invoices} invoices, ` +
      `${s.customers} customers, ${s.carriers} carriers) in ${s.seconds.toFixed(1)} s and audited it ` +
      `(${audit.findings.length} findings). Set WAYBILL_DEMO=off to start empty.\n`,
  );
}

async function printSnapshot(app: App): Promise<void> {
  const yesterday = addDays(app.clock.today(), -1);
  const last7 = { from: addDays(yesterday, -6), to: yesterday };
  const r = await app.kpi.compute({ period: last7 });
  const line = METRICS.map((m) => `${METRIC_LABELS[m]} ${formatMetric(m, r.metrics[m])}`).join(' | ');
  process.stderr.write(`Last 7 days (${last7.from}..${last7.to}): ${line}\n`);
}

export async function start(): Promise<{ app: App; server: http.Server; slack?: SlackChannel }> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, { logger });
  await seedIfEmpty(app);
  await printSnapshot(app).catch((e) => logger.warn({ err: (e as Error).message }, 'KPI snapshot unavailable'));
  // 200 while the database answers, 503 with the reason while it does not (load balancers stop routing here).
  const healthz: RequestHandler = (req, res) => {
    if (req.url !== '/healthz') return false;
    void app.health().then((h) => {
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(h.ok ? { ok: true, database: app.dialect } : { ok: false, database: app.dialect, reason: h.reason }));
    });
    return true;
  };
  // Each channel is a handler that claims its own paths; the first to claim a request answers it.
  const slack = await startSlack(config.slack, { core: app.conversation, logger, chartRenderer: createPngChartRenderer() });
  const inbox = createWebInbox({ state: app.repos.conversationState, logger });
  const routes: RequestHandler[] = [healthz, createWebChat({ core: app.conversation, logger, inbox }), ...(slack.channel ? [slack.channel.handler] : [])];
  // Always served: without MICROSOFT_APP_ID it is unauthenticated, for the Bot Framework Emulator (and says so).
  // A narrow chart keeps the PNG (inline as a data URL) inside Teams' message size with the rest of the card.
  const teams = createTeamsChannel({ core: app.conversation, logger, refs: app.repos.conversationRefs, config: config.teams, chartRenderer: createPngChartRenderer({ width: 440 }) });
  routes.push(teams.handler);
  const server = http.createServer((req, res) => {
    if (routes.some((route) => route(req, res))) return;
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found. Waybill serves the web chat at / and a health check at /healthz.\n');
  });
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  // Scheduled digests post through every channel this process runs; the database makes each post happen once.
  const digests = await startDigests(app, [slack.channel?.poster, teams.poster]);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  process.stderr.write(
    `Waybill is running on ${app.databaseDescription} (time zone ${app.clock.timeZone}, today ${app.clock.today()}).\n` +
      `Web chat: http://localhost:${port}/\n` +
      `Health check: http://localhost:${port}/healthz\n` +
      `Console chat: npm run chat    Command line: npm run -s waybill -- --help\n` +
      `${slack.describe(port)}\n` +
      `${teams.describe(port)}\n` +
      `${digests.describe()}\n`,
  );
  const stop = async () => {
    server.close();
    await digests.stop();
    await slack.channel?.stop();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { app, server, slack: slack.channel };
}

if (require.main === module) {
  start().catch((e) => {
    process.stderr.write(`waybill: ${e instanceof UserError ? e.message : `could not start: ${(e as Error).message}`}\n`);
    process.exit(1);
  });
}
