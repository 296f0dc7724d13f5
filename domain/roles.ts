import type { Intent } from './nlu/types';

/**
 * Roles and what each may do. cs (customer service) reads shipments and KPIs; ops also enters and
 * cancels orders and schedules digests; finance also audits invoices and disputes or accepts findings;
 * admin may do everything, including managing people.
 */
export const ROLES = ['admin', 'ops', 'finance', 'cs'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/** Capabilities beyond intents (button actions, people management). */
export type Capability = Intent | 'dispute_finding' | 'accept_finding' | 'manage_users';

const READ: Capability[] = ['track_shipment', 'list_shipments', 'kpi_report', 'help', 'unknown'];

export const PERMISSIONS: Record<Role, ReadonlySet<Capability>> = {
  cs: new Set(READ),
  ops: new Set([...READ, 'create_order', 'cancel_order', 'schedule_digest']),
  finance: new Set([...READ, 'audit_invoices', 'flag_invoice', 'dispute_finding', 'accept_finding']),
  admin: new Set<Capability>([
    ...READ, 'create_order', 'cancel_order', 'schedule_digest', 'audit_invoices', 'flag_invoice',
    'dispute_finding', 'accept_finding', 'manage_users',
  ]),
};

export function can(role: Role, capability: Capability): boolean {
  return PERMISSIONS[role].has(capability);
}

/** The roles that may do something, for "ask someone with the finance role" answers. */
export function rolesAllowed(capability: Capability): Role[] {
  return ROLES.filter((r) => PERMISSIONS[r].has(capability));
}
