import { z } from 'zod';
import { UserError } from '../domain/errors';
import { isValidTimeZone } from '../domain/clock';
import type { Role } from '../domain/roles';
import { loadTeamsConfig, type TeamsConfig } from './teams/teamsConfig';

/** Every setting comes from the environment; this is the one place that reads it. */
const schema = z.object({
  DATABASE_URL: z.string().optional(),
  WAYBILL_NOW: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 instant, e.g. 2026-03-18T09:30:00Z'),
  WAYBILL_TZ: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || isValidTimeZone(v), 'must be an IANA time zone, e.g. Europe/Berlin'),
  WAYBILL_DEMO: z.enum(['on', 'off']).optional(),
  WAYBILL_DEMO_SHIPMENTS: z.coerce.number().int().positive().optional(),
  WAYBILL_AUDIT_TOLERANCE_PCT: z.coerce.number().min(0).optional(),
  WAYBILL_AUDIT_TOLERANCE_ABS: z.coerce.number().min(0).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WAYBILL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).optional(),
  // At most the read connections a process has (data/db.ts READ_CONNECTIONS).
  WAYBILL_KPI_STATEMENTS: z.coerce.number().int().min(1).max(2).optional(),
  WAYBILL_DEFAULT_ROLE: z.enum(['admin', 'ops', 'finance', 'cs'], { message: 'must be one of admin, ops, finance, cs' }).optional(),
  // The optional LLM parser (nlu.md): any OpenAI-compatible chat-completions server.
  WAYBILL_NLU: z.enum(['offline', 'llm', 'hybrid', '']).optional(),
  WAYBILL_NLU_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  WAYBILL_NLU_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^https?:\/\/[^\s]+$/i.test(v), 'must be an http(s) URL, e.g. http://127.0.0.1:11434/v1'),
  OPENAI_MODEL: z.string().optional(),
  // Slack (bot/slack): the bot token plus a signing secret (HTTP) or an app-level token (Socket Mode).
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_API_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^https?:\/\/[^\s]+$/i.test(v), 'must be an http(s) URL, e.g. https://slack.com/api/'),
});

export interface Config {
  databaseUrl?: string;
  now?: Date;
  timeZone: string;
  demo: boolean;
  demoShipments: number;
  auditTolerance: { pct: number; abs: number };
  logLevel: string;
  port: number;
  /** The role of people not yet known to `waybill users` (default cs: read-only). */
  defaultRole: Role;
  /** Messages per person per minute on Slack and Teams (0: unlimited). */
  ratePerMinute: number;
  /** KPI statements this process runs at once; undefined: the database's default (bot/container.ts). */
  kpiStatements?: number;
  /** The LLM parser; `mode` undefined: hybrid when a model is configured, else offline. */
  nlu: NluConfig;
  /** Slack, when SLACK_BOT_TOKEN is set (see slackReady for whether it can start). */
  slack?: SlackConfig;
  /** Microsoft Teams (MICROSOFT_APP_ID, _PASSWORD, _TENANT_ID, _TYPE; see bot/teams/teamsConfig.ts). */
  teams: TeamsConfig;
}

/**
 * The secrets are not enumerable, like the OpenAI key: a config that is logged or serialized whole
 * never carries them; the logger redacts `token` and `secret` too.
 */
export interface SlackConfig {
  botToken: string;
  /** HTTP mode: verifies that requests to /slack/events come from Slack. */
  signingSecret?: string;
  /** Socket Mode (xapp-…): when set, Slack is reached over a WebSocket and /slack/events is unused. */
  appToken?: string;
  /** The Web API base URL (default https://slack.com/api/); tests and proxies override it. */
  apiUrl?: string;
}

/** The Slack mode the configuration allows, or undefined when something is missing. */
export function slackMode(slack: SlackConfig | undefined): 'socket' | 'http' | undefined {
  if (!slack) return undefined;
  if (slack.appToken) return 'socket';
  return slack.signingSecret ? 'http' : undefined;
}

export interface NluConfig {
  mode?: 'offline' | 'llm' | 'hybrid';
  /** Per model call; the offline frame is used when it runs out. */
  timeoutMs: number;
  /** hybrid: ask the model below this offline confidence (default: the recognizer's). */
  lowConfidence?: number;
  model: string;
  /** Not enumerable (never serialized with the config); the logger redacts `apiKey` too. */
  apiKey?: string;
  baseURL?: string;
}

/** True when a language model is configured (an API key or an OpenAI-compatible server). */
export function nluModelConfigured(nlu: NluConfig): boolean {
  return Boolean(nlu.apiKey || nlu.baseURL);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // A variable set to nothing (`X=` in a .env file or a compose file) means "not set": otherwise a number
  // coerces '' to 0, and WAYBILL_RATE_LIMIT_PER_MINUTE= would silently turn the rate limit off.
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${issue.path.join('.')} ${issue.message}`, 2);
  }
  const e = parsed.data;
  const nlu: NluConfig = {
    mode: e.WAYBILL_NLU || undefined,
    timeoutMs: e.WAYBILL_NLU_TIMEOUT_MS ?? 4000,
    lowConfidence: e.WAYBILL_NLU_THRESHOLD,
    model: e.OPENAI_MODEL?.trim() || 'gpt-4o-mini',
    baseURL: e.OPENAI_BASE_URL?.trim() || undefined,
  };
  // Not enumerable: a config that is logged or serialized whole never carries the key.
  Object.defineProperty(nlu, 'apiKey', { value: e.OPENAI_API_KEY?.trim() || undefined, enumerable: false });
  let slack: SlackConfig | undefined;
  const botToken = e.SLACK_BOT_TOKEN?.trim();
  if (botToken) {
    slack = { apiUrl: e.SLACK_API_URL?.trim() || undefined } as SlackConfig;
    Object.defineProperty(slack, 'botToken', { value: botToken, enumerable: false });
    Object.defineProperty(slack, 'signingSecret', { value: e.SLACK_SIGNING_SECRET?.trim() || undefined, enumerable: false });
    Object.defineProperty(slack, 'appToken', { value: e.SLACK_APP_TOKEN?.trim() || undefined, enumerable: false });
  }
  return {
    databaseUrl: e.DATABASE_URL || undefined,
    now: e.WAYBILL_NOW ? new Date(e.WAYBILL_NOW) : undefined,
    timeZone: e.WAYBILL_TZ || 'UTC',
    demo: e.WAYBILL_DEMO !== 'off',
    demoShipments: e.WAYBILL_DEMO_SHIPMENTS ?? 2000,
    auditTolerance: { pct: e.WAYBILL_AUDIT_TOLERANCE_PCT ?? 1, abs: e.WAYBILL_AUDIT_TOLERANCE_ABS ?? 1 },
    logLevel: e.LOG_LEVEL ?? 'info',
    port: e.PORT ?? 3978,
    defaultRole: e.WAYBILL_DEFAULT_ROLE ?? 'cs',
    ratePerMinute: e.WAYBILL_RATE_LIMIT_PER_MINUTE ?? 30,
    kpiStatements: e.WAYBILL_KPI_STATEMENTS,
    nlu,
    slack,
    teams: loadTeamsConfig(env),
  };
}
