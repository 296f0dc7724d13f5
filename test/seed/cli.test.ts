import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli';

/** `waybill seed --demo` as people and `npm start` run it (the compiled CLI, a new SQLite file). */
describe('waybill seed --demo (CLI)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-seed-'));
  const env = (file: string) => ({ DATABASE_URL: `sqlite:${path.join(tmp, file)}`, WAYBILL_NOW: '2026-03-18T09:30:00Z' });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('seeds a new database and prints the summary on stdout', () => {
    const r = runCli(['seed', '--demo', '--shipments', '300', '--seed', '7'], { env: env('cli.sqlite') });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^seeded sqlite:.*cli\.sqlite: 1\d customers, 8 carriers, \d+ contract rows, \d+ orders, 300 shipments, \d+ tracking events, \d+ invoices \(\d+ lines\) in \d+\.\d s; audit: \d+ findings on \d+ invoices\n$/);
  });

  it('refuses, in one line and exit code 1, to seed it again', () => {
    const r = runCli(['seed', '--demo', '--shipments', '300', '--seed', '7'], { env: env('cli.sqlite') });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('the database already holds 300 shipments; seed only an empty database (or use a fresh DATABASE_URL)');
  });

  it('prints the summary as JSON with --json, the same for the same seed', () => {
    const a = runCli(['seed', '--demo', '--shipments', '300', '--seed', '7', '--json'], { env: env('a.sqlite') });
    const b = runCli(['seed', '--demo', '--shipments', '300', '--seed', '7', '--json'], { env: env('b.sqlite') });
    expect(a.code).toBe(0);
    const sa = JSON.parse(a.stdout);
    const sb = JSON.parse(b.stdout);
    expect(sa).toMatchObject({ customers: 12, carriers: 8, shipments: 300, seconds: expect.any(Number) });
    expect({ ...sa, seconds: 0 }).toEqual({ ...sb, seconds: 0 });
  });

  it('says which data set to load without --demo (exit code 2)', () => {
    const r = runCli(['seed'], { env: env('none.sqlite') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/waybill seed --demo/);
  });
});
