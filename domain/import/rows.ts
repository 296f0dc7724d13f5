import type { ContractTerms } from '../contract';
import { nameKey } from '../names';
import type { ImportKind } from './types';
import type { ResolvedColumns } from './columns';
import {
  CHARGE_TYPES, CHARGE_TYPE_SYNONYMS, DateReader, MODES, MODE_SYNONYMS, RATE_BASES, RATE_BASIS_SYNONYMS, SHIPMENT_STATUSES,
  STATUS_SYNONYMS, enumKey, isEmptyToken, isPlaceholder, parseCurrency, parseInstant, parseInstantWithPattern,
  parseNumber, roundCents, type ChargeType, type Mode, type RateBasis, type ShipmentStatus,
} from './values';

/**
 * Row validation and normalisation for each import kind (data.md): a record ready to store, or
 * the reason the row is rejected. Pure: no I/O, no database.
 */

export interface ShipmentRow {
  shipment_id: string;
  order_id: string | null;
  po_number: string | null;
  order_date: string | null;
  customer: string;
  carrier: string;
  mode: Mode | null;
  origin: string;
  destination: string;
  ship_date: string | null;
  promised_date: string | null;
  delivered_date: string | null;
  /** As written (normalised); null when blank: then derived from the dates (see deriveStatus). */
  status: ShipmentStatus | null;
  quantity_ordered: number | null;
  quantity_delivered: number | null;
  weight_kg: number | null;
  freight_cost: number | null;
  currency: string;
}

export interface InvoiceLineRow {
  invoice_number: string;
  carrier: string;
  invoice_date: string;
  shipment_ref: string | null;
  charge_type: ChargeType;
  charge_code: string | null;
  billed_weight_kg: number | null;
  amount: number;
  currency: string;
}

export interface RateRow extends ContractTerms<RateBasis> {
  carrier: string;
  origin_key: string;
  destination_key: string;
  currency: string;
}

export interface EventRow {
  shipment_id: string;
  /** UTC, `YYYY-MM-DD HH:MM:SS.SSS +00:00`. */
  event_time: string;
  /** The calendar date as written in the file (a `delivered` event's date fills delivered_date). */
  event_date: string;
  status: ShipmentStatus;
  location: string | null;
  description: string | null;
}

export interface RowsByKind {
  shipments: ShipmentRow;
  invoices: InvoiceLineRow;
  rates: RateRow;
  events: EventRow;
}

export type AnyRow = RowsByKind[ImportKind];

/** A row normaliser: the record, the reason it is rejected, or null for a blank row (skipped). */
export type RowNormalizer<R> = (cells: string[]) => R | string | null;

export interface NormalizeOptions {
  /** date-fns pattern of date cells; `YYYY-MM-DD` is always accepted too. */
  dateFormat?: string;
  /** Today (YYYY-MM-DD): the century of two-digit years is chosen near it. */
  today: string;
}

/** Column lengths of the schema: longer values are rejected here rather than failing a whole batch in PostgreSQL. */
const MAX = { id: 64, order: 40, name: 200, code: 16, text: 10_000 } as const;
/** DECIMAL(14,2) holds less than 10^12. */
const MONEY_LIMIT = 1e12;

class Reject {
  constructor(readonly reason: string) {}
}

const quote = (v: string) => `'${v.length > 60 ? `${v.slice(0, 57)}...` : v}'`;

/** Reads the cells of one record by our column names, throwing Reject with a clear reason. */
class CellReader {
  cells: string[] = [];

  constructor(
    private readonly cols: ResolvedColumns,
    private readonly dates: DateReader,
    private readonly opts: NormalizeOptions,
  ) {}

  label(col: string): string {
    return this.cols.label[col];
  }

  has(col: string): boolean {
    return this.cols.index[col] >= 0;
  }

  raw(col: string): string {
    const i = this.cols.index[col];
    if (i < 0) return '';
    const v = this.cells[i];
    return v === undefined ? '' : v.trim();
  }

  required(col: string): string {
    const v = this.raw(col);
    if (v === '') throw new Reject(`${this.label(col)} is empty (required)`);
    return v;
  }

