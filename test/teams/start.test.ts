import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../support/cli';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector';

/**
 * `npm start` (dist/bot/main.js) serves Teams on the shared port: without an app id it says that
 * authentication is off and answers an Emulator-style activity through the fake connector; with an
 * app id it refuses unauthenticated requests.
 */
describe('npm start serves Teams on /api/messages', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-teams-start-'));
  const children: ChildProcess[] = [];
  let fake: FakeBotConnector;
  beforeAll(async () => {
    fake = await startFakeBotConnector();
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await fake?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function startBot(name: string, env: Record<string, string>): Promise<{ stderr: string; base: string }> {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'bot', 'main.js')], {
      env: {
        ...process.env, PORT: '0', LOG_LEVEL: 'warn', WAYBILL_NLU: 'offline', WAYBILL_NOW: '2026-11-24T10:00:00Z',
        WAYBILL_DEMO_SHIPMENTS: '300', DATABASE_URL: `sqlite:${path.join(tmp, `${name}.sqlite`)}`,
        MICROSOFT_APP_ID: '', MICROSOFT_APP_PASSWORD: '', ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`bot did not start:\n${stderr}`)), 90_000);
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Health check: (http:\/\/localhost:\d+)\/healthz\n/.exec(stderr);
        if (m) {
          clearTimeout(guard);
          resolve({ stderr, base: m[1] });
        }
      });
      child.on('exit', (code) => {
        clearTimeout(guard);
        reject(new Error(`bot exited with ${code}:\n${stderr}`));
      });
    });
  }

  const activity = () => ({
    type: 'message', id: 'start-1', channelId: 'emulator', serviceUrl: fake.url, text: 'where is order 10042?',
    from: { id: 'emulator-user', name: 'User' }, recipient: { id: 'bot', name: 'Waybill' }, conversation: { id: 'emulator-conv-1' },
  });

  it('without an app id: warns that authentication is off, and answers through the connector', async () => {
    const { stderr, base } = await startBot('open', {});
    expect(stderr).toMatch(/Teams: POST http:\/\/localhost:\d+\/api\/messages with authentication OFF \(no MICROSOFT_APP_ID\)/);
    const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity()) });
    expect(res.status).toBe(200);
    const [reply] = fake.messages('emulator-conv-1');
    expect(JSON.stringify(reply.body)).toMatch(/SHP-000123/);
  });

  it('draws the KPI trend chart inline in the Adaptive Card (a PNG small enough for Teams)', async () => {
    const { base } = await startBot('chart', {});
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...activity(), id: 'chart-1', text: 'on-time rate last week', conversation: { id: 'emulator-conv-chart' } }),
    });
    expect(res.status).toBe(200);
    const body = JSON.stringify(fake.messages('emulator-conv-chart').map((m) => m.body));
    expect(body).toMatch(/"type":"Image","url":"data:image\/png;base64,/);
    expect(body.length).toBeLessThan(28 * 1024);
  });

  it('with an app id: refuses a request without a token, and never logs the password', async () => {
    const { stderr, base } = await startBot('closed', { MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555', MICROSOFT_APP_PASSWORD: 'never-log-this-secret' });
    expect(stderr).toMatch(/Teams: POST http:\/\/localhost:\d+\/api\/messages \(Microsoft app 11111111-2222-3333-4444-555555555555, MultiTenant; requests are authenticated\)/);
    const before = fake.calls.length;
    const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...activity(), id: 'start-2' }) });
    expect(res.status).toBe(401);
    expect(fake.calls.length).toBe(before);
    expect(stderr).not.toContain('never-log-this-secret');
  });
});
