import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** What importChild.js prints: the import's summary and the peak RSS of its process. */
export interface ChildImport {
  rowsRead: number;
  inserted: number;
  updated: number;
  rejected: number;
  seconds: number;
  maxRssMb: number;
}

/**
 * One `waybill import` in its own process (dist/test/bench/importChild.js), so the benchmarks can
 * report the import's own peak memory; `now` fixes WAYBILL_NOW when set.
 */
export function importInChild(url: string, kind: string, file: string, now?: string): ChildImport {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'importChild.js'), kind, file], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn', ...(now ? { WAYBILL_NOW: now } : {}) },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildImport;
}
