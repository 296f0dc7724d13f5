import type { AuditRule } from '../audit/types';
import { ACCESSORIAL_CODES, CARRIERS, CUSTOMERS, type AccessorialCode, type Mode } from './catalog';
import type { DayCalendar } from './calendar';
import { fuelFor, linehaulFor, type ContractBook } from './contracts';
import { containerNumber, invoiceNumber, shpId, upsTrackingNumber } from './ids';
import { round2, roundHalf } from './money';
import { stream, type Rng } from './prng';
import type { ShipmentFacts, ShipmentRow } from './shipments';

export interface InvoiceLineRow {
  shipment_ref: string | null;
  charge_type: 'linehaul' | 'fuel' | 'accessorial';
  charge_code: AccessorialCode | null;
  billed_weight_kg: number | null;
  amount: number;
}

export interface InvoiceDoc {
  invoice_number: string;
  carrier: string;
  invoice_date: string;
  lines: InvoiceLineRow[];
}

/** A discrepancy put into the invoices on purpose, for the audit to find. */
export interface PlantedDiscrepancy {
  rule: AuditRule;
  invoice_number: string;
  carrier: string;
  invoice_date: string;
  shipment_ref: string | null;
  /** What was done, in words. */
  detail: string;
}

/** Invoices whose numbers the docs and demos quote. */
export const WELL_KNOWN_INVOICES = {
  /** A fuel surcharge billed twice (fuel_overcharge). */
  fuelBilledTwice: 'INV-2291',
  /** Detention billed $120.50 over the contracted maximum (accessorial_over_max). */
  detentionOverMax: 'INV-3310',
  /** Billed on a weight above the shipment's (weight_overbilled). */
  weightOverbilled: 'INV-2026-0042',
} as const;

/** Share of invoices that carry a planted discrepancy. */
export const DISCREPANCY_RATE = 0.05;

interface Draft {
  carrier: string;
  day: number;
  shipments: number[];
  lines: InvoiceLineRow[];
  spot: boolean;
  planted: boolean;
  /** Quoted by a planted discrepancy elsewhere: left as it is. */
  reserved: boolean;
  number: string;
}

type PlantKind =
  | 'rebilled_invoice' | 'rebilled_linehaul' | 'unmatched' | 'cancelled' | 'rate' | 'fuel'
  | 'accessorial_not_allowed' | 'accessorial_over_max' | 'weight';

const PLANT_KINDS: PlantKind[] = [
  'rebilled_invoice', 'rebilled_linehaul', 'unmatched', 'cancelled', 'rate', 'fuel', 'accessorial_not_allowed', 'accessorial_over_max', 'weight',
];

/** Which accessorials make sense for a mode, in order of likelihood. */
const MODE_ACCESSORIALS: Record<Mode, AccessorialCode[]> = {
  parcel: ['RES'],
  ltl: ['LFT', 'RES', 'DET'],
  truckload: ['DET', 'LUMP'],
  rail: ['DET'],
  ocean: ['DET'],
  air: ['RES'],
};

/** A typical amount for an accessorial a carrier has no schedule for. */
const TYPICAL_ACCESSORIAL: Record<AccessorialCode, number> = { DET: 185, LFT: 95, RES: 75, LUMP: 240 };

export interface InvoiceBook {
  invoices: InvoiceDoc[];
  planted: PlantedDiscrepancy[];
  wellKnown: Partial<Record<keyof typeof WELL_KNOWN_INVOICES, string>>;
}

/**
 * Carrier invoices for delivered shipments, billed per contract (linehaul, fuel, sometimes an
 * allowed accessorial), about 5% of them carrying one planted discrepancy of each audit rule in turn.
 */
