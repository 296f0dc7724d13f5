import type { Person, UserRepository } from '../../domain/repositories';
import type { Role } from '../../domain/roles';
import type { SqlParam, SqlRunner } from '../../domain/sql';
import { stamp, textOrder, type RepoContext } from './support';

interface UserRow {
  id: number | string;
  platform: string;
  external_id: string;
  display_name: string | null;
  role: string;
}

const toPerson = (r: UserRow): Person => ({
  id: Number(r.id),
  platform: r.platform as Person['platform'],
  externalId: r.external_id,
  displayName: r.display_name ?? null,
  role: r.role as Role,
});

async function one(sql: SqlRunner, where: string, params: SqlParam[], orderBy = 'id'): Promise<Person | null> {
  const [r] = await sql.query<UserRow>(`SELECT id, platform, external_id, display_name, role FROM users WHERE ${where} ORDER BY ${orderBy} LIMIT 1`, params);
  return r ? toPerson(r) : null;
}

/** "@Dana " -> "Dana": how people write a handle. */
const handleOf = (s: string) => s.trim().replace(/^@/, '');

export function createUserRepository({ db, now }: RepoContext): UserRepository {
  const { sql } = db;
  const findByHandle = (handle: string) => {
    const h = handleOf(handle);
    if (h === '') return Promise.resolve(null);
    // Local people first, then an external id over a display name, then the oldest.
    return one(
      sql,
      'lower(external_id) = lower(?) OR lower(display_name) = lower(?)',
      [h, h, h],
      "CASE WHEN platform = 'local' THEN 0 ELSE 1 END, CASE WHEN lower(external_id) = lower(?) THEN 0 ELSE 1 END, id",
    );
  };
  return {
    findByExternal: (platform, externalId) => one(sql, 'platform = ? AND external_id = ?', [platform, externalId]),

    findByHandle,

    async upsert(p) {
      const at = stamp(now());
      await sql.query(
        `INSERT INTO users (platform, external_id, display_name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, external_id) DO UPDATE SET role = excluded.role,
           display_name = COALESCE(excluded.display_name, users.display_name), updated_at = excluded.updated_at`,
        [p.platform, p.externalId, p.displayName?.trim() || null, p.role, at, at],
      );
      return (await one(sql, 'platform = ? AND external_id = ?', [p.platform, p.externalId]))!;
    },

    async list() {
      const rows = await sql.query<UserRow>(
        `SELECT id, platform, external_id, display_name, role FROM users ORDER BY ${textOrder(sql.dialect, 'platform')}, ${textOrder(sql.dialect, 'external_id')}`,
      );
      return rows.map(toPerson);
    },

    async remove(handle) {
      const person = await findByHandle(handle);
      if (!person) return 0;
      const rows = await sql.query<{ id: number }>('/* repo */ DELETE FROM users WHERE id = ? RETURNING id', [person.id]);
      return rows.length;
    },
  };
}
