import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, runCli } from '../support/cli';

/** cli.md: stdout is the result only, exit codes 0/1/2, one-line errors, --debug adds the stack. */
describe('waybill CLI conventions', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-cli-'));
  const sqlite = `sqlite:${path.join(tmp, 'cli.sqlite')}`;
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.each([[[]], [['db']], [['db', 'migrate']], [['import']], [['seed']], [['kpi']], [['audit']], [['parse']], [['users']], [['users', 'add']], [['users', 'list']], [['users', 'remove']], [['log']]])(
    'has --help for %j',
    (cmd) => {
      const r = runCli([...cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: ${['waybill', ...cmd].join(' ')} `);
    },
  );

  it('migrates a new SQLite file and reports an up-to-date one', () => {
    const first = runCli(['db', 'migrate'], { env: { DATABASE_URL: sqlite } });
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/applied \d+ migration\(s\).*001-initial-schema, 002-conversations/);
    expect(runCli(['db', 'migrate'], { env: { DATABASE_URL: sqlite } }).stdout).toMatch(/up to date/);
  });

  it('exits 2 with one line for an unknown command', () => {
    const r = runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('exits 2 with one line for a bad argument', () => {
    const r = runCli(['kpi', '--from', '2026-02-30', '--to', '2026-03-01'], { env: { DATABASE_URL: sqlite } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a date in YYYY-MM-DD form/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 for a bad WAYBILL_NOW or WAYBILL_TZ', () => {
    expect(runCli(['db', 'migrate'], { env: { DATABASE_URL: sqlite, WAYBILL_NOW: 'yesterday-ish' } })).toMatchObject({ code: 2 });
    const r = runCli(['db', 'migrate'], { env: { DATABASE_URL: sqlite, WAYBILL_TZ: 'Mars/Olympus' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/WAYBILL_TZ must be an IANA time zone/);
  });

  it('exits 1 with one line and no stack when the database is unreachable, and no password', () => {
    const r = runCli(['db', 'migrate'], { env: { DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:1/test' } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/database is unavailable/);
    expect(r.stderr).not.toMatch(/s3cret/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('adds the stack with --debug', () => {
    const r = runCli(['db', 'migrate', '--debug'], { env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('exits 1 with one line for a missing file', () => {
    const r = runCli(['import', 'shipments', path.join(tmp, 'nope.csv')], { env: { DATABASE_URL: sqlite } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^waybill: cannot read .*nope\.csv: no such file$/);
  });

  it('works as `npm run -s waybill -- <command>` from the repository root', () => {
    const r = spawnSync('npm', ['run', '-s', 'waybill', '--', 'db', 'migrate'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: sqlite },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/up to date|applied/);
  });
});
