import { reply, type Button, type ReplyPart } from '../domain/conversation/reply';
import type { Frame } from '../domain/nlu/types';
import type { ShipmentRef, ShipmentView, TrackingEventView } from '../domain/repositories';
import type { HandlerResult, Turn } from './context';
import { STATUS_LABELS, day, effectiveStatus, instant, items, latenessText, plural } from './format';

const EVENTS_SHOWN = 5;

function refOf(frame: Frame): ShipmentRef | null {
  const e = frame.entities;
  if (e.tracking_number) return { trackingNumber: e.tracking_number };
  if (e.order_id) return { orderId: e.order_id };
  if (e.po_number) return { poNumber: e.po_number };
  return null;
}

function refText(ref: ShipmentRef): string {
  if (ref.orderId) return `order ${ref.orderId}`;
  if (ref.poNumber) return `PO ${ref.poNumber}`;
  return `shipment ${ref.trackingNumber}`;
}

/** A button that tracks another id (suggestions, the shipments of an order). */
export function trackButton(id: string): Button {
  return { label: id, action: { id: 'track', value: id } };
}

/** Reads a reference typed as a button value back into a ShipmentRef. */
export function refFromId(id: string): ShipmentRef {
  if (/^ORD-/i.test(id)) return { orderId: id.toUpperCase() };
  if (/^PO-/i.test(id)) return { poNumber: id.toUpperCase() };
  return { trackingNumber: id.toUpperCase() };
}

export async function trackShipment(frame: Frame, turn: Turn): Promise<HandlerResult> {
  const ref = refOf(frame);
  if (!ref) {
    return {
      replies: [
        reply(
          [{ kind: 'text', text: 'Which shipment? Give me an order number (ORD-10042), a PO (PO-55121), or a tracking or container number (SHP-000123, MSCU1234567).' }],
          'question',
        ),
      ],
    };
  }
  return track(ref, turn);
}

export async function track(ref: ShipmentRef, turn: Turn): Promise<HandlerResult> {
  const { repos } = turn.deps;
  const shipments = await repos.shipments.findByRef(ref);
  if (shipments.length === 0) {
    if (ref.orderId || ref.poNumber) {
      const orders = await repos.orders.find({ orderId: ref.orderId, poNumber: ref.poNumber });
      if (orders.length) {
        const o = orders[0];
        return {
          replies: [
            reply([
              { kind: 'heading', text: `Order ${o.id}: ${o.status === 'cancelled' ? 'cancelled' : 'not shipped yet'}` },
              {
                kind: 'fields',
                fields: [
                  { label: 'Customer', value: o.customer },
                  { label: 'Lane', value: `${o.origin} → ${o.destination}` },
                  { label: 'Items', value: items(o.items) },
                  { label: 'Pickup', value: day(o.pickupDate) },
                  { label: 'Delivery', value: day(o.deliveryDate) },
                  ...(o.poNumber ? [{ label: 'PO', value: o.poNumber }] : []),
                  ...(o.cancelReason ? [{ label: 'Cancel reason', value: o.cancelReason }] : []),
                ],
              },
              { kind: 'text', text: o.status === 'cancelled' ? 'It was cancelled before it shipped.' : 'No shipment has been booked against it yet.' },
            ]),
          ],
          log: { action: 'track_shipment', result: 'ok', frame: ref },
        };
      }
    }
    const close = await repos.shipments.closestIds(ref, 3);
    const parts: ReplyPart[] = [
      { kind: 'text', text: `I can't find ${refText(ref)}.${close.length ? ` Did you mean ${close.join(', ')}?` : ' Check the number and try again.'}` },
    ];
    if (close.length) parts.push({ kind: 'buttons', buttons: close.map(trackButton) });
    return { replies: [reply(parts, 'answer')], log: { action: 'track_shipment', result: 'ok', frame: ref, detail: 'not found' } };
  }
  const events = await repos.shipments.recentEvents(shipments.map((s) => s.shipmentId), EVENTS_SHOWN);
  if (shipments.length === 1) {
    return { replies: [oneShipment(shipments[0], events.get(shipments[0].shipmentId) ?? [], turn)], log: { action: 'track_shipment', result: 'ok', frame: ref } };
  }
  return { replies: [severalShipments(ref, shipments, turn)], log: { action: 'track_shipment', result: 'ok', frame: ref } };
}

