import {
  CANCEL_REASONS, CARRIERS, CUSTOMERS, LANES, MODE_MAX_UNIT_KG, MODE_WEIGHT, ORDER_ENTRY_PEOPLE, SPOT_LANES, laneKey,
  type CarrierDef, type CustomerDef, type LaneDef, type Mode, type Offer, type ProductDef,
} from './catalog';
import type { DayCalendar } from './calendar';
import { fuelFor, linehaulFor, type ContractBook, type LaneTerms } from './contracts';
import { containerNumber, orderId, poNumber, shpId, upsTrackingNumber } from './ids';
import { round2 } from './money';
import { stream, type Rng } from './prng';
import { milestones, type IncidentKind, type ShipmentPlan, type ShipmentStatus } from './timeline';

/** The first day of the window is WINDOW_DAYS - 1 days before today. */
export const WINDOW_DAYS = 90;

export interface OrderRow {
  id: string;
  customer: string;
  po_number: string;
  status: 'open' | 'shipped' | 'delivered' | 'cancelled';
  order_date: string;
  origin: string;
  destination: string;
  pickup_date: string | null;
  delivery_date: string | null;
  service_level: 'standard' | 'expedited';
  carrier: string;
  weight_kg: number;
  created_by: string;
  cancel_reason: string | null;
}

export interface OrderLineRow {
  order_id: string;
  line_no: number;
  quantity: number;
  unit: string;
  description: string;
  sku: string;
}

export interface ShipmentRow {
  shipment_id: string;
  order_id: string;
  po_number: string;
  order_date: string;
  customer: string;
  carrier: string;
  mode: Mode;
  origin: string;
  destination: string;
  ship_date: string | null;
  promised_date: string | null;
  delivered_date: string | null;
  status: ShipmentStatus;
  quantity_ordered: number;
  quantity_delivered: number | null;
  weight_kg: number;
  freight_cost: number;
}

/** What the invoicing needs to know about a shipment beyond its row. */
export interface ShipmentFacts {
  plan: ShipmentPlan;
  carrier: CarrierDef;
  /** Contract (or spot) terms at its (planned) ship date. */
  terms: LaneTerms;
  /** True when billed on a lane without a contract. */
  spot: boolean;
  linehaul: number;
  fuel: number;
  /** Day offset of delivery (null: not delivered). */
  deliveredDay: number | null;
}

export interface WellKnown {
  /** In transit: Acme Corp, 12 pallets of paper towels, Chicago -> Dallas with UPS Freight. */
  order?: string;
  po?: string;
  shipment?: string;
  /** Delivered long ago. */
  deliveredOrder?: string;
  /** Not shipped yet: can be cancelled. */
  openOrder?: string;
  /** Maersk container on the water, Rotterdam -> Newark, Stark Industries' valves. */
  container?: string;
  /** Parcel delivered, Louisville -> Boston, Hooli laptops. */
  parcel?: string;
}

export const WELL_KNOWN_IDS = {
  order: 'ORD-10042',
  po: 'PO-55121',
  shipment: 'SHP-000123',
  deliveredOrder: 'ORD-10050',
  openOrder: 'ORD-10077',
  container: 'MSCU1234567',
  parcel: '1Z999AA10123456784',
} as const;

interface Force {
  fate: 'in_transit' | 'pending' | 'delivered';
  customer?: string;
  lane?: string;
  offer?: { carrier: string; mode: Mode };
  lines?: { sku: string; units: number }[];
}

interface OrderDraft {
  index: number;
  day: number;
  count: number;
  customer: CustomerDef;
  lane: LaneDef;
  offer: Offer;
  products: { product: ProductDef; share: number; units?: number }[];
  spot: boolean;
  cancelReason: string | null;
  force: Force | null;
  createdBy: string;
  expedited: boolean;
}

export interface OrderBook {
  orders: OrderRow[];
  orderLines: OrderLineRow[];
  shipments: ShipmentRow[];
  facts: ShipmentFacts[];
  wellKnown: WellKnown;
}

