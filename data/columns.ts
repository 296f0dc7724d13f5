/**
 * A column of a bulk statement and its PostgreSQL type: values travel to PostgreSQL as one typed
 * array per column (`unnest($1::integer[], ...)`), to SQLite as plain values. Shared by the importer
 * and the demo seeder.
 */
export type PgType = 'text' | 'integer' | 'date' | 'double precision' | 'numeric' | 'timestamptz';

export interface SqlColumn {
  name: string;
  pg: PgType;
}

export const text = (name: string): SqlColumn => ({ name, pg: 'text' });
export const int = (name: string): SqlColumn => ({ name, pg: 'integer' });
export const date = (name: string): SqlColumn => ({ name, pg: 'date' });
export const instant = (name: string): SqlColumn => ({ name, pg: 'timestamptz' });
export const money = (name: string): SqlColumn => ({ name, pg: 'numeric' });
export const float = (name: string): SqlColumn => ({ name, pg: 'double precision' });
