import { nameKey } from '../names';
import type { Period } from '../dates';
import type { ShipmentFilters } from '../filters';
import type { Dialect } from '../sql';
import { andAll, joinSql, raw, sql, type Sql } from './sqlText';
import type { KpiMetrics } from './types';

/**
 * The SQL of the KPIs of data.md ("KPI definitions"), built as text for both dialects and run through
 * the SqlRunner port. ONE statement per period returns ONE row of raw aggregates (integer counts and
 * sums, computed set-based in the database); `finishMetrics` then only divides two aggregates and
 * rounds, in JavaScript, so SQLite and PostgreSQL give bit-identical figures (no REAL vs NUMERIC
 * rounding differences between the engines).
 *
 * The statement is a CROSS JOIN of one-row aggregates, one per population, each served by the index of
 * its date column through a range predicate on the bare column (`col BETWEEN ? AND ?`):
 *   sh  shipments by ship_date (shipments_ship_date_idx, or the (carrier_id|customer_id, ship_date)
 *       indexes when those filters are given): shipment_count, exception_count
 *   od  shipments by kpi_order_date (shipments_kpi_order_date_idx): order_count
 *   dl  shipments by delivered_date (shipments_delivered_date_idx): on_time_rate, otif, avg_transit_days
 *   sp  invoice_lines by invoice_date (invoice_lines_date_idx / invoice_lines_carrier_date_idx): freight_spend
 *   ac  invoices by invoice_date (invoices_date_idx), anti-joined to audit_findings: invoice_accuracy
 * With a customer/origin/destination filter, invoices are reached through the shipment each line bills,
 * so sp and ac become one pass `la` over the period's lines joined to their shipment (unique shipment_id).
 *
 * SQLite plans without statistics and would rather take an equality index (carrier, customer, place)
 * over a date range, reading that carrier's or place's whole history scattered over the table. Filter
 * columns are therefore written `+column` in SQLite (the documented way to keep an index out of a
 * plan) wherever the date index must drive; PostgreSQL has statistics and gets the plain column.
 */


/** The filters as keys; an absent or blank filter does not filter. */
export interface FilterKeys {
  carrier?: string;
  customer?: string;
  origin?: string;
  destination?: string;
}

export function filterKeys(f: ShipmentFilters | undefined): FilterKeys {
  const key = (s: string | undefined) => (typeof s === 'string' && nameKey(s) !== '' ? nameKey(s) : undefined);
  return { carrier: key(f?.carrier), customer: key(f?.customer), origin: key(f?.origin), destination: key(f?.destination) };
}

/** The raw aggregates one KPI statement returns (PostgreSQL returns BIGINT as strings). */
export interface KpiAggregates {
  shipment_count: number | string | null;
  exception_count: number | string | null;
  order_count: number | string | null;
  delivered_promised: number | string | null;
  on_time: number | string | null;
  on_time_in_full: number | string | null;
  transit_shipments: number | string | null;
  transit_days: number | string | null;
  spend_cents: number | string | null;
  invoices: number | string | null;
  invoices_clean: number | string | null;
}

/** Dialect helpers. */
function dialectSql(d: Dialect) {
  return {
    /** A YYYY-MM-DD parameter compared with a DATEONLY column (TEXT in SQLite, DATE in PostgreSQL). */
    date: (ymd: string): Sql => (d === 'postgres' ? sql`CAST(${ymd} AS DATE)` : sql`${ymd}`),
    /** Whole days from `from` to `to`: julianday() of the 'YYYY-MM-DD' text in SQLite, DATE - DATE (integer) in PostgreSQL. */
    dayDiff: (to: string, from: string): Sql =>
      raw(d === 'sqlite' ? `(julianday(${to}) - julianday(${from}))` : `(${to} - ${from})`),
    /** An aggregate as an integer (PostgreSQL's COUNT/SUM are BIGINT/NUMERIC; SQLite's are already numbers). */
    int: (expr: Sql): Sql => (d === 'postgres' ? sql`CAST(${expr} AS BIGINT)` : expr),
    /** A filter column the planner must not pick an index for (see the header). */
    noIndex: (column: string): Sql => raw(d === 'sqlite' ? `+${column}` : column),
    /**
     * A place: the key itself ("dallas, tx") or the key followed by a comma ("dallas" matches
     * "dallas, tx"). No LIKE, so `%` and `_` in what people type are not wildcards.
     */
    place: (column: string, key: string): Sql => {
      const prefix = `${key},`;
      if (d === 'sqlite') {
        // BINARY collation: the strings that start with "dallas," are exactly those in ["dallas,", "dallas-").
        const col = `+${column}`;
        return sql`(${raw(col)} = ${key} OR (${raw(col)} >= ${prefix} AND ${raw(col)} < ${`${key}-`}))`;
      }
      return sql`(${raw(column)} = ${key} OR starts_with(${raw(column)}, ${prefix}))`;
    },
    /**
     * The same place test written for the lane index, (origin_key, destination_key, shipment_id) of
     * migration 010: a key or a range of keys. PostgreSQL compares in the "C" collation of that index,
     * where, as in SQLite, the keys starting with "dallas," are exactly those in ["dallas,", "dallas-").
     */
    placeIndexed: (column: string, key: string): Sql => {
      const col = laneColumn(d, column);
      return sql`(${col} = ${key} OR (${col} >= ${`${key},`} AND ${col} < ${`${key}-`}))`;
    },
  };
}

