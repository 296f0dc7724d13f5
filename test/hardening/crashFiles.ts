import fs from 'node:fs';
import { once } from 'node:events';
import { addDays } from '../../domain/dates';
import { nameKey } from '../../domain/names';
import { mulberry32 } from '../../domain/seed/prng';

/**
 * The CSV files of the import crash test (data.md formats), and what each line holds, so the test can
 * say what any prefix of the file must have left in the database.
 *
 * shipments.csv: new shipments, 1-3 per order (an order's shipments are consecutive), and about 1% of
 * the lines re-state an earlier shipment (often from an earlier batch) with its delivered date; new
 * customer names keep appearing all through the file, so every batch writes customers, shipments,
 * orders and updates of stored shipments.
 * invoices.csv: invoices of 2 to 8 lines, each invoice's lines consecutive (as TMS/ERP exports list
 * them); 1 invoice in 40 bills one line twice (two identical lines stay two lines).
 */
export interface ShipmentLine {
  id: string;
  order: string;
  customerKey: string;
  carrierKey: string;
  /** The delivered_date cell (null: blank). */
  delivered: string | null;
}

export interface InvoiceLine {
  /** The invoice (carrier name key | number | date): the lines of one document. */
  doc: string;
  number: string;
  carrierKey: string;
  /** What the line says: `number|shipment|type|code|weight|amount` (amounts and weights as Number(...)). */
  content: string;
}

const CARRIERS = ['DHL', 'FedEx', 'UPS Freight', 'Maersk', 'Estes', 'Old Dominion'];
const CITIES = ['Chicago', 'Dallas', 'Memphis', 'Atlanta', 'Houston', 'Denver', 'Newark', 'Boston', 'Seattle', 'Miami'];

/** The content key of a stored or generated invoice line, written the same way for both. */
export function lineContent(number: string, shipment: string | null, type: string, code: string | null, weight: unknown, amount: unknown): string {
  const num = (v: unknown) => (v === null || v === undefined || v === '' ? '' : String(Number(v)));
  return [number, shipment ?? '', type, code ?? '', num(weight), num(amount)].join('|');
}

async function writeLines(file: string, header: string, lines: Iterable<string>): Promise<void> {
  const out = fs.createWriteStream(file);
  let buf = header + '\n';
  for (const l of lines) {
    buf += l + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

export async function writeShipmentsCsv(file: string, rows: number, today: string, seed = 11): Promise<ShipmentLine[]> {
  const r = mulberry32(seed);
  const lines: ShipmentLine[] = [];
  const csv: string[] = [];
  /** Rows of shipments without a delivered date (not cancelled), candidates for a re-statement. */
  const open: number[] = [];
  const start = addDays(today, -360);
  let shipmentNo = 0;
  let orderNo = 0;
  let inOrder = 3;
  let customer = '';
  for (let i = 0; i < rows; i++) {
    if (i > 2_000 && open.length > 0 && r() < 0.01) {
      const pick = Math.floor(r() * open.length);
      const at = open[pick];
      open[pick] = open[open.length - 1];
      open.pop();
      const first = lines[at];
      const row = csv[at].split(',');
      const delivered = addDays(row[10], Math.floor(r() * 3) - 1);
      // Required cells and the order repeated, other optional ones blank (kept as stored), the delivered date new.
      // (The order is repeated: a row without it does not refresh the order's status; see the report of this suite.)
      csv.push([first.id, first.order, '', '', row[4], row[5], '', row[7], row[8], '', '', delivered, '', '', '', '', '', ''].join(','));
      lines.push({ ...first, delivered });
      continue;
    }
    if (inOrder >= 3 || r() < 0.55) {
      orderNo++;
      inOrder = 0;
      // New customers keep appearing all through the file (about every 500 rows).
      customer = `Customer ${String(Math.floor(i / 2_500)).padStart(3, '0')}-${orderNo % 5}`;
    }
    inOrder++;
    const id = `SHP-H${String(++shipmentNo).padStart(7, '0')}`;
    const order = `ORD-${700_000 + orderNo}`;
    const carrier = CARRIERS[Math.floor(r() * CARRIERS.length)];
    const shipDate = addDays(start, Math.floor((i * 350) / rows));
    const promised = addDays(shipDate, 2 + Math.floor(r() * 4));
    const roll = r();
    const status = roll < 0.004 ? 'cancelled' : roll < 0.007 ? 'exception' : '';
    const pending = roll > 0.95;
    const delivered = !status && !pending && roll < 0.7 ? addDays(promised, Math.floor(r() * 3) - 1) : '';
    const qty = 1 + Math.floor(r() * 30);
    csv.push([
      id, order, `PO-${900_000 + orderNo}`, addDays(shipDate, -2), customer, carrier, r() < 0.5 ? 'truckload' : 'ltl',
      CITIES[i % CITIES.length], CITIES[(i * 7 + 3) % CITIES.length], pending ? '' : shipDate, promised, delivered, status,
      qty, delivered ? qty : '', Math.round((100 + r() * 9000) * 10) / 10, Math.round(200 + r() * 3000), 'USD',
    ].join(','));
    lines.push({ id, order, customerKey: nameKey(customer), carrierKey: nameKey(carrier), delivered: delivered || null });
    if (!delivered && status !== 'cancelled') open.push(i);
  }
  await writeLines(file, 'shipment_id,order_id,po_number,order_date,customer,carrier,mode,origin,destination,ship_date,promised_date,delivered_date,status,quantity_ordered,quantity_delivered,weight_kg,freight_cost,currency', csv);
  return lines;
}

export async function writeInvoicesCsv(file: string, minLines: number, today: string, seed = 12): Promise<InvoiceLine[]> {
  const r = mulberry32(seed);
  const lines: InvoiceLine[] = [];
  const csv: string[] = [];
  const start = addDays(today, -300);
  for (let n = 1; lines.length < minLines; n++) {
    const number = `INV-H${String(n).padStart(7, '0')}`;
    const carrier = CARRIERS[Math.floor(r() * CARRIERS.length)];
    const date = addDays(start, Math.floor((lines.length * 290) / minLines));
    const doc = `${nameKey(carrier)}|${number}|${date}`;
    const add = (shipment: string, type: string, code: string, weight: number | '', amount: number) => {
      csv.push([number, carrier, date, shipment, type, code, weight, amount.toFixed(2), 'USD'].join(','));
      lines.push({ doc, number, carrierKey: nameKey(carrier), content: lineContent(number, shipment, type, code || null, weight, amount.toFixed(2)) });
    };
    const shipments = 1 + Math.floor(r() * 3);
    for (let s = 0; s < shipments; s++) {
      const shipment = `SHP-H${String(1 + Math.floor(r() * 150_000)).padStart(7, '0')}`;
      const weight = Math.round((100 + r() * 9000) * 10) / 10;
      const linehaul = Math.round((300 + r() * 2500) * 100) / 100;
      add(shipment, 'linehaul', '', weight, linehaul);
      add(shipment, 'fuel', '', '', Math.round(linehaul * 18) / 100);
      if (r() < 0.3) add(shipment, 'accessorial', 'DET', '', 75 + Math.floor(r() * 100));
    }
    // A line billed twice: the same content again, kept as a second line (its ordinal tells them apart).
    if (n % 40 === 0) {
      csv.push(csv[csv.length - 1]);
      lines.push({ ...lines[lines.length - 1] });
    }
  }
  await writeLines(file, 'invoice_number,carrier,invoice_date,shipment_id,charge_type,charge_code,billed_weight_kg,amount,currency', csv);
  return lines;
}
