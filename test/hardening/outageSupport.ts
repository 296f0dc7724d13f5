/** Shared by the database outage tests: talking to a running bot and judging what it logged. */
import { spawn } from 'node:child_process';

/** The reply people get while the database is away (handlers/conversationCore.ts). */
export const UNAVAILABLE = /The database is unavailable, try again shortly/;

/**
 * The "no hang" deadline for an answer while the database is away. Not a performance figure: a hang
 * shows as Sequelize's 60 s default acquire timeout or worse, while a bounded answer takes at most the
 * few seconds of a connect timeout or a busy wait.
 */
export const NO_HANG_MS = 45_000;

/** Resolves with `p`, or rejects when it takes longer than the no-hang deadline. */
export async function bounded<T>(p: Promise<T>, what: string, ms = NO_HANG_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s (a hang)`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

let messageNo = 0;

/** POST /api/chat as the web page does; the replies' JSON as text for matching. Bounded by the no-hang deadline. */
export async function chatOver(
  base: string,
  session: string,
  body: { text: string } | { action: { id: string; value: string } },
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session, messageId: `msg-${process.pid}-${++messageNo}`, ...body }),
    signal: AbortSignal.timeout(NO_HANG_MS),
  });
  const json = (await res.json()) as { replies?: unknown[] };
  return { status: res.status, text: JSON.stringify(json.replies ?? json) };
}

/** GET /healthz: its status and JSON body, bounded by the no-hang deadline. */
export async function healthOf(base: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(NO_HANG_MS) });
  return { status: res.status, body: await res.json() };
}

/**
 * Resolves once an outside condition holds (a database state, a log line), checked every 100 ms;
 * the guard only turns a hang into a failure.
 */
export async function conditionOf(check: () => Promise<boolean>, what: string, guardMs = 60_000): Promise<void> {
  const until = Date.now() + guardMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Log lines that mean a crash or a bug rather than an outage handled: errors and fatals (pino levels
 * 50 and 60, e.g. "handler failed" for an error the core did not recognise as the database being
 * away), and Node's own reports of unhandled rejections and uncaught exceptions.
 */
export function loggedProblems(stderr: string): string[] {
  return stderr.split('\n').filter((line) => {
    if (/Unhandled|uncaught|ERR_UNHANDLED|FATAL ERROR|\[ERROR\]/i.test(line) && !line.startsWith('{')) return true;
    if (!line.startsWith('{')) return false;
    try {
      return (JSON.parse(line) as { level?: number }).level! >= 50;
    } catch {
      return false;
    }
  });
}

/**
 * Another process holding SQLite's write lock on `file` (BEGIN EXCLUSIVE) until release(): the bot's
 * writes wait for its busy timeout and then fail with SQLITE_BUSY. The holder also lets go when the
 * test process dies (its stdin closes).
 */
export async function holdSqliteLock(file: string): Promise<{ release(): Promise<void> }> {
  const program = `
    const sqlite3 = require(${JSON.stringify(require.resolve('sqlite3'))});
    const db = new sqlite3.Database(${JSON.stringify(file)});
    db.configure('busyTimeout', 30000);
    db.exec('BEGIN EXCLUSIVE', (e) => {
      if (e) { process.stderr.write(String(e)); process.exit(1); }
      process.stdout.write('locked\\n');
    });
    process.stdin.on('end', () => db.exec('ROLLBACK', () => db.close(() => process.exit(0))));
    process.stdin.resume();
  `;
  const child = spawn(process.execPath, ['-e', program], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}): ${err}`)));
  });
  return {
    async release() {
      child.stdin!.end();
      await exited;
    },
  };
}