/** A place key column compared as the lane index of migration 010 orders it (PostgreSQL: the "C" collation). */
function laneColumn(dialect: Dialect, column: string): Sql {
  return raw(dialect === 'postgres' ? `${column} COLLATE "C"` : column);
}

/**
 * A lane's shipments `alias` (an origin, and a destination when given) in the form the lane index
 * serves on both of its columns. `origin AND destination`, each a key-or-prefix OR, lets SQLite's
 * OR optimisation search the origin alone and test the destination row by row (Chicago to Atlanta:
 * all 84,000 shipments from Chicago fetched for 21,000); with the exact origin distributed over the
 * destination's two forms, each branch is one search on (origin_key, destination_key).
 */
function laneIndexed(dialect: Dialect, alias: string, filters: FilterKeys): Sql {
  const h = dialectSql(dialect);
  const origin = filters.origin!;
  const o = `${alias}.origin_key`;
  if (!filters.destination) return h.placeIndexed(o, origin);
  const dest = filters.destination;
  const oc = laneColumn(dialect, o);
  const dc = laneColumn(dialect, `${alias}.destination_key`);
  return sql`((${oc} = ${origin} AND ${dc} = ${dest}) OR (${oc} = ${origin} AND ${dc} >= ${`${dest},`} AND ${dc} < ${`${dest}-`})
    OR (${oc} >= ${`${origin},`} AND ${oc} < ${`${origin}-`} AND ${h.placeIndexed(`${alias}.destination_key`, dest)}))`;
}

/**
 * The filters on shipments `alias` as the KPIs apply them (carrier and customer by their name key,
 * places by key or "key," prefix), for other queries over shipments: a list of Acme's shipments and
 * a KPI for Acme count the same shipments. `indexed: false` keeps the carrier and customer indexes
 * out of SQLite's plan, for queries that another index (a date range, the open statuses) must drive.
 */
export function shipmentFilterConditions(dialect: Dialect, filters: FilterKeys, alias = 's', opts: { indexed?: boolean; lane?: boolean } = {}): Sql[] {
  const h = dialectSql(dialect);
  const col = (c: string) => (opts.indexed === false ? h.noIndex(`${alias}.${c}`) : raw(`${alias}.${c}`));
  const conds: Sql[] = [];
  if (filters.carrier) conds.push(sql`${col('carrier_id')} = (SELECT c.id FROM carriers c WHERE c.name_key = ${filters.carrier})`);
  if (filters.customer) conds.push(sql`${col('customer_id')} = (SELECT c.id FROM customers c WHERE c.name_key = ${filters.customer})`);
  // `lane`: a lane may be found through the lane index (the query's dates are then dateColumn()s).
  if (opts.lane && byLane(filters)) conds.push(laneIndexed(dialect, alias, filters));
  else {
    if (filters.origin) conds.push(h.place(`${alias}.origin_key`, filters.origin));
    if (filters.destination) conds.push(h.place(`${alias}.destination_key`, filters.destination));
  }
  return conds;
}

/**
 * A lane (an origin, with or without a destination, and no carrier or customer) is found through the
 * lane index of migration 010: its history is a few thousand shipments where a month of all of them
 * is ~85,000, and the date indexes do not carry places. The date column of such a query is then
 * written `dateColumn(...)`: `+column` on SQLite, so that the lane index drives; PostgreSQL weighs both.
 */
export function byLane(filters: FilterKeys): boolean {
  return Boolean(filters.origin) && !filters.carrier && !filters.customer;
}

