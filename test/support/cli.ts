import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'bot', 'cli', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled `waybill` CLI the way people and scripts do (built by jest's globalSetup). */
export function runCli(args: string[], opts: { env?: Record<string, string | undefined>; input?: string; cwd?: string } = {}): CliResult {
  // Offline parsing unless a test says otherwise: a developer's OPENAI_API_KEY must not change results.
  const env = { ...process.env, LOG_LEVEL: 'warn', WAYBILL_NLU: 'offline', ...opts.env } as NodeJS.ProcessEnv;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const r = spawnSync(process.execPath, [CLI, ...args], { env, input: opts.input, cwd: opts.cwd ?? ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
