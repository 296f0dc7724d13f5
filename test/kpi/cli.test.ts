import { describeEachDatabase } from '../support/databases';
import { clearBusinessData, insertInvoiceLines, insertShipments } from '../support/fixtures';
import { runCli } from '../support/cli';
import { addFinding } from './helpers';

/** `waybill kpi` as scripts and people run it (the compiled CLI, on the test database). */
describeEachDatabase('waybill kpi', (ctx) => {
  beforeAll(async () => {
    await clearBusinessData(ctx.db);
    await insertShipments(ctx.db, [
      // on time (10-04 <= 10-05), 10 of 10; 2 days
      { shipment_id: 'K1', carrier: 'DHL', order_id: 'ORD-1', ship_date: '2026-10-02', promised_date: '2026-10-05', delivered_date: '2026-10-04', quantity_ordered: 10, quantity_delivered: 10 },
      // late (10-07 > 10-06); 4 days
      { shipment_id: 'K2', carrier: 'DHL', order_id: 'ORD-1', ship_date: '2026-10-03', promised_date: '2026-10-06', delivered_date: '2026-10-07' },
      // on time but short (9 of 10); 4 days
      { shipment_id: 'K3', carrier: 'FedEx', order_id: 'ORD-2', ship_date: '2026-10-04', promised_date: '2026-10-08', delivered_date: '2026-10-08', quantity_ordered: 10, quantity_delivered: 9 },
      // not delivered, promised 10-09 < today 10-20: an exception
      { shipment_id: 'K4', carrier: 'FedEx', order_id: 'ORD-3', ship_date: '2026-10-05', promised_date: '2026-10-09' },
      // cancelled
      { shipment_id: 'K5', carrier: 'UPS Freight', ship_date: '2026-10-06', status: 'cancelled' },
    ]);
    await insertInvoiceLines(ctx.db, [
      { invoice_number: 'INV-1', carrier: 'DHL', invoice_date: '2026-10-10', shipment_id: 'K1', charge_type: 'linehaul', amount: 1234.5 },
      { invoice_number: 'INV-1', carrier: 'DHL', invoice_date: '2026-10-10', shipment_id: 'K1', charge_type: 'fuel', amount: 10.25 },
      { invoice_number: 'INV-2', carrier: 'FedEx', invoice_date: '2026-10-11', shipment_id: 'K3', charge_type: 'linehaul', amount: 99.99 },
    ]);
    await addFinding(ctx.db, { carrier: 'FedEx', invoice_number: 'INV-2', invoice_date: '2026-10-11' });
  });

  const kpi = (args: string[]) =>
    runCli(['kpi', '--from', '2026-10-01', '--to', '2026-10-31', '--today', '2026-10-20', ...args], { env: { DATABASE_URL: ctx.url } });

  it('--json prints exactly the JSON of data.md', () => {
    const r = kpi(['--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // shipments K1..K4 = 4 (K5 cancelled); orders ORD-1, ORD-2, ORD-3 = 3; on time K1, K3 of K1..K3 = 2/3;
    // OTIF K1 = 1/3; transit (2 + 4 + 4) / 3 = 3.33; spend 1234.50 + 10.25 + 99.99 = 1344.74;
    // accuracy INV-1 clean, INV-2 with a finding = 1/2; exceptions K4 = 1
    expect(r.stdout).toBe(
      '{"period":{"from":"2026-10-01","to":"2026-10-31"},"metrics":{"shipment_count":4,"order_count":3,' +
        '"on_time_rate":0.6666666666666666,"otif":0.3333333333333333,"avg_transit_days":3.33,"freight_spend":1344.74,' +
        '"invoice_accuracy":0.5,"exception_count":1}}\n',
    );
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['period', 'metrics']);
    expect(Object.keys(json.period)).toEqual(['from', 'to']);
    expect(Object.keys(json.metrics)).toEqual([
      'shipment_count', 'order_count', 'on_time_rate', 'otif', 'avg_transit_days', 'freight_spend', 'invoice_accuracy', 'exception_count',
    ]);
  });

  it('--json gives null rates for a period with nothing to divide by, and takes filters', () => {
    const empty = runCli(['kpi', '--from', '2030-01-01', '--to', '2030-01-31', '--today', '2030-02-01', '--json'], { env: { DATABASE_URL: ctx.url } });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe(
      '{"period":{"from":"2030-01-01","to":"2030-01-31"},"metrics":{"shipment_count":0,"order_count":0,"on_time_rate":null,' +
        '"otif":null,"avg_transit_days":null,"freight_spend":0,"invoice_accuracy":null,"exception_count":0}}\n',
    );
    const dhl = kpi(['--carrier', 'dhl', '--json']);
    expect(dhl.code).toBe(0);
    // K1, K2: 1 order, 1 of 2 on time and in full, (2 + 4) / 2 days, INV-1 1244.75 with no finding
    expect(JSON.parse(dhl.stdout).metrics).toEqual({
      shipment_count: 2, order_count: 1, on_time_rate: 0.5, otif: 0.5, avg_transit_days: 3, freight_spend: 1244.75, invoice_accuracy: 1, exception_count: 0,
    });
  });

  it('without --json prints the same figures as a table for people', () => {
    const r = kpi([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'KPIs 2026-10-01 to 2026-10-31',
        'metric              value',
        '------------------  --------',
        'Shipments                  4',
        'Orders                     3',
        'On-time rate           66.7%',
        'OTIF                   33.3%',
        'Avg transit (days)       3.3',
        'Freight spend       1,344.74',
        'Invoice accuracy       50.0%',
        'Exceptions                 1',
        '',
      ].join('\n'),
    );
  });
});