  text(col: string, max: number, required: boolean): string | null {
    const v = required ? this.required(col) : this.raw(col);
    if (!required && isEmptyToken(v)) return null;
    if (v.length > max) throw new Reject(`${this.label(col)} is longer than ${max} characters`);
    return v;
  }

  /** money: rounded to cents; money and limit: below 10^12 (DECIMAL(14,2)). */
  number(col: string, opts: { required?: boolean; min?: number; money?: boolean; limit?: boolean } = {}): number | null {
    const v = opts.required ? this.required(col) : this.raw(col);
    if (!opts.required && isPlaceholder(v)) return null;
    const n = parseNumber(v);
    if (n === undefined) throw new Reject(`${this.label(col)} ${quote(v)} is not a number`);
    if (opts.min !== undefined && n < opts.min) throw new Reject(`${this.label(col)} ${quote(v)} is negative`);
    if ((opts.money || opts.limit) && Math.abs(n) >= MONEY_LIMIT) throw new Reject(`${this.label(col)} ${quote(v)} is too large`);
    return opts.money ? roundCents(n) : n;
  }

  date(col: string, required = false): string | null {
    const v = required ? this.required(col) : this.raw(col);
    if (!required && isPlaceholder(v)) return null;
    const d = this.dates.read(v);
    if (d === undefined) throw new Reject(`${this.label(col)} ${quote(v)} is not a date (expected ${this.dates.expected})`);
    return d;
  }

  instant(col: string): { utc: string; date: string } {
    const v = this.required(col);
    const t = parseInstant(v) ?? (this.opts.dateFormat ? parseInstantWithPattern(v, this.opts.dateFormat, this.opts.today) : undefined);
    if (!t) {
      throw new Reject(`${this.label(col)} ${quote(v)} is not a time (expected ISO 8601, e.g. 2026-03-01T14:05:00Z${this.opts.dateFormat ? ` or ${this.opts.dateFormat}` : ''})`);
    }
    return t;
  }

  oneOf<T extends string>(col: string, synonyms: Map<string, T>, allowed: readonly string[], required: boolean): T | null {
    const v = required ? this.required(col) : this.raw(col);
    if (!required && isEmptyToken(v)) return null;
    // A value already in normal form (`linehaul`) is found as it is; enumKey is idempotent.
    const hit = synonyms.get(v) ?? synonyms.get(enumKey(v));
    if (hit === undefined) throw new Reject(`${this.label(col)} ${quote(v)} is not one of ${allowed.join(', ')}`);
    return hit;
  }

  currency(): string {
    const v = this.raw('currency');
    if (isEmptyToken(v)) return 'USD';
    const c = parseCurrency(v);
    if (!c) throw new Reject(`${this.label('currency')} ${quote(v)} is not an ISO 4217 currency code (e.g. USD)`);
    return c;
  }
}

/** Shipment status from the dates, for a row that gives none: delivered, else in transit if shipped, else pending. */
export function deriveStatus(r: { delivered_date: string | null; ship_date: string | null }): ShipmentStatus {
  return r.delivered_date ? 'delivered' : r.ship_date ? 'in_transit' : 'pending';
}

/**
 * The status after a row with a blank status is applied to a shipment whose status is `current`:
 * the dates move it forward along pending -> in_transit -> delivered (a delivered date makes a
 * pending or in-transit shipment delivered; a ship date makes a pending one in transit); a blank
 * status never moves a shipment back, and an exception or a cancellation (written in a file or
 * reported by an event) stands. The SQL upsert applies the same rule.
 */
export function statusAfterBlank(current: ShipmentStatus, mergedDeliveredDate: string | null, mergedShipDate: string | null): ShipmentStatus {
  if (mergedDeliveredDate && (current === 'pending' || current === 'in_transit')) return 'delivered';
  if (mergedShipDate && current === 'pending') return 'in_transit';
  return current;
}

/**
 * Two rows of the same shipment (a later row of the file updates an earlier one): a blank optional
 * cell keeps the value known so far (an export with one row per line item often carries a value on
 * one line only, e.g. SCMS freight "See ASN-..."); required cells and the currency come from the later row.
 */
