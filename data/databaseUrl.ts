import path from 'node:path';
import type { Dialect } from '../domain/sql';
import { UserError } from '../domain/errors';

export interface DatabaseTarget {
  dialect: Dialect;
  /** SQLite: the file path or ':memory:'. */
  storage?: string;
  /** PostgreSQL: the connection URL without our own `schema` parameter. */
  url?: string;
  /** PostgreSQL: the schema to use (created if missing), from `?schema=`. */
  schema?: string;
}

/** Where the default database lives: `var/waybill.sqlite` under the project root. */
export function defaultSqlitePath(projectRoot: string): string {
  return path.join(projectRoot, 'var', 'waybill.sqlite');
}

/**
 * Reads DATABASE_URL: `sqlite:/path/file.sqlite`, `sqlite:relative.sqlite`, `sqlite::memory:`,
 * `postgres://user@host:port/db[?schema=name]`.
 */
export function parseDatabaseUrl(raw: string | undefined, projectRoot: string): DatabaseTarget {
  if (!raw || raw.trim() === '') return { dialect: 'sqlite', storage: defaultSqlitePath(projectRoot) };
  const url = raw.trim();
  if (url.startsWith('sqlite:')) {
    let rest = url.slice('sqlite:'.length);
    if (rest === ':memory:' || rest === '//:memory:') return { dialect: 'sqlite', storage: ':memory:' };
    if (rest.startsWith('//')) rest = rest.slice(2);
    if (rest === '') throw new UserError('DATABASE_URL "sqlite:" names no file: use sqlite:/path/to/file.sqlite or sqlite::memory:', 2);
    return { dialect: 'sqlite', storage: path.resolve(rest) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UserError(`DATABASE_URL is not a valid URL: ${redactUrl(url)}`, 2);
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new UserError(`DATABASE_URL schema "${schema}" must be lower-case letters, digits and _`, 2);
    }
    return { dialect: 'postgres', url: parsed.toString(), schema };
  }
  throw new UserError(`DATABASE_URL must start with sqlite: or postgres:// (got ${redactUrl(url)})`, 2);
}

/** The URL with any password replaced, safe for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}