const customerByName = new Map(CUSTOMERS.map((c) => [c.name, c]));
const carrierByName = new Map(CARRIERS.map((c) => [c.name, c]));
const laneByKey = new Map(LANES.map((l) => [laneKey(l.origin, l.destination), l]));

/** Calendar days a mode normally takes on a lane: what the promised date is built from. */
export function transitNorm(lane: LaneDef, mode: Mode): number {
  if (lane.transitDays) return lane.transitDays;
  switch (mode) {
    case 'truckload': return Math.ceil(lane.miles / 500) + 1;
    case 'ltl': return Math.ceil(lane.miles / 350) + 1;
    case 'parcel': return Math.ceil(lane.miles / 600) + 1;
    case 'rail': return Math.ceil(lane.miles / 400) + 2;
    default: return 3;
  }
}

const suits = (p: ProductDef, mode: Mode) => p.kg <= MODE_MAX_UNIT_KG[mode];
const BULK: Mode[] = ['truckload', 'rail', 'ocean'];

/** How many shipments each order has (1..3), until exactly N shipments. */
function skeleton(seed: number, n: number): number[] {
  const rng = stream(seed, 'skeleton');
  const counts: number[] = [];
  let left = n;
  while (left > 0) {
    const r = rng.next();
    const k = Math.min(left, r < 0.62 ? 1 : r < 0.9 ? 2 : 3);
    counts.push(k);
    left -= k;
  }
  return counts;
}

/** Order days, ascending: weekdays busy, weekends quiet, volume growing a little over the window. */
function orderDays(seed: number, m: number, cal: DayCalendar): number[] {
  const rng = stream(seed, 'days');
  const offsets: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let d = -(WINDOW_DAYS - 1); d <= 0; d++) {
    const wd = cal.weekday(d);
    total += (wd === 0 ? 0.15 : wd === 6 ? 0.3 : 1) * (1 + (0.15 * (d + WINDOW_DAYS)) / WINDOW_DAYS);
    offsets.push(d);
    cumulative.push(total);
  }
  const days: number[] = new Array(m);
  for (let i = 0; i < m; i++) {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    days[i] = offsets[lo];
  }
  return days.sort((a, b) => a - b);
}

function draftOrder(seed: number, index: number, day: number, count: number): OrderDraft {
  const rng = stream(seed, 'order', index);
  const customer = rng.weighted(CUSTOMERS, (c) => c.weight);
  const lane = laneByKey.get(rng.pick(customer.lanes))!;
  const offers = lane.offers.filter((o) => customer.products.some((p) => suits(p, o.mode)));
  const offer = rng.weighted(offers, (o) => o.share);
  return {
    index, day, count, customer, lane, offer,
    products: pickProducts(rng, customer, offer.mode),
    spot: false,
    cancelReason: null,
    force: null,
    createdBy: rng.chance(0.7) ? 'EDI' : rng.pick(ORDER_ENTRY_PEOPLE),
    expedited: offer.mode === 'air' || (offer.mode === 'parcel' ? rng.chance(0.15) : rng.chance(0.04)),
  };
}

function pickProducts(rng: Rng, customer: CustomerDef, mode: Mode): OrderDraft['products'] {
  const pool = customer.products.filter((p) => suits(p, mode));
  const r = rng.next();
  const n = Math.min(pool.length, r < 0.6 ? 1 : r < 0.9 ? 2 : 3);
  const chosen: ProductDef[] = [];
  const left = pool.slice();
  for (let i = 0; i < n; i++) {
    const p = rng.weighted(left, (x) => (BULK.includes(mode) && x.kg >= 50 ? 3 : 1));
    chosen.push(p);
    left.splice(left.indexOf(p), 1);
  }
  return chosen.map((product) => ({ product, share: rng.between(0.3, 1) }));
}

