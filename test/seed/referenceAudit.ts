/**
 * A small, slow, obvious implementation of the audit rules of data.md, written from the spec alone,
 * to check the demo data independently of the generator's internals and of the real audit engine:
 * every invoice billed per contract has no finding, every planted discrepancy has its rule.
 */
import type { ContractTerms } from '../../domain/contract';

export interface RefShipment {
  shipment_id: string;
  carrier: string;
  origin: string;
  destination: string;
  order_date: string | null;
  ship_date: string | null;
  status: string;
  weight_kg: number | null;
}

export interface RefRate extends ContractTerms {
  carrier: string;
}

export interface RefLine {
  shipment_ref: string | null;
  charge_type: string;
  charge_code: string | null;
  billed_weight_kg: number | null;
  amount: number;
}

export interface RefInvoice {
  invoice_number: string;
  carrier: string;
  invoice_date: string;
  lines: RefLine[];
}

export interface RefFinding {
  invoice_number: string;
  carrier: string;
  invoice_date: string;
  shipment_ref: string | null;
  rule: string;
}

const k = (s: string) => s.trim().toLowerCase();
const cents = (x: number) => Math.round(x * 100 + 1e-7) / 100;

/** billed is over expected by more than max(pct% of expected, abs). */
export function over(billed: number, expected: number, tol = { pct: 1, abs: 1 }): boolean {
  return cents(billed - expected) > Math.max((expected * tol.pct) / 100, tol.abs) + 1e-6;
}

export function referenceAudit(shipments: RefShipment[], rates: RefRate[], invoices: RefInvoice[]): RefFinding[] {
  const byRef = new Map(shipments.map((s) => [s.shipment_id, s]));
  const findings: RefFinding[] = [];
  const find = (inv: RefInvoice, rule: string, ref: string | null) =>
    findings.push({ invoice_number: inv.invoice_number, carrier: inv.carrier, invoice_date: inv.invoice_date, shipment_ref: ref, rule });

  // Documents in date order; a later document with the same carrier and number re-bills it.
  const docs = invoices.slice().sort((a, b) => (a.invoice_date < b.invoice_date ? -1 : a.invoice_date > b.invoice_date ? 1 : 0));
  const seenNumber = new Set<string>();
  const firstLinehaul = new Map<string, string>(); // shipment -> carrier|number that billed its linehaul first
  for (const inv of docs) {
    const id = `${k(inv.carrier)}|${inv.invoice_number}`;
    if (seenNumber.has(id)) {
      find(inv, 'duplicate_invoice', null);
      continue;
    }
    seenNumber.add(id);
    const groups = new Map<string, RefLine[]>();
    for (const l of inv.lines) {
      const g = `${l.shipment_ref ?? ''}`;
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(l);
    }
    for (const [refKey, lines] of groups) {
      const ref = refKey === '' ? null : refKey;
      const s = ref === null ? undefined : byRef.get(ref);
      if (!s) {
        find(inv, 'unmatched_shipment', ref);
        continue;
      }
      if (s.status === 'cancelled') {
        find(inv, 'cancelled_shipment', ref);
        continue;
      }
      const linehaul = lines.filter((l) => l.charge_type === 'linehaul');
      if (linehaul.length) {
        const first = firstLinehaul.get(s.shipment_id);
        if (first !== undefined && first !== id) find(inv, 'duplicate_invoice', ref);
        if (first === undefined) firstLinehaul.set(s.shipment_id, id);
      }
      const date = s.ship_date ?? s.order_date ?? inv.invoice_date;
      const valid = (r: RefRate) => (r.valid_from === null || r.valid_from <= date) && (r.valid_to === null || r.valid_to >= date);
      const contract = rates
        .filter((r) => k(r.carrier) === k(s.carrier) && (r.rate_basis === 'flat' || r.rate_basis === 'per_kg') &&
          k(r.origin) === k(s.origin) && k(r.destination) === k(s.destination) && valid(r))
        .sort((a, b) => ((a.valid_from ?? '') < (b.valid_from ?? '') ? 1 : -1))[0];
      const fuel = lines.filter((l) => l.charge_type === 'fuel');
      if (linehaul.length && !contract) find(inv, 'no_contract_rate', ref);
      if (contract && (linehaul.length || fuel.length)) {
        const weight = s.weight_kg ?? 0;
        const expected = contract.rate_basis === 'flat' ? contract.rate : Math.max(cents(contract.rate * weight), contract.min_charge ?? 0);
        const lh = linehaul.reduce((a, l) => a + l.amount, 0);
        if (linehaul.length && over(lh, expected)) find(inv, 'rate_overcharge', ref);
        const fu = fuel.reduce((a, l) => a + l.amount, 0);
        if (fuel.length && over(fu, cents((expected * (contract.fuel_pct ?? 0)) / 100))) find(inv, 'fuel_overcharge', ref);
      }
      for (const l of linehaul) {
        if (l.billed_weight_kg !== null && s.weight_kg !== null && over(l.billed_weight_kg, s.weight_kg)) find(inv, 'weight_overbilled', ref);
      }
      const codes = new Map<string, number>();
      for (const l of lines) if (l.charge_type === 'accessorial') codes.set(l.charge_code ?? '', (codes.get(l.charge_code ?? '') ?? 0) + l.amount);
      for (const [code, amount] of codes) {
        const schedule = rates.find((r) => k(r.carrier) === k(s.carrier) && r.rate_basis === 'accessorial' && r.charge_code === code && valid(r));
        if (!schedule) find(inv, 'accessorial_not_allowed', ref);
        else if (over(amount, schedule.rate)) find(inv, 'accessorial_over_max', ref);
      }
    }
  }
  return findings;
}