export function dateColumn(dialect: Dialect, filters: FilterKeys, column: string): Sql {
  return byLane(filters) ? dialectSql(dialect).noIndex(column) : raw(column);
}

/**
 * Whether the KPIs of two periods (a period and the one before it) are best computed by one statement
 * (`kpiStatement` with both) rather than two: when the filters reach shipments through a history (a
 * customer's invoice lines come through all of its shipments; a lane's shipments through the lane
 * index), which one statement walks once for both periods. With only date ranges to walk (no filter,
 * a carrier, a destination), two statements read the same rows and can run side by side.
 */
export function pairsPeriods(filters: FilterKeys): boolean {
  return Boolean(filters.customer || filters.origin);
}

/** The column of aggregate `name` of the k-th period of a `kpiStatement`. */
const column = (k: number, name: keyof KpiAggregates) => raw(`p${k}_${name}`);

/**
 * One statement computing the aggregates of every metric for one or more periods: the columns of the
 * k-th period are p<k>_<aggregate> (see `periodAggregates`). With several periods, each part reads the
 * range that spans them all and counts a row for a period through a FILTER on that period's range.
 */
export function kpiStatement(dialect: Dialect, periods: Period | readonly Period[], filters: FilterKeys, today: string): Sql {
  const ps: readonly Period[] = Array.isArray(periods) ? periods : [periods as Period];
  if (ps.length === 0) throw new Error('kpiStatement needs a period');
  const span: Period = {
    from: ps.reduce((m, p) => (p.from < m ? p.from : m), ps[0].from),
    to: ps.reduce((m, p) => (p.to > m ? p.to : m), ps[0].to),
  };
  const h = dialectSql(dialect);
  const { int } = h;
  const between = (column: string, p: Period = span) => sql`${raw(column)} BETWEEN ${h.date(p.from)} AND ${h.date(p.to)}`;
  /** Period k's range on `column`; with one period the WHERE's range already is it (no test per row). */
  const inPeriod = (column: string, k: number): Sql | undefined => (ps.length === 1 ? undefined : between(column, ps[k]));
  const both = (...conds: Array<Sql | undefined>): Sql | undefined => {
    const cs = conds.filter((c): c is Sql => c !== undefined);
    return cs.length ? joinSql(cs.map((c) => sql`(${c})`), ' AND ') : undefined;
  };
  // COUNT(*) FILTER (WHERE ...): PostgreSQL 9.4+, SQLite 3.30+.
  const countIf = (cond: Sql | undefined) => int(cond ? sql`COUNT(*) FILTER (WHERE ${cond})` : raw('COUNT(*)'));
  const countOf = (col: string, cond: Sql | undefined) => int(cond ? sql`COUNT(${raw(col)}) FILTER (WHERE ${cond})` : raw(`COUNT(${col})`));
  const sumOf = (expr: Sql, cond: Sql | undefined) => int(cond ? sql`COALESCE(SUM(${expr}) FILTER (WHERE ${cond}), 0)` : sql`COALESCE(SUM(${expr}), 0)`);
  // NULLs are not counted: a row outside period k adds nothing (nor does a NULL order_id).
  const distinctOf = (col: string, cond: Sql | undefined) => int(cond ? sql`COUNT(DISTINCT CASE WHEN ${cond} THEN ${raw(col)} END)` : raw(`COUNT(DISTINCT ${col})`));
  const perPeriod = (f: (k: number) => Sql[]): Sql => joinSql(ps.flatMap((_, k) => f(k)), ',\n  ');
  const as = (expr: Sql, k: number, name: keyof KpiAggregates) => sql`${expr} AS ${column(k, name)}`;
  // A lane's shipments are found through the lane index (see byLane).
  const shipmentBetween = (column: string) => sql`${dateColumn(dialect, filters, column)} BETWEEN ${h.date(span.from)} AND ${h.date(span.to)}`;
  // An unknown name gives NULL, which equals nothing: zero counts and null rates, not an error.
  const carrierId = (key: string) => sql`(SELECT c.id FROM carriers c WHERE c.name_key = ${key})`;

  /**
   * The filters on shipments `s` (shipmentFilterConditions, a lane through the lane index); `byId` lets
   * carrier/customer use their (id, ship_date) indexes; `carrier: false` leaves the carrier to the invoice lines.
   */
  const shipmentConds = (opts: { carrier: boolean; byId: boolean }): Sql[] =>
    shipmentFilterConditions(dialect, opts.carrier ? filters : { ...filters, carrier: undefined }, 's', { indexed: opts.byId, lane: true });

  // Each population's columns for period k. `oneRead`: the rows are those of every population (a lane's
  // history, below), so each column also tests its own date and, for sh, the status; otherwise the
  // WHERE of the population's own statement has done that, and with one period nothing is left to test.
  const periodOf = (column: string, k: number, oneRead: boolean) => (oneRead ? between(column, ps[k]) : inPeriod(column, k));
  // sh: shipped in the period, not cancelled. Exceptions among them: flagged `exception`, or not
  // delivered although promised before today.
  const notCancelled = raw(`s.status <> 'cancelled'`);
  const exception = sql`s.status = 'exception' OR (s.delivered_date IS NULL AND s.promised_date < ${h.date(today)})`;
  const shippedColumns = (k: number, oneRead = false): Sql[] => {
    const shipped = both(periodOf('s.ship_date', k, oneRead), oneRead ? notCancelled : undefined);
    return [as(countIf(shipped), k, 'shipment_count'), as(countIf(both(shipped, exception)), k, 'exception_count')];
  };
  // od: kpi_order_date is order_date, else ship_date (kept on write), so "order_date, else ship_date"
  // stays one indexable range. Cancelled shipments still carry their order; a NULL order_id counts for nothing.
  const orderedColumns = (k: number, oneRead = false): Sql[] => [as(distinctOf('s.order_id', periodOf('s.kpi_order_date', k, oneRead)), k, 'order_count')];
  // dl: delivered in the period. on_time_rate and otif over those with a promised_date (COUNT(col)
  // skips NULLs, and `delivered_date <= NULL` is never true); in full: delivered >= ordered, a missing
  // quantity (either one) counting as in full. avg_transit_days over those with a ship_date (the
  // difference is NULL without one, and SUM skips it).
  const inFull = raw('(s.quantity_ordered IS NULL OR s.quantity_delivered IS NULL OR s.quantity_delivered >= s.quantity_ordered)');
  const onTime = raw('s.delivered_date <= s.promised_date');
  const deliveredColumns = (k: number, oneRead = false): Sql[] => {
    const d = periodOf('s.delivered_date', k, oneRead);
    return [
      as(countOf('s.promised_date', d), k, 'delivered_promised'),
      as(countIf(both(d, onTime)), k, 'on_time'),
      as(countIf(both(d, onTime, inFull)), k, 'on_time_in_full'),
      as(countOf('s.ship_date', d), k, 'transit_shipments'),
      as(sumOf(h.dayDiff('s.delivered_date', 's.ship_date'), d), k, 'transit_days'),
    ];
  };

  let shipmentParts: Sql;
  if (byLane(filters)) {
    // lh: a lane's history is read once, through the lane index, for every population and period (each
    // row of it is a table lookup: reading it three times cost three times as much). Each population's
    // rows are told apart by their own date; a row in none of the ranges counts for nothing.
    const anyDate = joinSql(['s.ship_date', 's.kpi_order_date', 's.delivered_date'].map((c) =>
      sql`${h.noIndex(c)} BETWEEN ${h.date(span.from)} AND ${h.date(span.to)}`), ' OR ');
    const cols = perPeriod((k) => [...shippedColumns(k, true), ...orderedColumns(k, true), ...deliveredColumns(k, true)]);
    shipmentParts = sql`(SELECT ${cols}
FROM shipments s
WHERE (${anyDate})${andAll(shipmentConds({ carrier: true, byId: false }))}) lh`;
  } else {
    const shipped = sql`SELECT ${perPeriod((k) => shippedColumns(k))}
FROM shipments s
WHERE ${shipmentBetween('s.ship_date')} AND ${notCancelled}${andAll(shipmentConds({ carrier: true, byId: true }))}`;
    const ordered = sql`SELECT ${perPeriod((k) => orderedColumns(k))}
FROM shipments s
WHERE ${shipmentBetween('s.kpi_order_date')}${andAll(shipmentConds({ carrier: true, byId: false }))}`;
    const delivered = sql`SELECT ${perPeriod((k) => deliveredColumns(k))}
FROM shipments s
WHERE ${shipmentBetween('s.delivered_date')}${andAll(shipmentConds({ carrier: true, byId: false }))}`;
    shipmentParts = sql`(${shipped}) sh
CROSS JOIN (${ordered}) od
CROSS JOIN (${delivered}) dl`;
  }

  // Invoice accuracy: an invoice is a carrier + invoice number with a document (or, when filtered
  // through shipments, a line) dated in the period. It is accurate when audit_findings holds NO row for
  // that carrier + number. A finding is raised on one invoice document (audit_findings.invoice_id, whose
  // carrier_id and invoice_number it copies); any finding on any document of that carrier + number
  // counts, whatever its date and whatever its status (open, disputed, accepted, resolved: a finding
  // means the invoice was not right first time). The NOT EXISTS is served per invoice by invoices_doc_uq
  // (carrier_id, invoice_number, ...) and audit_findings_invoice_idx, so it does not grow with the
  // history of findings.
  // Source `inv`: one row per invoice (carrier_id, invoice_number), with in_<k> = 1 when it counts in
  // period k (always, with one period) and, when `withCents`, cents_<k>: its lines' cents in period k.
  const hasFinding = raw(`EXISTS (SELECT 1 FROM invoices doc JOIN audit_findings f ON f.invoice_id = doc.id
    WHERE doc.carrier_id = inv.carrier_id AND doc.invoice_number = inv.invoice_number)`);
  const inK = (k: number): Sql | undefined => (ps.length === 1 ? undefined : raw(`inv.in_${k} = 1`));
  /** invoices and invoices_clean (and spend_cents when the source sums cents) over invoices `source`. */
  const accuracyOver = (source: Sql, withCents: boolean): Sql => {
    if (dialect === 'sqlite') {
      // A correlated subquery per invoice of the period, both lookups indexed.
      const cols = perPeriod((k) => [
        ...(withCents ? [as(raw(`COALESCE(SUM(inv.cents_${k}), 0)`), k, 'spend_cents')] : []),
        as(countIf(inK(k)), k, 'invoices'),
        as(countIf(both(inK(k), sql`NOT ${hasFinding}`)), k, 'invoices_clean'),
      ]);
      return sql`SELECT ${cols}
FROM (${source}) inv`;
    }
    // PostgreSQL: a NOT EXISTS becomes a hash anti-join over EVERY finding and invoice document (tens of
    // milliseconds at 60,000 findings, whatever the period); a scalar subquery with LIMIT stays a probe of
    // the two indexes per invoice of the period. Its cost estimate can cross jit_above_cost on a long
    // period, where JIT compilation would cost more than the query: the app's KPI connections run with
    // jit off (data/db.ts, readSql).
    const clean = raw(`(SELECT f.id FROM invoices doc JOIN audit_findings f ON f.invoice_id = doc.id
    WHERE doc.carrier_id = inv.carrier_id AND doc.invoice_number = inv.invoice_number LIMIT 1) IS NULL`);
    const cols = perPeriod((k) => [
      ...(withCents ? [as(raw(`CAST(COALESCE(SUM(inv.cents_${k}), 0) AS BIGINT)`), k, 'spend_cents')] : []),
      as(countIf(inK(k)), k, 'invoices'),
      as(countIf(both(inK(k), clean)), k, 'invoices_clean'),
    ]);
    // The finding probe runs once per invoice (a MATERIALIZED row set, read once).
    return sql`WITH inv AS MATERIALIZED (${source})
SELECT ${cols} FROM inv`;
  };
  // Freight spend is summed in whole cents: exact on both engines (SQLite keeps DECIMAL as REAL).
  const cents = raw('ROUND(l.amount * 100)');
  const lineCarrier = filters.carrier ? [sql`l.carrier_id = ${carrierId(filters.carrier)}`] : [];

  let invoiceParts: Sql;
  if (filters.customer || filters.origin || filters.destination) {
    // la: the period's lines that bill a shipment passing the filters (unmatched lines drop out),
    // summed per document, then per invoice: spend and accuracy in one pass over the lines.
    // A customer's shipments (its index) or a lane's (the lane index, by origin) lead to their lines
    // (invoice_lines_shipment_idx): that history is far smaller than a period's lines. With a destination
    // only, the period's lines lead, each finding its shipment by id.
    const billed = filters.customer || filters.origin
      ? sql`FROM invoice_lines l
    WHERE ${between('l.invoice_date')}${andAll(lineCarrier)}
      AND l.shipment_ref IN (SELECT s.shipment_id FROM shipments s
        WHERE 1 = 1${andAll(shipmentConds({ carrier: false, byId: true }))})`
      : sql`FROM invoice_lines l JOIN shipments s ON s.shipment_id = l.shipment_ref
    WHERE ${between('l.invoice_date')}${andAll(lineCarrier)}${andAll(shipmentConds({ carrier: false, byId: false }))}`;
    // Per document, then per invoice: its cents in each period, and whether it has a line in it.
    const docColumns = perPeriod((k) => [
      sql`${sumOf(cents, inPeriod('l.invoice_date', k))} AS cents_${raw(String(k))}`,
      sql`${countIf(inPeriod('l.invoice_date', k))} AS n_${raw(String(k))}`,
    ]);
    const invoiceColumns = perPeriod((k) => [raw(`SUM(bd.cents_${k}) AS cents_${k}`), raw(`CASE WHEN SUM(bd.n_${k}) > 0 THEN 1 ELSE 0 END AS in_${k}`)]);
    const lines = sql`SELECT i.carrier_id, i.invoice_number, ${invoiceColumns}
  FROM (SELECT l.invoice_id, ${docColumns}
    ${billed}
    GROUP BY l.invoice_id) bd
  JOIN invoices i ON i.id = bd.invoice_id
  GROUP BY i.carrier_id, i.invoice_number`;
    invoiceParts = sql`(${accuracyOver(lines, true)}) la`;
  } else {
    const spend = sql`SELECT ${perPeriod((k) => [as(sumOf(cents, inPeriod('l.invoice_date', k)), k, 'spend_cents')])}
FROM invoice_lines l
WHERE ${between('l.invoice_date')}${andAll(lineCarrier)}`;
    const docCarrier = filters.carrier ? [sql`${h.noIndex('i.carrier_id')} = ${carrierId(filters.carrier)}`] : [];
    const inColumns = ps.length === 1 ? raw('') : sql`, ${perPeriod((k) => [sql`MAX(CASE WHEN ${between('i.invoice_date', ps[k])} THEN 1 ELSE 0 END) AS in_${raw(String(k))}`])}`;
    const documents = sql`SELECT i.carrier_id, i.invoice_number${inColumns} FROM invoices i
  WHERE ${between('i.invoice_date')}${andAll(docCarrier)}
  GROUP BY i.carrier_id, i.invoice_number`;
    invoiceParts = sql`(${spend}) sp
CROSS JOIN (${accuracyOver(documents, false)}) ac`;
  }

  // Every part is one row: one statement, one round trip.
  return sql`SELECT *
FROM ${shipmentParts}
CROSS JOIN ${invoiceParts}`;
}

