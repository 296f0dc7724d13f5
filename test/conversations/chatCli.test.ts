import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli';
import { TRANSCRIPT_NOW } from './transcriptRunner';

/** `waybill chat` as a scripted conversation: piped stdin, one message per line, answers in turn, exit 0. */
describe('waybill chat (piped)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-chat-'));
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'chat.sqlite')}`, WAYBILL_NOW: TRANSCRIPT_NOW };
  beforeAll(() => {
    const r = runCli(['seed', '--demo', '--shipments', '300'], { env });
    expect(r.code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers each line in order and presses buttons typed by label', () => {
    const r = runCli(['chat'], {
      env,
      input: 'where is order 10042?\nnew order for Acme Corp: 2 pallets of paper from Chicago to Dallas\nconfirm\n',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [first, second, third] = r.stdout.split(/^> /m).filter(Boolean);
    expect(first).toMatch(/^where is order 10042\?\nSHP-000123: In transit/);
    expect(second).toMatch(/New order for Acme Corp[\s\S]*\[Confirm\] \[Edit\] \[Cancel\]/);
    expect(third).toMatch(/Created order ORD-\d+/);
    const log = runCli(['log', '--json', '--limit', '5'], { env });
    expect(log.code).toBe(0);
    expect(JSON.parse(log.stdout)[0]).toMatchObject({ action: 'create_order', result: 'ok' });
  });

  it('speaks as a known person with --as, and refuses an unknown one with exit 2', () => {
    expect(runCli(['users', 'add', 'cara', '--role', 'cs', '--name', 'Cara'], { env }).code).toBe(0);
    const r = runCli(['chat', '--as', 'cara'], { env, input: 'cancel order 10077\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Cancelling orders needs the ops or admin role, and your role is cs/);
    const bad = runCli(['chat', '--as', 'nobody'], { env, input: 'hi\n' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"nobody" is not a known person/);
  });
});
