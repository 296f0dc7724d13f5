import type { AuditFinding } from './types';

/** 1250 -> "1,250.00" (fixed format, independent of the host's locale). */
export function formatMoney(n: number): string {
  const neg = n < 0;
  const [int, dec] = Math.abs(n).toFixed(2).split('.');
  return `${neg ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}

/** Kilograms without needless decimals: 1200 -> "1,200", 1200.5 -> "1,200.5". */
export function formatKg(n: number): string {
  const s = String(Math.round(n * 100) / 100);
  const [int, dec] = s.split('.');
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${dec ? `.${dec}` : ''}`;
}

function formatRate(n: number): string {
  // per_kg rates have more than two decimals (0.125 per kg).
  const s = String(n);
  return s.includes('.') && s.split('.')[1].length > 2 ? s : formatMoney(n);
}

/** What an explanation needs besides the finding itself. */
export interface ExplainContext {
  invoiceDate: string;
  chargeCode: string | null;
  /** Duplicates: the invoice billed first. */
  refNumber: string | null;
  refDate: string | null;
  /** per_kg: the weight the contract was applied to. */
  weightUsed: number | null;
  /** fuel: the contracted linehaul the percentage applies to. */
  contractLinehaul: number | null;
  shipOrigin: string | null;
  shipDestination: string | null;
  shipDate: string | null;
}

function validity(c: NonNullable<AuditFinding['contract']>): string {
  if (c.valid_from && c.valid_to) return `, valid ${c.valid_from} to ${c.valid_to}`;
  if (c.valid_from) return `, valid from ${c.valid_from}`;
  if (c.valid_to) return `, valid until ${c.valid_to}`;
  return '';
}

function contractTerms(c: NonNullable<AuditFinding['contract']>, weightUsed: number | null): string {
  if (c.rate_basis === 'per_kg') {
    const w = weightUsed !== null ? ` x ${formatKg(weightUsed)} kg` : '';
    const min = c.min_charge !== null && c.min_charge > 0 ? `, minimum ${formatMoney(c.min_charge)}` : '';
    return `per_kg ${formatRate(c.rate)}/kg${w}${min}${validity(c)}`;
  }
  return `${c.rate_basis} ${formatMoney(c.rate)}${validity(c)}`;
}

/** One sentence for people: what was billed, what was expected and why, and the overcharge. */
export function explain(f: AuditFinding, x: ExplainContext): string {
  const c = f.contract ?? null;
  const over = formatMoney(f.overcharge);
  const billed = formatMoney(f.billed);
  const shipment = f.shipment_id ? `shipment ${f.shipment_id}` : 'no shipment';
  const lane = c ? `${c.origin}→${c.destination}` : x.shipOrigin ? `${x.shipOrigin}→${x.shipDestination}` : '';
  switch (f.rule) {
    case 'duplicate_invoice':
      if (!f.shipment_id) {
        return `${f.carrier} billed invoice ${f.invoice_number} again on ${x.invoiceDate}` +
          `${x.refDate ? ` after the original of ${x.refDate}` : ''}: this second document (${billed}) is a duplicate: overcharged ${over}.`;
      }
      return `Linehaul of ${shipment} billed ${billed} on ${f.invoice_number} (${x.invoiceDate}) was already billed on invoice ` +
        `${x.refNumber ?? '?'}${x.refDate ? ` (${x.refDate})` : ''}: overcharged ${over}.`;
    case 'unmatched_shipment':
      return f.shipment_id
        ? `Invoice ${f.invoice_number} bills ${billed} for ${f.shipment_id}, which is not a known shipment: ${over} unmatched.`
        : `Invoice ${f.invoice_number} bills ${billed} with no shipment reference: ${over} unmatched.`;
    case 'cancelled_shipment':
      return `Shipment ${f.shipment_id} was cancelled, yet invoice ${f.invoice_number} bills ${billed} for it: overcharged ${over}.`;
    case 'rate_overcharge':
      return `Linehaul billed ${billed} but the ${f.carrier} contract ${lane} (${c ? contractTerms(c, x.weightUsed) : '?'}) ` +
        `allows ${formatMoney(f.expected ?? 0)}: overcharged ${over}.`;
    case 'fuel_overcharge': {
      const pct = c?.fuel_pct ?? 0;
      return `Fuel billed ${billed} but the ${f.carrier} contract ${lane} allows ${pct}% of the contracted linehaul ` +
        `${formatMoney(x.contractLinehaul ?? 0)} = ${formatMoney(f.expected ?? 0)}: overcharged ${over}.`;
    }
    case 'accessorial_not_allowed':
      return `Accessorial ${x.chargeCode ?? '(no code)'} billed ${billed} for ${shipment}, but the ${f.carrier} contracts allow no ` +
        `${x.chargeCode ?? 'uncoded'} charge on that date: overcharged ${over}.`;
    case 'accessorial_over_max':
      return `Accessorial ${x.chargeCode} billed ${billed} for ${shipment} but the ${f.carrier} contract allows at most ` +
        `${formatMoney(f.expected ?? 0)} per shipment${c ? validity(c) : ''}: overcharged ${over}.`;
    case 'weight_overbilled':
      return `Billed weight ${formatKg(f.billed)} kg is above the ${formatKg(f.expected ?? 0)} kg of ${shipment}; ` +
        `overcharge 0.00 here because any money it cost is already counted by the linehaul check (rate_overcharge).`;
    case 'no_contract_rate': {
      const where = [lane, x.shipDate].filter(Boolean).join(', ');
      return `Linehaul billed ${billed} for ${shipment}${where ? ` (${where})` : ''}, ` +
        `but ${f.carrier} has no valid contract for that lane on that date: nothing to check it against.`;
    }
  }
}
