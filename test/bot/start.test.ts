import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../support/cli';

/** `npm start` on an empty database: migrates, seeds the demo data and says so, serves /healthz. */
describe('npm start', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-start-'));
  let child: ChildProcess | undefined;
  afterEach(() => child?.kill('SIGTERM'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function startBot(env: Record<string, string>): Promise<{ stderr: string; port: number }> {
    child = spawn(process.execPath, [path.join(ROOT, 'dist', 'bot', 'main.js')], {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', WAYBILL_NOW: '2026-03-18T09:30:00Z', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bot did not start:\n${stderr}`)), 90_000);
      child!.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Health check: http:\/\/localhost:(\d+)\/healthz/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve({ stderr, port: Number(m[1]) });
        }
      });
      child!.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bot exited with ${code}:\n${stderr}`));
      });
    });
  }

  it('seeds 2,000 demo shipments into an empty database, says so, and answers /healthz', async () => {
    const { stderr, port } = await startBot({ DATABASE_URL: `sqlite:${path.join(tmp, 'a.sqlite')}` });
    expect(stderr).toMatch(/seeded the demo data set \(2000 shipments/);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: 'sqlite' });
  });

  it('does not seed with WAYBILL_DEMO=off', async () => {
    const { stderr } = await startBot({ DATABASE_URL: `sqlite:${path.join(tmp, 'b.sqlite')}`, WAYBILL_DEMO: 'off' });
    expect(stderr).not.toMatch(/seeded/);
  });
});