export function buildInvoices(seed: number, shipments: ShipmentRow[], facts: ShipmentFacts[], cal: DayCalendar, contracts: ContractBook): InvoiceBook {
  const drafts: Draft[] = [];
  const charges = (i: number): InvoiceLineRow[] => correctLines(seed, shipments[i], facts[i], contracts);

  for (let c = 0; c < CARRIERS.length; c++) {
    const carrier = CARRIERS[c];
    const rng = stream(seed, 'invoices', c);
    const billable: number[] = [];
    for (let i = 0; i < shipments.length; i++) {
      if (shipments[i].carrier === carrier.name && facts[i].deliveredDay !== null && !facts[i].spot) billable.push(i);
    }
    billable.sort((a, b) => facts[a].deliveredDay! - facts[b].deliveredDay! || a - b);
    for (let k = 0; k < billable.length; ) {
      const size = rng.int(carrier.invoiceSize[0], carrier.invoiceSize[1]);
      const group = billable.slice(k, k + size);
      k += size;
      const day = facts[group[group.length - 1]].deliveredDay! + rng.int(1, 5);
      // Delivered too recently to be billed yet.
      if (day > 0) continue;
      drafts.push({ carrier: carrier.name, day, shipments: group, lines: group.flatMap(charges), spot: false, planted: false, reserved: false, number: '' });
    }
  }
  // Spot moves are billed one by one, at the spot price: there is no contract to check them against.
  const spotRng = stream(seed, 'spot-invoices');
  for (let i = 0; i < shipments.length; i++) {
    if (!facts[i].spot || facts[i].deliveredDay === null) continue;
    const day = Math.min(0, facts[i].deliveredDay! + spotRng.int(2, 5));
    drafts.push({ carrier: shipments[i].carrier, day, shipments: [i], lines: charges(i), spot: true, planted: true, reserved: false, number: '' });
  }

  // Numbers in date order, a sequence per year.
  drafts.sort((a, b) => a.day - b.day || cmp(a.carrier, b.carrier) || a.shipments[0] - b.shipments[0]);
  const perYear = new Map<string, number>();
  for (const d of drafts) {
    const year = cal.ymd(d.day).slice(0, 4);
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    d.number = invoiceNumber(year, n);
  }

  const planted: PlantedDiscrepancy[] = [];
  for (const d of drafts) {
    if (!d.spot) continue;
    const i = d.shipments[0];
    planted.push({
      rule: 'no_contract_rate', invoice_number: d.number, carrier: d.carrier, invoice_date: cal.ymd(d.day), shipment_ref: shipments[i].shipment_id,
      detail: `linehaul ${d.lines[0].amount.toFixed(2)} at a spot price: no contract for ${shipments[i].carrier} ${shipments[i].origin} -> ${shipments[i].destination}`,
    });
  }

  const planter = new Planter(seed, drafts, shipments, facts, cal, contracts, planted);
  const total = Math.round(drafts.length * DISCREPANCY_RATE);
  const others = Math.max(PLANT_KINDS.length, total - planted.length);
  const order = stream(seed, 'plant-kinds').shuffle(PLANT_KINDS);
  for (let k = 0; k < others; k++) planter.plant(order[k % order.length]);

  const invoices: InvoiceDoc[] = drafts.map((d) => ({ invoice_number: d.number, carrier: d.carrier, invoice_date: cal.ymd(d.day), lines: d.lines }));
  invoices.push(...planter.rebilled);
  invoices.sort((a, b) => cmp(a.invoice_date, b.invoice_date) || cmp(a.invoice_number, b.invoice_number) || cmp(a.carrier, b.carrier));
  return { invoices, planted, wellKnown: planter.wellKnown };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The lines a carrier bills for a shipment when it bills exactly per contract. */
function correctLines(seed: number, row: ShipmentRow, f: ShipmentFacts, contracts: ContractBook): InvoiceLineRow[] {
  const lines: InvoiceLineRow[] = [
    { shipment_ref: row.shipment_id, charge_type: 'linehaul', charge_code: null, billed_weight_kg: row.weight_kg, amount: f.linehaul },
    { shipment_ref: row.shipment_id, charge_type: 'fuel', charge_code: null, billed_weight_kg: null, amount: f.fuel },
  ];
  if (f.spot) return lines;
  const rng = stream(seed, 'accessorial', f.plan.index);
  if (rng.chance(0.12)) {
    const codes = MODE_ACCESSORIALS[row.mode].filter((c) => contracts.accessorialMax(row.carrier, c) !== undefined);
    if (codes.length) {
      const code = codes[rng.next() < 0.7 ? 0 : rng.int(0, codes.length - 1)];
      const max = contracts.accessorialMax(row.carrier, code)!;
      const amount = Math.min(max, Math.max(1, roundHalf(max * rng.between(0.45, 1))));
      lines.push({ shipment_ref: row.shipment_id, charge_type: 'accessorial', charge_code: code, billed_weight_kg: null, amount });
    }
  }
  return lines;
}

/** Puts one discrepancy of a kind into one invoice that has none yet. */
class Planter {
  readonly rebilled: InvoiceDoc[] = [];
  readonly wellKnown: InvoiceBook['wellKnown'] = {};
  private readonly rng: Rng;
  private readonly knownRefs: Set<string>;
  private ghost = 0;
  private cancelledShipments: number[] | undefined;
  private readonly billedCancelled = new Set<number>();

  constructor(
    private readonly seed: number,
    private readonly drafts: Draft[],
    private readonly shipments: ShipmentRow[],
    private readonly facts: ShipmentFacts[],
    private readonly cal: DayCalendar,
    private readonly contracts: ContractBook,
    private readonly planted: PlantedDiscrepancy[],
  ) {
    this.rng = stream(seed, 'plants');
    this.knownRefs = new Set(shipments.map((s) => s.shipment_id));
  }

  plant(kind: PlantKind): void {
    switch (kind) {
      case 'rebilled_invoice': return this.rebilledInvoice();
      case 'rebilled_linehaul': return this.rebilledLinehaul();
      case 'unmatched': return this.unmatched();
      case 'cancelled': return this.cancelled();
      case 'rate': return this.rate();
      case 'fuel': return this.fuel();
      case 'accessorial_not_allowed': return this.accessorialNotAllowed();
      case 'accessorial_over_max': return this.accessorialOverMax();
      case 'weight': return this.weight();
    }
  }

  /** An unplanted invoice that satisfies `ok`, at random (sampled first: the books can be large). */
  private choose(ok: (d: Draft) => boolean): Draft | undefined {
    const free = (d: Draft) => !d.planted && !d.reserved && ok(d);
    let found: Draft | undefined;
    for (let tries = 0; tries < 64 && !found; tries++) {
      const d = this.drafts[this.rng.int(0, this.drafts.length - 1)];
      if (d && free(d)) found = d;
    }
    if (!found) {
      const candidates = this.drafts.filter(free);
      if (!candidates.length) return undefined;
      found = this.rng.pick(candidates);
    }
    found.planted = true;
    return found;
  }

  private record(rule: AuditRule, d: Draft, ref: string | null, detail: string, date = this.cal.ymd(d.day)): void {
    this.planted.push({ rule, invoice_number: d.number, carrier: d.carrier, invoice_date: date, shipment_ref: ref, detail });
  }

  /** The shipment of an invoice with the largest linehaul (where an overcharge shows most). */
  private biggest(d: Draft): number {
    return d.shipments.reduce((best, i) => (this.facts[i].linehaul > this.facts[best].linehaul ? i : best), d.shipments[0]);
  }

  private line(d: Draft, ref: string, type: InvoiceLineRow['charge_type']): InvoiceLineRow {
    return d.lines.find((l) => l.shipment_ref === ref && l.charge_type === type)!;
  }

  private rebilledInvoice(): void {
    const d = this.choose((x) => x.day <= -7);
    if (!d) return;
    const again = d.day + this.rng.int(7, Math.min(21, -d.day));
    const date = this.cal.ymd(again);
    this.rebilled.push({ invoice_number: d.number, carrier: d.carrier, invoice_date: date, lines: d.lines.map((l) => ({ ...l })) });
    this.record('duplicate_invoice', d, null, `invoice ${d.number} billed again on ${date} (first billed ${this.cal.ymd(d.day)})`, date);
  }

  private rebilledLinehaul(): void {
    const earlier = (x: Draft) => this.drafts.find((e) => e !== x && !e.planted && !e.reserved && e.carrier === x.carrier && e.day < x.day);
    const d = this.choose((x) => earlier(x) !== undefined);
    if (!d) return;
    const first = earlier(d)!;
    first.reserved = true;
    const i = this.rng.pick(first.shipments);
    const ref = this.shipments[i].shipment_id;
    const original = this.line(first, ref, 'linehaul');
    d.lines.push({ ...original });
    this.record('duplicate_invoice', d, ref, `linehaul of ${ref} billed again (already on ${first.number})`);
  }

  private unmatched(): void {
    const d = this.choose(() => true);
    if (!d) return;
    const like = this.facts[this.biggest(d)];
    const row = this.shipments[this.biggest(d)];
    const ref = this.rng.chance(0.4) ? null : this.unknownRef(row.mode);
    const amount = round2(like.linehaul * this.rng.between(0.85, 1.15));
    d.lines.push({ shipment_ref: ref, charge_type: 'linehaul', charge_code: null, billed_weight_kg: row.weight_kg, amount });
    d.lines.push({ shipment_ref: ref, charge_type: 'fuel', charge_code: null, billed_weight_kg: null, amount: fuelFor(like.terms, amount) });
    this.record('unmatched_shipment', d, ref, ref ? `billed ${ref}, a shipment we have no record of` : 'linehaul and fuel billed with no shipment reference');
  }

  /** A reference in the carrier's format that matches no shipment. */
  private unknownRef(mode: Mode): string {
    for (;;) {
      const k = this.ghost++;
      const ref =
        mode === 'parcel' ? upsTrackingNumber(this.rng.pick(CUSTOMERS).shipper, 3, 9_999_999 - k)
          : mode === 'ocean' ? containerNumber('MAEU', 999_999 - k)
            : shpId(this.shipments.length + 500 + k);
      if (!this.knownRefs.has(ref)) return ref;
    }
  }

  private cancelled(): void {
    this.cancelledShipments ??= this.shipments.map((_, i) => i).filter((i) => this.shipments[i].status === 'cancelled');
    const fresh = this.cancelledShipments.filter((i) => !this.billedCancelled.has(i));
    for (const i of this.rng.shuffle(fresh.length ? fresh : this.cancelledShipments)) {
      const f = this.facts[i];
      const row = this.shipments[i];
      const d = this.choose((x) => x.carrier === row.carrier && !x.spot && x.day >= f.plan.orderDay + 2);
      if (!d) continue;
      d.lines.push({ shipment_ref: row.shipment_id, charge_type: 'linehaul', charge_code: null, billed_weight_kg: row.weight_kg, amount: f.linehaul });
      d.lines.push({ shipment_ref: row.shipment_id, charge_type: 'fuel', charge_code: null, billed_weight_kg: null, amount: f.fuel });
      this.billedCancelled.add(i);
      this.record('cancelled_shipment', d, row.shipment_id, `billed ${row.shipment_id}, which was cancelled on ${this.cal.ymd(f.plan.cancelDay!)}`);
      return;
    }
  }

  private rate(): void {
    const d = this.choose((x) => this.facts[this.biggest(x)].linehaul >= 100);
    if (!d) return;
    const i = this.biggest(d);
    const ref = this.shipments[i].shipment_id;
    const expected = this.facts[i].linehaul;
    const line = this.line(d, ref, 'linehaul');
    line.amount = round2(Math.max(expected * this.rng.between(1.08, 1.22), expected + 5));
    this.record('rate_overcharge', d, ref, `linehaul ${line.amount.toFixed(2)} against a contract of ${expected.toFixed(2)}`);
  }

  private fuel(): void {
    const d = this.choose((x) => this.facts[this.biggest(x)].fuel >= 20);
    if (!d) return;
    const i = this.biggest(d);
    const f = this.facts[i];
    const ref = this.shipments[i].shipment_id;
    const line = this.line(d, ref, 'fuel');
    if (!this.wellKnown.fuelBilledTwice) {
      d.number = WELL_KNOWN_INVOICES.fuelBilledTwice;
      this.wellKnown.fuelBilledTwice = d.number;
      line.amount = round2(f.fuel * 2);
      this.record('fuel_overcharge', d, ref, `fuel surcharge billed twice: ${line.amount.toFixed(2)} instead of ${f.fuel.toFixed(2)}`);
      return;
    }
    const pct = f.terms.fuel_pct + this.rng.int(5, 9);
    line.amount = round2(Math.max((f.linehaul * pct) / 100, f.fuel + 5));
    this.record('fuel_overcharge', d, ref, `fuel ${line.amount.toFixed(2)} (${pct}% of linehaul) against ${f.terms.fuel_pct}% = ${f.fuel.toFixed(2)}`);
  }

  private accessorialNotAllowed(): void {
    const d = this.choose(() => true);
    if (!d) return;
    const missing = ACCESSORIAL_CODES.filter((c) => this.contracts.accessorialMax(d.carrier, c) === undefined);
    const code = this.rng.pick(missing);
    const ref = this.shipments[d.shipments[0]].shipment_id;
    const amount = roundHalf(TYPICAL_ACCESSORIAL[code] * this.rng.between(0.6, 1.2));
    d.lines.push({ shipment_ref: ref, charge_type: 'accessorial', charge_code: code, billed_weight_kg: null, amount });
    this.record('accessorial_not_allowed', d, ref, `${code} ${amount.toFixed(2)}: ${d.carrier} has no ${code} in its contract`);
  }

  private accessorialOverMax(): void {
    const pinDet = !this.wellKnown.detentionOverMax;
    const d = this.choose((x) => (pinDet ? this.contracts.accessorialMax(x.carrier, 'DET') !== undefined : true));
    if (!d) return;
    const i = d.shipments[0];
    const row = this.shipments[i];
    const allowed = ACCESSORIAL_CODES.filter((c) => this.contracts.accessorialMax(d.carrier, c) !== undefined);
    const fitting = MODE_ACCESSORIALS[row.mode].filter((c) => allowed.includes(c));
    const code = pinDet ? 'DET' : this.rng.pick(fitting.length ? fitting : allowed);
    const max = this.contracts.accessorialMax(d.carrier, code)!;
    // The shipment may already carry this accessorial correctly: the overbilled line replaces it.
    d.lines = d.lines.filter((l) => !(l.shipment_ref === row.shipment_id && l.charge_type === 'accessorial' && l.charge_code === code));
    const amount = pinDet ? round2(max + 120.5) : Math.max(roundHalf(max * this.rng.between(1.4, 1.9)), round2(max + 10));
    d.lines.push({ shipment_ref: row.shipment_id, charge_type: 'accessorial', charge_code: code, billed_weight_kg: null, amount });
    if (pinDet) {
      d.number = WELL_KNOWN_INVOICES.detentionOverMax;
      this.wellKnown.detentionOverMax = d.number;
    }
    this.record('accessorial_over_max', d, row.shipment_id, `${code} ${amount.toFixed(2)} against a contracted maximum of ${max.toFixed(2)}`);
  }

  private weight(): void {
    // Where the weight changes the money: per-kg lanes above their minimum charge.
    const weighty = (i: number) => {
      const t = this.facts[i].terms;
      return t.rate_basis === 'per_kg' && t.rate * this.shipments[i].weight_kg > (t.min_charge ?? 0) * 1.2;
    };
    const d = this.choose((x) => x.shipments.some(weighty));
    if (!d) return;
    const i = d.shipments.find(weighty)!;
    const row = this.shipments[i];
    const f = this.facts[i];
    const billedWeight = Math.round(Math.max(row.weight_kg * this.rng.between(1.12, 1.3), row.weight_kg + 5) * 10) / 10;
    const line = this.line(d, row.shipment_id, 'linehaul');
    line.billed_weight_kg = billedWeight;
    line.amount = linehaulFor(f.terms, billedWeight);
    if (!this.wellKnown.weightOverbilled) {
      d.number = WELL_KNOWN_INVOICES.weightOverbilled;
      this.wellKnown.weightOverbilled = d.number;
    }
    this.record('weight_overbilled', d, row.shipment_id, `billed on ${billedWeight} kg, shipped ${row.weight_kg} kg: linehaul ${line.amount.toFixed(2)} instead of ${f.linehaul.toFixed(2)}`);
  }
}
