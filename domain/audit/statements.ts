import type { Dialect, SqlParam } from '../sql';
import type { AuditTolerance } from './types';

/**
 * The SQL of the freight audit (data.md, "Audit rules"), built for SQLite and PostgreSQL alike.
 *
 * Design (every step is one set-based statement; nothing loops over invoice lines in JS):
 *  1. wb_audit_inv   the invoice documents in scope (period, carrier, invoice number, and, with a
 *                    customer/origin/destination filter, documents that bill such a shipment).
 *  2. wb_audit_fam + wb_audit_dupdoc   every document with the same carrier + invoice number (all
 *                    dates, in or out of scope); the later ones are re-billed duplicates (rule a).
 *  3. wb_audit_g     the ONE scan of invoice_lines, grouped per (invoice, shipment_ref, accessorial
 *                    code; the code is null for linehaul/fuel/tax/other): linehaul, fuel and total
 *                    sums, billed weights, first line id. Joined once to the invoice (rowid), to the
 *                    shipment (status, weight, lane, dates) and to the contract row (rate_id: on
 *                    SQLite one probe of rates_lane_idx, walked in index order; on PostgreSQL a hash
 *                    join to the lanes' contract validity intervals). Each group gets a kind:
 *                    D (document is a re-billed duplicate), U (unmatched), C (cancelled), M (matched:
 *                    the comparison rules apply). Categorical rules claim the whole amount, so a group
 *                    is checked by one of them or by the comparison rules, never both (no double count).
 *  4. wb_audit_lhdup linehaul already billed for the shipment on an earlier invoice with another
 *                    number (rule b); only shipments with more than one linehaul line anywhere (any
 *                    date, in or out of scope) are probed.
 *  5. wb_audit_cmp   one pass computing the contracted linehaul and fuel, keeping only the rows that
 *                    can exceed the tolerance (cheap necessary conditions first).
 *  6. wb_audit_find  one INSERT ... SELECT per rule.
 *  7. upsert into audit_findings ON CONFLICT (finding_key), delete the stale open ones of the scope.
 * Measured on SQLite, 2,000,000 lines: the grouping sort is about half of the time, the joins of
 * step 3 a quarter; every other step is a scan of an in-memory temp table or touches few rows.
 *
 * Money: PostgreSQL computes in exact NUMERIC (a double is cast before rounding: it has no
 * ROUND(double, int)); SQLite in doubles. Rounding to cents adds 1e-7 before ROUND so that a
 * half cent rounds up on both (SQLite would otherwise round 185.175, stored as 185.17499..., down).
 * Tolerance comparisons are on the amount rounded to cents against max(pct% x expected, abs) plus
 * 1e-6: exactly at the tolerance is not a finding, one cent above is.
 */

export const T = {
  inv: 'wb_audit_inv',
  fam: 'wb_audit_fam',
  dupdoc: 'wb_audit_dupdoc',
  lane: 'wb_audit_lane',
  g: 'wb_audit_g',
  multi: 'wb_audit_lhmulti',
  lhdup: 'wb_audit_lhdup',
  cmp: 'wb_audit_cmp',
  find: 'wb_audit_find',
} as const;

export interface Stmt {
  sql: string;
  params: SqlParam[];
}

export interface AuditScope {
  from?: string;
  to?: string;
  /** carriers.name_key (lower-case, trimmed). */
  carrierKey?: string;
  /** Upper-case, whitespace removed. */
  invoiceKey?: string;
  customerKey?: string;
  originKey?: string;
  destinationKey?: string;
}

const EPS = '0.000001';

export function dialectSql(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    pg,
    /** Rounded to cents, half up, the same on both databases. */
    money: (x: string) => (pg ? `ROUND(CAST(${x} AS NUMERIC) + 0.0000001, 2)` : `ROUND((${x}) + 0.0000001, 2)`),
    greatest: (a: string, b: string) => (pg ? `GREATEST(${a}, ${b})` : `MAX(${a}, ${b})`),
    distinct: (a: string, b: string) => (pg ? `${a} IS DISTINCT FROM ${b}` : `${a} IS NOT ${b}`),
    createTempAs: (name: string, select: string) =>
      pg ? `CREATE TEMP TABLE ${name} ON COMMIT DROP AS ${select}` : `CREATE TEMP TABLE ${name} AS ${select}`,
    createTemp: (name: string, cols: string) =>
      pg ? `CREATE TEMP TABLE ${name} (${cols}) ON COMMIT DROP` : `CREATE TEMP TABLE ${name} (${cols})`,
    double: pg ? 'DOUBLE PRECISION' : 'REAL',
    /**
     * The latest valid_from first, an open start (null) last. SQLite sorts nulls last in DESC and so
     * walks rates_lane_idx backwards (no sort per shipment); PostgreSQL needs NULLS LAST said.
     */
    latestFirst: pg ? 'r.valid_from DESC NULLS LAST, r.id DESC' : 'r.valid_from DESC, r.id DESC',
    sep: (n: number) => (pg ? `chr(${n})` : `char(${n})`),
    concatAgg: (x: string, sep: string) => (pg ? `string_agg(${x}, ${sep})` : `group_concat(${x}, ${sep})`),
  };
}

