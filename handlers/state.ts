import type { OrderDraft } from '../domain/repositories';
import type { Button } from '../domain/conversation/reply';
import type { Entities, Status } from '../domain/nlu/types';
import type { NewSubscription } from '../domain/repositories';
import type { Period } from '../domain/dates';
import type { ShipmentFilters } from '../domain/filters';

/** The slots the order dialog asks for, one at a time, in this order. */
export const REQUIRED_ORDER_SLOTS = ['customer', 'origin', 'destination', 'items'] as const;
export type OrderSlot = (typeof REQUIRED_ORDER_SLOTS)[number];

/** An order being put together: what the person said so far (not validated until complete). */
export interface OrderDialog {
  draft: Partial<OrderDraft>;
  /** The slot the last question asked for. */
  awaiting?: OrderSlot;
  /** A customer or carrier name we suggested ("did you mean Acme Corp?"): "yes" takes it. */
  suggestion?: { slot: 'customer' | 'carrier'; value: string };
}

/** A write waiting for the person's Confirm. The token goes into the buttons and the write's idempotency key. */
export type PendingAction =
  | { kind: 'create_order'; draft: OrderDraft }
  | { kind: 'cancel_order'; orderId: string; reason?: string }
  | { kind: 'flag_invoice'; invoiceId: number; invoiceNumber: string; carrier: string; amount?: number; reason?: string }
  | { kind: 'schedule_digest'; subscription: NewSubscription }
  | { kind: 'stop_digest'; subscriptionId: number; description: string };

export interface Pending {
  token: string;
  action: PendingAction;
  /** The frame that led here, for the log. */
  frame?: { intent: string; entities: Entities };
}

/** The last list shown, so "more" shows the next page. */
export interface ListCursor {
  token: string;
  status?: Status;
  filters: ShipmentFilters;
  period?: Period;
  offset: number;
  total: number;
}

/** A confirmation already carried out: a second click on it says so instead of acting again. */
export interface Done {
  token: string;
  summary: string;
}

export interface DialogState {
  order?: OrderDialog;
  pending?: Pending;
  list?: ListCursor;
  done?: Done[];
  /** The buttons of the last reply, so typed labels ("confirm") work on every channel. */
  buttons?: Button[];
}
