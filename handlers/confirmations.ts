import { reply, type Field, type Reply } from '../domain/conversation/reply';
import type { HandlerResult, Turn } from './context';
import { amount, day, items, newToken } from './format';
import type { DialogState, Pending, PendingAction } from './state';
import type { Entities } from '../domain/nlu/types';
import { describeSubscription } from './scheduleDigest';

/** How many carried-out confirmations a conversation remembers, to answer repeated clicks. */
const DONE_KEPT = 20;

/** A card asking the person to confirm a write. Nothing is written until Confirm. */
export function confirmationCard(heading: string, fields: Field[], token: string, opts: { edit?: boolean; confirmLabel?: string } = {}): Reply {
  return reply(
    [
      { kind: 'heading', text: heading },
      { kind: 'fields', fields },
      {
        kind: 'buttons',
        buttons: [
          { label: opts.confirmLabel ?? 'Confirm', action: { id: 'confirm', value: token }, style: 'primary' },
          ...(opts.edit ? [{ label: 'Edit', action: { id: 'edit', value: token } }] : []),
          { label: 'Cancel', action: { id: 'cancel', value: token }, style: 'danger' },
        ],
      },
    ],
    'confirm',
  );
}

/** Puts a write up for confirmation: the state remembers it under a fresh token. */
export function askToConfirm(turn: Turn, action: PendingAction, frame: { intent: string; entities: Entities } | undefined, card: (token: string) => Reply): HandlerResult {
  const pending: Pending = { token: newToken(), action, frame };
  return {
    replies: [card(pending.token)],
    state: { ...turn.state, pending },
    log: { action: action.kind, result: 'ok', frame, detail: 'asked to confirm' },
  };
}

export function orderCardFields(a: Extract<PendingAction, { kind: 'create_order' }>): Field[] {
  const d = a.draft;
  return [
    { label: 'Customer', value: d.customer },
    { label: 'From', value: d.origin },
    { label: 'To', value: d.destination },
    { label: 'Items', value: items(d.items) },
    { label: 'Pickup', value: d.pickupDate ? day(d.pickupDate) : 'not set' },
    { label: 'Delivery', value: d.deliveryDate ? day(d.deliveryDate) : 'not set' },
    { label: 'Service', value: d.serviceLevel ?? 'standard' },
    ...(d.weightKg !== undefined ? [{ label: 'Weight', value: `${d.weightKg.toLocaleString('en-US')} kg` }] : []),
    ...(d.poNumber ? [{ label: 'PO', value: d.poNumber }] : []),
    ...(d.carrier ? [{ label: 'Carrier', value: d.carrier }] : []),
  ];
}

/** Remembers a carried-out confirmation so that a second click on it only says it is done. */
export function markDone(state: DialogState, token: string, summary: string): DialogState {
  const done = [{ token, summary }, ...(state.done ?? []).filter((d) => d.token !== token)].slice(0, DONE_KEPT);
  return { ...state, pending: undefined, buttons: undefined, done };
}

/** Carries out a confirmed write. Idempotent by the confirmation token (the database enforces it). */
export async function execute(p: Pending, turn: Turn): Promise<HandlerResult> {
  const { repos } = turn.deps;
  const a = p.action;
  const by = turn.person.key;
  switch (a.kind) {
    case 'create_order': {
      const { order, created } = await repos.orders.create(a.draft, { requestKey: p.token, createdBy: by, orderDate: turn.today });
      const summary = `Order ${order.id} created for ${order.customer}: ${items(order.items)}, ${order.origin} → ${order.destination}.`;
      const { order: _drop, ...rest } = turn.state;
      return {
        replies: [reply([{ kind: 'heading', text: created ? `Created order ${order.id}` : `Order ${order.id} was already created` }, { kind: 'text', text: summary }])],
        state: markDone(rest, p.token, summary),
        log: { action: 'create_order', result: created ? 'ok' : 'duplicate', frame: p.frame, detail: order.id },
      };
    }
    case 'cancel_order': {
      const r = await repos.orders.cancel(a.orderId, { reason: a.reason, by });
      const state = markDone(turn.state, p.token, `Order ${a.orderId} is cancelled.`);
      if (r.outcome === 'shipped') {
        return {
          replies: [reply([{ kind: 'text', text: `Order ${a.orderId} can't be cancelled: it has already shipped. Contact the carrier to stop or return it.` }], 'refusal')],
          state: { ...turn.state, pending: undefined },
          log: { action: 'cancel_order', result: 'refused', frame: p.frame, detail: 'already shipped' },
        };
      }
      if (r.outcome === 'not_found') {
        return { replies: [reply([{ kind: 'text', text: `Order ${a.orderId} no longer exists.` }])], state: { ...turn.state, pending: undefined }, log: { action: 'cancel_order', result: 'error', frame: p.frame, detail: 'not found' } };
      }
      const text = r.outcome === 'cancelled' ? `Cancelled order ${a.orderId}${a.reason ? ` (${a.reason})` : ''}.` : `Order ${a.orderId} was already cancelled.`;
      return { replies: [reply([{ kind: 'text', text }])], state, log: { action: 'cancel_order', result: r.outcome === 'cancelled' ? 'ok' : 'duplicate', frame: p.frame, detail: a.orderId } };
    }
    case 'flag_invoice': {
      const { dispute, created } = await repos.invoices.recordDispute({ invoiceId: a.invoiceId, amount: a.amount, reason: a.reason, by, requestKey: p.token });
      const summary = `Dispute #${dispute.id} recorded on ${a.invoiceNumber} (${a.carrier})${a.amount !== undefined ? ` for ${amount(a.amount)}` : ''}${a.reason ? `: ${a.reason}` : ''}.`;
      return {
        replies: [reply([{ kind: 'text', text: created ? summary : `Already recorded. ${summary}` }])],
        state: markDone(turn.state, p.token, summary),
        log: { action: 'flag_invoice', result: created ? 'ok' : 'duplicate', frame: p.frame, detail: `dispute ${dispute.id}` },
      };
    }
    case 'schedule_digest': {
      // Keyed by the card's token: a second Confirm (another replica, a retry after an outage) finds this one.
      const s = await repos.subscriptions.create(a.subscription, { requestKey: p.token });
      const summary = `Scheduled #${s.id}: ${describeSubscription(s)}.`;
      if (s.created === false) {
        return {
          replies: [reply([{ kind: 'text', text: `Already done: ${summary}` }])],
          state: markDone(turn.state, p.token, summary),
          log: { action: 'schedule_digest', result: 'duplicate', frame: p.frame, detail: `subscription ${s.id}` },
        };
      }
      return {
        replies: [reply([{ kind: 'text', text: `${summary} Say "my schedules" to see or stop it.` }])],
        state: markDone(turn.state, p.token, summary),
        log: { action: 'schedule_digest', result: 'ok', frame: p.frame, detail: `subscription ${s.id}` },
      };
    }
    case 'stop_digest': {
      const stopped = await repos.subscriptions.deactivate(a.subscriptionId);
      const summary = stopped ? `Stopped schedule #${a.subscriptionId} (${a.description}).` : `Schedule #${a.subscriptionId} was already stopped.`;
      return {
        replies: [reply([{ kind: 'text', text: summary }])],
        state: markDone(turn.state, p.token, summary),
        log: { action: 'stop_digest', result: stopped ? 'ok' : 'duplicate', frame: p.frame, detail: `subscription ${a.subscriptionId}` },
      };
    }
  }
}