const AGGREGATES: ReadonlyArray<keyof KpiAggregates> = [
  'shipment_count', 'exception_count', 'order_count', 'delivered_promised', 'on_time', 'on_time_in_full',
  'transit_shipments', 'transit_days', 'spend_cents', 'invoices', 'invoices_clean',
];

/** The aggregates of the k-th period from a row of `kpiStatement`. */
export function periodAggregates(row: Record<string, unknown>, k: number): KpiAggregates {
  const out = {} as Record<keyof KpiAggregates, number | string | null>;
  for (const name of AGGREGATES) out[name] = (row[`p${k}_${name}`] ?? null) as number | string | null;
  return out;
}

const num = (v: number | string | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));

/** a / b rounded half away from zero to `places` decimals, exactly for integers a and b (no float ties). */
export function roundedRatio(a: number, b: number, places: number): number {
  const scale = 10 ** places;
  const sign = Math.sign(a) * Math.sign(b);
  const n = Math.abs(a) * scale;
  const m = Math.abs(b);
  return (sign * Math.floor((2 * n + m) / (2 * m))) / scale || 0;
}

/**
 * The metrics from the aggregates. Rates are shares 0..1, NOT rounded (the exact double of count /
 * count; people see them as percentages with one decimal through format.ts, scripts get the precise
 * share), null with nothing to divide by. avg_transit_days is rounded to 2 decimals (null without
 * deliveries), freight_spend to cents (0 without lines).
 */
export function finishMetrics(a: KpiAggregates): KpiMetrics {
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
  const deliveredPromised = num(a.delivered_promised);
  const transitShipments = num(a.transit_shipments);
  return {
    shipment_count: num(a.shipment_count),
    order_count: num(a.order_count),
    on_time_rate: share(num(a.on_time), deliveredPromised),
    otif: share(num(a.on_time_in_full), deliveredPromised),
    avg_transit_days: transitShipments > 0 ? roundedRatio(num(a.transit_days), transitShipments, 2) : null,
    freight_spend: num(a.spend_cents) / 100 || 0,
    invoice_accuracy: share(num(a.invoices_clean), num(a.invoices)),
    exception_count: num(a.exception_count),
  };
}
