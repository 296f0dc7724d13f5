import { Option, type Command } from 'commander';
import { ROLES, type Role } from '../../../domain/roles';
import { PLATFORMS } from '../../../domain/conversation/inbound';
import type { Person } from '../../../domain/repositories';
import { UserError } from '../../../domain/errors';
import { out, table, withApp } from '../support';

const USER_PLATFORMS = ['local', ...PLATFORMS] as const;
type UserPlatform = (typeof USER_PLATFORMS)[number];

const describe = (p: Person) => `${p.platform}:${p.externalId}${p.displayName ? ` (${p.displayName})` : ''}`;

/** `waybill users`: who may talk to the bot, and with which role (roles.ts). */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('Manage the people who may use Waybill and their roles.');

  users
    .command('add')
    .description('Add a person, or change their role or name. HANDLE is the platform user id (Slack U024BE7LH) or a local handle (dana).')
    .argument('<handle>', 'platform user id or local handle')
    .addOption(new Option('--role <role>', 'what they may do').choices(ROLES).makeOptionMandatory())
    .option('--name <name>', 'display name')
    .addOption(new Option('--platform <platform>', 'where the handle comes from').choices(USER_PLATFORMS).default('local'))
    .action(async (handle: string, o: { role: Role; name?: string; platform: UserPlatform }) => {
      const externalId = handle.trim();
      if (externalId === '') throw new UserError('the handle is empty', 2);
      await withApp(async (app) => {
        const before = await app.repos.users.findByExternal(o.platform, externalId);
        const p = await app.repos.users.upsert({ platform: o.platform, externalId, displayName: o.name, role: o.role });
        out(before ? `updated ${describe(p)}: role ${p.role}` : `added ${describe(p)} as ${p.role}`);
      });
    });

  users
    .command('list')
    .description('List the people and their roles.')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withApp(async (app) => {
        const people = await app.repos.users.list();
        if (o.json) {
          out(JSON.stringify(people.map((p) => ({ platform: p.platform, handle: p.externalId, name: p.displayName, role: p.role }))));
          return;
        }
        if (people.length === 0) {
          out('no people yet: waybill users add <handle> --role <admin|ops|finance|cs>');
          return;
        }
        out(table(['platform', 'handle', 'name', 'role'], people.map((p) => [p.platform, p.externalId, p.displayName, p.role])));
      });
    });

  users
    .command('remove')
    .description('Remove a person, by handle (platform user id or display name; a local person first).')
    .argument('<handle>', 'platform user id, local handle or display name')
    .action(async (handle: string) => {
      await withApp(async (app) => {
        const p = await app.repos.users.findByHandle(handle);
        if (!p) throw new UserError(`no person with the handle "${handle.trim()}" (waybill users list shows them)`);
        await app.repos.users.remove(handle);
        out(`removed ${describe(p)}`);
      });
    });
}
