import { reply, type ReplyPart } from '../domain/conversation/reply';
import { AUDIT_RULES, type AuditFinding, type AuditRule } from '../domain/audit/types';
import type { Frame } from '../domain/nlu/types';
import { can } from '../domain/roles';
import type { HandlerResult, Turn } from './context';
import { amount, count, filtersText, periodText } from './format';
import { resolveFilters } from './names';

export const RULE_LABELS: Record<AuditRule, string> = {
  duplicate_invoice: 'Duplicate invoice',
  unmatched_shipment: 'Unmatched shipment',
  cancelled_shipment: 'Billed for a cancelled shipment',
  rate_overcharge: 'Rate above contract',
  fuel_overcharge: 'Fuel above contract',
  accessorial_not_allowed: 'Accessorial not in contract',
  accessorial_over_max: 'Accessorial over its maximum',
  weight_overbilled: 'Weight overbilled',
  no_contract_rate: 'No contract rate',
};

const TOP_FINDINGS = 5;

export async function auditInvoices(frame: Frame, turn: Turn): Promise<HandlerResult> {
  const e = frame.entities;
  const { filters, problem } = await resolveFilters({ customer: e.customer, carrier: e.carrier, origin: e.origin, destination: e.destination }, turn);
  if (problem) return { replies: [problem] };
  if (e.invoice_number) {
    const found = await turn.deps.repos.invoices.find(e.invoice_number, filters.carrier);
    if (!found.length) {
      const close = await turn.deps.repos.invoices.closestNumbers(e.invoice_number, 3);
      const text = `I can't find invoice ${e.invoice_number}${filters.carrier ? ` from ${filters.carrier}` : ''}.${close.length ? ` Did you mean ${close.join(', ')}?` : ''}`;
      return { replies: [reply([{ kind: 'text', text }])], log: { action: 'audit_invoices', result: 'ok', frame, detail: 'invoice not found' } };
    }
  }
  const result = await turn.deps.audit.run({
    period: e.period,
    filters,
    invoiceNumber: e.invoice_number,
    minAmount: e.min_amount,
  });
  const findings = result.findings;
  const total = round2(findings.reduce((s, f) => s + f.overcharge, 0));
  const scope = [
    e.invoice_number ? `invoice ${e.invoice_number}` : '',
    filtersText(filters),
    e.period ? `(${periodText(e.period, turn.today)})` : '',
    e.min_amount !== undefined ? `over ${amount(e.min_amount)}` : '',
  ].filter(Boolean).join(' ');
  const parts: ReplyPart[] = [
    { kind: 'heading', text: `Freight audit${scope ? ` ${scope}` : ''}` },
    {
      kind: 'fields',
      fields: [
        { label: 'Invoices checked', value: count(result.invoices_checked) },
        { label: 'Findings', value: count(findings.length) },
        { label: 'Total overcharge', value: amount(total) },
      ],
    },
  ];
  if (!findings.length) {
    parts.push({ kind: 'text', text: result.invoices_checked ? 'No discrepancies: every line matches its contract within tolerance.' : 'No invoices in that scope.' });
    return { replies: [reply(parts)], log: { action: 'audit_invoices', result: 'ok', frame, detail: `${result.invoices_checked} checked, 0 findings` } };
  }
  const byRule = group(findings, (f) => f.rule);
  parts.push({
    kind: 'table',
    caption: 'By rule',
    columns: ['Rule', 'Findings', 'Overcharge'],
    align: ['left', 'right', 'right'],
    rows: AUDIT_RULES.filter((r) => byRule.has(r)).map((r) => [RULE_LABELS[r], count(byRule.get(r)!.n), amount(byRule.get(r)!.sum)]),
  });
  const byCarrier = [...group(findings, (f) => f.carrier).entries()].sort((a, b) => b[1].sum - a[1].sum);
  parts.push({
    kind: 'table',
    caption: 'By carrier',
    columns: ['Carrier', 'Findings', 'Overcharge'],
    align: ['left', 'right', 'right'],
    rows: byCarrier.map(([c, g]) => [c, count(g.n), amount(g.sum)]),
  });
  const top = findings.slice(0, TOP_FINDINGS);
  parts.push({ kind: 'heading', text: findings.length > TOP_FINDINGS ? `Top ${TOP_FINDINGS} findings by overcharge` : 'Findings' });
  const mayAct = can(turn.person.role, 'dispute_finding');
  top.forEach((f, i) => {
    parts.push(...findingParts(f, i + 1, mayAct));
  });
  if (!mayAct) parts.push({ kind: 'text', text: 'Disputing or accepting findings needs the finance or admin role.' });
  return {
    replies: [reply(parts)],
    log: { action: 'audit_invoices', result: 'ok', frame, detail: `${result.invoices_checked} checked, ${findings.length} findings, ${total.toFixed(2)} over` },
  };
}

