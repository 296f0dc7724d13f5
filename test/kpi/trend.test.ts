import { describeEachDatabase } from '../support/databases';
import { clearBusinessData, insertShipments } from '../support/fixtures';
import { engineFor } from './helpers';

/** The daily trend behind KPI charts and digests, on hand-written rows (figures in the comments). */
describeEachDatabase('KPI daily trend', (ctx) => {
  beforeAll(async () => {
    await clearBusinessData(ctx.db);
    await insertShipments(ctx.db, [
      { shipment_id: 'T1', ship_date: '2026-10-01', promised_date: '2026-10-03', delivered_date: '2026-10-03' }, // on time, delivered 10-03
      { shipment_id: 'T2', ship_date: '2026-10-01', promised_date: '2026-10-02', delivered_date: '2026-10-03' }, // late, delivered 10-03
      { shipment_id: 'T3', ship_date: '2026-10-02', promised_date: null, delivered_date: '2026-10-03' }, //         no promise: not in the rate
      { shipment_id: 'T4', ship_date: '2026-10-02', status: 'cancelled' }, //                                      cancelled: not counted
      { shipment_id: 'T5', ship_date: '2026-10-02', carrier: 'Maersk', promised_date: '2026-10-09' }, //          Maersk, in transit
      { shipment_id: 'T6', ship_date: '2026-09-30', promised_date: '2026-10-01', delivered_date: '2026-10-01' }, // shipped before, delivered 10-01 on time
      // Another lane (every row above is Chicago to Dallas): only in the unfiltered days.
      { shipment_id: 'T7', ship_date: '2026-10-05', origin: 'Memphis', destination: 'Atlanta', promised_date: '2026-10-06', delivered_date: '2026-10-07' },
    ]);
  });

  it('gives shipments per ship date and the on-time rate per delivery date, every day filled', async () => {
    const days = await engineFor(ctx.db).trend({ period: { from: '2026-10-01', to: '2026-10-04' } });
    expect(days).toEqual([
      { date: '2026-10-01', shipments: 2, delivered: 1, onTimeRate: 1 }, //   T1, T2 shipped; T6 delivered on time
      { date: '2026-10-02', shipments: 2, delivered: 0, onTimeRate: null }, // T3, T5 (T4 cancelled)
      { date: '2026-10-03', shipments: 0, delivered: 3, onTimeRate: 0.5 }, // T1 on time, T2 late, T3 no promise -> 1/2
      { date: '2026-10-04', shipments: 0, delivered: 0, onTimeRate: null },
    ]);
  });

  it('reads a lane once for both populations, with the same figures', async () => {
    const period = { from: '2026-10-01', to: '2026-10-07' };
    const all = await engineFor(ctx.db).trend({ period });
    const chicago = await engineFor(ctx.db).trend({ period, filters: { origin: 'Chicago', destination: 'dallas' } });
    const memphis = await engineFor(ctx.db).trend({ period, filters: { origin: 'memphis' } });
    // T7 shipped 10-05 and delivered late 10-07 is Memphis to Atlanta; the rest Chicago to Dallas.
    expect(memphis.map((d) => [d.shipments, d.delivered, d.onTimeRate])).toEqual([
      [0, 0, null], [0, 0, null], [0, 0, null], [0, 0, null], [1, 0, null], [0, 0, null], [0, 1, 0],
    ]);
    expect(chicago).toEqual(all.map((d) => (d.date === '2026-10-05' ? { ...d, shipments: 0 } : d.date === '2026-10-07' ? { ...d, delivered: 0, onTimeRate: null } : d)));
    expect(chicago.slice(0, 3).map((d) => [d.shipments, d.delivered, d.onTimeRate])).toEqual([[2, 1, 1], [2, 0, null], [0, 3, 0.5]]);
  });

  it('applies the filters like the KPIs do', async () => {
    const days = await engineFor(ctx.db).trend({ period: { from: '2026-10-01', to: '2026-10-02' }, filters: { carrier: 'maersk' } });
    expect(days.map((d) => d.shipments)).toEqual([0, 1]);
  });
});
