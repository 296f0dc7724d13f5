/**
 * An error whose message is meant for the person: one line that says what went wrong and what to do.
 * Anything else that reaches the top level is a bug and is reported as such.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** Process exit code for the CLI: 1 failure, 2 bad usage. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The database could not be reached; people are told to try again shortly. */
export class DatabaseUnavailableError extends UserError {
  constructor(detail: string) {
    super(`the database is unavailable (${detail}): check DATABASE_URL or start the database server, then try again`);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * PostgreSQL SQLSTATEs of a server that is away, not of a bad statement: class 08 (connection
 * exception), 57P01-57P03 (terminated by an administrator or a crash; shutting down or starting up,
 * in recovery) and 53300 (too many connections).
 */
const PG_UNAVAILABLE = /^(08\w{3}|57P0[1-3]|53300)$/;
/** Socket errors of a server that cannot be reached or went away. */
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLite result codes of a file that is locked, unreadable or unwritable for now. */
const SQLITE_UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_PROTOCOL']);
/**
 * Sequelize's connection errors (refused, timed out, pool acquire timeout, host not found...) and a
 * SQLite busy timeout; by name, as the domain imports no database library.
 */
const SEQUELIZE_UNAVAILABLE = /^Sequelize(\w*Connection\w*|HostNotFound|HostNotReachable|AccessDenied)Error$/;
/** The pg driver's own words for a connection that died under a query or was never made. */
const MESSAGE_UNAVAILABLE = /Connection terminated|not queryable|Connection timed out|timeout expired|the database system is|database is locked|SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR)/i;

/**
 * True when `e` says the database is down, unreachable, restarting or locked rather than that the
 * request was wrong: the person is asked to try again shortly instead of being told about a bug.
 * Looks through the wrappers drivers and ORMs put around the cause (`original`, `parent`, `cause`).
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const seen = new Set<unknown>();
  const check = (x: unknown): boolean => {
    if (!x || typeof x !== 'object' || seen.has(x)) return false;
    seen.add(x);
    if (x instanceof DatabaseUnavailableError) return true;
    const err = x as { name?: unknown; code?: unknown; message?: unknown; original?: unknown; parent?: unknown; cause?: unknown };
    const code = typeof err.code === 'string' ? err.code : '';
    if (PG_UNAVAILABLE.test(code) || SOCKET_UNAVAILABLE.has(code) || SQLITE_UNAVAILABLE.has(code)) return true;
    if (typeof err.name === 'string' && SEQUELIZE_UNAVAILABLE.test(err.name)) return true;
    if (typeof err.message === 'string' && MESSAGE_UNAVAILABLE.test(err.message)) return true;
    return check(err.original) || check(err.parent) || check(err.cause);
  };
  return check(e);
}