type D = ReturnType<typeof dialectSql>;

/** Statements that drop what a previous, interrupted run may have left (SQLite keeps temp tables per connection). */
export function dropTemps(): string[] {
  return Object.values(T).map((t) => `DROP TABLE IF EXISTS ${t}`);
}

function shipmentFilter(scope: AuditScope, alias: string, params: SqlParam[]): string[] {
  const where: string[] = [];
  if (scope.customerKey !== undefined) {
    where.push(`${alias}.customer_id IN (SELECT cu.id FROM customers cu WHERE cu.name_key = ?)`);
    params.push(scope.customerKey);
  }
  if (scope.originKey !== undefined) {
    where.push(`${alias}.origin_key = ?`);
    params.push(scope.originKey);
  }
  if (scope.destinationKey !== undefined) {
    where.push(`${alias}.destination_key = ?`);
    params.push(scope.destinationKey);
  }
  return where;
}

export function hasShipmentFilter(scope: AuditScope): boolean {
  return scope.customerKey !== undefined || scope.originKey !== undefined || scope.destinationKey !== undefined;
}

/** An invoice number as people type it, as the audit compares it: "#inv 2291 " -> "INV2291" (undefined when blank). */
export function invoiceNumberKey(s: string | undefined): string | undefined {
  const key = s?.trim().replace(/^#/, '').replace(/\s+/g, '').toUpperCase();
  return key ? key : undefined;
}

/**
 * The invoice numbers `column` that a key (invoiceNumberKey) names: the same number with case and
 * spaces ignored, and for a key of digits alone, a number ending in "-" and those digits ("2291" finds
 * "INV-2291": people type the number without its prefix).
 */
export function invoiceNumberMatch(column: string, key: string): Stmt {
  const alts = [`REPLACE(UPPER(TRIM(${column})), ' ', '') = ?`];
  const params: SqlParam[] = [key];
  if (/^\d+$/.test(key)) {
    alts.push(`UPPER(TRIM(${column})) LIKE ?`);
    params.push(`%-${key}`);
  }
  return { sql: `(${alts.join(' OR ')})`, params };
}

/** 1. The invoice documents in scope. */
export function scopeInvoices(d: D, scope: AuditScope): Stmt {
  const params: SqlParam[] = [];
  const where: string[] = [];
  if (scope.from) {
    where.push('i.invoice_date >= ?');
    params.push(scope.from);
  }
  if (scope.to) {
    where.push('i.invoice_date <= ?');
    params.push(scope.to);
  }
  if (scope.carrierKey !== undefined) {
    where.push('i.carrier_id IN (SELECT c.id FROM carriers c WHERE c.name_key = ?)');
    params.push(scope.carrierKey);
  }
  if (scope.invoiceKey !== undefined) {
    const m = invoiceNumberMatch('i.invoice_number', scope.invoiceKey);
    where.push(m.sql);
    params.push(...m.params);
  }
  if (hasShipmentFilter(scope)) {
    const sub: SqlParam[] = [];
    const sw = shipmentFilter(scope, 's', sub);
    where.push(
      `i.id IN (SELECT l.invoice_id FROM shipments s JOIN invoice_lines l ON l.shipment_ref = s.shipment_id WHERE ${sw.join(' AND ')})`,
    );
    params.push(...sub);
  }
  return {
    sql: d.createTempAs(
      T.inv,
      `SELECT i.id AS invoice_id, i.carrier_id, i.invoice_number, i.invoice_date, UPPER(TRIM(i.invoice_number)) AS num_key
       FROM invoices i ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
    ),
    params,
  };
}

/** 2. Documents that share carrier + number with one in scope, then the later ones (re-billed). */
export function familyAndDuplicateDocuments(d: D): string[] {
  return [
    `CREATE INDEX ${T.inv}_id ON ${T.inv} (invoice_id)`,
    `CREATE INDEX ${T.inv}_num ON ${T.inv} (carrier_id, num_key)`,
    // Temp tables get no statistics on their own: without them PostgreSQL plans the family lookup as
    // a nested loop over every pair of invoices (minutes on 100k invoices instead of a hash join).
    `ANALYZE ${T.inv}`,
    d.createTempAs(
      T.fam,
      `SELECT p.id AS invoice_id, p.carrier_id, UPPER(TRIM(p.invoice_number)) AS num_key, p.invoice_date
       FROM invoices p
       WHERE p.carrier_id IN (SELECT DISTINCT carrier_id FROM ${T.inv})
         AND EXISTS (SELECT 1 FROM ${T.inv} w WHERE w.carrier_id = p.carrier_id AND w.num_key = UPPER(TRIM(p.invoice_number)))`,
    ),
    // The first document of a number is the original; every later one (by date, then id) duplicates it.
    d.createTempAs(
      T.dupdoc,
      `SELECT x.invoice_id, x.first_id FROM (
         SELECT f.invoice_id,
           ROW_NUMBER() OVER (PARTITION BY f.carrier_id, f.num_key ORDER BY f.invoice_date, f.invoice_id) AS rn,
           FIRST_VALUE(f.invoice_id) OVER (PARTITION BY f.carrier_id, f.num_key ORDER BY f.invoice_date, f.invoice_id) AS first_id
         FROM ${T.fam} f) x
       WHERE x.rn > 1 AND x.invoice_id IN (SELECT invoice_id FROM ${T.inv})`,
    ),
  ];
}

/** The date a shipment's contract must be valid on: ship date, else order date, else the invoice date (of `inv`). */
const contractDate = (inv: string) => `COALESCE(s.ship_date, s.order_date, ${inv}.invoice_date)`;

/** The flat/per_kg contract of a carrier + lane valid on a date: the latest valid_from. */
function laneRate(d: D, carrier: string, origin: string, destination: string, date: string): string {
  return `(SELECT r.id FROM rates r
      WHERE r.carrier_id = ${carrier} AND r.origin_key = ${origin} AND r.destination_key = ${destination}
        AND r.rate_basis IN ('flat', 'per_kg')
        AND (r.valid_from IS NULL OR r.valid_from <= ${date}) AND (r.valid_to IS NULL OR r.valid_to >= ${date})
      ORDER BY ${d.latestFirst} LIMIT 1)`;
}

/**
 * An accessorial schedule row: origin/destination '*' (a row for the shipment's own lane is also
 * honoured, first). `inv` is the alias with the invoice's carrier_id and invoice_date.
 */
function accessorialRate(d: D, inv: string): string {
  const cdate = contractDate(inv);
  return `(SELECT r.id FROM rates r
      WHERE r.carrier_id = ${inv}.carrier_id AND r.rate_basis = 'accessorial' AND UPPER(TRIM(r.charge_code)) = g.acc_code
        AND r.origin_key IN ('*', s.origin_key) AND r.destination_key IN ('*', s.destination_key)
        AND (r.valid_from IS NULL OR r.valid_from <= ${cdate}) AND (r.valid_to IS NULL OR r.valid_to >= ${cdate})
      ORDER BY CASE WHEN r.origin_key = '*' THEN 1 ELSE 0 END + CASE WHEN r.destination_key = '*' THEN 1 ELSE 0 END,
        ${d.latestFirst} LIMIT 1)`;
}

/**
 * 3. The one scan of invoice lines, joined to invoice, shipment and contract row. Only the columns
 * the groups need go through the sort; acc_code is null for the other charge types and '' for an
 * accessorial billed without a code.
 *
 * The lane contract lookup differs by database. SQLite has no hash join: one probe of
 * rates_lane_idx per group (walked backwards: no sort) is the cheapest it can do. PostgreSQL would run
 * that subquery as a subplan per group (several microseconds each); it hash-joins each group to the
 * validity intervals of its lane's contracts instead (wb_audit_lane, laneIntervals: a few rows per
 * lane, computed from the rates alone), so the group's contract is known as the group is written.
 */
export function groupedLines(d: D, scope: AuditScope, lineScopeByInvoice: boolean): (Stmt | string)[] {
  const params: SqlParam[] = [];
  const where: string[] = [];
  if (lineScopeByInvoice) {
    where.push(`l.invoice_id IN (SELECT invoice_id FROM ${T.inv})`);
  } else {
    // invoice_lines carries the invoice's carrier and date (denormalised): no join needed.
    if (scope.from) {
      where.push('l.invoice_date >= ?');
      params.push(scope.from);
    }
    if (scope.to) {
      where.push('l.invoice_date <= ?');
      params.push(scope.to);
    }
    if (scope.carrierKey !== undefined) {
      where.push('l.carrier_id IN (SELECT c.id FROM carriers c WHERE c.name_key = ?)');
      params.push(scope.carrierKey);
    }
  }
  const live = `s.id IS NOT NULL AND s.status <> 'cancelled'`;
  const needsLane = `${live} AND g.acc_code IS NULL AND (g.lh IS NOT NULL OR g.fuel IS NOT NULL)`;
  // The invoice's carrier and date: SQLite joins the invoice (by rowid); PostgreSQL takes the copies
  // every line carries (denormalised) into the group key, one hash join fewer over a million groups.
  const inv = d.pg ? 'g' : 'i';
  const cdate = contractDate(inv);
  const lane = d.pg ? `ln.rate_id` : laneRate(d, 'i.carrier_id', 's.origin_key', 's.destination_key', cdate);
  const laneJoin = d.pg
    ? `LEFT JOIN ${T.lane} ln ON ln.carrier_id = g.carrier_id AND ln.origin_key = s.origin_key AND ln.destination_key = s.destination_key
         AND ln.start_date <= ${cdate} AND (ln.end_date IS NULL OR ln.end_date > ${cdate})`
    : '';
  const lineDoc = d.pg ? 'x.carrier_id, x.invoice_date, ' : '';
  const grouped = d.createTempAs(
    T.g,
    `SELECT g.invoice_id, ${inv}.carrier_id, ${inv}.invoice_date, g.sref, g.acc_code,
       g.lh, g.fuel, g.total, g.lh_bw, g.bw, g.line_id,${d.pg ? ' g.lh_lines,' : ''}
       CASE WHEN g.invoice_id IN (SELECT invoice_id FROM ${T.dupdoc}) THEN 'D'
            WHEN s.id IS NULL THEN 'U'
            WHEN s.status = 'cancelled' THEN 'C'
            ELSE 'M' END AS kind,
       s.weight_kg AS ship_weight,
       CASE WHEN ${live} AND g.acc_code IS NOT NULL THEN ${accessorialRate(d, inv)}
            WHEN ${needsLane} THEN ${lane}
       END AS rate_id
     FROM (
       SELECT x.invoice_id, ${lineDoc}x.sref, x.acc_code,
         SUM(CASE WHEN x.charge_type = 'linehaul' THEN x.amount END) AS lh,
         SUM(CASE WHEN x.charge_type = 'fuel' THEN x.amount END) AS fuel,
         SUM(x.amount) AS total,
         MAX(CASE WHEN x.charge_type = 'linehaul' THEN x.billed_weight_kg END) AS lh_bw,
         MAX(x.billed_weight_kg) AS bw,
         MIN(x.id) AS line_id${d.pg ? ", SUM(CASE WHEN x.charge_type = 'linehaul' THEN 1 ELSE 0 END) AS lh_lines" : ''}
       FROM (
         SELECT l.id, l.invoice_id, ${d.pg ? 'l.carrier_id, l.invoice_date, ' : ''}l.charge_type, l.amount, l.billed_weight_kg,
           CASE WHEN TRIM(l.shipment_ref) = '' THEN NULL ELSE l.shipment_ref END AS sref,
           CASE WHEN l.charge_type = 'accessorial' THEN COALESCE(UPPER(TRIM(l.charge_code)), '') END AS acc_code
         FROM invoice_lines l ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ) x
       GROUP BY x.invoice_id, ${lineDoc}x.sref, x.acc_code
     ) g
     ${d.pg ? '' : 'JOIN invoices i ON i.id = g.invoice_id'}
     LEFT JOIN shipments s ON s.shipment_id = g.sref
     ${laneJoin}`,
  );
  if (!d.pg) return [{ sql: grouped, params }];
  return [{ sql: d.createTempAs(T.lane, laneIntervals(d)), params: [] }, `ANALYZE ${T.lane}`, { sql: grouped, params }, `ANALYZE ${T.g}`];
}

/**
 * PostgreSQL: the flat/per_kg contract of every lane (carrier, origin, destination) over time, as
 * intervals [start_date, end_date) (end_date null: open) in which it does not change: it can change
 * only where a contract of the lane starts (valid_from) or ends (the day after valid_to), so the
 * contract valid on an interval's first day (the latest valid_from, as laneRate orders them) is the
 * one of every day in it. A lane without any contract has no row (no contract either).
 */
function laneIntervals(d: D): string {
  const contracts = "FROM rates WHERE rate_basis IN ('flat', 'per_kg')";
  return `SELECT b.carrier_id, b.origin_key, b.destination_key, b.day AS start_date,
      LEAD(b.day) OVER (PARTITION BY b.carrier_id, b.origin_key, b.destination_key ORDER BY b.day) AS end_date,
      ${laneRate(d, 'b.carrier_id', 'b.origin_key', 'b.destination_key', 'b.day')} AS rate_id
    FROM (
      SELECT carrier_id, origin_key, destination_key, CAST('-infinity' AS DATE) AS day ${contracts}
      UNION SELECT carrier_id, origin_key, destination_key, valid_from ${contracts} AND valid_from IS NOT NULL
      UNION SELECT carrier_id, origin_key, destination_key, valid_to + 1 ${contracts} AND valid_to IS NOT NULL
    ) b`;
}

/** The lane contract of a main (linehaul/fuel) group: wb_audit_g.rate_id (null: none valid). */
function laneContract(): { join: string; id: string; missing: string } {
  return { join: '', id: 'g.rate_id', missing: 'g.rate_id IS NULL' };
}

const MAIN_LINEHAUL = `g.kind = 'M' AND g.acc_code IS NULL AND g.lh IS NOT NULL`;

/**
 * 4a. Shipments with more than one linehaul line anywhere: the candidates of rule (b). For a large
 * scope one pass over all linehaul lines (on SQLite a walk of the covering index (shipment_ref,
 * charge_type)) beats a probe per shipment; for a small one the probes win. On PostgreSQL a scope
 * that is a date range counts the linehaul lines of its groups (lh_lines) and adds those outside the
 * range (few; none for a whole-table audit) instead of reading every line again.
 */
export function multiLinehaul(d: D, wholeTable: boolean, scope: AuditScope, lineScopeByInvoice: boolean): Stmt {
  if (d.pg && wholeTable && !lineScopeByInvoice && scope.carrierKey === undefined) {
    const outside: string[] = [];
    const params: SqlParam[] = [];
    if (scope.from) {
      outside.push('l.invoice_date < ?');
      params.push(scope.from);
    }
    if (scope.to) {
      outside.push('l.invoice_date > ?');
      params.push(scope.to);
    }
    const others = outside.length
      ? `UNION ALL SELECT l.shipment_ref, 1 FROM invoice_lines l
         WHERE l.charge_type = 'linehaul' AND l.shipment_ref IS NOT NULL AND (${outside.join(' OR ')})`
      : '';
    return {
      sql: d.createTempAs(
        T.multi,
        `SELECT x.sref FROM (SELECT g.sref, g.lh_lines AS n FROM ${T.g} g WHERE g.lh_lines > 0 AND g.sref IS NOT NULL ${others}) x
         GROUP BY x.sref HAVING SUM(x.n) > 1`,
      ),
      params,
    };
  }
  if (wholeTable) {
    return {
      sql: d.createTempAs(
        T.multi,
        `SELECT l.shipment_ref AS sref FROM invoice_lines l ${d.pg ? '' : 'INDEXED BY invoice_lines_shipment_idx'}
         WHERE l.shipment_ref IS NOT NULL AND l.charge_type = 'linehaul'
         GROUP BY l.shipment_ref HAVING COUNT(*) > 1`,
      ),
      params: [],
    };
  }
  return {
    sql: d.createTempAs(
      T.multi,
      `SELECT l.shipment_ref AS sref FROM invoice_lines l
       WHERE l.charge_type = 'linehaul' AND l.shipment_ref IN (SELECT g.sref FROM ${T.g} g WHERE ${MAIN_LINEHAUL})
       GROUP BY l.shipment_ref HAVING COUNT(*) > 1`,
    ),
    params: [],
  };
}

/** 4b. Rule (b): the later invoice's linehaul for a shipment whose linehaul another invoice number billed first. */
export function duplicateLinehaul(d: D): string[] {
  return [
    `CREATE INDEX ${T.multi}_sref ON ${T.multi} (sref)`,
    d.createTempAs(
      T.lhdup,
      `SELECT y.invoice_id, y.sref, y.ref_invoice_id FROM (
         SELECT g.invoice_id, g.sref,
           (SELECT i2.id FROM invoice_lines l2 JOIN invoices i2 ON i2.id = l2.invoice_id
             WHERE l2.shipment_ref = g.sref AND l2.charge_type = 'linehaul'
               AND NOT (i2.carrier_id = w.carrier_id AND UPPER(TRIM(i2.invoice_number)) = w.num_key)
               AND (i2.invoice_date < w.invoice_date OR (i2.invoice_date = w.invoice_date AND i2.id < w.invoice_id))
             ORDER BY i2.invoice_date, i2.id LIMIT 1) AS ref_invoice_id
         FROM ${T.g} g JOIN ${T.inv} w ON w.invoice_id = g.invoice_id
         WHERE ${MAIN_LINEHAUL} AND g.sref IN (SELECT sref FROM ${T.multi})
       ) y WHERE y.ref_invoice_id IS NOT NULL`,
    ),
    `CREATE INDEX ${T.lhdup}_key ON ${T.lhdup} (invoice_id, sref)`,
  ];
}

/** The weight the linehaul is rated on: the shipment's, else the weight the carrier billed. */
const WEIGHT = 'COALESCE(g.ship_weight, g.lh_bw, g.bw)';

/**
 * A finding when billed exceeds expected by more than max(pct% of expected, abs). The first two
 * terms are cheap necessary conditions (rounding moves a difference by at most half a cent) that
 * discard the clean rows before the exact test in cents; they are evaluated left to right.
 */
function overTolerance(d: D, tol: AuditTolerance, billed: string, expected: string): Stmt {
  return {
    sql: `(${prefilter(billed, expected)}
      AND ${d.money(`${billed} - ${expected}`)} > ${d.greatest(`${expected} * ? / 100.0`, '?')} + ${EPS})`,
    params: [tol.abs, tol.pct, tol.pct, tol.abs],
  };
}

const prefilter = (billed: string, expected: string) =>
  `${billed} - ${expected} > ? - 0.006 AND ${billed} - ${expected} > ${expected} * ? / 100.0 - 0.006`;

/**
 * 5. Contracted linehaul and allowed fuel, for the rows that may be above them. The filter uses the
 * unrounded contract figures (rounding moves them by a cent or two at most, even with a fuel_pct of
 * several hundred percent: hence the 0.05 margin) so that ROUND, slow in SQLite, only runs for the
 * few rows kept; the rules then apply the exact test in cents.
 */
export function comparisons(d: D, tol: AuditTolerance): Stmt {
  const m = d.money;
  const lane = laneContract();
  // The contracted linehaul (null: per_kg without any weight, the rules are skipped).
  const expected = `CASE WHEN c.rate_basis = 'flat' THEN c.rate
      WHEN c.rate_basis = 'per_kg' AND c.w IS NOT NULL THEN ${d.greatest(m('c.rate * c.w'), 'COALESCE(c.min_charge, 0)')}
    END`;
  const rough = `CASE WHEN r.rate_basis = 'flat' THEN r.rate
      WHEN r.rate_basis = 'per_kg' THEN ${d.greatest(`r.rate * ${WEIGHT}`, 'COALESCE(r.min_charge, 0)')} END`;
  const maybeOver = (billed: string, exp: string) =>
    `${billed} - ${exp} > ? - 0.05 AND ${billed} - ${exp} > ${exp} * ? / 100.0 - 0.05`;
  return {
    sql: d.createTempAs(
      T.cmp,
      `SELECT c.invoice_id, c.sref, c.line_id, c.lh, c.fuel, c.rate_id, ${expected} AS expected_lh,
         ${m(`(${expected}) * COALESCE(c.fuel_pct, 0) / 100.0`)} AS allowed_fuel,
         CASE WHEN c.rate_basis = 'per_kg' THEN c.w END AS weight_used
       FROM (
         SELECT g.invoice_id, g.sref, g.line_id, g.lh, g.fuel, r.id AS rate_id, r.rate_basis, r.rate, r.min_charge, r.fuel_pct,
           ${WEIGHT} AS w, ${rough} AS xe
         FROM ${T.g} g ${lane.join} JOIN rates r ON r.id = ${lane.id}
         WHERE g.kind = 'M' AND g.acc_code IS NULL
       ) c
       WHERE (${maybeOver('c.lh', 'c.xe')}) OR (${maybeOver('c.fuel', 'c.xe * COALESCE(c.fuel_pct, 0) / 100.0')})`,
    ),
    params: [tol.abs, tol.pct, tol.abs, tol.pct],
  };
}

export function createFindTable(d: D): string {
  return d.createTemp(
    T.find,
    `finding_key VARCHAR(300) NOT NULL, invoice_id INTEGER NOT NULL, line_id INTEGER, rule VARCHAR(32) NOT NULL,
     shipment_ref VARCHAR(64), charge_code VARCHAR(16), expected NUMERIC(14,2), billed NUMERIC(14,2) NOT NULL,
     overcharge NUMERIC(14,2) NOT NULL, rate_id INTEGER, ref_invoice_id INTEGER,
     weight_used ${d.double}, contract_linehaul NUMERIC(14,2)`,
  );
}

/** finding_key = invoice_id|rule|shipment_ref|charge_code (re-running the audit finds the same key). */
const KEY = (rule: string, a = 'g', code = "''") =>
  `CAST(${a}.invoice_id AS VARCHAR(20)) || '|${rule}|' || COALESCE(${a}.sref, '') || '|' || COALESCE(${code}, '')`;

const INSERT = `INSERT INTO ${T.find} (finding_key, invoice_id, line_id, rule, shipment_ref, charge_code, expected, billed,
  overcharge, rate_id, ref_invoice_id, weight_used, contract_linehaul)`;

/** 6. One INSERT ... SELECT per rule. */
export function ruleStatements(d: D, tol: AuditTolerance): Stmt[] {
  const m = d.money;
  const lane = laneContract();
  const notLhDup = (a: string) =>
    `NOT EXISTS (SELECT 1 FROM ${T.lhdup} dl WHERE dl.invoice_id = ${a}.invoice_id AND dl.sref = ${a}.sref)`;
  const out: Stmt[] = [];

  // duplicate_invoice (a): a later document of the same carrier + number: its whole total.
  out.push({
    sql: `${INSERT}
      SELECT CAST(g.invoice_id AS VARCHAR(20)) || '|duplicate_invoice||', g.invoice_id, MIN(g.line_id), 'duplicate_invoice', NULL, NULL,
        0, ${m('SUM(g.total)')}, ${m('SUM(g.total)')}, NULL, MIN(dd.first_id), NULL, NULL
      FROM ${T.g} g JOIN ${T.dupdoc} dd ON dd.invoice_id = g.invoice_id
      WHERE g.kind = 'D'
      GROUP BY g.invoice_id`,
    params: [],
  });
  // duplicate_invoice (b): the later invoice's linehaul for a shipment billed first on another invoice.
  out.push({
    sql: `${INSERT}
      SELECT ${KEY('duplicate_invoice')}, g.invoice_id, g.line_id, 'duplicate_invoice', g.sref, NULL,
        0, ${m('g.lh')}, ${m('g.lh')}, NULL, dl.ref_invoice_id, NULL, NULL
      FROM ${T.g} g JOIN ${T.lhdup} dl ON dl.invoice_id = g.invoice_id AND dl.sref = g.sref
      WHERE ${MAIN_LINEHAUL}`,
    params: [],
  });
  // unmatched_shipment / cancelled_shipment: everything billed for that invoice + shipment reference.
  for (const [rule, kind] of [['unmatched_shipment', 'U'], ['cancelled_shipment', 'C']] as const) {
    out.push({
      sql: `${INSERT}
        SELECT ${KEY(rule)}, g.invoice_id, MIN(g.line_id), '${rule}', g.sref, NULL,
          0, ${m('SUM(g.total)')}, ${m('SUM(g.total)')}, NULL, NULL, NULL, NULL
        FROM ${T.g} g WHERE g.kind = '${kind}'
        GROUP BY g.invoice_id, g.sref`,
      params: [],
    });
  }
  // rate_overcharge: linehaul above the contract (flat, or per_kg x weight with the minimum charge).
  {
    const over = overTolerance(d, tol, 'c.lh', 'c.expected_lh');
    out.push({
      sql: `${INSERT}
        SELECT ${KEY('rate_overcharge', 'c')}, c.invoice_id, c.line_id, 'rate_overcharge', c.sref, NULL,
          c.expected_lh, ${m('c.lh')}, ${m('c.lh - c.expected_lh')}, c.rate_id, NULL, c.weight_used, NULL
        FROM ${T.cmp} c WHERE ${over.sql} AND ${notLhDup('c')}`,
      params: over.params,
    });
  }
  // fuel_overcharge: fuel above fuel_pct of the CONTRACTED linehaul (not the billed one).
  {
    const over = overTolerance(d, tol, 'c.fuel', 'c.allowed_fuel');
    out.push({
      sql: `${INSERT}
        SELECT ${KEY('fuel_overcharge', 'c')}, c.invoice_id, c.line_id, 'fuel_overcharge', c.sref, NULL,
          c.allowed_fuel, ${m('c.fuel')}, ${m('c.fuel - c.allowed_fuel')}, c.rate_id, NULL, c.weight_used, c.expected_lh
        FROM ${T.cmp} c WHERE ${over.sql}`,
      params: over.params,
    });
  }
  // accessorial_not_allowed: no accessorial row for the carrier + code valid on the date.
  out.push({
    sql: `${INSERT}
      SELECT ${KEY('accessorial_not_allowed', 'g', 'g.acc_code')}, g.invoice_id, g.line_id, 'accessorial_not_allowed', g.sref,
        NULLIF(g.acc_code, ''), 0, ${m('g.total')}, ${m('g.total')}, NULL, NULL, NULL, NULL
      FROM ${T.g} g WHERE g.kind = 'M' AND g.acc_code IS NOT NULL AND g.rate_id IS NULL`,
    params: [],
  });
  // accessorial_over_max: above the contracted maximum per shipment.
  {
    const over = overTolerance(d, tol, 'g.total', 'r.rate');
    out.push({
      sql: `${INSERT}
        SELECT ${KEY('accessorial_over_max', 'g', 'g.acc_code')}, g.invoice_id, g.line_id, 'accessorial_over_max', g.sref,
          g.acc_code, r.rate, ${m('g.total')}, ${m('g.total - r.rate')}, g.rate_id, NULL, NULL, NULL
        FROM ${T.g} g JOIN rates r ON r.id = g.rate_id
        WHERE g.kind = 'M' AND g.acc_code IS NOT NULL AND ${over.sql}`,
      params: over.params,
    });
  }
  // weight_overbilled: expected and billed are kilograms here, and the overcharge is 0 on purpose:
  // when the carrier charged for the extra weight, the money is already in rate_overcharge (per_kg
  // rated on the shipment's weight); counting it here too would count it twice.
  {
    const over = overTolerance(d, tol, 'g.bw', 'g.ship_weight');
    out.push({
      sql: `${INSERT}
        SELECT ${KEY('weight_overbilled')}, g.invoice_id, g.line_id, 'weight_overbilled', g.sref, NULL,
          ${m('g.ship_weight')}, ${m('g.bw')}, 0, NULL, NULL, NULL, NULL
        FROM ${T.g} g
        WHERE g.kind = 'M' AND g.acc_code IS NULL AND g.bw IS NOT NULL AND g.ship_weight IS NOT NULL AND ${over.sql}`,
      params: over.params,
    });
  }
  // no_contract_rate: linehaul on a matched, live shipment with no valid flat/per_kg contract.
  out.push({
    sql: `${INSERT}
      SELECT ${KEY('no_contract_rate')}, g.invoice_id, g.line_id, 'no_contract_rate', g.sref, NULL,
        NULL, ${m('g.lh')}, 0, NULL, NULL, NULL, NULL
      FROM ${T.g} g
      WHERE ${MAIN_LINEHAUL} AND ${lane.missing} AND ${notLhDup('g')}`,
    params: [],
  });
  return out;
}

/** 6. Store: insert new findings, update changed ones (status kept), drop the stale open ones of the scope. */
export function storeStatements(d: D, now: string): Stmt[] {
  const changed = ['invoice_line_id', 'invoice_number', 'expected', 'billed', 'overcharge', 'rate_id']
    .map((c) => d.distinct(`audit_findings.${c}`, `excluded.${c}`))
    .join(' OR ');
  return [
    { sql: `CREATE INDEX ${T.find}_key ON ${T.find} (finding_key)`, params: [] },
    {
      sql: `INSERT INTO audit_findings (finding_key, invoice_id, invoice_line_id, invoice_number, carrier_id, invoice_date,
          shipment_ref, rule, charge_code, expected, billed, overcharge, rate_id, status, created_at, updated_at)
        SELECT f.finding_key, f.invoice_id, f.line_id, w.invoice_number, w.carrier_id, w.invoice_date,
          f.shipment_ref, f.rule, f.charge_code, f.expected, f.billed, f.overcharge, f.rate_id, 'open', ?, ?
        FROM ${T.find} f JOIN ${T.inv} w ON w.invoice_id = f.invoice_id
        WHERE 1 = 1
        ON CONFLICT (finding_key) DO UPDATE SET
          invoice_line_id = excluded.invoice_line_id, invoice_number = excluded.invoice_number,
          expected = excluded.expected, billed = excluded.billed, overcharge = excluded.overcharge,
          rate_id = excluded.rate_id, updated_at = excluded.updated_at
        WHERE ${changed}`,
      params: [now, now],
    },
    {
      sql: `DELETE FROM audit_findings
        WHERE status = 'open' AND invoice_id IN (SELECT invoice_id FROM ${T.inv})
          AND NOT EXISTS (SELECT 1 FROM ${T.find} f WHERE f.finding_key = audit_findings.finding_key)`,
      params: [],
    },
  ];
}

export function invoicesChecked(): string {
  return `SELECT COUNT(*) AS n FROM (SELECT DISTINCT carrier_id, num_key FROM ${T.inv}) x`;
}

/** Fields of a packed finding, in order (see resultQuery). */
export const PACKED = [
  'id', 'invoice_number', 'invoice_date', 'carrier_id', 'shipment_ref', 'rule', 'charge_code', 'expected', 'billed',
  'overcharge', 'status', 'rate_id', 'ref_invoice_id', 'weight_used', 'contract_linehaul', 's_origin', 's_destination', 's_date',
] as const;
export const FIELD_SEP = '\x1f';
export const ROW_SEP = '\x1e';

/**
 * The findings of this run as stored (id, status), with what the explanations need.
 *
 * Tens of thousands of findings cross the driver as a few long strings (fields joined by \x1f,
 * findings by \x1e, 64 chunks at most) because node-sqlite3 spends microseconds per row and per
 * value: 65,000 findings x 18 columns took 2-3 s as rows, ~0.1 s packed. Null is ''.
 */
export function resultQuery(d: D, scope: AuditScope, minAmount: number | undefined): Stmt {
  const params: SqlParam[] = [];
  const where: string[] = [];
  if (minAmount !== undefined) {
    where.push(`a.overcharge >= ? - ${EPS}`);
    params.push(minAmount);
  }
  if (hasShipmentFilter(scope)) {
    // Findings about a filtered shipment; a re-billed document (no shipment) when it bills one.
    const sw = shipmentFilter(scope, 'fs', params);
    where.push(`(a.shipment_ref IS NULL AND a.rule = 'duplicate_invoice'
      OR a.shipment_ref IN (SELECT fs.shipment_id FROM shipments fs WHERE ${sw.join(' AND ')}))`);
  }
  const txt = (x: string) => `COALESCE(CAST(${x} AS VARCHAR(300)), '')`;
  // Lane and date of the shipment, for the no_contract_rate explanation only.
  const ship = (col: string) =>
    `CASE WHEN a.rule = 'no_contract_rate' THEN (SELECT ${txt(col)} FROM shipments s WHERE s.shipment_id = a.shipment_ref) ELSE '' END`;
  const fields = [
    'a.id', 'a.invoice_number', 'a.invoice_date', 'a.carrier_id', 'a.shipment_ref', 'a.rule', 'a.charge_code', 'a.expected',
    'a.billed', 'a.overcharge', 'a.status', 'a.rate_id', 'f.ref_invoice_id', 'f.weight_used', 'f.contract_linehaul',
  ].map(txt);
  fields.push(ship('s.origin'), ship('s.destination'), ship('COALESCE(s.ship_date, s.order_date)'));
  const packed = fields.join(` || ${d.sep(31)} || `);
  return {
    sql: `SELECT ${d.concatAgg(packed, d.sep(30))} AS chunk
      FROM ${T.find} f
      JOIN audit_findings a ON a.finding_key = f.finding_key
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY f.invoice_id % 64`,
    params,
  };
}

/** The small tables the findings refer to, read once each. */
export function lookupQueries() {
  return {
    carriers: `SELECT id, name FROM carriers WHERE id IN (SELECT DISTINCT carrier_id FROM ${T.inv})`,
    rates: `SELECT id, origin, destination, rate_basis, rate, min_charge, fuel_pct, charge_code, valid_from, valid_to
      FROM rates WHERE id IN (SELECT DISTINCT rate_id FROM ${T.find})`,
    invoices: `SELECT id, invoice_number, invoice_date FROM invoices WHERE id IN (SELECT DISTINCT ref_invoice_id FROM ${T.find})`,
  };
}
