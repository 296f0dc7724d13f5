import { reply } from '../domain/conversation/reply';
import type { Frame } from '../domain/nlu/types';
import type { HandlerResult, Turn } from './context';
import { askToConfirm, confirmationCard } from './confirmations';
import { day, items } from './format';

export async function cancelOrder(frame: Frame, turn: Turn): Promise<HandlerResult> {
  const e = frame.entities;
  if (!e.order_id && !e.po_number) {
    return { replies: [reply([{ kind: 'text', text: 'Which order should I cancel? Give its number (ORD-10077) or PO (PO-55121).' }], 'question')] };
  }
  const orders = await turn.deps.repos.orders.find({ orderId: e.order_id, poNumber: e.order_id ? undefined : e.po_number });
  const ref = e.order_id ?? e.po_number!;
  if (!orders.length) {
    const close = await turn.deps.repos.shipments.closestIds(e.order_id ? { orderId: e.order_id } : { poNumber: e.po_number }, 3);
    return {
      replies: [reply([{ kind: 'text', text: `I can't find order ${ref}.${close.length ? ` Did you mean ${close.join(', ')}?` : ''}` }])],
      log: { action: 'cancel_order', result: 'error', frame, detail: 'not found' },
    };
  }
  if (orders.length > 1) {
    return { replies: [reply([{ kind: 'text', text: `${ref} matches ${orders.length} orders (${orders.map((o) => o.id).join(', ')}). Which one? Give the order number.` }], 'question')] };
  }
  const o = orders[0];
  if (o.status === 'cancelled') {
    return { replies: [reply([{ kind: 'text', text: `Order ${o.id} is already cancelled${o.cancelReason ? ` (${o.cancelReason})` : ''}.` }])], log: { action: 'cancel_order', result: 'duplicate', frame, detail: o.id } };
  }
  if (o.status === 'shipped' || o.status === 'delivered' || o.shippedCount > 0) {
    const why = o.status === 'delivered' ? 'it has already been delivered' : 'it has already shipped';
    return {
      replies: [reply([{ kind: 'text', text: `I can't cancel order ${o.id}: ${why}. To stop or return the goods, contact the carrier; say "where is order ${o.id}" for its status.` }], 'refusal')],
      log: { action: 'cancel_order', result: 'refused', frame, detail: `${o.id} ${why}` },
    };
  }
  return askToConfirm(turn, { kind: 'cancel_order', orderId: o.id, reason: e.reason }, { intent: frame.intent, entities: e }, (token) =>
    confirmationCard(
      `Cancel order ${o.id}?`,
      [
        { label: 'Customer', value: o.customer },
        { label: 'Lane', value: `${o.origin} → ${o.destination}` },
        { label: 'Items', value: items(o.items) },
        { label: 'Pickup', value: day(o.pickupDate) },
        ...(e.reason ? [{ label: 'Reason', value: e.reason }] : []),
      ],
      token,
      { confirmLabel: 'Confirm' },
    ),
  );
}
