import { describeEachDatabase } from '../support/databases';
import { openDatabase } from '../../data/db';
import { migrate } from '../../data/migrations';
import { projectRoot } from '../../bot/projectRoot';
import { UserError } from '../../domain/errors';
import { clearImported, count, csv, day, importFile, num, query, tempDir } from './helpers';

/**
 * `waybill import` as data.md defines it, on SQLite and (with TEST_DATABASE_URL) PostgreSQL:
 * exact counts, rejected rows with their line numbers, idempotent re-import, mapping and date
 * formats, line endings, events, invoice lines and rates.
 */
const SHIPMENT_HEADER =
  'shipment_id,order_id,po_number,order_date,customer,carrier,mode,origin,destination,ship_date,promised_date,delivered_date,status,quantity_ordered,quantity_delivered,weight_kg,freight_cost,currency';

const GOOD_SHIPMENTS = csv(
  SHIPMENT_HEADER,
  'SHP-1,ORD-1,PO-1,2026-03-01,Acme Corp,DHL,truckload,Chicago,Dallas,2026-03-02,2026-03-05,2026-03-04,,10,10,1200.5,850.00,USD',
  'SHP-2,ORD-1,PO-1,2026-03-01,ACME CORP ,DHL,LTL,Chicago,Houston,2026-03-03,2026-03-06,,,5,,300,420.10,',
  'SHP-3,,,,Globex, UPS ,parcel, Denver ,Boston,,2026-03-10,,,,,,,',
);

interface ShipmentDb {
  shipment_id: string;
  order_id: string | null;
  status: string;
  mode: string | null;
  origin: string;
  origin_key: string;
  destination_key: string;
  order_date: unknown;
  kpi_order_date: unknown;
  ship_date: unknown;
  promised_date: unknown;
  delivered_date: unknown;
  weight_kg: unknown;
  freight_cost: unknown;
  quantity_ordered: unknown;
  currency: string;
  customer: string;
  carrier: string;
}

