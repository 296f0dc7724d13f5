import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, ROOT, runCli } from '../support/cli';

/** `waybill parse` as people and scripts run it: the compiled CLI (built by jest's globalSetup). */
const NOW = '2026-03-18T09:30:00Z';

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

describe('waybill parse', () => {
  it('prints exactly one JSON frame', () => {
    const r = runCli(['parse', '--now', NOW, '--tz', 'UTC', 'where is order 10042?']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toHaveLength(1);
    const frame = JSON.parse(r.stdout);
    expect(frame).toMatchObject({ intent: 'track_shipment', entities: { order_id: 'ORD-10042' } });
    expect(Object.keys(frame)).toEqual(['intent', 'entities', 'confidence']);
    expect(frame.confidence).toBeGreaterThan(0);
    expect(frame.confidence).toBeLessThanOrEqual(1);
  });

  it('accepts --json-lines and an unquoted message', () => {
    const r = runCli(['parse', '--json-lines', '--now', NOW, 'OTIF', 'MTD']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ intent: 'kpi_report', entities: { metric: 'otif', period: { from: '2026-03-01', to: '2026-03-18' } } });
  });

  it('reads dates in --tz', () => {
    const r = runCli(['parse', '--now', '2026-03-18T03:00:00Z', '--tz', 'America/New_York', 'what was delivered today?']);
    expect(JSON.parse(r.stdout).entities.period).toEqual({ from: '2026-03-17', to: '2026-03-17' });
  });

  it('takes now and the time zone from WAYBILL_NOW / WAYBILL_TZ', () => {
    const r = runCli(['parse', 'late shipments today'], { env: { WAYBILL_NOW: '2026-03-18T23:30:00Z', WAYBILL_TZ: 'Asia/Tokyo' } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).entities.period).toEqual({ from: '2026-03-19', to: '2026-03-19' });
  });

  it.each([
    [['parse', '--now', 'yesterday-ish', 'hi'], /--now "yesterday-ish" is not an ISO 8601 instant/],
    [['parse', '--tz', 'Mars/Olympus', 'hi'], /--tz "Mars\/Olympus" is not an IANA time zone/],
    [['parse'], /give the message to parse/],
    [['parse', '--batch', 'hi'], /not both/],
  ])('exits 2 with one line for %j', (args, message) => {
    const r = runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 for a bad WAYBILL_NOW', () => {
    const r = runCli(['parse', 'hi'], { env: { WAYBILL_NOW: 'soon' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--batch writes one frame per input line, in order; a bad line is an unknown frame', () => {
    const input = [
      JSON.stringify({ text: 'cancel order 10042', now: NOW }),
      'this is not json',
      JSON.stringify({ text: 'OTIF MTD', now: NOW }),
      JSON.stringify({ text: 'where is order 10042', now: 'not a date' }),
      JSON.stringify({ now: NOW }),
      '',
      JSON.stringify({ text: 'late shipments today', now: '2026-03-18T23:30:00Z', tz: 'Asia/Tokyo' }),
      JSON.stringify({ text: 'help' }),
      '',
    ].join('\n');
    const r = runCli(['parse', '--batch', '--now', NOW], { input });
    expect(r.code).toBe(0);
    const frames = lines(r.stdout).map((l) => JSON.parse(l));
    expect(frames.map((f) => f.intent)).toEqual(['cancel_order', 'unknown', 'kpi_report', 'unknown', 'unknown', 'unknown', 'list_shipments', 'help']);
    expect(frames[0].entities).toEqual({ order_id: 'ORD-10042' });
    expect(frames[6].entities.period).toEqual({ from: '2026-03-19', to: '2026-03-19' });
  });

  // Throughput is measured by `npm run bench:nlu`; this checks 10,000 messages come back, in order.
  it('--batch answers 10,000 messages, one frame per line', () => {
    const cases = fs
      .readFileSync(path.join(__dirname, 'parser-cases.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { text: string; now: string });
    const input: string[] = [];
    for (let i = 0; input.length < 10_000; i++) input.push(JSON.stringify({ text: cases[i % cases.length].text, now: cases[i % cases.length].now }));
    const r = spawnSync(process.execPath, [CLI, 'parse', '--batch'], { cwd: ROOT, input: input.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toHaveLength(10_000);
  });

  it('does not load the database modules', () => {
    const script = `
      const { main } = require(${JSON.stringify(CLI)});
      main(['parse', '--now', '${NOW}', 'where is order 10042']).then((code) => {
        const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](sequelize|sqlite3|pg|umzug)[\\\\/]|[\\\\/]dist[\\\\/]data[\\\\/]/.test(k));
        process.stderr.write(JSON.stringify({ code, loaded }));
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    const result = JSON.parse(r.stderr);
    expect(result).toEqual({ code: 0, loaded: [] });
    expect(JSON.parse(r.stdout).intent).toBe('track_shipment');
  });
});
