import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../bot/projectRoot';

/**
 * The bots under load: `node dist/bot/main.js` in Slack HTTP mode (as test/slack/botProcess.ts starts
 * it, leaner: logs at warn, only the tail of stderr kept), and what /proc says about each process:
 * peak and current resident memory and CPU time.
 */
export interface LoadBot {
  pid: number;
  port: number;
  /** The last 64 KB of what it wrote on stderr (warnings, errors). */
  stderrTail(): string;
  /** Resolves when the process has exited (SIGTERM: it finishes the answers under way, for STOP_GRACE_MS at most). */
  stop(): Promise<void>;
}

export const LOAD_SIGNING_SECRET = 'load-bench-signing-secret';
const STOP_GRACE_MS = 15_000;

export interface LoadBotOptions {
  databaseUrl: string;
  slackApiUrl: string;
  now: string;
  /** Write a V8 CPU profile (node --cpu-prof) into this directory on exit. */
  profileDir?: string;
  env?: Record<string, string>;
}

export function startLoadBot(o: LoadBotOptions): Promise<LoadBot> {
  const args = [path.join(projectRoot(), 'dist', 'bot', 'main.js')];
  if (o.profileDir) {
    fs.mkdirSync(o.profileDir, { recursive: true });
    args.unshift('--cpu-prof', `--cpu-prof-dir=${o.profileDir}`);
  }
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: o.databaseUrl,
      LOG_LEVEL: 'warn',
      WAYBILL_DEMO: 'off',
      WAYBILL_DIGESTS: 'off',
      WAYBILL_NLU: 'offline',
      WAYBILL_NOW: o.now,
      SLACK_BOT_TOKEN: 'xoxb-load-bench',
      SLACK_SIGNING_SECRET: LOAD_SIGNING_SECRET,
      SLACK_API_URL: o.slackApiUrl,
      ...o.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-65_536);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`bot did not start within 120 s:\n${err}`)), 120_000);
    const onData = () => {
      const m = /Health check: http:\/\/localhost:(\d+)\/healthz\n[\s\S]*?\nTeams: /.exec(err);
      if (!m) return;
      clearTimeout(guard);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      if (!/\nSlack: HTTP mode/.test(err)) {
        child.kill('SIGTERM');
        return reject(new Error(`the bot started without Slack's HTTP mode:\n${err}`));
      }
      resolve({
        pid: child.pid!,
        port: Number(m[1]),
        stderrTail: () => err,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          // An overloaded bot finishes its backlog before it exits; the run is over, so not for long.
          const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          await exited;
          clearTimeout(kill);
        },
      });
    };
    const onExit = (code: number | null) => {
      clearTimeout(guard);
      reject(new Error(`bot exited with ${code} before it was ready:\n${err}`));
    };
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

export interface ProcSample {
  /** Peak resident set size so far (VmHWM), MB. */
  hwmMb: number;
  rssMb: number;
  /** User + system CPU time so far, seconds. */
  cpuSeconds: number;
}

/** What /proc says about a process now; undefined once it is gone. */
export function procSample(pid: number): ProcSample | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 14th field, stime the 15th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(rest[11]) + Number(rest[12])) / TICKS;
    return { hwmMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024, cpuSeconds: cpu };
  } catch {
    return undefined;
  }
}
