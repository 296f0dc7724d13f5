import {
  ConnectionAcquireTimeoutError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionTimedOutError,
  DatabaseError,
  ForeignKeyConstraintError,
  HostNotFoundError,
  TimeoutError,
  UniqueConstraintError,
} from 'sequelize';
import { DatabaseUnavailableError, isDatabaseUnavailable, UserError } from '../../domain/errors';

/** A driver error as pg or sqlite3 hands it to Sequelize: a message plus a code (SQLSTATE, errno or SQLITE_*). */
function driverError(message: string, code?: string): Error & { code?: string; sql: string } {
  return Object.assign(new Error(message), code ? { code } : {}, { sql: 'SELECT 1' });
}

/**
 * The errors the conversation core must answer with "the database is unavailable, try again shortly"
 * (every shape Sequelize, pg and sqlite3 produced when the tests stopped PostgreSQL under the bot or
 * locked the SQLite file), and the ones it must not: a bad request is not an outage.
 */
describe('isDatabaseUnavailable', () => {
  it.each<[string, unknown]>([
    ['server down: connection refused', new ConnectionRefusedError(driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))],
    ['query cut off by pg_ctl stop -m fast (57P01)', new DatabaseError(driverError('terminating connection due to administrator command', '57P01'))],
    ['query cut off by pg_ctl stop -m immediate', new DatabaseError(driverError('Connection terminated unexpectedly'))],
    ['a client whose connection already failed', new DatabaseError(driverError('Client has encountered a connection error and is not queryable'))],
    ['server shutting down (57P03)', new ConnectionError(driverError('the database system is shutting down', '57P03'))],
    ['server in crash recovery (57P03)', new ConnectionError(driverError('the database system is in recovery mode', '57P03'))],
    ['another backend crashed (57P02)', new DatabaseError(driverError('terminating connection because of crash of another server process', '57P02'))],
    ['connection failure (08006)', new DatabaseError(driverError('connection failure', '08006'))],
    ['too many connections (53300)', new ConnectionError(driverError('sorry, too many clients already', '53300'))],
    ['reset while connecting', new ConnectionError(driverError('connect ECONNRESET 127.0.0.1:5432', 'ECONNRESET'))],
    ['pg connect timeout', new ConnectionError(driverError('timeout expired'))],
    ['Sequelize connect timeout', new ConnectionTimedOutError(new Error('Connection timed out'))],
    ['pool acquire timeout (every connection busy)', new ConnectionAcquireTimeoutError(new Error('Operation timeout'))],
    ['host not found', new HostNotFoundError(driverError('getaddrinfo ENOTFOUND db.internal', 'ENOTFOUND'))],
    ['SQLite file locked past the busy timeout', new TimeoutError(driverError('SQLITE_BUSY: database is locked', 'SQLITE_BUSY'))],
    ['SQLite file cannot be opened', new DatabaseError(driverError('SQLITE_CANTOPEN: unable to open database file', 'SQLITE_CANTOPEN'))],
    ['SQLite disk I/O error', new DatabaseError(driverError('SQLITE_IOERR: disk I/O error', 'SQLITE_IOERR'))],
    ['SQLite file made read-only', new DatabaseError(driverError('SQLITE_READONLY: attempt to write a readonly database', 'SQLITE_READONLY'))],
    ['our own DatabaseUnavailableError', new DatabaseUnavailableError('connect ECONNREFUSED')],
    ['a cause chain', Object.assign(new Error('digest failed'), { cause: new ConnectionRefusedError(driverError('connect ECONNREFUSED', 'ECONNREFUSED')) })],
  ])('%s: unavailable', (_, e) => {
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a syntax error (42601)', new DatabaseError(driverError('syntax error at or near "SELEC"', '42601'))],
    ['a missing table (42P01)', new DatabaseError(driverError('relation "nope" does not exist', '42P01'))],
    ['a unique violation', new UniqueConstraintError({ parent: driverError('duplicate key value', '23505') as never })],
    ['a foreign key violation', new ForeignKeyConstraintError({ parent: driverError('violates foreign key constraint', '23503') as never })],
    ['a SQLite constraint', new DatabaseError(driverError('SQLITE_CONSTRAINT: NOT NULL constraint failed', 'SQLITE_CONSTRAINT'))],
    ['a person\'s mistake', new UserError('no customer named "Acme Corpp"')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('%s: not unavailable', (_, e) => {
    expect(isDatabaseUnavailable(e)).toBe(false);
  });

  it('terminates on an error that refers to itself', () => {
    const e = new Error('loop') as Error & { cause?: unknown };
    e.cause = e;
    expect(isDatabaseUnavailable(e)).toBe(false);
  });
});
