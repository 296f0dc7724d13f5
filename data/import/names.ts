import { nameKey } from '../../domain/names';
import { BulkUpsert, selectIn } from './bulk';
import type { RawConnection } from './rawConnection';

/** Names whose ids are kept: a file with millions of distinct names must not hold them all. */
const MAX_CACHED = 200_000;

/**
 * Customers and carriers by name: matched on name_key = lower(trim(name)), created on first sight
 * (keeping the first spelling seen), ids cached for the rest of the import.
 */
export class NameIds {
  private readonly ids = new Map<string, number>();
  /** The same ids by the name as written: most rows repeat a spelling, whose key need not be recomputed. */
  private readonly bySpelling = new Map<string, number>();
  private readonly insert: BulkUpsert;

  constructor(private readonly table: 'customers' | 'carriers') {
    this.insert = new BulkUpsert(table, [{ name: 'name', pg: 'text' }, { name: 'name_key', pg: 'text' }], {
      stamps: ['created_at', 'updated_at'],
      conflict: 'ON CONFLICT (name_key) DO NOTHING',
    });
  }

  /** The id of a name resolved by the last `resolve` call. */
  id(name: string): number {
    const known = this.bySpelling.get(name);
    if (known !== undefined) return known;
    const id = this.ids.get(nameKey(name));
    if (id === undefined) throw new Error(`${this.table}: "${name}" was not resolved`);
    if (this.bySpelling.size >= MAX_CACHED) this.bySpelling.clear();
    this.bySpelling.set(name, id);
    return id;
  }

  /** Makes sure every name has a row and its id is known (inside the batch's transaction). */
  async resolve(conn: RawConnection, names: Iterable<string>, now: string): Promise<void> {
    const missing = new Map<string, string>();
    for (const n of names) {
      if (this.bySpelling.has(n)) continue;
      const k = nameKey(n);
      if (!this.ids.has(k) && !missing.has(k)) missing.set(k, n.trim());
    }
    if (missing.size === 0) return;
    const keys = [...missing.keys()];
    await this.insert.write(conn, [...missing].map(([k, n]) => [n, k]), now);
    const rows = await selectIn<{ id: number; k: string }>(conn, `SELECT id, name_key AS k FROM ${this.table} WHERE name_key`, keys, 'text');
    for (const r of rows) this.ids.set(r.k, Number(r.id));
    if (this.ids.size > MAX_CACHED) {
      const keep = new Set(keys);
      for (const k of this.ids.keys()) if (!keep.has(k)) this.ids.delete(k);
    }
  }
}
