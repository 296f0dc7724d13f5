import { reply, type Reply } from '../domain/conversation/reply';
import type { ShipmentFilters } from '../domain/filters';
import { resolveName } from '../domain/nameMatch';
import type { Turn } from './context';

/**
 * Customer and carrier names in a question, brought to the names the database holds ("acme" ->
 * "Acme Corp"). A name that matches nothing is answered with the nearest names rather than an empty
 * result that would look like "no data".
 */
export async function resolveFilters(
  f: ShipmentFilters,
  turn: Turn,
): Promise<{ filters: ShipmentFilters; problem?: Reply }> {
  const out: ShipmentFilters = { ...f };
  for (const kind of ['customer', 'carrier'] as const) {
    const value = f[kind];
    if (!value) continue;
    const known = await turn.deps.repos.directory.names(kind);
    const r = resolveName(value, known);
    if (r.match) {
      out[kind] = r.match;
      continue;
    }
    const text = r.suggestions.length
      ? `I don't know a ${kind} called "${value}". Did you mean ${orList(r.suggestions)}?`
      : `I don't know a ${kind} called "${value}". ${known.length ? `Known ${kind}s include ${known.slice(0, 5).join(', ')}.` : `There are no ${kind}s in the database yet.`}`;
    return { filters: out, problem: reply([{ kind: 'text', text }]) };
  }
  return { filters: out };
}

export function orList(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}
