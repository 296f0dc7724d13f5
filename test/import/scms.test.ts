import fs from 'node:fs';
import { describeEachDatabase } from '../support/databases';
import { count, day, importFile, num, query, SCMS_FILE } from './helpers';

/**
 * The real USAID SCMS delivery history (/work/shared/data, read in place, never copied): UTF-8 with a
 * BOM, CR-only line endings, `d-MMM-yy` dates, placeholder texts in the number columns, one row per
 * line item (10,324 rows, 7,030 distinct ASN/DN #: later rows of a shipment update it).
 */
const SCMS_MAP = {
  shipment_id: 'ASN/DN #',
  po_number: 'PO / SO #',
  customer: 'Country',
  carrier: 'Vendor',
  origin: 'Manufacturing Site',
  destination: 'Country',
  mode: 'Shipment Mode',
  promised_date: 'Scheduled Delivery Date',
  delivered_date: 'Delivered to Client Date',
  weight_kg: 'Weight (Kilograms)',
  freight_cost: 'Freight Cost (USD)',
  quantity_ordered: 'Line Item Quantity',
};

const haveFile = fs.existsSync(SCMS_FILE);
if (!haveFile) process.stderr.write(`[waybill] SCMS import test SKIPPED: ${SCMS_FILE} is missing\n`);
const describeIf = haveFile ? describeEachDatabase : (title: string) => describe.skip(title, () => it('needs the SCMS file', () => undefined));

describeIf('import of the real SCMS delivery history', (ctx) => {
  it('loads 10,324 line rows as 7,030 shipments, none rejected', async () => {
    const s = await importFile(ctx.db, 'shipments', SCMS_FILE, { columnMap: SCMS_MAP, dateFormat: 'd-MMM-yy' });
    expect(s).toMatchObject({ rowsRead: 10_324, inserted: 7_030, updated: 3_294, rejected: 0, rejections: [] });
    expect(await count(ctx.db, 'shipments')).toBe(7_030);
    // 43 countries are the customers, 73 vendors the carriers.
    expect([await count(ctx.db, 'customers'), await count(ctx.db, 'carriers')]).toEqual([43, 73]);
  });

  it('keeps the values of the first line item, accents included', async () => {
    const [asn8] = await query<Record<string, unknown>>(ctx.db,
      'SELECT s.*, c.name AS customer, k.name AS carrier FROM shipments s JOIN customers c ON c.id = s.customer_id JOIN carriers k ON k.id = s.carrier_id WHERE shipment_id = ?', ['ASN-8']);
    expect(asn8).toMatchObject({ customer: "Côte d'Ivoire", destination: "Côte d'Ivoire", carrier: 'RANBAXY Fine Chemicals LTD.', origin: 'Ranbaxy Fine Chemicals LTD', mode: 'air', status: 'delivered', po_number: 'SCMS-4', currency: 'USD' });
    expect([day(asn8.promised_date), day(asn8.delivered_date), num(asn8.weight_kg), num(asn8.freight_cost), num(asn8.quantity_ordered)]).toEqual(['2006-06-02', '2006-06-02', 13, 780.34, 19]);
  });

  it('turns placeholder texts into NULL, and a "See ASN-..." line does not erase the freight of its shipment', async () => {
    // ASN-199's only line: freight "Freight Included in Commodity Cost", weight 643.
    const [asn199] = await query<Record<string, unknown>>(ctx.db, 'SELECT freight_cost, weight_kg FROM shipments WHERE shipment_id = ?', ['ASN-199']);
    expect([num(asn199.freight_cost), num(asn199.weight_kg)]).toEqual([null, 643]);
    const [placeholders] = await query<{ n: number | string }>(ctx.db, 'SELECT count(*) AS n FROM shipments WHERE freight_cost IS NULL');
    expect(Number(placeholders.n)).toBeGreaterThan(500);
    // ASN-55: 45450.08 on its first line, "See ASN-55 (ID#:16)" on the two after it.
    const [asn55] = await query<Record<string, unknown>>(ctx.db, 'SELECT freight_cost FROM shipments WHERE shipment_id = ?', ['ASN-55']);
    expect(num(asn55.freight_cost)).toBe(45450.08);
    const [range] = await query<{ lo: unknown; hi: unknown }>(ctx.db, 'SELECT min(promised_date) AS lo, max(promised_date) AS hi FROM shipments');
    expect([day(range.lo), day(range.hi)]).toEqual(['2006-05-02', '2015-12-31']);
  });

  it('maps the SCMS shipment modes to ours (Air, Air Charter: air; Truck: truckload; Ocean: ocean; N/A: none)', async () => {
    const modes = await query<{ mode: string | null; n: number | string }>(ctx.db, 'SELECT mode, count(*) AS n FROM shipments GROUP BY mode');
    const byMode = Object.fromEntries(modes.map((m) => [m.mode ?? 'none', Number(m.n)]));
    expect(byMode).toEqual({ air: 5_035, truckload: 1_442, ocean: 327, none: 226 });
  });

  it('is idempotent on the real file too', async () => {
    const s = await importFile(ctx.db, 'shipments', SCMS_FILE, { columnMap: SCMS_MAP, dateFormat: 'd-MMM-yy' });
    expect(s).toMatchObject({ rowsRead: 10_324, inserted: 0, updated: 10_324, rejected: 0 });
    expect(await count(ctx.db, 'shipments')).toBe(7_030);
  });
});
