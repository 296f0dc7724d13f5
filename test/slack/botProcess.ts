import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../support/cli';

/** `node dist/bot/main.js` with Slack configured, and what it says on stderr (pino JSON lines at info). */
export interface BotProcess {
  port: number;
  base: string;
  banner: string;
  stderr(): string;
  /** The 'slack: handled' log lines so far, for one eventKey (or all). */
  handled(eventKey?: string): Array<{ eventKey: string; replies: number }>;
  /** Resolves once `count` 'slack: handled' lines for the key were logged (the work after the ack is done). */
  waitHandled(eventKey: string, count?: number): Promise<void>;
  stop(): Promise<void>;
}

export const SIGNING_SECRET = 'test-signing-secret-8f2c';

export function startBot(env: Record<string, string>): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'dist', 'bot', 'main.js')], {
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'info',
      WAYBILL_NLU: 'offline',
      WAYBILL_NOW: '2026-11-24T10:00:00Z',
      WAYBILL_DEMO_SHIPMENTS: '300',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const waiters: Array<() => void> = [];
  const handled = (key?: string) =>
    err
      .split('\n')
      .filter((l) => l.includes('"slack: handled"'))
      .map((l) => JSON.parse(l) as { eventKey: string; replies: number })
      .filter((l) => key === undefined || l.eventKey === key);
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    waiters.slice().forEach((w) => w());
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`bot did not start:\n${err}`)), 120_000);
    const onStart = () => {
      const m = /Health check: http:\/\/localhost:(\d+)\/healthz\n[\s\S]*?Teams: /.exec(err);
      if (!m) return;
      clearTimeout(guard);
      waiters.splice(waiters.indexOf(onStart), 1);
      const port = Number(m[1]);
      resolve({
        port,
        base: `http://127.0.0.1:${port}`,
        banner: err,
        stderr: () => err,
        handled,
        waitHandled(eventKey, count = 1) {
          return new Promise((res, rej) => {
            const g = setTimeout(() => rej(new Error(`no "slack: handled" x${count} for ${eventKey}:\n${err.slice(-3000)}`)), 60_000);
            const check = () => {
              if (handled(eventKey).length < count) return;
              clearTimeout(g);
              waiters.splice(waiters.indexOf(check), 1);
              res();
            };
            waiters.push(check);
            check();
          });
        },
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    waiters.push(onStart);
    child.on('exit', (code) => {
      clearTimeout(guard);
      reject(new Error(`bot exited with ${code}:\n${err}`));
    });
  });
}
