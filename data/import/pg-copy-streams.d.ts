/** The part of pg-copy-streams (no types of its own) the importer uses. */
declare module 'pg-copy-streams' {
  import type { Writable } from 'node:stream';
  /** `COPY ... FROM STDIN` as a stream to write the data to; pass it to a pg client's query(). */
  export function from(sql: string): Writable;
}
