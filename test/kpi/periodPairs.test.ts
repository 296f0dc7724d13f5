import { createDemoSeeder } from '../../data/seed/demoSeeder';
import { createAuditEngine } from '../../domain/audit/engine';
import { DEFAULT_TOLERANCE } from '../../domain/audit/types';
import { createClock } from '../../domain/clock';
import { previousPeriod, type Period } from '../../domain/dates';
import type { ImportService } from '../../domain/import/types';
import { filterKeys, finishMetrics, kpiStatement, pairsPeriods, periodAggregates } from '../../domain/kpi/queries';
import { CARRIERS, CUSTOMERS } from '../../domain/seed/catalog';
import type { ShipmentFilters } from '../../domain/filters';
import { describeEachDatabase } from '../support/databases';
import { engineFor } from './helpers';

/**
 * One statement for several periods (kpiStatement with a list; the engine's compare uses it where the
 * filters walk a history) gives each period exactly the figures of its own statement: over the demo
 * data, audited (so invoice accuracy is not trivially 1), for every shape of filter and periods across
 * month and year ends.
 */
const OPTS = { shipments: 2000, seed: 42, today: '2026-03-18' };
const importer: ImportService = { importFile: () => Promise.reject(new Error('the seeder writes directly')) };

const FILTERS: Array<[string, ShipmentFilters]> = [
  ['no filter', {}],
  ['a carrier', { carrier: CARRIERS[0].name }],
  ['a customer', { customer: CUSTOMERS[0].name }],
  ['a customer and a carrier', { customer: CUSTOMERS[0].name, carrier: 'the carrier of most of its shipments' }],
  ['a lane', { origin: 'Chicago', destination: 'Atlanta' }],
  ['an origin', { origin: 'Memphis' }],
  ['a destination', { destination: 'Atlanta' }],
  ['a customer and an origin', { customer: CUSTOMERS[0].name, origin: 'Chicago' }],
  ['a carrier and a lane', { carrier: 'the carrier of most of its shipments', origin: 'Chicago', destination: 'Dallas' }],
];
const PERIODS: Period[] = [
  { from: '2026-02-01', to: '2026-02-28' },
  { from: '2026-03-09', to: '2026-03-15' },
  { from: '2026-03-17', to: '2026-03-17' },
  { from: '2025-12-20', to: '2026-01-10' },
];

describeEachDatabase('KPIs of two periods in one statement', (ctx) => {
  beforeAll(async () => {
    await createDemoSeeder(ctx.db, { importer }).seed(OPTS);
    const audit = createAuditEngine({ sql: ctx.db.sql, clock: createClock('UTC', new Date('2026-03-18T09:30:00Z')), tolerance: DEFAULT_TOLERANCE });
    await audit.run({});
    // A carrier that does carry for the customer, or on the lane: filters that find something.
    const busiest = async (where: string) => {
      const [r] = await ctx.db.sql.query<{ name: string }>(`SELECT c.name FROM shipments s JOIN carriers c ON c.id = s.carrier_id
        JOIN customers cu ON cu.id = s.customer_id WHERE ${where} GROUP BY c.name ORDER BY COUNT(*) DESC, c.name LIMIT 1`);
      return r.name;
    };
    FILTERS[3][1].carrier = await busiest(`cu.name = '${CUSTOMERS[0].name.replace(/'/g, "''")}'`);
    FILTERS[8][1].carrier = await busiest(`s.origin_key = 'chicago' AND s.destination_key = 'dallas'`);
  }, 120_000);

  const single = async (p: Period, f: ShipmentFilters) => {
    const s = kpiStatement(ctx.db.dialect, p, filterKeys(f), OPTS.today);
    const [row] = await ctx.db.sql.query<Record<string, unknown>>(s.text, [...s.params]);
    return finishMetrics(periodAggregates(row, 0));
  };

  it.each(FILTERS)('with %s, each period of a pair has its own statement\'s figures', async (_, f) => {
    let nonEmpty = 0;
    for (const p of PERIODS) {
      const prev = previousPeriod(p);
      const s = kpiStatement(ctx.db.dialect, [p, prev], filterKeys(f), OPTS.today);
      const [row] = await ctx.db.sql.query<Record<string, unknown>>(s.text, [...s.params]);
      const [a, b] = [finishMetrics(periodAggregates(row, 0)), finishMetrics(periodAggregates(row, 1))];
      expect({ period: p, metrics: a }).toEqual({ period: p, metrics: await single(p, f) });
      expect({ period: prev, metrics: b }).toEqual({ period: prev, metrics: await single(prev, f) });
      if (a.shipment_count && a.order_count && a.invoice_accuracy !== null && a.on_time_rate !== null) nonEmpty++;
    }
    // Not a comparison of zeros: the filters find data in most periods (the demo covers the 90 days
    // before 2026-03-18, so the year-end period before it is empty).
    expect(nonEmpty).toBeGreaterThanOrEqual(2);
  });

  it('compare gives what compute gives for each period, paired or not', async () => {
    const engine = engineFor(ctx.db, '2026-03-18T12:00:00Z');
    for (const [, f] of FILTERS) {
      for (const p of PERIODS.slice(0, 3)) {
        const { current, previous } = await engine.compare({ period: p, filters: f });
        expect(current).toEqual(await engine.compute({ period: p, filters: f }));
        expect(previous).toEqual(await engine.compute({ period: previousPeriod(p), filters: f }));
      }
    }
    expect(FILTERS.filter(([, f]) => pairsPeriods(filterKeys(f))).length).toBeGreaterThanOrEqual(4);
  });
});
