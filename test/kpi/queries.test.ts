import { filterKeys, finishMetrics, kpiStatement, roundedRatio } from '../../domain/kpi/queries';
import { sql, raw } from '../../domain/kpi/sqlText';

describe('KPI SQL building blocks', () => {
  it('keeps every parameter with its placeholder, in text order', () => {
    const inner = sql`b = ${2} AND c = ${'three'}`;
    const s = sql`SELECT ${raw('x')} WHERE a = ${1} AND ${inner} AND d IS ${null}`;
    expect(s.text).toBe('SELECT x WHERE a = ? AND b = ? AND c = ? AND d IS ?');
    expect(s.params).toEqual([1, 2, 'three', null]);
  });

  it.each(['sqlite', 'postgres'] as const)('builds a %s statement whose placeholders match its parameters', (dialect) => {
    const filters = filterKeys({ carrier: 'DHL', customer: 'Acme', origin: 'Dallas', destination: 'Memphis' });
    const s = kpiStatement(dialect, { from: '2026-10-01', to: '2026-10-31' }, filters, '2026-11-24');
    expect(s.text.split('?').length - 1).toBe(s.params.length);
    // user input only ever travels as parameters
    expect(s.text).not.toMatch(/dallas|acme|dhl|memphis|2026/i);
  });

  it('keys filters like the data (trimmed, lower case) and drops blank ones', () => {
    expect(filterKeys({ carrier: '  DHL ', customer: '', origin: ' ', destination: 'Dallas, TX' })).toEqual({
      carrier: 'dhl',
      customer: undefined,
      origin: undefined,
      destination: 'dallas, tx',
    });
  });

  it('rounds a ratio half away from zero, exactly', () => {
    expect(roundedRatio(16, 6, 2)).toBe(2.67); // 2.6666...
    expect(roundedRatio(1, 8, 2)).toBe(0.13); // 0.125: a tie, up
    expect(roundedRatio(1, 200, 2)).toBe(0.01); // 0.005 (not exact in binary): a tie, up
    expect(roundedRatio(1, 3, 2)).toBe(0.33);
    expect(roundedRatio(-1, 8, 2)).toBe(-0.13); // delivered before shipped (bad data): symmetric
    expect(roundedRatio(0, 5, 2)).toBe(0);
  });

  it('turns aggregates (numbers or PostgreSQL strings) into metrics', () => {
    expect(
      finishMetrics({
        shipment_count: '12', exception_count: '1', order_count: '7', delivered_promised: '4', on_time: '3', on_time_in_full: '2',
        transit_shipments: '3', transit_days: '8', spend_cents: '30060', invoices: '5', invoices_clean: '4',
      }),
    ).toEqual({
      shipment_count: 12, order_count: 7, on_time_rate: 0.75, otif: 0.5, avg_transit_days: 2.67, freight_spend: 300.6,
      invoice_accuracy: 0.8, exception_count: 1,
    });
    expect(
      finishMetrics({
        shipment_count: 0, exception_count: 0, order_count: 0, delivered_promised: 0, on_time: 0, on_time_in_full: 0,
        transit_shipments: 0, transit_days: 0, spend_cents: null, invoices: 0, invoices_clean: 0,
      }),
    ).toEqual({
      shipment_count: 0, order_count: 0, on_time_rate: null, otif: null, avg_transit_days: null, freight_spend: 0,
      invoice_accuracy: null, exception_count: 0,
    });
  });
});
