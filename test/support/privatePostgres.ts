import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile, execFileSync, spawnSync } from 'node:child_process';

/**
 * A throwaway PostgreSQL cluster of the test's own (initdb in a temp dir, its own port and socket
 * directory, trust authentication), for tests that stop and start the server: the shared server on
 * 5432 is never touched. initdb refuses to run as root, so as root every command runs as the
 * `postgres` OS user (runuser); as anyone else it runs as that user.
 *
 *   const pg = privatePostgres();            // { skip: reason } when binaries or the postgres user are missing
 *   beforeAll(() => pg.cluster.start());
 *   afterAll(() => pg.cluster.destroy());    // stops it (immediate) and removes the directory, also after failures
 */
export interface PrivateCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres (set once created). */
  readonly url: string;
  readonly port: number;
  /** Creates the cluster on first use, then starts the server and waits until it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m <mode>`: fast rolls back and disconnects sessions; immediate kills the server like a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server if it runs and deletes every file of the cluster. Safe to call twice. */
  destroy(): Promise<void>;
  /** The server's own log (startup, shutdown, FATALs), for failure messages. */
  log(): string;
}

export type PrivatePostgres = { cluster: PrivateCluster; skip?: undefined } | { cluster?: undefined; skip: string };

/** The newest PostgreSQL bin directory with initdb and pg_ctl (Debian: /usr/lib/postgresql/<major>/bin), or a PATH one. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const m of majors) {
    const bin = path.join(root, m, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const initdb = which.status === 0 ? which.stdout.trim() : '';
  return initdb && fs.existsSync(path.join(path.dirname(initdb), 'pg_ctl')) ? path.dirname(initdb) : undefined;
}

/** The uid/gid of the `postgres` OS user, when running as root (initdb refuses root). */
function postgresUser(): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const live = new Set<PrivateCluster>();
let exitHookInstalled = false;

/** A cluster left running by a killed test run would hold its port and files: stop it on the way out. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) (c as unknown as { destroySync(): void }).destroySync();
  });
}

/** A private cluster, or why it cannot run here (the caller skips with that reason). */
export function privatePostgres(): PrivatePostgres {
  const bin = findPostgresBin();
  if (!bin) return { skip: 'no PostgreSQL server binaries (initdb, pg_ctl) found: apt-get install postgresql (.ci/run does)' };
  const isRoot = process.getuid?.() === 0;
  const owner = isRoot ? postgresUser() : undefined;
  if (isRoot && !owner) return { skip: 'running as root and there is no "postgres" OS user to run initdb as (initdb refuses root)' };
  if (isRoot && spawnSync('sh', ['-c', 'command -v runuser']).status !== 0) return { skip: 'running as root without runuser (util-linux) to run initdb as the postgres user' };
  return { cluster: createCluster(bin, owner) };
}

function createCluster(bin: string, owner: { uid: number; gid: number } | undefined): PrivateCluster {
  let dir = '';
  let port = 0;
  let running = false;
  const dataDir = () => path.join(dir, 'data');
  const logFile = () => path.join(dir, 'server.log');

  function command(tool: string, args: string[]): [string, string[]] {
    return owner ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
  }

  /**
   * Runs a PostgreSQL tool as the cluster's owner; rejects with its output when it fails. Asynchronous,
   * so the test process's own connections see the server go away while it happens, as in a real outage.
   */
  function run(tool: string, args: string[], timeoutMs = 60_000): Promise<void> {
    const [cmd, argv] = command(tool, args);
    return new Promise((resolve, reject) => {
      execFile(cmd, argv, { encoding: 'utf8', timeout: timeoutMs, cwd: dir || os.tmpdir() }, (e, stdout, stderr) => {
        if (e) reject(new Error(`${tool} ${args.join(' ')} failed: ${e.message}\n${stdout}${stderr}\n${readLog()}`));
        else resolve();
      });
    });
  }

  /** The same, blocking: only for the exit hook, where nothing asynchronous runs any more. */
  function runSync(tool: string, args: string[], timeoutMs: number): void {
    const [cmd, argv] = command(tool, args);
    execFileSync(cmd, argv, { stdio: 'ignore', timeout: timeoutMs, cwd: dir || os.tmpdir() });
  }

  function readLog(): string {
    try {
      return fs.readFileSync(logFile(), 'utf8');
    } catch {
      return '';
    }
  }

  async function create(): Promise<void> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-pg-'));
    live.add(cluster); // from here on destroy() (or the exit hook) removes the directory, even if initdb fails
    installExitHook();
    if (owner) fs.chownSync(dir, owner.uid, owner.gid);
    port = await freePort();
    // Throwaway data: no fsync, C locale, trust for local and 127.0.0.1 connections.
    await run('initdb', ['-D', dataDir(), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], 120_000);
  }

  function forget(): void {
    running = false;
    fs.rmSync(dir, { recursive: true, force: true });
    live.delete(cluster);
    dir = '';
  }

  const cluster: PrivateCluster & { destroySync(): void } = {
    get url() {
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    get port() {
      return port;
    },
    async start() {
      if (!dir) await create();
      if (running) return;
      const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=40`;
      await run('pg_ctl', ['-D', dataDir(), '-l', logFile(), '-o', opts, '-w', '-t', '60', 'start'], 90_000);
      running = true;
    },
    async stop(mode = 'fast') {
      if (!dir || !running) return;
      await run('pg_ctl', ['-D', dataDir(), '-m', mode, '-w', '-t', '60', 'stop'], 90_000);
      running = false;
    },
    async restart() {
      await cluster.stop('fast');
      await cluster.start();
    },
    async destroy() {
      if (!dir) return;
      if (fs.existsSync(path.join(dataDir(), 'postmaster.pid'))) {
        // A stale pid file (the server already gone) makes pg_ctl fail: nothing left to stop then.
        await run('pg_ctl', ['-D', dataDir(), '-m', 'immediate', '-w', '-t', '30', 'stop'], 40_000).catch(() => undefined);
      }
      forget();
    },
    destroySync() {
      if (!dir) return;
      if (fs.existsSync(path.join(dataDir(), 'postmaster.pid'))) {
        try {
          runSync('pg_ctl', ['-D', dataDir(), '-m', 'immediate', '-w', '-t', '30', 'stop'], 40_000);
        } catch {
          // Already stopped.
        }
      }
      forget();
    },
    log: readLog,
  };
  return cluster;
}

/**
 * `describe` with a private cluster (created and started in beforeAll, destroyed in afterAll even when
 * a test or beforeAll failed); without PostgreSQL binaries it is skipped and the run says why.
 */
export function describeWithPrivatePostgres(title: string, body: (cluster: PrivateCluster) => void): void {
  const pg = privatePostgres();
  if (pg.skip !== undefined) {
    process.stderr.write(`[waybill] "${title}" SKIPPED: ${pg.skip}.\n`);
    describe.skip(title, () => body(undefined as unknown as PrivateCluster));
    return;
  }
  const cluster = pg.cluster;
  describe(title, () => {
    beforeAll(() => cluster.start(), 180_000);
    afterAll(() => cluster.destroy(), 60_000);
    // Nested, so the body's own afterAll hooks (stopping what uses the server) run before the destroy.
    describe('on a private cluster', () => body(cluster));
  });
}
