import { CARRIERS, CUSTOMERS } from './catalog';
import { createCalendar, type DayCalendar } from './calendar';
import { buildContracts, type ContractRow } from './contracts';
import { buildInvoices, WELL_KNOWN_INVOICES, type InvoiceDoc, type PlantedDiscrepancy } from './invoices';
import { buildOrders, WELL_KNOWN_IDS, type OrderLineRow, type OrderRow, type ShipmentRow, type WellKnown } from './shipments';
import { trackingEvents, type TrackingEventRow } from './timeline';

/**
 * The demo data set, generated in memory: a pure function of (seed, today, N). The same inputs give
 * byte-identical rows; tracking events are produced per shipment on demand (they are most of the
 * rows), so a writer can stream them in chunks.
 *
 * Well-known references the docs and demos can quote (present when N >= about 200):
 *   ORD-10042 / PO-55121 / SHP-000123  Acme Corp, 12 pallets of paper towels, Chicago -> Dallas,
 *                                      UPS Freight LTL, in transit (ETA after today)
 *   ORD-10050                          delivered
 *   ORD-10077                          open, not shipped yet (can be cancelled)
 *   MSCU1234567                        Maersk container, Stark Industries' valves, Rotterdam -> Newark, on the water
 *   1Z999AA10123456784                 UPS Freight parcel, Hooli laptops, Louisville -> Boston, delivered
 *   INV-2291                           fuel surcharge billed twice (fuel_overcharge)
 *   INV-3310                           detention billed 120.50 over the contracted maximum (accessorial_over_max)
 *   INV-2026-0042                      billed on a weight above the shipment's (weight_overbilled)
 * Other invoices are numbered INV-YYYY-NNNNN in date order; orders ORD-10001.. in date order.
 */
export interface DemoDataOptions {
  shipments: number;
  seed: number;
  /** YYYY-MM-DD: the last day of the 90-day window. */
  today: string;
}

export interface DemoDataSet {
  customers: string[];
  carriers: string[];
  contracts: ContractRow[];
  orders: OrderRow[];
  orderLines: OrderLineRow[];
  shipments: ShipmentRow[];
  /** The tracking events of shipments[i], oldest first; the last one's status is the shipment's. */
  events(i: number): TrackingEventRow[];
  invoices: InvoiceDoc[];
  /** Every discrepancy put into the invoices on purpose (all other lines are billed per contract). */
  planted: PlantedDiscrepancy[];
  /** The well-known references that exist in this data set. */
  wellKnown: WellKnown & { invoices: string[] };
  calendar: DayCalendar;
}

export function generateDemoData(opts: DemoDataOptions): DemoDataSet {
  if (!Number.isInteger(opts.shipments) || opts.shipments < 1) throw new Error('shipments must be a positive whole number');
  const seed = opts.seed >>> 0;
  const cal = createCalendar(opts.today);
  const contracts = buildContracts(cal);
  const book = buildOrders(seed, opts.shipments, cal, contracts);
  const bills = buildInvoices(seed, book.shipments, book.facts, cal, contracts);
  const facts = book.facts;
  return {
    customers: CUSTOMERS.map((c) => c.name),
    carriers: CARRIERS.map((c) => c.name),
    contracts: contracts.rows,
    orders: book.orders,
    orderLines: book.orderLines,
    shipments: book.shipments,
    events: (i) => trackingEvents(seed, facts[i].plan, cal),
    invoices: bills.invoices,
    planted: bills.planted,
    wellKnown: { ...book.wellKnown, invoices: Object.values(bills.wellKnown) },
    calendar: cal,
  };
}

export { WELL_KNOWN_IDS, WELL_KNOWN_INVOICES };
