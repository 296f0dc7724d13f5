import { UserError } from '../errors';
import type { ImportKind } from './types';

/** The columns of each file kind (data.md), in the order the spec lists them. */
export interface ColumnSpec {
  name: string;
  required: boolean;
}

const col = (name: string, required = false): ColumnSpec => ({ name, required });

export const COLUMNS: Record<ImportKind, readonly ColumnSpec[]> = {
  shipments: [
    col('shipment_id', true), col('order_id'), col('po_number'), col('order_date'), col('customer', true), col('carrier', true),
    col('mode'), col('origin', true), col('destination', true), col('ship_date'), col('promised_date'), col('delivered_date'),
    col('status'), col('quantity_ordered'), col('quantity_delivered'), col('weight_kg'), col('freight_cost'), col('currency'),
  ],
  invoices: [
    col('invoice_number', true), col('carrier', true), col('invoice_date', true), col('shipment_id'), col('charge_type', true),
    col('charge_code'), col('billed_weight_kg'), col('amount', true), col('currency'),
  ],
  rates: [
    col('carrier', true), col('origin', true), col('destination', true), col('rate_basis', true), col('rate', true),
    col('min_charge'), col('fuel_pct'), col('valid_from'), col('valid_to'), col('currency'), col('charge_code'),
  ],
  events: [col('shipment_id', true), col('event_time', true), col('status', true), col('location'), col('description')],
};

/** Where each of our columns is in the file (-1: absent) and how to name it in messages. */
export interface ResolvedColumns {
  kind: ImportKind;
  /** Our column -> index in the file's records, -1 when the file does not have it. */
  index: Record<string, number>;
  /** Our column -> how messages name it: `weight_kg`, or `weight_kg ("Weight (Kilograms)")` when mapped. */
  label: Record<string, string>;
  /** Number of columns of the header. */
  width: number;
}

const normalizeHeader = (s: string) => s.replace(/^\uFEFF/, '').trim().toLowerCase();

function listColumns(header: string[]): string {
  const shown = header.slice(0, 40).map((h) => (h.trim() === '' ? '(blank)' : h.trim()));
  return shown.join(', ') + (header.length > 40 ? `, ... (${header.length} columns)` : '');
}

/**
 * Matches the file's header to our columns: names are case-insensitive and trimmed; `columnMap`
 * (our column -> file column) wins; our columns left out of the map still match a file column of
 * exactly their name; other file columns are ignored. A missing required column fails the import
 * up front with one line naming it and the columns the file has.
 */
export function resolveColumns(kind: ImportKind, header: string[], columnMap?: Record<string, string>): ResolvedColumns {
  const specs = COLUMNS[kind];
  const position = new Map<string, number>();
  header.forEach((h, i) => {
    const k = normalizeHeader(h);
    if (k !== '' && !position.has(k)) position.set(k, i);
  });
  const ours = new Set(specs.map((s) => s.name));
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(columnMap ?? {})) {
    const key = k.trim().toLowerCase();
    if (!ours.has(key)) {
      throw new UserError(`--map names "${k}", which is not a ${kind} column (${specs.map((s) => s.name).join(', ')})`, 2);
    }
    map.set(key, v);
  }
  const index: Record<string, number> = {};
  const label: Record<string, string> = {};
  const unmapped: string[] = [];
  for (const s of specs) {
    const mapped = map.get(s.name);
    if (mapped !== undefined) {
      const i = position.get(normalizeHeader(mapped));
      if (i === undefined) unmapped.push(`"${mapped}" (for ${s.name})`);
      index[s.name] = i ?? -1;
      label[s.name] = normalizeHeader(mapped) === s.name ? s.name : `${s.name} ("${mapped.trim()}")`;
    } else {
      index[s.name] = position.get(s.name) ?? -1;
      label[s.name] = s.name;
    }
  }
  if (unmapped.length) {
    throw new UserError(`the ${kind} file has no column ${unmapped.join(', ')} named in --map; its columns are: ${listColumns(header)}`);
  }
  const missing = specs.filter((s) => s.required && index[s.name] < 0).map((s) => s.name);
  if (missing.length) {
    throw new UserError(
      `the ${kind} file lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` +
        ` (its columns are: ${listColumns(header)}); rename them or map them with --map our_column="File Column"`,
    );
  }
  return { kind, index, label, width: header.length };
}
