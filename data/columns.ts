/**
 * A column of a bulk statement (data/import/bulk.ts) and its PostgreSQL type, the type of its column
 * in the staging table rows are copied into (to SQLite values go as they are). Shared by the
 * importer and the demo seeder.
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
