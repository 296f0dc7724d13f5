import type { Period } from '../dates';
import type { ShipmentFilters } from '../filters';
import type { SqlRunner } from '../sql';
import { filterKeys, shipmentFilterConditions } from '../kpi/queries';
import { andAll, raw, sql, type Sql } from '../kpi/sqlText';

/** A lane or carrier with late deliveries in a period (the on_time_rate definition of data.md). */
export interface OnTimeGroup {
  name: string;
  /** Deliveries in the period that had a promised date. */
  delivered: number;
  late: number;
  onTimeRate: number;
}

export interface FindingSummary {
  count: number;
  overcharge: number;
  top: Array<{ invoiceNumber: string; carrier: string; rule: string; overcharge: number; status: string }>;
}

const date = (runner: SqlRunner, ymd: string): Sql => (runner.dialect === 'postgres' ? sql`CAST(${ymd} AS DATE)` : sql`${ymd}`);

/**
 * The lanes (origin → destination) or carriers with the lowest on-time rate among deliveries in the
 * period, only those with at least one late delivery: one GROUP BY over the delivered_date index.
 * Ties: more late deliveries first, then the name, so the order is stable.
 */
export async function worstOnTime(runner: SqlRunner, by: 'lane' | 'carrier', period: Period, filters: ShipmentFilters | undefined, limit: number): Promise<OnTimeGroup[]> {
  const conds = shipmentFilterConditions(runner.dialect, filterKeys(filters), 's');
  const int = (e: string) => raw(runner.dialect === 'postgres' ? `CAST(${e} AS BIGINT)` : e);
  // Lanes group by their keys (case-insensitive places) and show one spelling of them.
  const name = by === 'lane' ? raw(`MIN(s.origin) || ' → ' || MIN(s.destination)`) : raw('MIN(c.name)');
  const join = by === 'carrier' ? raw(' JOIN carriers c ON c.id = s.carrier_id') : raw('');
  const groupBy = by === 'lane' ? raw('s.origin_key, s.destination_key') : raw('s.carrier_id');
  const q = sql`SELECT ${name} AS name, ${int('COUNT(*)')} AS delivered,
  ${int('COUNT(*) FILTER (WHERE s.delivered_date > s.promised_date)')} AS late
FROM shipments s${join}
WHERE s.delivered_date BETWEEN ${date(runner, period.from)} AND ${date(runner, period.to)} AND s.promised_date IS NOT NULL${andAll(conds)}
GROUP BY ${groupBy}
HAVING COUNT(*) FILTER (WHERE s.delivered_date > s.promised_date) > 0`;
  const rows = await runner.query<{ name: string; delivered: number | string; late: number | string }>(q.text, [...q.params]);
  return rows
    .map((r) => {
      const delivered = Number(r.delivered);
      const late = Number(r.late);
      return { name: r.name, delivered, late, onTimeRate: (delivered - late) / delivered };
    })
    .sort((a, b) => a.onTimeRate - b.onTimeRate || b.late - a.late || a.name.localeCompare(b.name))
    .slice(0, limit);
}

/**
 * The stored audit findings (open or disputed: not yet accepted) on invoices dated in the period:
 * how many, their total overcharge and the largest few. Reads what the audit stored; never re-runs it.
 * Only the carrier filter applies (invoices have no customer or lane).
 */
export async function findingSummary(runner: SqlRunner, period: Period, filters: ShipmentFilters | undefined, limit: number): Promise<FindingSummary> {
  const carrier = filterKeys(filters).carrier;
  const where = sql`f.invoice_date BETWEEN ${date(runner, period.from)} AND ${date(runner, period.to)} AND f.status IN ('open', 'disputed')${
    carrier ? sql` AND f.carrier_id = (SELECT c.id FROM carriers c WHERE c.name_key = ${carrier})` : raw('')
  }`;
  const total = sql`SELECT COUNT(*) AS n, SUM(CAST(ROUND(f.overcharge * 100) AS BIGINT)) AS cents FROM audit_findings f WHERE ${where}`;
  const top = sql`SELECT f.invoice_number, c.name AS carrier, f.rule, f.overcharge, f.status
FROM audit_findings f JOIN carriers c ON c.id = f.carrier_id WHERE ${where}
ORDER BY f.overcharge DESC, f.invoice_number, f.id LIMIT ${limit}`;
  const [[t], rows] = await Promise.all([
    runner.query<{ n: number | string; cents: number | string | null }>(total.text, [...total.params]),
    runner.query<{ invoice_number: string; carrier: string; rule: string; overcharge: number | string; status: string }>(top.text, [...top.params]),
  ]);
  return {
    count: Number(t?.n ?? 0),
    overcharge: Number(t?.cents ?? 0) / 100,
    top: rows.map((r) => ({ invoiceNumber: r.invoice_number, carrier: r.carrier, rule: r.rule, overcharge: Number(r.overcharge), status: r.status })),
  };
}