describeEachDatabase('import', (ctx) => {
  const files = tempDir();
  afterAll(() => files.remove());

  const shipment = async (id: string): Promise<ShipmentDb> => {
    const [row] = await query<ShipmentDb>(
      ctx.db,
      'SELECT s.*, c.name AS customer, k.name AS carrier FROM shipments s JOIN customers c ON c.id = s.customer_id JOIN carriers k ON k.id = s.carrier_id WHERE s.shipment_id = ?',
      [id],
    );
    return row;
  };

  describe('shipments', () => {
    beforeEach(() => clearImported(ctx.db));

    it('loads a good file with exact counts, derived statuses, keys and orders', async () => {
      const s = await importFile(ctx.db, 'shipments', files.write('good.csv', GOOD_SHIPMENTS));
      expect(s).toMatchObject({ kind: 'shipments', rowsRead: 3, inserted: 3, updated: 0, rejected: 0, rejections: [] });
      expect(s.seconds).toBeGreaterThan(0);
      expect(await count(ctx.db, 'shipments')).toBe(3);
      // Customers and carriers are matched on lower(trim(name)); the first spelling is kept.
      expect(await query(ctx.db, 'SELECT name, name_key FROM customers ORDER BY name_key')).toEqual([
        { name: 'Acme Corp', name_key: 'acme corp' },
        { name: 'Globex', name_key: 'globex' },
      ]);
      expect((await query(ctx.db, 'SELECT name FROM carriers ORDER BY name')).map((r) => r.name)).toEqual(['DHL', 'UPS']);

      const s1 = await shipment('SHP-1');
      expect(s1).toMatchObject({ status: 'delivered', mode: 'truckload', origin_key: 'chicago', destination_key: 'dallas', currency: 'USD', customer: 'Acme Corp', carrier: 'DHL' });
      expect([day(s1.kpi_order_date), day(s1.ship_date), day(s1.promised_date), day(s1.delivered_date)]).toEqual(['2026-03-01', '2026-03-02', '2026-03-05', '2026-03-04']);
      expect([num(s1.weight_kg), num(s1.freight_cost), num(s1.quantity_ordered)]).toEqual([1200.5, 850, 10]);

      const s2 = await shipment('SHP-2');
      expect(s2).toMatchObject({ status: 'in_transit', mode: 'ltl', customer: 'Acme Corp', currency: 'USD' });
      expect(day(s2.delivered_date)).toBeNull();

      const s3 = await shipment('SHP-3');
      expect(s3).toMatchObject({ status: 'pending', mode: 'parcel', origin: 'Denver', origin_key: 'denver', carrier: 'UPS', order_id: null });
      expect([day(s3.kpi_order_date), num(s3.weight_kg), num(s3.freight_cost)]).toEqual([null, null, null]);

      // One order row per order_id, its status from all its shipments (one delivered, one in transit).
      const orders = await query<{ id: string; status: string; po_number: string; order_date: unknown; origin: string }>(ctx.db, 'SELECT * FROM orders');
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ id: 'ORD-1', status: 'shipped', po_number: 'PO-1', origin: 'Chicago' });
      expect(day(orders[0].order_date)).toBe('2026-03-01');
    });

    it('rejects bad rows with their line number and reason while the good rows load', async () => {
      const file = files.write('bad.csv', csv(
        SHIPMENT_HEADER,
        'SHP-10,,,,Acme,DHL,air,Chicago,Dallas,2026-03-02,,,,,,,,', // 2 good
        'SHP-11,,,,,DHL,air,Chicago,Dallas,2026-03-02,,,,,,,,', // 3 no customer
        'SHP-12,,,,Acme,DHL,air,Chicago,Dallas,2026-13-01,,,,,,,,', // 4 bad date
        'SHP-13,,,,Acme,DHL,air,Chicago,Dallas,2026-03-02,,,,,,abc,,', // 5 bad number
        'SHP-14,,,,Acme,DHL,spaceship,Chicago,Dallas,2026-03-02,,,,,,,,', // 6 bad enum
        'SHP-15,ORD-9', // 7 short row
        "SHP-16,,,,Acme,DHL,N/A,Chicago,Dallas,2026-03-02,Date Not Captured,Pre-PQ Process,,,,Weight Captured Separately,Freight Included in Commodity Cost,", // 8 placeholders
        '', // 9 blank: skipped
        'SHP-17,,,,Acme,DHL,air,Chicago,Dallas,,,,lost in space,,,,,', // 10 bad status
        'SHP-18,,,,Acme,DHL,air,Chicago,Dallas,,,,,-3,,,,', // 11 negative quantity
        'SHP-19,,,,Acme,DHL,Air Charter,Chicago,Dallas,,,,,,,"1,234.5",$99.999,eur', // 12 good
      ));
      const s = await importFile(ctx.db, 'shipments', file);
      const expected = [
        { line: 3, reason: 'customer is empty (required)' },
        { line: 4, reason: "ship_date '2026-13-01' is not a date (expected YYYY-MM-DD)" },
        { line: 5, reason: "weight_kg 'abc' is not a number" },
        { line: 6, reason: "mode 'spaceship' is not one of truckload, ltl, parcel, ocean, air, rail" },
        { line: 7, reason: 'has 2 fields, the header has 18' },
        { line: 10, reason: "status 'lost in space' is not one of pending, in_transit, delivered, exception, cancelled" },
        { line: 11, reason: "quantity_ordered '-3' is negative" },
      ];
      expect(s).toMatchObject({ rowsRead: 10, inserted: 3, updated: 0, rejected: 7 });
      expect(s.rejections).toEqual(expected);
      expect(s.reported).toEqual(expected);
      expect((await query(ctx.db, 'SELECT shipment_id FROM shipments ORDER BY shipment_id')).map((r) => r.shipment_id)).toEqual(['SHP-10', 'SHP-16', 'SHP-19']);
      // Placeholder texts in optional number and date columns are empty, not rejections.
      const s16 = await shipment('SHP-16');
      expect([s16.mode, day(s16.promised_date), day(s16.delivered_date), num(s16.weight_kg), num(s16.freight_cost), s16.status]).toEqual([null, null, null, null, null, 'in_transit']);
      const s19 = await shipment('SHP-19');
      expect([s19.mode, num(s19.weight_kg), num(s19.freight_cost), s19.currency]).toEqual(['air', 1234.5, 100, 'EUR']);
    });

    it('re-imports the same file as updates, never duplicates', async () => {
      const file = files.write('again.csv', GOOD_SHIPMENTS);
      await importFile(ctx.db, 'shipments', file);
      const again = await importFile(ctx.db, 'shipments', file);
      expect(again).toMatchObject({ rowsRead: 3, inserted: 0, updated: 3, rejected: 0 });
      expect([await count(ctx.db, 'shipments'), await count(ctx.db, 'customers'), await count(ctx.db, 'carriers'), await count(ctx.db, 'orders')]).toEqual([3, 2, 2, 1]);
    });

    it('updates changed values; a blank optional cell keeps what is known; a blank status never moves back', async () => {
      await importFile(ctx.db, 'shipments', files.write('v1.csv', GOOD_SHIPMENTS));
      const s = await importFile(ctx.db, 'shipments', files.write('v2.csv', csv(
        SHIPMENT_HEADER,
        'SHP-1,ORD-1,PO-1,2026-03-01,Acme Corp,FedEx,truckload,Chicago,Dallas,2026-03-02,2026-03-07,2026-03-04,exception,10,9,,999.99,USD',
        'SHP-2,ORD-1,PO-1,2026-03-01,Acme Corp,DHL,LTL,Chicago,Houston,,2026-03-06,2026-03-08,,5,5,300,420.10,',
        'SHP-3,,,,Globex,UPS,parcel,Denver,Boston,2026-03-08,2026-03-10,,,,,,,',
        'SHP-4,ORD-2,,,Globex,UPS,,Denver,Boston,,,,cancelled,,,,,',
      )));
      expect(s).toMatchObject({ rowsRead: 4, inserted: 1, updated: 3, rejected: 0 });
      const s1 = await shipment('SHP-1');
      expect([s1.status, s1.carrier, day(s1.promised_date), num(s1.freight_cost), num(s1.weight_kg)]).toEqual(['exception', 'FedEx', '2026-03-07', 999.99, 1200.5]);
      const s2 = await shipment('SHP-2');
      expect([s2.status, day(s2.ship_date), day(s2.delivered_date)]).toEqual(['delivered', '2026-03-03', '2026-03-08']);
      expect((await shipment('SHP-3')).status).toBe('in_transit');
      // SHP-1 in exception (left), SHP-2 delivered: ORD-1 shipped; ORD-2's only shipment cancelled.
      expect(await query(ctx.db, 'SELECT id, status FROM orders ORDER BY id')).toEqual([{ id: 'ORD-1', status: 'shipped' }, { id: 'ORD-2', status: 'cancelled' }]);

      // Re-imported with a blank status, an exception stays an exception and a cancellation stands.
      await importFile(ctx.db, 'shipments', files.write('v3.csv', csv(SHIPMENT_HEADER, 'SHP-1,,,,Acme Corp,FedEx,,Chicago,Dallas,,,,,,,,,')));
      expect((await shipment('SHP-1')).status).toBe('exception');
      await importFile(ctx.db, 'shipments', files.write('v4.csv', csv(SHIPMENT_HEADER, 'SHP-4,,,,Globex,UPS,,Denver,Boston,2026-03-09,,,,,,,,')));
      expect((await shipment('SHP-4')).status).toBe('cancelled');
    });

    it('an update without order_id (a delivery file) moves the stored order\'s status too', async () => {
      await importFile(ctx.db, 'shipments', files.write('o1.csv', GOOD_SHIPMENTS));
      expect(await query(ctx.db, "SELECT status FROM orders WHERE id = 'ORD-1'")).toEqual([{ status: 'shipped' }]);
      const s = await importFile(ctx.db, 'shipments', files.write('o2.csv', csv(
        'shipment_id,customer,carrier,origin,destination,delivered_date',
        'SHP-2,Acme Corp,DHL,Chicago,Houston,2026-03-05',
      )));
      expect(s).toMatchObject({ inserted: 0, updated: 1, rejected: 0 });
      expect((await shipment('SHP-2')).order_id).toBe('ORD-1');
      // Both of ORD-1's shipments are delivered now.
      expect(await query(ctx.db, "SELECT status FROM orders WHERE id = 'ORD-1'")).toEqual([{ status: 'delivered' }]);
    });

    it('keeps one row per shipment_id when a file repeats it, inside a batch and across batches', async () => {
      const file = files.write('dups.csv', csv(
        SHIPMENT_HEADER,
        'A,,,,Acme,DHL,air,Chicago,Dallas,2026-03-01,,,,,,,100,',
        'B,,,,Acme,DHL,air,Chicago,Dallas,2026-03-01,,,,,,,,',
        'A,,,,Acme,DHL,air,Chicago,Dallas,2026-03-01,,,,,,50,See ASN-93 (ID#:1281),',
        'C,,,,Acme,DHL,air,Chicago,Dallas,2026-03-01,,,,,,,,',
        'A,,,,Acme,DHL,,Chicago,Denver,2026-03-01,,,,,,,,',
        'B,,,,Acme,DHL,air,Chicago,Dallas,2026-03-01,,2026-03-03,,,,,,',
      ));
      for (const batchSize of [2, 5000]) {
        await clearImported(ctx.db);
        const s = await importFile(ctx.db, 'shipments', file, { batchSize });
        expect(s).toMatchObject({ rowsRead: 6, inserted: 3, updated: 3, rejected: 0 });
        expect(await count(ctx.db, 'shipments')).toBe(3);
        const a = await shipment('A');
        expect([a.destination_key, a.mode, num(a.weight_kg), num(a.freight_cost)]).toEqual(['denver', 'air', 50, 100]);
        expect((await shipment('B')).status).toBe('delivered');
      }
    });

    it('maps columns (--map) and reads dates with --date-format', async () => {
      const file = files.write('mapped.csv', csv(
        'Ref,Client,Haulier,From,To,Due,Arrived,Kg,MODE,Notes',
        'R-1,Acme,DHL,Chicago,Dallas,2-Jun-06,5-jun-06,12.5,Truck,ignored',
        'R-2,Acme,DHL,Chicago,Dallas,31-Dec-15,2016-01-02,,Ocean,',
        'R-3,Acme,DHL,Chicago,Dallas,31-Feb-15,,,,',
      ));
      const s = await importFile(ctx.db, 'shipments', file, {
        dateFormat: 'd-MMM-yy',
        columnMap: { shipment_id: 'Ref', customer: 'client', carrier: 'Haulier', origin: 'From', destination: 'To', promised_date: 'Due', delivered_date: 'Arrived', weight_kg: 'Kg' },
      });
      expect(s).toMatchObject({ rowsRead: 3, inserted: 2, rejected: 1 });
      expect(s.rejections).toEqual([{ line: 4, reason: `promised_date ("Due") '31-Feb-15' is not a date (expected d-MMM-yy)` }]);
      const r1 = await shipment('R-1');
      expect([day(r1.promised_date), day(r1.delivered_date), num(r1.weight_kg), r1.mode, r1.status]).toEqual(['2006-06-02', '2006-06-05', 12.5, 'truckload', 'delivered']);
      const r2 = await shipment('R-2');
      expect([day(r2.promised_date), day(r2.delivered_date), r2.mode]).toEqual(['2015-12-31', '2016-01-02', 'ocean']);
    });

    it('says which mapped column the file lacks, and refuses a map key that is not ours', async () => {
      const file = files.write('mapped2.csv', csv('Ref,Client,Haulier,From,To', 'R-1,Acme,DHL,Chicago,Dallas'));
      await expect(importFile(ctx.db, 'shipments', file, { columnMap: { shipment_id: 'Reference', customer: 'Client', carrier: 'Haulier', origin: 'From', destination: 'To' } }))
        .rejects.toThrow('the shipments file has no column "Reference" (for shipment_id) named in --map; its columns are: Ref, Client, Haulier, From, To');
      const err = await importFile(ctx.db, 'shipments', file, { columnMap: { shipment: 'Ref' } }).catch((e) => e);
      expect(err).toBeInstanceOf(UserError);
      expect(err).toMatchObject({ exitCode: 2 });
      expect(err.message).toMatch(/--map names "shipment", which is not a shipments column/);
    });

    it('fails up front, writing nothing, when a required column is missing', async () => {
      const file = files.write('missing.csv', csv('shipment_id,customer,destination,weight_kg', 'S-1,Acme,Dallas,10'));
      const err = await importFile(ctx.db, 'shipments', file).catch((e) => e);
      expect(err).toBeInstanceOf(UserError);
      expect(err.message).toBe(
        'the shipments file lacks the required columns carrier, origin (its columns are: shipment_id, customer, destination, weight_kg); rename them or map them with --map our_column="File Column"',
      );
      expect(err.message).not.toMatch(/\n/);
      expect(await count(ctx.db, 'shipments')).toBe(0);
      await expect(importFile(ctx.db, 'shipments', files.write('empty.csv', ''))).rejects.toThrow(/is empty: a shipments file starts with a header row/);
    });

    it.each([
      ['LF', '\n', ''],
      ['CRLF with BOM', '\r\n', '\uFEFF'],
      ['CR only with BOM (old Mac, like the SCMS export)', '\r', '\uFEFF'],
    ])('reads %s line endings, counting lines across quoted line breaks', async (_name, eol, bom) => {
      const text = bom + [
        'Shipment_ID , CUSTOMER,carrier,origin,destination,notes',
        `S1,Acme,DHL,"Chicago, IL",Dallas,"two${eol}lines"`,
        'S2,,DHL,Chicago,Dallas,x',
        'S3,"Acme ""West""",DHL,Chicago,Dallas,',
        '',
        'S4,Acme,DHL,Chicago',
      ].join(eol) + eol;
      const s = await importFile(ctx.db, 'shipments', files.write(`eol-${eol.length}-${bom.length}.csv`, text));
      expect(s).toMatchObject({ rowsRead: 4, inserted: 2, rejected: 2 });
      expect(s.rejections).toEqual([
        { line: 4, reason: 'customer is empty (required)' },
        { line: 7, reason: 'has 4 fields, the header has 6' },
      ]);
      expect((await shipment('S1')).origin).toBe('Chicago, IL');
      expect((await shipment('S3')).customer).toBe('Acme "West"');
    });

    it('keeps stray quotes as text, and stops with one line at a quote that is never closed', async () => {
      const header = 'shipment_id,customer,carrier,origin,destination';
      const ok = await importFile(ctx.db, 'shipments', files.write('quotes.csv', csv(header, 'Q-1,Acme 12" Pipes,DHL,Chicago,Dallas')));
      expect(ok).toMatchObject({ inserted: 1, rejected: 0 });
      expect((await shipment('Q-1')).customer).toBe('Acme 12" Pipes');
      const err = await importFile(ctx.db, 'shipments', files.write('unclosed.csv', csv(header, 'Q-2,Acme,DHL,Chicago,Dallas', 'Q-3,"Acme,DHL,Chicago,Dallas', 'Q-4,Acme,DHL,Chicago,Dallas'))).catch((e) => e);
      expect(err).toBeInstanceOf(UserError);
      expect(err.message).toMatch(/unclosed\.csv line \d+: not valid CSV \(Quote Not Closed.*\); the rows before it were imported/);
      expect(err.message).not.toMatch(/\n/);
    });

    it('reports progress and rejects a longer row than the header', async () => {
      const lines = [SHIPMENT_HEADER];
      for (let i = 0; i < 2500; i++) lines.push(`P-${i},,,,Acme,DHL,air,Chicago,Dallas,,,,,,,,,`);
      lines.push('P-X,,,,Acme,DHL,air,Chicago,Dallas,,,,,,,,,,extra');
      const progress: number[] = [];
      const s = await importFile(ctx.db, 'shipments', files.write('progress.csv', csv(...lines)), {
        batchSize: 1000,
        onProgress: (p) => {
          progress.push(p.rowsRead);
          expect(p.bytesTotal).toBeGreaterThan(0);
          expect(p.bytesRead).toBeLessThanOrEqual(p.bytesTotal);
        },
      });
      expect(s).toMatchObject({ rowsRead: 2501, inserted: 2500, rejected: 1 });
      expect(s.rejections).toEqual([{ line: 2502, reason: 'has 19 fields, the header has 18 (an unquoted comma?)' }]);
      expect(progress).toEqual([1000, 2000, 2501]);
    });
  });

  describe('events', () => {
    beforeAll(async () => {
      await clearImported(ctx.db);
      await importFile(ctx.db, 'shipments', files.write('ev-shipments.csv', csv(
        SHIPMENT_HEADER,
        'S-E1,ORD-E,,,Acme,DHL,truckload,Chicago,Dallas,2026-03-02,2026-03-05,,,,,,,',
        'S-E2,ORD-E,,,Acme,DHL,truckload,Chicago,Dallas,,2026-03-08,,,,,,,',
      )));
    });

    const eventsFile = () => files.write('events.csv', csv(
      'shipment_id,event_time,status,location,description',
      'S-E1,2026-03-02T08:00:00Z,picked up,Chicago,',
      'S-E1,2026-03-03T10:00:00-05:00,in_transit,Memphis,Departed hub',
      'S-E1,2026-03-04T23:30:00-05:00,delivered,Dallas,Signed by J. Doe',
      'S-E2,2026-03-05T09:00:00Z,in transit,Chicago,',
      'S-E2,2026-03-04 09:00,pending,Chicago,Booked',
      'S-NOPE,2026-03-05T09:00:00Z,delivered,Nowhere,',
      'S-E2,not-a-time,delivered,,',
      'S-E2,2026-03-06T09:00:00Z,teleported,,',
    ));

    it('appends events, rejects unknown shipments, and sets each shipment to its latest event', async () => {
      const s = await importFile(ctx.db, 'events', eventsFile());
      expect(s).toMatchObject({ rowsRead: 8, inserted: 5, updated: 0, rejected: 3 });
      expect(s.rejections).toEqual([
        { line: 7, reason: "shipment_id 'S-NOPE' is not a known shipment (import the shipments first)" },
        { line: 8, reason: "event_time 'not-a-time' is not a time (expected ISO 8601, e.g. 2026-03-01T14:05:00Z)" },
        { line: 9, reason: "status 'teleported' is not one of pending, in_transit, delivered, exception, cancelled" },
      ]);
      expect(await count(ctx.db, 'tracking_events')).toBe(5);
      const e1 = await shipment('S-E1');
      // The delivered date is the date written in the event (local), not its UTC date (03-05).
      expect([e1.status, day(e1.delivered_date)]).toEqual(['delivered', '2026-03-04']);
      // S-E2's latest event is the in-transit one, although the file lists an older one after it.
      expect((await shipment('S-E2')).status).toBe('in_transit');
      const [picked] = await query<{ status: string; description: string; location: string }>(ctx.db,
        "SELECT e.status, e.description, e.location FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id WHERE s.shipment_id = 'S-E1' AND e.location = 'Chicago'");
      expect(picked).toEqual({ status: 'in_transit', description: 'picked up', location: 'Chicago' });
      expect(await query(ctx.db, 'SELECT id, status FROM orders')).toEqual([{ id: 'ORD-E', status: 'shipped' }]);
    });

    it('is idempotent on re-import, and a later exception becomes the status', async () => {
      const s = await importFile(ctx.db, 'events', eventsFile());
      expect(s).toMatchObject({ rowsRead: 8, inserted: 0, updated: 5, rejected: 3 });
      expect(await count(ctx.db, 'tracking_events')).toBe(5);
      const later = await importFile(ctx.db, 'events', files.write('events2.csv', csv(
        'shipment_id,event_time,status,location,description',
        'S-E2,2026-03-07T09:00:00.000Z,exception,Memphis,Damaged pallet',
        'S-E2,2026-03-07T09:00:00Z,exception,Memphis,Damaged pallet (updated)',
        'S-E1,2026-03-04T23:30:00-05:00,delivered,Dallas,Signed by John Doe',
      )));
      expect(later).toMatchObject({ rowsRead: 3, inserted: 1, updated: 2, rejected: 0 });
      expect(await count(ctx.db, 'tracking_events')).toBe(6);
      expect((await shipment('S-E2')).status).toBe('exception');
      const descriptions = await query(ctx.db, "SELECT description FROM tracking_events WHERE status = 'exception' OR location = 'Dallas' ORDER BY description");
      expect(descriptions).toEqual([{ description: 'Damaged pallet (updated)' }, { description: 'Signed by John Doe' }]);
    });
  });

  describe('invoices', () => {
    beforeAll(() => clearImported(ctx.db));
    const INVOICES = csv(
      'invoice_number,carrier,invoice_date,shipment_id,charge_type,charge_code,billed_weight_kg,amount,currency',
      'INV-100,DHL,2026-03-10,SHP-1,linehaul,,1200,850.00,USD',
      'INV-100,DHL,2026-03-10,SHP-1,fuel,,,127.50,USD',
      'INV-100,DHL,2026-03-10,SHP-1,accessorial,det,,75,USD',
      'INV-100,dhl ,2026-03-10,SHP-1,Accessorial,DET,,75.00,',
      ' INV-101 ,DHL,2026-03-11,,linehaul,,,400,',
      'INV-102,UPS,2026-03-11,SHP-2,Line Haul,,,"1,250.00",USD',
      'INV-103,UPS,2026-03-11,SHP-2,freightish,,,10,USD',
      'INV-104,UPS,,SHP-2,linehaul,,,10,USD',
      'INV-105,UPS,2026-03-12,SHP-2,linehaul,,,ten,USD',
    );

    it('stores one row per line, keeps two identical lines as two, and groups lines into invoices', async () => {
      const s = await importFile(ctx.db, 'invoices', files.write('invoices.csv', INVOICES));
      expect(s).toMatchObject({ rowsRead: 9, inserted: 6, updated: 0, rejected: 3 });
      expect(s.rejections).toEqual([
        { line: 8, reason: "charge_type 'freightish' is not one of linehaul, fuel, accessorial, tax, other" },
        { line: 9, reason: 'invoice_date is empty (required)' },
        { line: 10, reason: "amount 'ten' is not a number" },
      ]);
      expect(await count(ctx.db, 'invoices')).toBe(3);
      expect(await count(ctx.db, 'invoice_lines')).toBe(6);
      const det = await query<{ line_key: string; amount: unknown; charge_code: string }>(ctx.db, "SELECT line_key, amount, charge_code FROM invoice_lines WHERE charge_type = 'accessorial' ORDER BY line_key");
      expect(det.map((d) => [num(d.amount), d.charge_code])).toEqual([[75, 'DET'], [75, 'DET']]);
      // The same content hash, ordinals 1 and 2: `2026-03-10:<sha1 base64url>:<n>`.
      for (const d of det) expect(d.line_key).toMatch(/^2026-03-10:[A-Za-z0-9_-]{27}:\d+$/);
      expect(det[0].line_key.split(':')[1]).toBe(det[1].line_key.split(':')[1]);
      expect(det.map((d) => d.line_key.split(':')[2]).sort()).toEqual(['1', '2']);
      // Lines carry their invoice's carrier and date; a blank shipment is NULL.
      const lines = await query<{ invoice_number: string; ok: number | boolean; shipment_ref: string | null; amount: unknown; charge_type: string }>(ctx.db,
        'SELECT i.invoice_number, l.shipment_ref, l.amount, l.charge_type, CASE WHEN l.carrier_id = i.carrier_id AND l.invoice_date = i.invoice_date THEN 1 ELSE 0 END AS ok ' +
          'FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id ORDER BY i.invoice_number, l.amount');
      expect(lines.map((l) => [l.invoice_number, l.shipment_ref, num(l.amount), l.charge_type, Number(l.ok)])).toEqual([
        ['INV-100', 'SHP-1', 75, 'accessorial', 1],
        ['INV-100', 'SHP-1', 75, 'accessorial', 1],
        ['INV-100', 'SHP-1', 127.5, 'fuel', 1],
        ['INV-100', 'SHP-1', 850, 'linehaul', 1],
        ['INV-101', null, 400, 'linehaul', 1],
        ['INV-102', 'SHP-2', 1250, 'linehaul', 1],
      ]);
    });

    it('re-imports the same file as updates', async () => {
      const s = await importFile(ctx.db, 'invoices', files.write('invoices.csv', INVOICES), { batchSize: 2 });
      expect(s).toMatchObject({ rowsRead: 9, inserted: 0, updated: 6, rejected: 3 });
      expect([await count(ctx.db, 'invoices'), await count(ctx.db, 'invoice_lines'), await count(ctx.db, 'carriers')]).toEqual([3, 6, 2]);
    });
  });

  describe('rates', () => {
    beforeAll(() => clearImported(ctx.db));
    const rates = (flat: string) => csv(
      'carrier,origin,destination,rate_basis,rate,min_charge,fuel_pct,valid_from,valid_to,currency,charge_code',
      `DHL,Chicago,Dallas,flat,${flat},,18,2026-01-01,2026-12-31,USD,`,
      'DHL,Chicago,Houston,per kg,0.125,150,15.5,2026-01-01,,,',
      'DHL,*,*,accessorial,150,,,2026-01-01,,USD,DET',
      'DHL,,,accessorial,75,,,2026-01-01,,USD,lft',
      'DHL,*,*,accessorial,50,,,,,USD,',
      'UPS,Denver,Boston,flat,900,,12,2026-06-01,2026-01-01,USD,',
      'UPS,Denver,Boston,weekly,900,,,,,,',
    );

    it('loads lane contracts and accessorial schedules with their keys', async () => {
      const s = await importFile(ctx.db, 'rates', files.write('rates.csv', rates('1200')));
      expect(s).toMatchObject({ rowsRead: 7, inserted: 4, updated: 0, rejected: 3 });
      expect(s.rejections).toEqual([
        { line: 6, reason: 'charge_code is empty (required for an accessorial rate)' },
        { line: 7, reason: 'valid_to 2026-01-01 is before valid_from 2026-06-01' },
        { line: 8, reason: "rate_basis 'weekly' is not one of flat, per_kg, accessorial" },
      ]);
      const [{ id: dhl }] = await query<{ id: number }>(ctx.db, "SELECT id FROM carriers WHERE name_key = 'dhl'");
      const got = await query<{ rate_key: string; origin: string; rate_basis: string; rate: unknown; min_charge: unknown; fuel_pct: unknown; charge_code: string | null; valid_to: unknown }>(
        ctx.db, 'SELECT * FROM rates');
      const listed = got.map((r) => [r.rate_key, r.origin, r.rate_basis, num(r.min_charge), num(r.fuel_pct), r.charge_code, day(r.valid_to)]);
      expect(listed.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1))).toEqual([
        [`${dhl}|*|*|accessorial|DET|2026-01-01`, '*', 'accessorial', null, null, 'DET', null],
        [`${dhl}|*|*|accessorial|LFT|2026-01-01`, '*', 'accessorial', null, null, 'LFT', null],
        [`${dhl}|chicago|dallas|flat||2026-01-01`, 'Chicago', 'flat', null, 18, null, '2026-12-31'],
        [`${dhl}|chicago|houston|per_kg||2026-01-01`, 'Chicago', 'per_kg', 150, 15.5, null, null],
      ]);
    });

    it('updates contracts on re-import', async () => {
      const s = await importFile(ctx.db, 'rates', files.write('rates2.csv', rates('1300')));
      expect(s).toMatchObject({ rowsRead: 7, inserted: 0, updated: 4, rejected: 3 });
      expect(await count(ctx.db, 'rates')).toBe(4);
      const [r] = await query<{ rate: unknown }>(ctx.db, "SELECT rate FROM rates WHERE origin_key = 'chicago' AND destination_key = 'dallas'");
      expect(num(r.rate)).toBe(1300);
    });
  });
});

describe('import into an in-memory SQLite database', () => {
  it('writes through the one connection such a database has', async () => {
    const files = tempDir();
    const db = await openDatabase({ url: 'sqlite::memory:', projectRoot: projectRoot() });
    try {
      await migrate(db.sequelize);
      const s = await importFile(db, 'shipments', files.write('mem.csv', GOOD_SHIPMENTS));
      expect(s).toMatchObject({ rowsRead: 3, inserted: 3 });
      // Sequelize still works on that connection afterwards.
      expect(await db.models.Shipment.count()).toBe(3);
    } finally {
      await db.close();
      files.remove();
    }
  });
});