export function findingParts(f: AuditFinding, n: number, withButtons: boolean): ReplyPart[] {
  const parts: ReplyPart[] = [
    {
      kind: 'fields',
      fields: [
        { label: `#${n}`, value: `${f.invoice_number} · ${f.carrier}${f.shipment_id ? ` · ${f.shipment_id}` : ''}` },
        { label: 'Rule', value: RULE_LABELS[f.rule] + (f.charge_code ? ` (${f.charge_code})` : '') },
        { label: 'Expected', value: f.expected === null ? '—' : amount(f.expected) },
        { label: 'Billed', value: amount(f.billed) },
        { label: 'Overcharge', value: amount(f.overcharge) },
        { label: 'Status', value: f.status ?? 'open' },
      ],
    },
  ];
  if (f.explanation) parts.push({ kind: 'text', text: f.explanation });
  if (withButtons && f.id !== undefined && (f.status ?? 'open') === 'open') {
    parts.push({
      kind: 'buttons',
      buttons: [
        { label: `Dispute #${n}`, action: { id: 'dispute', value: String(f.id) }, style: 'danger' },
        { label: `Accept #${n}`, action: { id: 'accept', value: String(f.id) } },
      ],
    });
  }
  return parts;
}

/** A Dispute or Accept click on a finding: the click is the person's decision, recorded at once. */
export async function setFindingStatus(kind: 'dispute' | 'accept', findingId: number, turn: Turn): Promise<HandlerResult> {
  const status = kind === 'dispute' ? 'disputed' : 'accepted';
  const r = await turn.deps.repos.findings.setStatus(findingId, status, { by: turn.person.key });
  const action = kind === 'dispute' ? 'dispute_finding' : 'accept_finding';
  if (!r) return { replies: [reply([{ kind: 'text', text: 'That finding no longer exists (the audit may have been re-run). Run the audit again.' }])], log: { action, result: 'error', frame: { findingId }, detail: 'not found' } };
  const f = r.finding;
  const what = `${RULE_LABELS[f.rule]} on ${f.invoice_number} (${f.carrier}), overcharge ${amount(f.overcharge)}`;
  const text = r.changed ? `${kind === 'dispute' ? 'Disputed' : 'Accepted'}: ${what}.` : `Already ${status}: ${what}. Nothing changed.`;
  return { replies: [reply([{ kind: 'text', text }])], log: { action, result: r.changed ? 'ok' : 'duplicate', frame: { findingId }, detail: what } };
}

function group<K>(findings: AuditFinding[], key: (f: AuditFinding) => K): Map<K, { n: number; sum: number }> {
  const m = new Map<K, { n: number; sum: number }>();
  for (const f of findings) {
    const g = m.get(key(f)) ?? { n: 0, sum: 0 };
    g.n += 1;
    g.sum = round2(g.sum + f.overcharge);
    m.set(key(f), g);
  }
  return m;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

