import { mulberry32 } from '../../domain/seed/prng';
import { describeEachDatabase } from '../support/databases';
import { insertInvoiceLines, insertRates, insertShipments, type InvoiceLineFixture, type RateFixture, type ShipmentFixture } from '../support/fixtures';
import type { AuditTolerance } from '../../domain/audit/types';
import { auditOf } from './support';

/**
 * The rate and fuel rules against an independent oracle in whole cents, on a few hundred generated
 * shipments billed around (and exactly at) the tolerance edges, for three tolerances. Guards the
 * shortcuts the SQL takes for speed (cheap necessary conditions before the exact test in cents).
 */
const rng = mulberry32;

const CITIES = ['Dallas', 'Memphis', 'Atlanta', 'Houston', 'Denver', 'Boston', 'Miami', 'Phoenix'];

interface Lane { destination: string; perKg: boolean; rateC: number; minC: number; fuelPct: number | null }
interface Case { sid: string; lane: Lane; expectedC: number; allowedC: number; linehaulC: number; fuelC: number }

/** Half-up division of non-negative integers. */
const divHalfUp = (n: number, d: number) => Math.floor((2 * n + d) / (2 * d));

function build(): { rates: RateFixture[]; shipments: ShipmentFixture[]; lines: InvoiceLineFixture[]; cases: Case[] } {
  const r = rng(42);
  const lanes: Lane[] = CITIES.map((destination, i) => {
    const perKg = i % 2 === 1;
    return {
      destination,
      perKg,
      // per_kg rates in cents per kg (two decimals: what DECIMAL(14,2) keeps), flat in cents.
      rateC: perKg ? 10 + Math.floor(r() * 40) : 50_000 + Math.floor(r() * 250_000),
      minC: perKg ? 15_000 : 0,
      fuelPct: i === 6 ? null : 5 + Math.floor(r() * 20),
    };
  });
  const rates: RateFixture[] = lanes.map((l) => ({
    origin: 'Chicago', destination: l.destination, rate_basis: l.perKg ? 'per_kg' : 'flat', rate: l.rateC / 100,
    min_charge: l.perKg ? l.minC / 100 : null, fuel_pct: l.fuelPct,
  }));
  const shipments: ShipmentFixture[] = [];
  const lines: InvoiceLineFixture[] = [];
  const cases: Case[] = [];
  // Offsets from the expected amount, in cents: the edges of the three tolerances and some noise.
  const offsets = (expC: number) => {
    const pct = (p: number) => Math.round((expC * p) / 100);
    return [0, 1, -1, 50, 51, 100, 101, pct(1), pct(1) + 1, pct(2.5), pct(2.5) + 1, Math.floor(r() * pct(3)), -Math.floor(r() * pct(3))];
  };
  for (let i = 0; i < 240; i++) {
    const lane = lanes[i % lanes.length];
    const weightTenths = 500 + Math.floor(r() * 150_000); // 50.0 .. 15,050.0 kg
    const expectedC = lane.perKg ? Math.max(divHalfUp(lane.rateC * weightTenths, 10), lane.minC) : lane.rateC;
    const allowedC = divHalfUp(expectedC * (lane.fuelPct ?? 0), 100);
    const lhOff = offsets(expectedC);
    const fuelOff = offsets(allowedC);
    const linehaulC = expectedC + lhOff[Math.floor(r() * lhOff.length)];
    const fuelC = Math.max(0, allowedC + fuelOff[Math.floor(r() * fuelOff.length)]);
    const sid = `S-${String(i).padStart(3, '0')}`;
    shipments.push({ shipment_id: sid, destination: lane.destination, ship_date: '2026-02-10', weight_kg: weightTenths / 10 });
    const inv = `INV-${Math.floor(i / 12)}`;
    lines.push({ invoice_number: inv, invoice_date: '2026-02-15', shipment_id: sid, charge_type: 'linehaul', amount: linehaulC / 100 });
    lines.push({ invoice_number: inv, invoice_date: '2026-02-15', shipment_id: sid, charge_type: 'fuel', amount: fuelC / 100 });
    cases.push({ sid, lane, expectedC, allowedC, linehaulC, fuelC });
  }
  return { rates, shipments, lines, cases };
}

/** The findings the rules of data.md give, computed in whole cents. */
function oracle(cases: Case[], tol: AuditTolerance): string[] {
  const over = (billedC: number, expC: number) => billedC - expC > Math.max((expC * tol.pct) / 100, tol.abs * 100) + 1e-4;
  const out: string[] = [];
  for (const c of cases) {
    if (over(c.linehaulC, c.expectedC)) out.push(`${c.sid} rate_overcharge ${c.expectedC} ${c.linehaulC} ${c.linehaulC - c.expectedC}`);
    if (over(c.fuelC, c.allowedC)) out.push(`${c.sid} fuel_overcharge ${c.allowedC} ${c.fuelC} ${c.fuelC - c.allowedC}`);
  }
  return out.sort();
}

describeEachDatabase('audit rate and fuel rules against a cents oracle', (ctx) => {
  const data = build();
  beforeAll(async () => {
    await insertRates(ctx.db, data.rates);
    await insertShipments(ctx.db, data.shipments);
    await insertInvoiceLines(ctx.db, data.lines);
  });

  it.each<[string, AuditTolerance]>([
    ['the default 1% / 1.00', { pct: 1, abs: 1 }],
    ['2.5% / 0.50', { pct: 2.5, abs: 0.5 }],
    ['no tolerance', { pct: 0, abs: 0 }],
  ])('agrees with the oracle for %s', async (_name, tol) => {
    const r = await auditOf(ctx.db, tol)({});
    const cents = (n: number | null) => Math.round((n ?? 0) * 100);
    const got = r.findings.map((f) => `${f.shipment_id} ${f.rule} ${cents(f.expected)} ${cents(f.billed)} ${cents(f.overcharge)}`).sort();
    const want = oracle(data.cases, tol);
    expect(want.length).toBeGreaterThan(20); // the data set does reach over the edges
    expect(got).toEqual(want);
  });
});
