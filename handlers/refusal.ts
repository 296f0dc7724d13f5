import { reply, type Reply } from '../domain/conversation/reply';
import { rolesAllowed, type Capability } from '../domain/roles';
import type { Person } from './context';
import { orList } from './names';

const WHAT: Partial<Record<Capability, string>> = {
  create_order: 'Entering orders',
  cancel_order: 'Cancelling orders',
  schedule_digest: 'Scheduling digests',
  audit_invoices: 'Auditing invoices',
  flag_invoice: 'Disputing invoices',
  dispute_finding: 'Disputing audit findings',
  accept_finding: 'Accepting audit findings',
  manage_users: 'Managing people',
  track_shipment: 'Tracking shipments',
  list_shipments: 'Listing shipments',
  kpi_report: 'KPI reports',
};

/** Says why a request is refused and who could do it. */
export function refusal(cap: Capability, person: Person): Reply {
  // The narrowest role first: admin can do everything, so it is named last.
  const roles = [...rolesAllowed(cap).filter((r) => r !== 'admin'), 'admin'];
  const who = person.known ? `your role is ${person.role}` : `you are not registered yet, so you have the default role ${person.role}`;
  return reply(
    [{ kind: 'text', text: `${WHAT[cap] ?? cap} needs the ${orList(roles)} role, and ${who}. Ask an admin to give you access (waybill users add <your id> --role ${roles[0]}).` }],
    'refusal',
  );
}
