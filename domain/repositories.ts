/**
 * The ports through which handlers read and write the shared database. `data/repositories/`
 * implements them with Sequelize on SQLite and PostgreSQL; tests may use fakes. Every method is
 * set-based or keyed (no method returns a whole table to be filtered in JavaScript), and every write
 * that a retried event or a double click could repeat is idempotent by a key the database enforces.
 */
import type { Period } from './dates';
import type { ShipmentFilters } from './filters';
import type { AuditFinding, FindingStatus } from './audit/types';
import type { Item, Report, Frequency, DayOfWeek, ServiceLevel, Status } from './nlu/types';
import type { Platform } from './conversation/inbound';
import type { Role } from './roles';

// ---------------------------------------------------------------- shipments

/** Shipment statuses as stored (data.md). `delayed` is derived: not delivered and past its promised date. */
export type StoredStatus = 'pending' | 'in_transit' | 'delivered' | 'exception' | 'cancelled';

export interface ShipmentView {
  shipmentId: string;
  orderId: string | null;
  poNumber: string | null;
  customer: string;
  carrier: string;
  mode: string | null;
  origin: string;
  destination: string;
  orderDate: string | null;
  shipDate: string | null;
  promisedDate: string | null;
  deliveredDate: string | null;
  status: StoredStatus;
  weightKg: number | null;
  quantityOrdered: number | null;
  quantityDelivered: number | null;
}

export interface TrackingEventView {
  /** ISO 8601 instant. */
  time: string;
  status: string;
  location: string | null;
  description: string | null;
}

/** What a person identified: exactly one of these is set. */
export interface ShipmentRef {
  orderId?: string;
  poNumber?: string;
  trackingNumber?: string;
}

export interface ShipmentListQuery {
  /** `delayed`: not delivered or cancelled and promised_date < today. Others match the stored status. */
  status?: Status;
  filters?: ShipmentFilters;
  /** Shipments whose ship_date (delivered_date when status is `delivered`; order date when not shipped) is in it. */
  period?: Period;
  /** Today's date, for `delayed` and the urgency order. */
  today: string;
  offset: number;
  limit: number;
}

export interface ShipmentRepository {
  /**
   * The shipments a reference names: a tracking number is a shipment_id (case-insensitive); an order id
   * or a PO returns every shipment of that order (by shipments.order_id / po_number or the order's PO).
   * Ordered by ship date, then shipment id.
   */
  findByRef(ref: ShipmentRef): Promise<ShipmentView[]>;
  /** The latest `perShipment` events of each shipment, newest first. */
  recentEvents(shipmentIds: string[], perShipment: number): Promise<Map<string, TrackingEventView[]>>;
  /**
   * Existing ids closest to a reference that was not found (same kind: order ids, PO numbers or
   * shipment ids), best first: same prefix and nearest number, then smallest edit distance.
   */
  closestIds(ref: ShipmentRef, limit: number): Promise<string[]>;
  /**
   * A filtered page, most urgent first: exception, then delayed (longest overdue first), in transit
   * (earliest promised first), pending, delivered (latest first), cancelled. `total` counts all matches.
   */
  list(q: ShipmentListQuery): Promise<{ total: number; rows: ShipmentView[] }>;
}

// ---------------------------------------------------------------- master data

export interface DirectoryRepository {
  /** Every customer (or carrier) name, for "did you mean" matching (small tables). */
  names(kind: 'customer' | 'carrier'): Promise<string[]>;
}

// ---------------------------------------------------------------- orders

export interface OrderDraft {
  /** An existing customer's name, as stored. */
  customer: string;
  origin: string;
  destination: string;
  items: Item[];
  pickupDate?: string;
  deliveryDate?: string;
  weightKg?: number;
  serviceLevel?: ServiceLevel;
  poNumber?: string;
  /** An existing carrier's name, as stored. */
  carrier?: string;
}

export type OrderStatus = 'open' | 'shipped' | 'delivered' | 'cancelled';

export interface OrderView extends OrderDraft {
  id: string;
  status: OrderStatus;
  orderDate: string | null;
  createdBy: string | null;
  cancelReason: string | null;
  /** Shipments of the order that have left (a shipped order cannot be cancelled). */
  shippedCount: number;
}

export interface CreateOrderMeta {
  /** Unique per confirmation: a second create with the same key returns the first order. */
  requestKey: string;
  createdBy: string;
  orderDate: string;
}

export type CancelOutcome = 'cancelled' | 'already_cancelled' | 'shipped' | 'not_found';

export interface OrderRepository {
  /** Creates the order and its lines in one transaction with the next free `ORD-` number. Idempotent by requestKey. */
  create(draft: OrderDraft, meta: CreateOrderMeta): Promise<{ order: OrderView; created: boolean }>;
  /** Orders by id or by PO number (case-insensitive). */
  find(ref: { orderId?: string; poNumber?: string }): Promise<OrderView[]>;
  /**
   * Cancels atomically unless the order has shipped (status shipped/delivered, or a shipment with a
   * ship_date); cancelling its pending shipments too. Safe to repeat.
   */
  cancel(orderId: string, meta: { reason?: string; by: string }): Promise<{ outcome: CancelOutcome; order?: OrderView }>;
}

// ---------------------------------------------------------------- invoices, findings, disputes

export interface InvoiceView {
  id: number;
  invoiceNumber: string;
  carrier: string;
  invoiceDate: string;
  total: number;
  lineCount: number;
  /** Open + disputed findings of this invoice and their overcharge. */
  findingCount: number;
  overcharge: number;
}

export interface DisputeView {
  id: number;
  invoiceId: number;
  invoiceNumber: string;
  carrier: string;
  amount: number | null;
  reason: string | null;
  createdBy: string;
  createdAt: string;
}