function statusLine(s: ShipmentView, today: string): string {
  const eff = effectiveStatus(s, today);
  const late = latenessText(s, today);
  return `${STATUS_LABELS[eff]}${late !== '—' && late !== 'on schedule' ? ` (${late})` : ''}`;
}

function oneShipment(s: ShipmentView, events: TrackingEventView[], turn: Turn) {
  const today = turn.today;
  const fields = [
    { label: 'Status', value: statusLine(s, today) },
    { label: 'Customer', value: s.customer },
    { label: 'Carrier', value: s.mode ? `${s.carrier} (${s.mode})` : s.carrier },
    { label: 'Lane', value: `${s.origin} → ${s.destination}` },
    { label: 'Shipped', value: s.shipDate ? day(s.shipDate) : 'not yet' },
    { label: 'Promised', value: day(s.promisedDate) },
    s.deliveredDate
      ? { label: 'Delivered', value: day(s.deliveredDate) }
      : { label: 'ETA', value: eta(s, today) },
    ...(s.orderId ? [{ label: 'Order', value: s.orderId }] : []),
    ...(s.poNumber ? [{ label: 'PO', value: s.poNumber }] : []),
  ];
  const parts: ReplyPart[] = [
    { kind: 'heading', text: `${s.shipmentId}: ${statusLine(s, today)}` },
    { kind: 'fields', fields },
  ];
  if (events.length) {
    parts.push({ kind: 'text', text: 'Latest events:' });
    parts.push({
      kind: 'list',
      items: events.map((e) =>
        [instant(e.time, turn.deps.clock.timeZone), STATUS_LABELS[e.status as keyof typeof STATUS_LABELS] ?? e.status, e.location, e.description]
          .filter(Boolean)
          .join(' · '),
      ),
    });
  } else {
    parts.push({ kind: 'text', text: 'No tracking events recorded yet.' });
  }
  return reply(parts);
}

function eta(s: ShipmentView, today: string): string {
  if (s.status === 'cancelled') return 'cancelled';
  if (!s.promisedDate) return 'not given';
  if (s.promisedDate < today) return `overdue since ${day(s.promisedDate)}, no new ETA from the carrier`;
  return day(s.promisedDate);
}

function severalShipments(ref: ShipmentRef, list: ShipmentView[], turn: Turn) {
  const today = turn.today;
  const first = list[0];
  const head = ref.trackingNumber ? refText(ref) : `${first.orderId ? `Order ${first.orderId}` : refText(ref)}${first.poNumber ? ` (${first.poNumber})` : ''}`;
  const parts: ReplyPart[] = [
    { kind: 'heading', text: `${head}: ${plural(list.length, 'shipment')}` },
    { kind: 'fields', fields: [{ label: 'Customer', value: first.customer }] },
    {
      kind: 'table',
      columns: ['Shipment', 'Status', 'Carrier', 'Lane', 'Shipped', 'Promised', 'Delivered / ETA'],
      rows: list.map((s) => [
        s.shipmentId,
        statusLine(s, today),
        s.carrier,
        `${s.origin} → ${s.destination}`,
        day(s.shipDate),
        day(s.promisedDate),
        s.deliveredDate ? day(s.deliveredDate) : eta(s, today),
      ]),
    },
    { kind: 'text', text: 'Ask about one of them for its timeline.' },
    { kind: 'buttons', buttons: list.slice(0, 5).map((s) => trackButton(s.shipmentId)) },
  ];
  return reply(parts);
}
