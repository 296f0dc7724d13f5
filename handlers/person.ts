import type { Speaker } from '../domain/conversation/inbound';
import type { UserRepository } from '../domain/repositories';
import type { Role } from '../domain/roles';
import type { Person } from './context';

/** The console's and the web chat's person when nobody else is named (cli.md: role admin). */
export const LOCAL_OPERATOR_ID = 'operator';

function isLocal(s: Speaker): boolean {
  return s.platform === 'console' || s.platform === 'web';
}

/**
 * Who is asking and with which role: a person known to `waybill users` (by platform id; on the local
 * channels also by handle), the local operator (admin) on the console and web chat, else the default role.
 */
export async function resolvePerson(speaker: Speaker, users: UserRepository, defaultRole: Role): Promise<Person> {
  let known = await users.findByExternal(speaker.platform, speaker.id);
  if (!known && isLocal(speaker)) known = (await users.findByExternal('local', speaker.id)) ?? (await users.findByHandle(speaker.id));
  const name = known?.displayName ?? speaker.displayName ?? speaker.id;
  const key = `${speaker.platform}:${speaker.id}${name !== speaker.id ? ` (${name})` : ''}`;
  if (known) return { key, name, role: known.role, known: true };
  if (isLocal(speaker) && speaker.id === LOCAL_OPERATOR_ID) return { key, name, role: 'admin', known: true };
  return { key, name, role: defaultRole, known: false };
}