export interface InvoiceRepository {
  /** Invoices by number, matched like the audit does (case and spaces ignored; "2291" matches "INV-2291"); optionally one carrier. */
  find(invoiceNumber: string, carrier?: string): Promise<InvoiceView[]>;
  /** Existing invoice numbers closest to one not found, best first. */
  closestNumbers(invoiceNumber: string, limit: number): Promise<string[]>;
  /**
   * Records a dispute and marks the invoice's open findings `disputed`, in one transaction.
   * Idempotent by requestKey (a second call returns the first dispute, created=false).
   */
  recordDispute(d: { invoiceId: number; amount?: number; reason?: string; by: string; requestKey: string }): Promise<{ dispute: DisputeView; created: boolean }>;
}

export interface FindingRepository {
  get(id: number): Promise<AuditFinding | null>;
  /** Sets the status (with who and why); `changed` is false when it already had that status. */
  setStatus(id: number, status: FindingStatus, meta: { by: string; reason?: string }): Promise<{ finding: AuditFinding; changed: boolean } | null>;
}

// ---------------------------------------------------------------- digests

export interface DigestTarget {
  platform: Platform;
  /** Slack channel id, Teams conversation id, web chat session. */
  id: string;
  /** Readable name ("#ops-reports"). */
  name?: string;
}

export interface NewSubscription {
  report: Report;
  target: DigestTarget;
  frequency: Frequency;
  dayOfWeek?: DayOfWeek;
  dayOfMonth?: number;
  /** HH:MM, 24-hour, in timeZone. */
  time: string;
  /** node-cron expression (minute hour day month weekday). */
  cron: string;
  timeZone: string;
  filters: ShipmentFilters;
  createdBy: string;
}

export interface Subscription extends NewSubscription {
  id: number;
  active: boolean;
  createdAt: string;
}

export interface SubscriptionRepository {
  /**
   * Creates an active subscription. With a requestKey (the Confirm's token) it is idempotent: a second
   * call with the same key, in any process, returns the first subscription with created=false.
   */
  create(s: NewSubscription, meta?: { requestKey?: string }): Promise<Subscription & { created?: boolean }>;
  /** Active subscriptions (all, or those of one target / creator), oldest first. */
  list(q?: { target?: DigestTarget; createdBy?: string; includeInactive?: boolean }): Promise<Subscription[]>;
  get(id: number): Promise<Subscription | null>;
  /** Stops a subscription; false when there was no active one with that id. */
  deactivate(id: number): Promise<boolean>;
}

// ---------------------------------------------------------------- people

export interface Person {
  id: number;
  /** `local` people are console / web chat operators, known by handle. */
  platform: Platform | 'local';
  externalId: string;
  displayName: string | null;
  role: Role;
}

export interface UserRepository {
  /** The person a platform user id belongs to (exact platform and id). */
  findByExternal(platform: Platform | 'local', externalId: string): Promise<Person | null>;
  /** A person by handle: external id or display name, case-insensitive, any platform (local first). */
  findByHandle(handle: string): Promise<Person | null>;
  /** Adds the person or changes their role / name. */
  upsert(p: { platform: Platform | 'local'; externalId: string; displayName?: string; role: Role }): Promise<Person>;
  list(): Promise<Person[]>;
  /** Removes by handle (as findByHandle); the number removed. */
  remove(handle: string): Promise<number>;
}

// ---------------------------------------------------------------- the record

export type ActionResult = 'ok' | 'refused' | 'cancelled' | 'duplicate' | 'error';

export interface ActionLogEntry {
  at: Date;
  /** "slack:U024BE7LH (Dana)", "console:operator". */
  actor: string;
  role: Role | null;
  platform: Platform;
  channel: string | null;
  /** The intent or button action ("create_order", "confirm", "dispute_finding"). */
  action: string;
  /** The frame or action payload, as data. */
  frame: unknown;
  result: ActionResult;
  detail?: string;
}

export interface ActionLogRepository {
  record(e: ActionLogEntry): Promise<void>;
  /** Newest first. */
  list(q: { limit: number; actor?: string; result?: ActionResult; since?: Date }): Promise<Array<ActionLogEntry & { id: number }>>;
  /** How many entries there are (tests: "nothing but the log changed"). */
  count(): Promise<number>;
}

export interface ProcessedEventRepository {
  /** True the first time a key is claimed; false for every later claim, in any process (unique key). */
  claim(eventKey: string, source: string): Promise<boolean>;
}

// ---------------------------------------------------------------- conversation state

export interface ConversationStateRepository {
  get<T>(key: string): Promise<T | null>;
  /** Replaces the state; it expires after ttlSeconds of no use. */
  put<T>(key: string, state: T, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

// ---------------------------------------------------------------- proactive posting

/**
 * Where a channel can post without being asked (Teams: the conversation reference a proactive
 * message needs). The reference is opaque JSON that only its channel adapter reads.
 */
export interface ConversationRefRepository {
  /** Adds or replaces the conversation's reference. */
  save(platform: Platform, conversationId: string, ref: unknown): Promise<void>;
  /** The stored reference, or null when the bot has not heard from that conversation. */
  get(platform: Platform, conversationId: string): Promise<unknown | null>;
}

/** Everything the conversation core reads and writes. */
export interface Repositories {
  shipments: ShipmentRepository;
  directory: DirectoryRepository;
  orders: OrderRepository;
  invoices: InvoiceRepository;
  findings: FindingRepository;
  subscriptions: SubscriptionRepository;
  users: UserRepository;
  actionLog: ActionLogRepository;
  processedEvents: ProcessedEventRepository;
  conversationState: ConversationStateRepository;
  conversationRefs: ConversationRefRepository;
}