export function mergeShipmentRows(older: ShipmentRow, newer: ShipmentRow): ShipmentRow {
  const delivered = newer.delivered_date ?? older.delivered_date;
  return {
    shipment_id: newer.shipment_id,
    order_id: newer.order_id ?? older.order_id,
    po_number: newer.po_number ?? older.po_number,
    order_date: newer.order_date ?? older.order_date,
    customer: newer.customer,
    carrier: newer.carrier,
    mode: newer.mode ?? older.mode,
    origin: newer.origin,
    destination: newer.destination,
    ship_date: newer.ship_date ?? older.ship_date,
    promised_date: newer.promised_date ?? older.promised_date,
    delivered_date: delivered,
    status: newer.status ?? (older.status ? statusAfterBlank(older.status, delivered, newer.ship_date ?? older.ship_date) : null),
    quantity_ordered: newer.quantity_ordered ?? older.quantity_ordered,
    quantity_delivered: newer.quantity_delivered ?? older.quantity_delivered,
    weight_kg: newer.weight_kg ?? older.weight_kg,
    freight_cost: newer.freight_cost ?? older.freight_cost,
    currency: newer.currency,
  };
}

export type OrderStatus = 'open' | 'shipped' | 'delivered' | 'cancelled';

/**
 * An order's status from its shipments' statuses: cancelled when all are, delivered when all are
 * delivered (or cancelled), open while none has left, else shipped. (The data layer applies the same
 * rule in SQL over all the order's shipments.)
 */
export function orderStatusFrom(statuses: Iterable<ShipmentStatus>): OrderStatus {
  let n = 0, cancelled = 0, done = 0, notLeft = 0;
  for (const s of statuses) {
    n++;
    if (s === 'cancelled') cancelled++;
    if (s === 'delivered' || s === 'cancelled') done++;
    if (s === 'pending' || s === 'cancelled') notLeft++;
  }
  if (n > 0 && cancelled === n) return 'cancelled';
  if (done === n) return 'delivered';
  if (notLeft === n) return 'open';
  return 'shipped';
}

/**
 * The content of an invoice line that identifies it for idempotent re-import (the data layer hashes
 * it and adds the ordinal among identical lines of the file).
 */
export function invoiceLineContent(r: InvoiceLineRow, carrierKey = nameKey(r.carrier)): string {
  // The fields joined by \u001f (one template, not an array and join: this runs for every line).
  return `${carrierKey}\u001f${r.invoice_number}\u001f${r.invoice_date}\u001f${r.shipment_ref ?? ''}\u001f${r.charge_type}\u001f${r.charge_code ?? ''}\u001f${r.billed_weight_kg ?? ''}\u001f${r.amount}`;
}

/** The upsert key of a contract row (schema: carrier|origin|destination|basis|code|valid_from). */
export function rateKey(carrierId: number, r: RateRow): string {
  return [carrierId, r.origin_key, r.destination_key, r.rate_basis, r.charge_code ?? '', r.valid_from ?? ''].join('|');
}

