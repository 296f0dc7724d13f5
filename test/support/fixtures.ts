import type { Database } from '../../data/db';

/**
 * Hand-written rows for domain tests with hand-computed figures. Names are resolved to ids here
 * (customers and carriers are created on first use), so tests read like the CSVs of data.md.
 */
export interface ShipmentFixture {
  shipment_id: string;
  customer?: string;
  carrier?: string;
  origin?: string;
  destination?: string;
  order_id?: string | null;
  po_number?: string | null;
  order_date?: string | null;
  ship_date?: string | null;
  promised_date?: string | null;
  delivered_date?: string | null;
  status?: string;
  mode?: string | null;
  quantity_ordered?: number | null;
  quantity_delivered?: number | null;
  weight_kg?: number | null;
  freight_cost?: number | null;
}

export interface InvoiceLineFixture {
  invoice_number: string;
  carrier?: string;
  invoice_date: string;
  shipment_id?: string | null;
  charge_type: 'linehaul' | 'fuel' | 'accessorial' | 'tax' | 'other';
  charge_code?: string | null;
  billed_weight_kg?: number | null;
  amount: number;
}

export interface RateFixture {
  carrier?: string;
  origin: string;
  destination: string;
  rate_basis: 'flat' | 'per_kg' | 'accessorial';
  rate: number;
  min_charge?: number | null;
  fuel_pct?: number | null;
  charge_code?: string | null;
  valid_from?: string | null;
  valid_to?: string | null;
}

const key = (s: string) => s.trim().toLowerCase();

async function idFor(db: Database, table: 'customers' | 'carriers', name: string): Promise<number> {
  const Model = table === 'customers' ? db.models.Customer : db.models.Carrier;
  const [row] = await Model.findOrCreate({ where: { name_key: key(name) }, defaults: { name, name_key: key(name) } });
  return row.get('id') as number;
}

function deriveStatus(s: ShipmentFixture): string {
  if (s.status) return s.status;
  if (s.delivered_date) return 'delivered';
  if (s.ship_date) return 'in_transit';
  return 'pending';
}

export async function insertShipments(db: Database, rows: ShipmentFixture[]): Promise<void> {
  for (const s of rows) {
    await db.models.Shipment.create({
      shipment_id: s.shipment_id,
      order_id: s.order_id ?? null,
      po_number: s.po_number ?? null,
      order_date: s.order_date ?? null,
      kpi_order_date: s.order_date ?? s.ship_date ?? null,
      customer_id: await idFor(db, 'customers', s.customer ?? 'Acme Corp'),
      carrier_id: await idFor(db, 'carriers', s.carrier ?? 'DHL'),
      mode: s.mode ?? null,
      origin: s.origin ?? 'Chicago',
      destination: s.destination ?? 'Dallas',
      origin_key: key(s.origin ?? 'Chicago'),
      destination_key: key(s.destination ?? 'Dallas'),
      ship_date: s.ship_date ?? null,
      promised_date: s.promised_date ?? null,
      delivered_date: s.delivered_date ?? null,
      status: deriveStatus(s),
      quantity_ordered: s.quantity_ordered ?? null,
      quantity_delivered: s.quantity_delivered ?? null,
      weight_kg: s.weight_kg ?? null,
      freight_cost: s.freight_cost ?? null,
      currency: 'USD',
    });
  }
}

export async function insertInvoiceLines(db: Database, rows: InvoiceLineFixture[]): Promise<void> {
  let n = 0;
  for (const l of rows) {
    const carrierId = await idFor(db, 'carriers', l.carrier ?? 'DHL');
    const [inv] = await db.models.Invoice.findOrCreate({
      where: { carrier_id: carrierId, invoice_number: l.invoice_number, invoice_date: l.invoice_date },
      defaults: { carrier_id: carrierId, invoice_number: l.invoice_number, invoice_date: l.invoice_date, currency: 'USD' },
    });
    await db.models.InvoiceLine.create({
      invoice_id: inv.get('id'),
      line_key: `fixture-${Date.now()}-${n++}-${Math.random()}`,
      carrier_id: carrierId,
      invoice_date: l.invoice_date,
      shipment_ref: l.shipment_id ?? null,
      charge_type: l.charge_type,
      charge_code: l.charge_code ?? null,
      billed_weight_kg: l.billed_weight_kg ?? null,
      amount: l.amount,
      currency: 'USD',
    });
  }
}

export async function insertRates(db: Database, rows: RateFixture[]): Promise<void> {
  for (const r of rows) {
    const carrierId = await idFor(db, 'carriers', r.carrier ?? 'DHL');
    await db.models.Rate.create({
      rate_key: [carrierId, key(r.origin), key(r.destination), r.rate_basis, r.charge_code ?? '', r.valid_from ?? ''].join('|'),
      carrier_id: carrierId,
      origin: r.origin,
      destination: r.destination,
      origin_key: key(r.origin),
      destination_key: key(r.destination),
      rate_basis: r.rate_basis,
      rate: r.rate,
      min_charge: r.min_charge ?? null,
      fuel_pct: r.fuel_pct ?? null,
      charge_code: r.charge_code ?? null,
      valid_from: r.valid_from ?? null,
      valid_to: r.valid_to ?? null,
      currency: 'USD',
    });
  }
}

/** Removes every business row (keeps the schema) so a test starts from a known state. */
export async function clearBusinessData(db: Database): Promise<void> {
  for (const t of ['invoice_disputes', 'audit_findings', 'invoice_lines', 'invoices', 'rates', 'tracking_events', 'shipments', 'order_lines', 'orders', 'customers', 'carriers']) {
    await db.sequelize.query(`DELETE FROM ${t}`);
  }
}
