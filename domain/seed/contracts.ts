import { CARRIERS, LANES, type AccessorialCode, type CarrierDef, type LaneDef, type Mode } from './catalog';
import type { DayCalendar } from './calendar';
import { round2 } from './money';

/**
 * The contracts (rates.csv rows) invoices are checked against: one lane rate per carrier and lane
 * offered, some lanes with an older contract that expired inside or before the window and the
 * current one after it, and each carrier's accessorial schedule.
 */
export interface ContractRow {
  carrier: string;
  origin: string;
  destination: string;
  rate_basis: 'flat' | 'per_kg' | 'accessorial';
  /** Money as exact 2-decimal numbers. */
  rate: number;
  min_charge: number | null;
  fuel_pct: number | null;
  charge_code: AccessorialCode | null;
  valid_from: string;
  valid_to: string | null;
}

/** The contract terms one shipment is priced with. */
export interface LaneTerms {
  rate_basis: 'flat' | 'per_kg';
  rate: number;
  min_charge: number | null;
  fuel_pct: number;
}

const MODE_FUEL: Record<Mode, number> = { truckload: 19.5, ltl: 23.5, parcel: 14.25, rail: 13, ocean: 11, air: 18 };

/** The market's terms for a carrier on a lane and mode (before contract vintage adjustments). */
export function marketTerms(lane: LaneDef, carrier: CarrierDef, mode: Mode): LaneTerms {
  const f = carrier.priceFactor;
  const fuel = Math.min(25, Math.max(10, MODE_FUEL[mode] + carrier.fuelOffset));
  switch (mode) {
    case 'truckload':
      return { rate_basis: 'flat', rate: Math.round((150 + lane.miles * 2.45) * f), min_charge: null, fuel_pct: fuel };
    case 'rail':
      return { rate_basis: 'flat', rate: Math.round((350 + lane.miles * 1.55) * f), min_charge: null, fuel_pct: fuel };
    case 'ocean':
      return { rate_basis: 'flat', rate: Math.round((lane.oceanRate ?? 3000) * f), min_charge: null, fuel_pct: fuel };
    case 'ltl':
      return { rate_basis: 'per_kg', rate: round2((0.12 + lane.miles * 0.00021) * f), min_charge: Math.round(110 + lane.miles * 0.06), fuel_pct: fuel };
    case 'parcel':
      return { rate_basis: 'per_kg', rate: round2((1.45 + lane.miles * 0.0009) * f), min_charge: round2(9.85 * f), fuel_pct: fuel };
    case 'air':
      return { rate_basis: 'per_kg', rate: round2((lane.kgRate ?? 4) * f), min_charge: 275, fuel_pct: fuel };
  }
}

/** Linehaul a contract (or spot quote) yields for a weight. */
export function linehaulFor(t: LaneTerms, weightKg: number): number {
  if (t.rate_basis === 'flat') return t.rate;
  return round2(Math.max(t.rate * weightKg, t.min_charge ?? 0));
}

export function fuelFor(t: LaneTerms, linehaul: number): number {
  return round2((linehaul * t.fuel_pct) / 100);
}

interface ContractPeriod {
  from: string;
  to: string;
  terms: LaneTerms;
}

export interface ContractBook {
  rows: ContractRow[];
  /** The terms for a carrier on a lane on a date; undefined when there is no valid contract. */
  termsOn(carrier: string, origin: string, destination: string, date: string): LaneTerms | undefined;
  /** The spot price a carrier quotes on a lane it has no contract for. */
  spotTerms(carrier: string, lane: LaneDef, mode: Mode): LaneTerms;
  /** The most a carrier may bill for an accessorial (undefined: not allowed). */
  accessorialMax(carrier: string, code: AccessorialCode): number | undefined;
}

const firstOfMonth = (ymd: string) => `${ymd.slice(0, 8)}01`;

