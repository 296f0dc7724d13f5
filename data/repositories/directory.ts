import type { DirectoryRepository } from '../../domain/repositories';
import { textOrder, type RepoContext } from './support';

export function createDirectoryRepository({ db }: RepoContext): DirectoryRepository {
  return {
    async names(kind) {
      // Small master-data tables: the whole list is the point ("did you mean" matching).
      const table = kind === 'customer' ? 'customers' : 'carriers';
      const rows = await db.sql.query<{ name: string }>(`SELECT name FROM ${table} ORDER BY ${textOrder(db.dialect, 'name')}`);
      return rows.map((r) => r.name);
    },
  };
}