/** Applies a pinned story to an order (the well-known ids the docs cite). */
function pin(d: OrderDraft, force: Force): void {
  d.force = force;
  d.count = 1;
  if (force.customer) d.customer = customerByName.get(force.customer)!;
  if (force.lane) d.lane = laneByKey.get(force.lane)!;
  if (force.offer) d.offer = d.lane.offers.find((o) => o.carrier === force.offer!.carrier && o.mode === force.offer!.mode)!;
  if (force.lines) {
    d.products = force.lines.map((l) => ({ product: d.customer.products.find((p) => p.sku === l.sku)!, share: 1, units: l.units }));
  }
  d.expedited = false;
}

/**
 * Orders, their lines and shipments for N shipments over the 90 days before today, with a few
 * pinned stories (WELL_KNOWN_IDS), spot shipments on lanes without a contract and cancellations.
 */
export function buildOrders(seed: number, n: number, cal: DayCalendar, contracts: ContractBook): OrderBook {
  const counts = skeleton(seed, n);
  const days = orderDays(seed, counts.length, cal);
  const drafts = counts.map((count, i) => draftOrder(seed, i, days[i], count));
  const taken = new Set<number>();
  const find = (ok: (d: OrderDraft) => boolean, prefer: (d: OrderDraft) => number): OrderDraft | undefined => {
    let best: OrderDraft | undefined;
    for (const d of drafts) if (!taken.has(d.index) && d.count === 1 && ok(d) && (!best || prefer(d) < prefer(best))) best = d;
    if (best) taken.add(best.index);
    return best;
  };

  // The pinned stories. Each is an order with one shipment on a day that makes its story true.
  const pins: Partial<Record<'order' | 'openOrder' | 'container' | 'parcel', OrderDraft>> = {};
  const enough = drafts.length >= 80;
  if (enough) {
    pins.order = find((d) => d.day <= -1 && d.day >= -4, (d) => Math.abs(d.day + 2));
    if (pins.order) pin(pins.order, { fate: 'in_transit', customer: 'Acme Corp', lane: 'Chicago>Dallas', offer: { carrier: 'UPS Freight', mode: 'ltl' }, lines: [{ sku: 'AC-1001', units: 12 }] });
    pins.openOrder = find((d) => d.day >= -1, (d) => -d.day);
    if (pins.openOrder) pins.openOrder.force = { fate: 'pending' };
    pins.container = find((d) => d.day <= -6 && d.day >= -12, (d) => Math.abs(d.day + 8));
    if (pins.container) pin(pins.container, { fate: 'in_transit', customer: 'Stark Industries', lane: 'Rotterdam>Newark', offer: { carrier: 'Maersk', mode: 'ocean' }, lines: [{ sku: 'SI-7001', units: 96 }] });
    pins.parcel = find((d) => d.day <= -10 && d.day >= -30, (d) => Math.abs(d.day + 18));
    if (pins.parcel) pin(pins.parcel, { fate: 'delivered', customer: 'Hooli', lane: 'Louisville>Boston', offer: { carrier: 'UPS Freight', mode: 'parcel' }, lines: [{ sku: 'HO-0101', units: 4 }] });
    // ORD-10050 (chronological index 49) is delivered.
    if (!taken.has(49)) {
      drafts[49].force = { fate: 'delivered' };
      taken.add(49);
    }
  }

  // Spot shipments: ad-hoc moves on lanes without a contract, old enough to be delivered and billed.
  const spotRng = stream(seed, 'spot');
  const spotWanted = Math.max(1, Math.round(n * 0.0025));
  const spotCandidates = drafts.filter((d) => !taken.has(d.index) && d.count === 1 && d.day <= -15 && d.day >= -80);
  for (const d of spotRng.shuffle(spotCandidates).slice(0, spotWanted)) {
    taken.add(d.index);
    d.spot = true;
    d.lane = spotRng.pick(SPOT_LANES);
    d.offer = d.lane.offers[0];
    d.products = pickProducts(spotRng, d.customer, d.offer.mode);
    if (d.products.length === 0) d.products = [{ product: { description: 'general freight', unit: 'pallet', kg: 400, sku: 'GF-0001' }, share: 1 }];
    d.force = { fate: 'delivered' };
  }

  // Cancellations: about 1.5% of shipments, whole orders.
  const cancelRng = stream(seed, 'cancel');
  const cancelWanted = Math.max(2, Math.round(n * 0.015));
  let cancelled = 0;
  for (const d of cancelRng.shuffle(drafts.filter((x) => !taken.has(x.index)))) {
    if (cancelled >= cancelWanted) break;
    d.cancelReason = cancelRng.pick(CANCEL_REASONS);
    cancelled += d.count;
  }

  // Shipments.
  const orders: OrderRow[] = [];
  const orderLines: OrderLineRow[] = [];
  const shipments: ShipmentRow[] = [];
  const facts: ShipmentFacts[] = [];
  const orderOfShipment: number[] = [];
  let s = 0;
  for (const d of drafts) {
    const units = d.products.map(() => 0);
    let weight = 0;
    const built: ShipmentRow[] = [];
    for (let j = 0; j < d.count; j++) {
      const b = buildShipment(seed, s, d, j, cal, contracts);
      b.units.forEach((u, k) => (units[k] += u));
      weight += b.row.weight_kg;
      shipments.push(b.row);
      facts.push(b.facts);
      orderOfShipment.push(d.index);
      built.push(b.row);
      s++;
    }
    const statuses = built.map((r) => r.status);
    const status: OrderRow['status'] = statuses.every((x) => x === 'cancelled')
      ? 'cancelled'
      : statuses.every((x) => x === 'delivered' || x === 'cancelled')
        ? 'delivered'
        : statuses.some((x) => x !== 'pending' && x !== 'cancelled')
          ? 'shipped'
          : 'open';
    const plans = facts.slice(facts.length - d.count).map((f) => f.plan);
    orders.push({
      id: '', // numbered below
      customer: d.customer.name,
      po_number: '',
      status,
      order_date: cal.ymd(d.day),
      origin: d.lane.origin,
      destination: d.lane.destination,
      pickup_date: cal.ymd(Math.min(...plans.map((p) => p.shipDay))),
      delivery_date: cal.ymd(Math.max(...plans.map((p) => p.promisedDay))),
      service_level: d.expedited ? 'expedited' : 'standard',
      carrier: d.offer.carrier,
      weight_kg: Math.round(weight * 10) / 10,
      created_by: d.createdBy,
      cancel_reason: status === 'cancelled' ? d.cancelReason : null,
    });
    d.products.forEach((p, k) => {
      orderLines.push({ order_id: '', line_no: k + 1, quantity: units[k], unit: p.product.unit, description: p.product.description, sku: p.product.sku });
    });
  }

  // Order numbers are chronological; PO numbers are the customers' (scattered) numbers.
  const m = orders.length;
  const ids = orders.map((_, i) => orderId(10001 + i));
  const poRange = Math.max(10000, m);
  const poStep = [7919, 7927, 7933, 7937, 7949].find((a) => gcd(a, poRange) === 1)!;
  const poOffset = stream(seed, 'po').int(0, poRange - 1);
  const pos = orders.map((_, i) => poNumber(50000 + ((i * poStep + poOffset) % poRange)));
  // Shipment references in the carriers' formats.
  const shipIds: string[] = [];
  let shp = 0;
  let ocean = 0;
  const serialOffset = stream(seed, 'serials').int(0, 999_999);
  for (let i = 0; i < shipments.length; i++) {
    const f = facts[i];
    const rng = stream(seed, 'ref', i);
    if (f.plan.mode === 'parcel') {
      const c = customerByName.get(shipments[i].customer)!;
      shipIds.push(upsTrackingNumber(c.shipper, orders[orderOfShipment[i]].service_level === 'expedited' ? 1 : 3, (i * 7919 + serialOffset) % 10_000_000));
    } else if (f.plan.mode === 'ocean') {
      shipIds.push(containerNumber(rng.pick(['MSCU', 'MAEU', 'MRKU']), (ocean++ * 7919 + serialOffset) % 1_000_000));
    } else {
      shipIds.push(shpId(++shp));
    }
  }
  const wellKnown: WellKnown = {};
  const swap = (arr: string[], at: number, value: string) => {
    const other = arr.indexOf(value);
    if (other >= 0) arr[other] = arr[at];
    arr[at] = value;
  };
  const shipmentOf = (d: OrderDraft | undefined) => (d ? orderOfShipment.indexOf(d.index) : -1);
  if (pins.order) {
    swap(ids, pins.order.index, WELL_KNOWN_IDS.order);
    swap(pos, pins.order.index, WELL_KNOWN_IDS.po);
    swap(shipIds, shipmentOf(pins.order), WELL_KNOWN_IDS.shipment);
    Object.assign(wellKnown, { order: WELL_KNOWN_IDS.order, po: WELL_KNOWN_IDS.po, shipment: WELL_KNOWN_IDS.shipment });
  }
  if (pins.openOrder) {
    swap(ids, pins.openOrder.index, WELL_KNOWN_IDS.openOrder);
    wellKnown.openOrder = WELL_KNOWN_IDS.openOrder;
  }
  if (enough && orders[49].status === 'delivered') wellKnown.deliveredOrder = ids[49];
  if (pins.container) {
    swap(shipIds, shipmentOf(pins.container), WELL_KNOWN_IDS.container);
    wellKnown.container = WELL_KNOWN_IDS.container;
  }
  if (pins.parcel) {
    swap(shipIds, shipmentOf(pins.parcel), WELL_KNOWN_IDS.parcel);
    wellKnown.parcel = WELL_KNOWN_IDS.parcel;
  }
  orders.forEach((o, i) => {
    o.id = ids[i];
    o.po_number = pos[i];
  });
  let line = 0;
  for (const d of drafts) for (let k = 0; k < d.products.length; k++) orderLines[line++].order_id = ids[d.index];
  shipments.forEach((r, i) => {
    r.shipment_id = shipIds[i];
    r.order_id = ids[orderOfShipment[i]];
    r.po_number = pos[orderOfShipment[i]];
  });
  return { orders, orderLines, shipments, facts, wellKnown };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const INCIDENTS: { kind: IncidentKind; w: number }[] = [
  { kind: 'damaged', w: 0.3 },
  { kind: 'weather', w: 0.3 },
  { kind: 'closed', w: 0.25 },
  { kind: 'breakdown', w: 0.15 },
];

function buildShipment(seed: number, s: number, d: OrderDraft, j: number, cal: DayCalendar, contracts: ContractBook) {
  const rng = stream(seed, 'shipment', s);
  const { lane, offer } = d;
  const mode = offer.mode;
  const carrier = carrierByName.get(offer.carrier)!;
  const force = d.force;

  // Size: units of each product line, and the weight they make.
  const [wMin, wMax] = MODE_WEIGHT[mode];
  const target = BULK.includes(mode) ? rng.between(wMin, wMax) : Math.exp(rng.between(Math.log(wMin), Math.log(wMax)));
  const totalShare = d.products.reduce((a, p) => a + p.share, 0);
  const units = d.products.map((p) => p.units ?? Math.max(1, Math.round((target * p.share) / totalShare / p.product.kg)));
  let weight = 0;
  d.products.forEach((p, k) => (weight += units[k] * p.product.kg * rng.between(0.96, 1.04)));
  weight = Math.round(weight * 10) / 10;
  const quantity = units.reduce((a, u) => a + u, 0);

  // Dates.
  const transit = transitNorm(lane, mode);
  let shipDay = d.day + (mode === 'ocean' ? rng.int(3, 6) : mode === 'air' ? rng.int(0, 1) : rng.int(0, 2)) + (j > 0 ? j * rng.int(1, 4) : 0);
  if (cal.weekday(shipDay) === 0) shipDay++;
  if (force?.fate === 'pending') shipDay = Math.max(shipDay, 1);
  if (force?.fate === 'in_transit') shipDay = Math.max(d.day, Math.min(shipDay, mode === 'ocean' ? -4 : -1));
  const promisedDay = shipDay + transit;
  const onTime = force !== null || d.spot || rng.chance(carrier.onTime);
  let arrivalDay: number | null = onTime
    ? shipDay + Math.max(1, transit - (transit > 1 && rng.chance(0.35) ? 1 : 0))
    : promisedDay + (mode === 'ocean' ? rng.int(2, 6) : rng.int(1, 3));
  if (force?.fate === 'in_transit') arrivalDay = Math.max(promisedDay, 1);
  if (force?.fate === 'delivered' && arrivalDay > 0) arrivalDay = promisedDay;

  let incident: ShipmentPlan['incident'] = null;
  if (!force && !d.spot && rng.chance(0.045)) {
    const kind: IncidentKind = lane.international ? 'customs' : rng.weighted(INCIDENTS, (x) => x.w).kind;
    const day =
      kind === 'customs' ? Math.max(shipDay + 1, promisedDay - (mode === 'ocean' ? 2 : 1))
        : kind === 'closed' ? arrivalDay
          : shipDay + rng.int(1, Math.max(1, transit - 1));
    const resolvedDay = rng.chance(kind === 'damaged' ? 0.25 : 0.05) ? null : day + rng.int(1, kind === 'customs' ? 5 : 3);
    incident = { day, kind, resolvedDay };
    arrivalDay = resolvedDay === null ? null : Math.max(arrivalDay, resolvedDay + rng.int(0, 2));
  }

  const delivered = arrivalDay !== null && arrivalDay <= 0 && d.cancelReason === null && shipDay <= 0;
  const damaged = incident?.kind === 'damaged';
  const short = delivered && quantity >= 2 && rng.chance(damaged ? 0.6 : 0.03) && !force ? rng.int(1, Math.max(1, Math.floor(quantity * 0.1))) : 0;
  const plan: ShipmentPlan = {
    index: s,
    lane,
    mode,
    orderDay: d.day,
    cancelDay: d.cancelReason !== null ? Math.min(0, d.day + rng.int(0, 2)) : null,
    cancelReason: d.cancelReason,
    shipDay,
    promisedDay,
    arrivalDay,
    incident,
    short,
    unit: d.products[0].product.unit,
  };
  const history = milestones(plan);
  const status = history[history.length - 1].status;
  const shipped = status !== 'pending' && status !== 'cancelled';
  const quote = d.spot ? contracts.spotTerms(offer.carrier, lane, mode) : undefined;
  const terms = quote
    ? { ...quote, rate: Math.round(quote.rate * rng.between(0.9, 1.15)) }
    : contracts.termsOn(offer.carrier, lane.origin, lane.destination, cal.ymd(shipDay));
  if (!terms) throw new Error(`no contract for ${offer.carrier} ${lane.origin}>${lane.destination} on ${cal.ymd(shipDay)}`);
  const linehaul = linehaulFor(terms, weight);
  const fuel = fuelFor(terms, linehaul);
  const row: ShipmentRow = {
    shipment_id: '',
    order_id: '',
    po_number: '',
    order_date: cal.ymd(d.day),
    customer: d.customer.name,
    carrier: offer.carrier,
    mode,
    origin: lane.origin,
    destination: lane.destination,
    ship_date: shipped ? cal.ymd(shipDay) : null,
    promised_date: cal.ymd(promisedDay),
    delivered_date: status === 'delivered' ? cal.ymd(arrivalDay!) : null,
    status,
    quantity_ordered: quantity,
    quantity_delivered: status === 'delivered' ? quantity - short : null,
    weight_kg: weight,
    freight_cost: round2(linehaul + fuel),
  };
  const facts: ShipmentFacts = { plan, carrier, terms, spot: d.spot, linehaul, fuel, deliveredDay: status === 'delivered' ? arrivalDay : null };
  return { row, facts, units };
}