/** Contract dates are real contract dates: they start on the first of a month and run a year. */
export function buildContracts(cal: DayCalendar): ContractBook {
  const rows: ContractRow[] = [];
  const periods = new Map<string, ContractPeriod[]>();
  const carrierByName = new Map(CARRIERS.map((c) => [c.name, c]));
  let n = 0;
  for (const lane of LANES) {
    for (const offer of lane.offers) {
      const carrier = carrierByName.get(offer.carrier)!;
      const current = marketTerms(lane, carrier, offer.mode);
      const key = `${offer.carrier}|${lane.origin}|${lane.destination}`;
      if (periods.has(key)) throw new Error(`${key}: a carrier has one contract per lane, whatever the mode`);
      const list: ContractPeriod[] = [];
      const idx = n++;
      const yearAfter = (from: string) => cal.addDays(cal.addYears(from, 1), -1);
      if (idx % 3 === 0) {
        // Renewed inside the window: shipments before the cutover are priced on the older contract.
        const cutover = firstOfMonth(cal.ymd(-20 - ((idx * 11) % 45)));
        const older = vintage(current, 0.95 - (idx % 4) * 0.01, 0.5 + (idx % 3) * 0.5);
        const olderFrom = cal.addYears(cutover, -1);
        list.push({ from: olderFrom, to: cal.addDays(cutover, -1), terms: older });
        list.push({ from: cutover, to: yearAfter(cutover), terms: current });
      } else if (idx % 5 === 1) {
        // Renewed before the window: an expired contract on file, the current one covers the window.
        const cutover = firstOfMonth(cal.ymd(-120));
        list.push({ from: cal.addYears(cutover, -1), to: cal.addDays(cutover, -1), terms: vintage(current, 0.96, 1) });
        list.push({ from: cutover, to: yearAfter(cutover), terms: current });
      } else {
        const from = firstOfMonth(cal.ymd(-150 - ((idx * 17) % 120)));
        list.push({ from, to: yearAfter(from), terms: current });
      }
      periods.set(key, list);
      for (const p of list) {
        rows.push({
          carrier: offer.carrier,
          origin: lane.origin,
          destination: lane.destination,
          rate_basis: p.terms.rate_basis,
          rate: p.terms.rate,
          min_charge: p.terms.min_charge,
          fuel_pct: p.terms.fuel_pct,
          charge_code: null,
          valid_from: p.from,
          valid_to: p.to,
        });
      }
    }
  }
  const accessorialFrom = firstOfMonth(cal.ymd(-365));
  for (const c of CARRIERS) {
    for (const [code, max] of Object.entries(c.accessorials) as [AccessorialCode, number][]) {
      rows.push({
        carrier: c.name, origin: '*', destination: '*', rate_basis: 'accessorial', rate: max, min_charge: null,
        fuel_pct: null, charge_code: code, valid_from: accessorialFrom, valid_to: null,
      });
    }
  }
  return {
    rows,
    termsOn(carrier, origin, destination, date) {
      const list = periods.get(`${carrier}|${origin}|${destination}`);
      return list?.find((p) => p.from <= date && date <= p.to)?.terms;
    },
    spotTerms(carrier, lane, mode) {
      const t = marketTerms(lane, carrierByName.get(carrier)!, mode);
      // Spot is dearer than contract, and quoted flat.
      const linehaul = t.rate_basis === 'flat' ? t.rate : Math.max(t.rate * 2500, t.min_charge ?? 0);
      return { rate_basis: 'flat', rate: Math.round(linehaul * 1.22), min_charge: null, fuel_pct: t.fuel_pct };
    },
    accessorialMax(carrier, code) {
      return carrierByName.get(carrier)?.accessorials[code];
    },
  };
}

/** An older contract: cheaper and with a lower fuel percentage than the current one. */
function vintage(t: LaneTerms, factor: number, fuelLess: number): LaneTerms {
  return {
    rate_basis: t.rate_basis,
    rate: t.rate_basis === 'flat' ? Math.round(t.rate * factor) : round2(t.rate * factor),
    min_charge: t.min_charge === null ? null : round2(t.min_charge * factor),
    fuel_pct: Math.max(10, t.fuel_pct - fuelLess),
  };
}

