import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { addDays } from '../../domain/dates';
import { mulberry32 } from '../../domain/seed/prng';

/**
 * Writes benchmark CSVs in the formats of data.md, streaming (a million rows never sit in memory):
 * rates.csv (lane contracts and accessorial schedules), shipments.csv (N shipments over the year before
 * `today`) and invoices.csv (2 lines per shipment: linehaul and fuel, a few accessorials and about 5%
 * discrepancies), so that the audit has real work to do.
 */
export interface GeneratedFiles {
  rates: string;
  shipments: string;
  invoices: string;
  shipmentRows: number;
  invoiceRows: number;
  rateRows: number;
}

const CARRIERS = ['DHL', 'FedEx', 'UPS Freight', 'Maersk', 'XPO Logistics', 'J.B. Hunt', 'Old Dominion', 'Estes'];
const CITIES = ['Chicago', 'Dallas', 'Memphis', 'Atlanta', 'Houston', 'Denver', 'Newark', 'Boston', 'Los Angeles', 'Seattle', 'Miami', 'Phoenix'];
const CUSTOMERS = Array.from({ length: 60 }, (_, i) => `Customer ${String(i + 1).padStart(3, '0')}`);

const rng = mulberry32;

interface Lane { carrier: number; origin: string; destination: string; basis: 'flat' | 'per_kg'; rate: number; min: number; fuelPct: number }

function lanes(): Lane[] {
  const out: Lane[] = [];
  const r = rng(7);
  CARRIERS.forEach((_, c) => {
    for (let k = 0; k < 12; k++) {
      const o = CITIES[(c + k) % CITIES.length];
      const d = CITIES[(c * 5 + k * 7 + 3) % CITIES.length];
      if (o === d) continue;
      const perKg = (c + k) % 3 === 0;
      out.push({
        carrier: c, origin: o, destination: d, basis: perKg ? 'per_kg' : 'flat',
        rate: perKg ? Math.round((0.1 + r() * 0.3) * 1000) / 1000 : Math.round(600 + r() * 2400),
        min: perKg ? 150 : 0, fuelPct: 12 + Math.floor(r() * 10),
      });
    }
  });
  return out;
}

async function write(stream: fs.WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function close(stream: fs.WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/** `customers`: the customers' names (default "Customer 001".."Customer 060"); shipments go round-robin over them. */
export async function generateCsv(dir: string, shipments: number, today: string, seed = 1, customers: readonly string[] = CUSTOMERS): Promise<GeneratedFiles> {
  fs.mkdirSync(dir, { recursive: true });
  const r = rng(seed);
  const ls = lanes();
  const files = { rates: path.join(dir, 'rates.csv'), shipments: path.join(dir, 'shipments.csv'), invoices: path.join(dir, 'invoices.csv') };

  const rates = fs.createWriteStream(files.rates);
  let rateRows = 0;
  await write(rates, 'carrier,origin,destination,rate_basis,rate,min_charge,fuel_pct,valid_from,valid_to,currency,charge_code\n');
  const validFrom = addDays(today, -400);
  for (const l of ls) {
    await write(rates, `${CARRIERS[l.carrier]},${l.origin},${l.destination},${l.basis},${l.rate},${l.min || ''},${l.fuelPct},${validFrom},,USD,\n`);
    rateRows++;
  }
  for (const c of CARRIERS) {
    for (const [code, max] of [['DET', 150], ['LFT', 75], ['RES', 50]] as const) {
      await write(rates, `${c},*,*,accessorial,${max},,,${validFrom},,USD,${code}\n`);
      rateRows++;
    }
  }
  await close(rates);

  const ship = fs.createWriteStream(files.shipments);
  const inv = fs.createWriteStream(files.invoices);
  await write(ship, 'shipment_id,order_id,po_number,order_date,customer,carrier,mode,origin,destination,ship_date,promised_date,delivered_date,status,quantity_ordered,quantity_delivered,weight_kg,freight_cost,currency\n');
  await write(inv, 'invoice_number,carrier,invoice_date,shipment_id,charge_type,charge_code,billed_weight_kg,amount,currency\n');
  const start = addDays(today, -365);
  let invoiceRows = 0;
  let sBuf = '';
  let iBuf = '';
  for (let i = 0; i < shipments; i++) {
    const l = ls[Math.floor(r() * ls.length)];
    const carrier = CARRIERS[l.carrier];
    // Ship dates rise with i, so the shipments of one invoice block share a date.
    const shipDate = addDays(start, Math.floor((i * 365) / shipments));
    const transit = 2 + Math.floor(r() * 4);
    const promised = addDays(shipDate, transit);
    const roll = r();
    const delivered = shipDate > addDays(today, -6) && roll < 0.5 ? '' : addDays(promised, roll < 0.1 ? 1 + Math.floor(r() * 3) : -Math.floor(r() * 2));
    const cancelled = roll > 0.995;
    const qty = 1 + Math.floor(r() * 40);
    const qtyDelivered = delivered ? (r() < 0.03 ? qty - 1 : qty) : '';
    const weight = Math.round((200 + r() * 15000) * 10) / 10;
    const linehaul = l.basis === 'flat' ? l.rate : Math.max(Math.round(l.rate * weight * 100) / 100, l.min);
    const fuel = Math.round(linehaul * l.fuelPct) / 100;
    const sid = `SHP-${String(i + 1).padStart(7, '0')}`;
    const order = `ORD-${String(100000 + Math.floor(i / 2))}`;
    sBuf += `${sid},${order},PO-${500000 + Math.floor(i / 2)},${addDays(shipDate, -2)},${customers[i % customers.length]},${carrier},${l.basis === 'flat' ? 'truckload' : 'ltl'},${l.origin},${l.destination},${shipDate},${promised},${delivered},${cancelled ? 'cancelled' : ''},${qty},${qtyDelivered},${weight},${linehaul},USD\n`;
    // One invoice per carrier per block of 80 shipments: about 10 shipments an invoice.
    const invNo = `INV-${l.carrier}${String(Math.floor(i / 80)).padStart(6, '0')}`;
    const blockDate = addDays(addDays(start, Math.floor((Math.floor(i / 80) * 80 * 365) / shipments)), 7);
    const invDate = blockDate > today ? today : blockDate;
    const err = r();
    const billedLinehaul = err < 0.02 ? Math.round(linehaul * 112) / 100 : linehaul;
    const billedFuel = err > 0.98 ? Math.round(fuel * 150) / 100 : fuel;
    const billedWeight = err > 0.97 && err <= 0.98 ? Math.round(weight * 1.2) : weight;
    iBuf += `${invNo},${carrier},${invDate},${err > 0.965 && err <= 0.97 ? 'SHP-UNKNOWN' : sid},linehaul,,${billedWeight},${billedLinehaul},USD\n`;
    iBuf += `${invNo},${carrier},${invDate},${sid},fuel,,,${billedFuel},USD\n`;
    invoiceRows += 2;
    if ((i + 1) % 10_000 === 0 || i === shipments - 1) {
      await write(ship, sBuf);
      await write(inv, iBuf);
      sBuf = '';
      iBuf = '';
    }
  }
  await close(ship);
  await close(inv);
  return { ...files, shipmentRows: shipments, invoiceRows, rateRows };
}
