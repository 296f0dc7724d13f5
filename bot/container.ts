import type { Config } from './config';
import { createLogger } from './logger';
import { projectRoot } from './projectRoot';
import { createClock, type Clock } from '../domain/clock';
import type { Logger } from '../domain/logger';
import type { KpiEngine } from '../domain/kpi/types';
import type { AuditEngine } from '../domain/audit/types';
import type { ImportService } from '../domain/import/types';
import type { DemoSeeder } from '../domain/seed';
import type { Repositories } from '../domain/repositories';
import { createKpiEngine } from '../domain/kpi/engine';
import { createResultCache } from '../domain/kpi/resultCache';
import { withConcurrencyLimit } from '../domain/sql';
import { eventLoopLoad } from './eventLoopLoad';
import { createAuditEngine } from '../domain/audit/engine';
import { openDatabase } from '../data/db';
import { createKpiDataVersion } from '../data/kpiDataVersion';
import { migrate } from '../data/migrations';
import { createImportService } from '../data/import/importService';
import { createDemoSeeder } from '../data/seed/demoSeeder';
import { createRepositories } from '../data/repositories';
import type { ConversationCore } from '../handlers/core';
import { createConversationCore } from '../handlers/conversationCore';
import { createRecognizerFromConfig } from './nlu/createRecognizer';
import { createDigestRunRepository } from '../data/repositories/digestRuns';
import type { DigestRunRepository } from '../domain/digests/runs';
import type { Reply } from '../domain/conversation/reply';
import type { Subscription } from '../domain/repositories';
import { buildDigest } from '../handlers/digestContent';

/**
 * The composition root: the one place where `data` is wired into `domain` services. Channel
 * adapters and CLI commands receive an App and never reach the database themselves.
 */
export interface App {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where the data lives, safe to print. */
  readonly databaseDescription: string;
  readonly dialect: 'sqlite' | 'postgres';
  readonly kpi: KpiEngine;
  readonly audit: AuditEngine;
  readonly importer: ImportService;
  readonly seeder: DemoSeeder;
  /** What the conversation core reads and writes (domain/repositories.ts). */
  readonly repos: Repositories;
  /** The conversation core every chat channel hands messages to. */
  readonly conversation: ConversationCore;
  /** Scheduled digests: their content for a run instant, and the run record that makes them post once. */
  readonly digests: { build(sub: Subscription, at: Date): Promise<Reply>; runs: DigestRunRepository };
  /** Applies pending migrations; returns their names. */
  migrate(): Promise<string[]>;
  /** Whether the database answers right now (a trivial query, a few seconds at most); never rejects. */
  health(): Promise<{ ok: true } | { ok: false; reason: string }>;
  close(): Promise<void>;
}

/**
 * KPI statements one process runs at once, unless WAYBILL_KPI_STATEMENTS says. SQLite: two (it has
 * two read connections). PostgreSQL: one, because every replica's KPIs run on the one server: two
 * bots on a 2-core server, two statements each, left the short questions waiting seconds for the
 * server (`npm run bench:load -- --db postgres --rate 100`: p50 2.9 s with two, 365 ms with one).
 * A larger server takes more: set WAYBILL_KPI_STATEMENTS.
 */
const KPI_STATEMENTS_AT_ONCE = { sqlite: 2, postgres: 1 } as const;
/**
 * Above this share of busy time on the main thread, SQLite's KPIs run one statement at a time. On
 * SQLite they run inside this process (libuv threads): two at once take both cores of a small machine,
 * and under more messages than it can answer the short questions (where is X?) would starve behind
 * the reports. Measured with `npm run bench:load` on 2 cores: 0.5 let 200 events/s lose 1,451 of
 * 12,000, 0.35 lost 242 in the same hour; at 100/s the p99 is 2-6 s (one statement at a time, as
 * before: 9 s, falling behind).
 */
const KPI_YIELD_ABOVE_LOOP_LOAD = 0.35;

export interface CreateAppOptions {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  logger?: Logger;
}

export async function createApp(config: Config, opts: CreateAppOptions = {}): Promise<App> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = createClock(config.timeZone, config.now);
  const db = await openDatabase({ url: config.databaseUrl, projectRoot: projectRoot(), logger });
  const runMigrations = () => migrate(db.sequelize);
  try {
    if (opts.migrate !== false) {
      const applied = await runMigrations();
      if (applied.length) logger.info({ applied }, 'database migrated');
    }
  } catch (e) {
    await db.close();
    throw e;
  }
  const importer = createImportService(db, { logger, today: () => clock.today() });
  const repos = createRepositories(db, { now: () => clock.now() });
  // KPI figures are kept per version of the data they read, which every committed change moves (in any
  // process). They are computed on the read connections, at most kpiStatements at a time, beside the
  // short statements of every message; the version (one short statement) is read through db.sql (on
  // SQLite its read-only lookup connection), so a cached answer never waits behind a month being computed.
  const kpiStatements = config.kpiStatements ?? KPI_STATEMENTS_AT_ONCE[db.dialect];
  const loopLoad = db.dialect === 'sqlite' && kpiStatements > 1 ? eventLoopLoad() : undefined;
  const kpiSql = withConcurrencyLimit(db.readSql, loopLoad
    ? () => (loopLoad.current() > KPI_YIELD_ABOVE_LOOP_LOAD ? 1 : kpiStatements)
    : kpiStatements);
  const kpi = createKpiEngine({ sql: kpiSql, clock, cache: createResultCache(createKpiDataVersion(db.sql)) });
  const audit = createAuditEngine({ sql: db.sql, clock, tolerance: config.auditTolerance });
  // Without a configured model this is the offline parser: no LangChain is loaded.
  const recognizer = await createRecognizerFromConfig(config.nlu, { logger });
  const conversation = createConversationCore({ repos, kpi, audit, recognizer, clock, logger, defaultRole: config.defaultRole, ratePerMinute: config.ratePerMinute });
  return {
    config,
    clock,
    logger,
    databaseDescription: db.description,
    dialect: db.dialect,
    kpi,
    audit,
    importer,
    seeder: createDemoSeeder(db, { importer }),
    repos,
    conversation,
    digests: {
      build: (sub, at) => buildDigest(sub, at, { kpi, shipments: repos.shipments, sql: db.sql }),
      runs: createDigestRunRepository({ db, now: () => clock.now() }),
    },
    migrate: runMigrations,
    health: () => db.ping().then(
      () => ({ ok: true as const }),
      (e: unknown) => ({ ok: false as const, reason: (e as Error).message }),
    ),
    close: () => {
      loopLoad?.stop();
      return db.close();
    },
  };
}
