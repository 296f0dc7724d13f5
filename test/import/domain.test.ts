import { UserError } from '../../domain/errors';
import { resolveColumns } from '../../domain/import/columns';
import { createRowNormalizer, mergeShipmentRows, orderStatusFrom, statusAfterBlank, type ShipmentRow } from '../../domain/import/rows';
import { DateReader, MODE_SYNONYMS, isPlaceholder, parseInstant, parseNumber } from '../../domain/import/values';

/** The pure import rules (domain/import): cells, columns, rows, merging. No database. */
describe('import rules', () => {
  it('reads numbers as exports write them', () => {
    expect(['12', '-3.5', '.5', '1e3', '1,234.50', '$1,234', '-$12.5', '€ 7'].map(parseNumber)).toEqual([12, -3.5, 0.5, 1000, 1234.5, 1234, -12.5, 7]);
    expect(['abc', '12kg', '1,2', '1.2.3', '', 'NaN', 'Infinity'].map(parseNumber)).toEqual(Array(7).fill(undefined));
  });

  it('knows the placeholder texts of real exports', () => {
    for (const s of ['', 'N/A', 'n/a', 'NA', '-', 'N/A - From RDC', 'Freight Included in Commodity Cost', 'Invoiced Separately',
      'Weight Captured Separately', 'See DN-304 (ID#:10589)', 'See ASN-93 (ID#:1281)', 'Date Not Captured', 'Pre-PQ Process']) {
      expect([s, isPlaceholder(s)]).toEqual([s, true]);
    }
    for (const s of ['abc', '12kg', '2026-13-01', 'Chicago', '0']) expect([s, isPlaceholder(s)]).toEqual([s, false]);
  });

  it('reads dates as YYYY-MM-DD or with a date-fns pattern, two-digit years near today', () => {
    const iso = new DateReader(undefined, '2026-11-24');
    expect(['2026-03-01', '2024-02-29', '2026-03-01 00:00:00', '2026-03-01T10:00:00Z'].map((s) => iso.read(s))).toEqual(['2026-03-01', '2024-02-29', '2026-03-01', '2026-03-01']);
    expect(['2026-13-01', '2025-02-29', '3/1/2026', '2026-3-1'].map((s) => iso.read(s))).toEqual(Array(4).fill(undefined));
    const scms = new DateReader('d-MMM-yy', '2026-11-24');
    expect(['2-Jun-06', '31-Dec-15', '2-jun-06', '2026-01-02', '31-Feb-15', '2-Jun-06x'].map((s) => scms.read(s))).toEqual(['2006-06-02', '2015-12-31', '2006-06-02', '2026-01-02', undefined, undefined]);
    expect(new DateReader('M/d/yyyy', '2026-11-24').read('1/5/2026')).toBe('2026-01-05');
    expect(new DateReader('M/d/yyyy', '2026-11-24').read('1/5/26')).toBeUndefined();
  });

  it('reads ISO 8601 times to UTC, keeping the date as written', () => {
    expect(parseInstant('2026-03-04T23:30:00-05:00')).toEqual({ utc: '2026-03-05 04:30:00.000 +00:00', date: '2026-03-04' });
    expect(parseInstant('2026-03-04 09:00')).toEqual({ utc: '2026-03-04 09:00:00.000 +00:00', date: '2026-03-04' });
    expect(parseInstant('2026-03-04T09:00:00.1234Z')).toEqual({ utc: '2026-03-04 09:00:00.123 +00:00', date: '2026-03-04' });
    expect(parseInstant('2026-03-04')).toEqual({ utc: '2026-03-04 00:00:00.000 +00:00', date: '2026-03-04' });
    expect(['2026-03-04T25:00:00Z', 'yesterday', '2026-02-30T00:00:00Z'].map(parseInstant)).toEqual([undefined, undefined, undefined]);
  });

  it('maps transport mode synonyms, case-insensitively', () => {
    const m = (s: string) => MODE_SYNONYMS.get(s.trim().toLowerCase().replace(/[\s_-]+/g, ' '));
    expect(['Air', 'Air Charter', 'Truck', 'Ocean', 'LTL', 'FTL', 'TL', 'Parcel', 'Rail', 'full-truckload', 'less_than_truckload', 'sea'].map(m))
      .toEqual(['air', 'air', 'truckload', 'ocean', 'ltl', 'truckload', 'truckload', 'parcel', 'rail', 'truckload', 'ltl', 'ocean']);
  });

  describe('columns', () => {
    it('matches headers case-insensitively and trimmed, ignoring unknown columns', () => {
      const c = resolveColumns('events', [' Shipment_ID', 'EVENT_TIME ', 'Status', 'whatever'], undefined);
      expect(c.index).toMatchObject({ shipment_id: 0, event_time: 1, status: 2, location: -1, description: -1 });
    });

    it('lets the map win, and falls back to our own name for columns left out of it', () => {
      const c = resolveColumns('events', ['Ref', 'When', 'status', 'shipment_id'], { shipment_id: 'ref', event_time: 'When' });
      expect(c.index).toMatchObject({ shipment_id: 0, event_time: 1, status: 2 });
      expect(c.label).toMatchObject({ shipment_id: 'shipment_id ("ref")', event_time: 'event_time ("When")', status: 'status' });
    });

    it('fails with one line for a missing required column', () => {
      expect(() => resolveColumns('invoices', ['invoice_number', 'amount'], undefined)).toThrow(
        new UserError('the invoices file lacks the required columns carrier, invoice_date, charge_type (its columns are: invoice_number, amount); rename them or map them with --map our_column="File Column"'),
      );
    });
  });

  describe('rows', () => {
    const normalizer = () =>
      createRowNormalizer('shipments', resolveColumns('shipments', ['shipment_id', 'customer', 'carrier', 'origin', 'destination', 'ship_date', 'delivered_date', 'status'], undefined), { today: '2026-11-24' });

    it('derives the status from the dates when it is blank', () => {
      const n = normalizer();
      const row = (ship: string, delivered: string, status = '') => (n(['S', 'A', 'C', 'O', 'D', ship, delivered, status]) as ShipmentRow);
      expect(row('', '').status).toBeNull();
      expect(row('2026-01-01', '', 'Canceled').status).toBe('cancelled');
      expect(row('2026-01-01', '', 'in transit').status).toBe('in_transit');
    });

    it('skips blank records and names the reason of a bad one', () => {
      const n = normalizer();
      expect(n(['', '', '', '', '', '', '', ''])).toBeNull();
      expect(n([''])).toBeNull();
      expect(n(['S', 'A', 'C', 'O', 'D', '2026-01-01', '2025-12-32', ''])).toBe("delivered_date '2025-12-32' is not a date (expected YYYY-MM-DD)");
      expect(n(['S', 'A', 'C', 'O', 'D', '', 'Date Not Captured', ''])).toMatchObject({ delivered_date: null });
      expect(n(['S'.repeat(65), 'A', 'C', 'O', 'D', '', '', ''])).toBe('shipment_id is longer than 64 characters');
    });

    it('merges repeated rows of a shipment: later cells win, blanks keep what is known, statuses move forward only', () => {
      const base: ShipmentRow = {
        shipment_id: 'S', order_id: null, po_number: 'PO', order_date: null, customer: 'A', carrier: 'C', mode: 'air', origin: 'O', destination: 'D',
        ship_date: '2026-01-01', promised_date: null, delivered_date: null, status: null, quantity_ordered: 5, quantity_delivered: null,
        weight_kg: 10, freight_cost: 100, currency: 'USD',
      };
      const later: ShipmentRow = { ...base, po_number: null, mode: null, weight_kg: 12, freight_cost: null, destination: 'E', delivered_date: '2026-01-03' };
      expect(mergeShipmentRows(base, later)).toMatchObject({ po_number: 'PO', mode: 'air', weight_kg: 12, freight_cost: 100, destination: 'E', delivered_date: '2026-01-03', status: null });
      expect(mergeShipmentRows({ ...base, status: 'pending' }, later).status).toBe('delivered');
      expect(mergeShipmentRows({ ...base, status: 'exception' }, later).status).toBe('exception');
      expect(mergeShipmentRows({ ...base, status: 'exception' }, { ...later, status: 'in_transit' }).status).toBe('in_transit');
      expect(statusAfterBlank('pending', null, '2026-01-01')).toBe('in_transit');
      expect(statusAfterBlank('delivered', null, null)).toBe('delivered');
      expect(statusAfterBlank('cancelled', '2026-01-03', '2026-01-01')).toBe('cancelled');
    });

    it('gives an order the status of its shipments', () => {
      expect(orderStatusFrom(['cancelled', 'cancelled'])).toBe('cancelled');
      expect(orderStatusFrom(['delivered', 'cancelled'])).toBe('delivered');
      expect(orderStatusFrom(['pending', 'cancelled'])).toBe('open');
      expect(orderStatusFrom(['pending', 'in_transit'])).toBe('shipped');
      expect(orderStatusFrom(['exception'])).toBe('shipped');
    });
  });
});
