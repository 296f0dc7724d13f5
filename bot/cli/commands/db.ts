import type { Command } from 'commander';
import { out, withApp } from '../support';

export function registerDb(program: Command): void {
  const db = program.command('db').description('Manage the database schema.');
  db.command('migrate')
    .description('Apply pending migrations (they also run automatically at start).')
    .action(async () => {
      await withApp(
        async (app) => {
          const applied = await app.migrate();
          out(applied.length ? `applied ${applied.length} migration(s) to ${app.databaseDescription}: ${applied.join(', ')}` : `${app.databaseDescription} is up to date`);
        },
        { migrate: false },
      );
    });
}