function blankRecord(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

/** Builds the normaliser of one file: its columns are resolved, the returned function reads one record. */
export function createRowNormalizer<K extends ImportKind>(kind: K, cols: ResolvedColumns, opts: NormalizeOptions): RowNormalizer<RowsByKind[K]> {
  const dates = new DateReader(opts.dateFormat, opts.today);
  const c = new CellReader(cols, dates, opts);
  const read = READERS[kind] as (c: CellReader) => RowsByKind[K];
  const width = cols.width;
  return (cells: string[]) => {
    if (cells.length !== width) {
      if (blankRecord(cells)) return null;
      if (cells.length < width) return `has ${cells.length} field${cells.length === 1 ? '' : 's'}, the header has ${width}`;
      for (let i = width; i < cells.length; i++) {
        if (cells[i].trim() !== '') return `has ${cells.length} fields, the header has ${width} (an unquoted comma?)`;
      }
    }
    c.cells = cells;
    try {
      return read(c);
    } catch (e) {
      if (e instanceof Reject) {
        return blankRecord(cells) ? null : e.reason;
      }
      throw e;
    }
  };
}

const READERS: { [K in ImportKind]: (c: CellReader) => RowsByKind[K] } = {
  shipments(c) {
    const shipment_id = c.text('shipment_id', MAX.id, true)!;
    const customer = c.text('customer', MAX.name, true)!;
    const carrier = c.text('carrier', MAX.name, true)!;
    const origin = c.text('origin', MAX.name, true)!;
    const destination = c.text('destination', MAX.name, true)!;
    return {
      shipment_id,
      order_id: c.text('order_id', MAX.order, false),
      po_number: c.text('po_number', MAX.id, false),
      order_date: c.date('order_date'),
      customer,
      carrier,
      mode: c.oneOf('mode', MODE_SYNONYMS, MODES, false),
      origin,
      destination,
      ship_date: c.date('ship_date'),
      promised_date: c.date('promised_date'),
      delivered_date: c.date('delivered_date'),
      status: c.oneOf('status', STATUS_SYNONYMS, SHIPMENT_STATUSES, false),
      quantity_ordered: c.number('quantity_ordered', { min: 0 }),
      quantity_delivered: c.number('quantity_delivered', { min: 0 }),
      weight_kg: c.number('weight_kg', { min: 0 }),
      freight_cost: c.number('freight_cost', { money: true }),
      currency: c.currency(),
    };
  },

  invoices(c) {
    const invoice_number = c.text('invoice_number', MAX.id, true)!;
    const carrier = c.text('carrier', MAX.name, true)!;
    const invoice_date = c.date('invoice_date', true)!;
    const charge_type = c.oneOf('charge_type', CHARGE_TYPE_SYNONYMS, CHARGE_TYPES, true)!;
    const amount = c.number('amount', { required: true, money: true })!;
    const code = c.text('charge_code', MAX.code, false);
    return {
      invoice_number,
      carrier,
      invoice_date,
      shipment_ref: c.text('shipment_id', MAX.id, false),
      charge_type,
      charge_code: code === null ? null : code.toUpperCase(),
      billed_weight_kg: c.number('billed_weight_kg', { min: 0 }),
      amount,
      currency: c.currency(),
    };
  },

  rates(c) {
    const carrier = c.text('carrier', MAX.name, true)!;
    const rate_basis = c.oneOf('rate_basis', RATE_BASIS_SYNONYMS, RATE_BASES, true)!;
    const accessorial = rate_basis === 'accessorial';
    // An accessorial schedule applies to every lane: origin and destination `*` (blank means the same).
    const origin = accessorial ? c.text('origin', MAX.name, false) ?? '*' : c.text('origin', MAX.name, true)!;
    const destination = accessorial ? c.text('destination', MAX.name, false) ?? '*' : c.text('destination', MAX.name, true)!;
    // Not rounded to cents: a per-kg rate such as 0.125 is exact as written.
    const rate = c.number('rate', { required: true, min: 0, limit: true })!;
    const code = c.text('charge_code', MAX.code, false);
    if (accessorial && code === null) {
      throw new Reject(`${c.has('charge_code') ? c.label('charge_code') : 'charge_code'} is empty (required for an accessorial rate)`);
    }
    const valid_from = c.date('valid_from');
    const valid_to = c.date('valid_to');
    if (valid_from && valid_to && valid_to < valid_from) {
      throw new Reject(`${c.label('valid_to')} ${valid_to} is before ${c.label('valid_from')} ${valid_from}`);
    }
    return {
      carrier,
      origin,
      destination,
      origin_key: nameKey(origin),
      destination_key: nameKey(destination),
      rate_basis,
      rate,
      min_charge: c.number('min_charge', { min: 0, money: true }),
      fuel_pct: c.number('fuel_pct', { min: 0 }),
      charge_code: code === null ? null : code.toUpperCase(),
      valid_from,
      valid_to,
      currency: c.currency(),
    };
  },

  events(c) {
    const shipment_id = c.text('shipment_id', MAX.id, true)!;
    const t = c.instant('event_time');
    const rawStatus = c.required('status');
    const status = c.oneOf('status', STATUS_SYNONYMS, SHIPMENT_STATUSES, true)!;
    let description = c.text('description', MAX.text, false);
    // "picked up" is stored as in_transit: keep the carrier's word in the description.
    if (description === null && enumKey(rawStatus) !== enumKey(status)) description = rawStatus;
    return {
      shipment_id,
      event_time: t.utc,
      event_date: t.date,
      status,
      location: c.text('location', MAX.name, false),
      description,
    };
  },
};
