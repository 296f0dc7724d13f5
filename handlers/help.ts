import { reply, type ReplyPart } from '../domain/conversation/reply';
import { can, type Capability } from '../domain/roles';
import type { HandlerResult, Turn } from './context';

/** What each capability is for, with messages people can copy. */
const CAPABILITIES: Array<{ cap: Capability; what: string; examples: string[] }> = [
  { cap: 'track_shipment', what: 'Track one shipment, order, PO or container', examples: ['where is order 10042?', 'status of MSCU1234567'] },
  { cap: 'list_shipments', what: 'List shipments by status, customer, carrier, lane or dates', examples: ['late shipments for Acme Corp', 'what is in transit to Dallas?'] },
  { cap: 'kpi_report', what: 'KPIs against the previous period (on-time, OTIF, spend, volumes, exceptions)', examples: ['on-time rate last week', 'how is OTIF computed?'] },
  { cap: 'create_order', what: 'Enter an order (you confirm before it is saved)', examples: ['new order for Acme Corp: 12 pallets of paper towels from Chicago to Dallas, pickup Friday'] },
  { cap: 'cancel_order', what: 'Cancel an order that has not shipped', examples: ['cancel order 10077, customer changed plans'] },
  { cap: 'audit_invoices', what: 'Audit freight invoices against the contracts', examples: ['audit Maersk invoices last month', 'check invoice INV-2291'] },
  { cap: 'flag_invoice', what: 'Dispute an invoice', examples: ['flag INV-2291, fuel surcharge billed twice, $120.50'] },
  { cap: 'schedule_digest', what: 'Schedule a digest, list or stop schedules', examples: ['post the KPI digest to #ops-reports every weekday at 8am', 'my schedules'] },
];

export function examplesFor(turn: Turn): string[] {
  return CAPABILITIES.filter((c) => can(turn.person.role, c.cap)).map((c) => c.examples[0]);
}

export async function help(turn: Turn): Promise<HandlerResult> {
  const mine = CAPABILITIES.filter((c) => can(turn.person.role, c.cap));
  const parts: ReplyPart[] = [
    { kind: 'heading', text: `What I can do for you (role: ${turn.person.role})` },
    { kind: 'list', items: mine.map((c) => `${c.what}: "${c.examples.join('", "')}"`) },
    { kind: 'text', text: 'Writes (orders, cancellations, disputes, schedules) always ask you to confirm first.' },
  ];
  const others = CAPABILITIES.filter((c) => !can(turn.person.role, c.cap));
  if (others.length) parts.push({ kind: 'text', text: `Your role does not cover: ${others.map((c) => c.what.charAt(0).toLowerCase() + c.what.slice(1)).join('; ')}. An admin can change roles with "waybill users add".` });
  return { replies: [reply(parts)] };
}

export async function unknown(turn: Turn): Promise<HandlerResult> {
  const ex = examplesFor(turn).slice(0, 4);
  return {
    replies: [
      reply([
        { kind: 'text', text: "I'm not sure what you need. I work with shipments, orders, freight invoices and KPIs. You could try:" },
        { kind: 'list', items: ex },
        { kind: 'text', text: 'Say "help" for everything I can do.' },
      ]),
    ],
    log: { action: 'unknown', result: 'ok' },
  };
}
