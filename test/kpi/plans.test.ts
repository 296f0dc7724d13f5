import { freshDatabase, TEST_DB_TARGETS } from '../support/databases';
import type { Database } from '../../data/db';
import { filterKeys, kpiStatement } from '../../domain/kpi/queries';
import type { Sql } from '../../domain/kpi/sqlText';

/**
 * The KPIs of a period read the period's range of the date indexes and nothing else of shipments:
 * each range is a walk of a covering index (migration 006), never a scan of the table and never a
 * carrier's or customer's whole history. SQLite's plans (EXPLAIN QUERY PLAN) on an empty database:
 * SQLite plans without statistics, so what it picks there it picks at a million rows.
 */
const sqlite = TEST_DB_TARGETS.find((t) => t.name === 'sqlite')!;

describe('KPI query plans [sqlite]', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDatabase(sqlite));
  });
  afterAll(() => cleanup());

  const plan = async (s: Sql) => (await db.sql.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${s.text}`, [...s.params])).map((r) => r.detail);
  const month = { from: '2026-10-01', to: '2026-10-31' };

  const walks = (lines: string[]) => lines.filter((l) => / s USING /.test(l) || /^SCAN s\b/.test(l));
  const dateRange = /USING (COVERING )?INDEX (shipments_(ship|delivered|kpi_order)_date_idx \(\w+>\? AND \w+<\?\)|shipments_(carrier|customer)_ship_idx \(\w+=\? AND ship_date>\? AND ship_date<\?\))/;

  it.each([
    ['no filter', {}],
    ['a carrier', { carrier: 'DHL' }],
  ])('with %s, every range is a walk of a covering index', async (_, filters) => {
    const lines = await plan(kpiStatement('sqlite', month, filterKeys(filters), '2026-11-24'));
    expect(walks(lines).length).toBeGreaterThan(0);
    for (const l of walks(lines)) expect(l).toMatch(/USING (COVERING INDEX shipments_(ship|delivered|kpi_order)_date_idx|INDEX shipments_carrier_ship_idx \(carrier_id=\? AND ship_date>\? AND ship_date<\?\))/);
    for (const l of lines.filter((x) => / (l|i) USING /.test(x))) expect(l).toMatch(/COVERING INDEX (invoice_lines_(carrier_)?date_idx|invoices_date_idx)/);
  });

  it('with a customer, the shipments of the period by date, and the lines through the customer\'s shipments', async () => {
    const lines = await plan(kpiStatement('sqlite', month, filterKeys({ customer: 'Acme Corp' }), '2026-11-24'));
    // The customer's history (its index) leads to its invoice lines: far fewer than a period's lines.
    const history = /shipments_customer_ship_idx \(customer_id=\?\)$/;
    for (const l of walks(lines).filter((x) => !history.test(x))) expect(l).toMatch(dateRange);
    expect(lines.filter((l) => history.test(l))).toHaveLength(1);
    // Both walks index-only (migration 009): no table lookup per shipment or per line.
    expect(lines.filter((l) => history.test(l))[0]).toMatch(/COVERING INDEX/);
    expect(lines.some((l) => /SEARCH l USING COVERING INDEX invoice_lines_shipment_idx \(shipment_ref=\?\)/.test(l))).toBe(true);
  });

  it('with a lane, every way into shipments is the lane index (its history, not a month of everyone)', async () => {
    const lines = await plan(kpiStatement('sqlite', month, filterKeys({ origin: 'Chicago', destination: 'Dallas' }), '2026-11-24'));
    // Three walks of the lane index (MULTI-INDEX OR) for the lane's shipments (ONE pass for shipped,
    // ordered and delivered: each row it finds is a table lookup) and three for the invoice lines'
    // shipments (index-only): "chicago" to "dallas", "chicago" to "dallas, tx" (both columns searched:
    // only that lane's history is read, not every shipment from Chicago), and a "chicago, il" origin.
    const lane = /USING (COVERING )?INDEX shipments_lane_idx \((origin_key=\? AND destination_key=\?|origin_key=\? AND destination_key>\? AND destination_key<\?|origin_key>\? AND origin_key<\?)\)$/;
    for (const l of walks(lines)) expect(l).toMatch(lane);
    expect(walks(lines)).toHaveLength(6);
    expect(walks(lines).filter((l) => /\(origin_key=\? AND destination_key=\?\)$/.test(l))).toHaveLength(2);
    expect(lines.some((l) => /SEARCH l USING COVERING INDEX invoice_lines_shipment_idx \(shipment_ref=\?\)/.test(l))).toBe(true);
  });

  it('with a destination only, the period\'s lines find their shipment by its id; every other way in is a date range', async () => {
    const lines = await plan(kpiStatement('sqlite', month, filterKeys({ destination: 'Dallas' }), '2026-11-24'));
    for (const l of walks(lines).filter((x) => !/shipments_shipment_id_uq \(shipment_id=\?\)/.test(x))) expect(l).toMatch(dateRange);
  });
});
