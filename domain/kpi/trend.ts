import { addDays, daysBetween, type Period } from '../dates';
import type { ShipmentFilters } from '../filters';
import type { Dialect, SqlRunner } from '../sql';
import { byLane, dateColumn, filterKeys, shipmentFilterConditions } from './queries';
import { andAll, raw, sql } from './sqlText';

/** One day of the trend: shipments shipped that day, and the on-time rate of those delivered that day. */
export interface TrendDay {
  date: string;
  shipments: number;
  delivered: number;
  /** Share 0..1 of deliveries with a promised date that were on time; null when none. */
  onTimeRate: number | null;
}

const MAX_DAYS = 400;

/**
 * Daily volume (by ship_date, not cancelled) and on-time rate (by delivered_date, the on_time_rate
 * definition of data.md) over a period: two GROUP BY statements on the date indexes, days without
 * data filled in as zero / null.
 */
export async function dailyTrend(runner: SqlRunner, period: Period, filters?: ShipmentFilters): Promise<TrendDay[]> {
  const days = daysBetween(period.from, period.to) + 1;
  if (days < 1 || days > MAX_DAYS) throw new Error(`trend period of ${days} days is out of range`);
  const d: Dialect = runner.dialect;
  const date = (v: string) => (d === 'postgres' ? sql`CAST(${v} AS DATE)` : sql`${v}`);
  // Shipped: the ship_date range, or a carrier's or customer's (id, ship_date) index. Delivered: the
  // delivered_date range drives (a carrier's whole history is no way to a fortnight of it).
  const keys = filterKeys(filters);
  const conds = shipmentFilterConditions(d, keys, 's', { lane: true });
  const deliveredConds = shipmentFilterConditions(d, keys, 's', { indexed: false, lane: true });
  const asText = (col: string) => raw(d === 'postgres' ? `CAST(${col} AS TEXT)` : col);
  // A lane is found through the lane index instead (see byLane in ./queries.ts).
  const shipped = sql`SELECT ${asText('s.ship_date')} AS day, COUNT(*) AS n
FROM shipments s WHERE ${dateColumn(d, keys, 's.ship_date')} BETWEEN ${date(period.from)} AND ${date(period.to)} AND s.status <> 'cancelled'${andAll(conds)}
GROUP BY s.ship_date`;
  const delivered = sql`SELECT ${asText('s.delivered_date')} AS day, COUNT(*) AS n, COUNT(s.promised_date) AS promised,
  COUNT(*) FILTER (WHERE s.delivered_date <= s.promised_date) AS on_time
FROM shipments s WHERE ${dateColumn(d, keys, 's.delivered_date')} BETWEEN ${date(period.from)} AND ${date(period.to)}${andAll(deliveredConds)}
GROUP BY s.delivered_date`;
  type Shipped = { day: string; n: number | string };
  type Delivered = Shipped & { promised: number | string; on_time: number | string };
  let a: Shipped[];
  let b: Delivered[];
  if (byLane(keys)) {
    // A lane's history is found through the lane index, each row a table lookup: read it once for both
    // populations (a CTE used twice is materialized by both databases).
    const lane = sql`WITH lane AS MATERIALIZED (SELECT s.ship_date, s.delivered_date, s.promised_date, s.status FROM shipments s
  WHERE (${dateColumn(d, keys, 's.ship_date')} BETWEEN ${date(period.from)} AND ${date(period.to)}
    OR ${dateColumn(d, keys, 's.delivered_date')} BETWEEN ${date(period.from)} AND ${date(period.to)})${andAll(conds)})
SELECT 'shipped' AS population, ${asText('ship_date')} AS day, COUNT(*) AS n, 0 AS promised, 0 AS on_time
FROM lane WHERE ship_date BETWEEN ${date(period.from)} AND ${date(period.to)} AND status <> 'cancelled' GROUP BY ship_date
UNION ALL
SELECT 'delivered', ${asText('delivered_date')}, COUNT(*), COUNT(promised_date), COUNT(*) FILTER (WHERE delivered_date <= promised_date)
FROM lane WHERE delivered_date BETWEEN ${date(period.from)} AND ${date(period.to)} GROUP BY delivered_date`;
    const rows = await runner.query<Delivered & { population: string }>(lane.text, [...lane.params]);
    a = rows.filter((r) => r.population === 'shipped');
    b = rows.filter((r) => r.population === 'delivered');
  } else {
    [a, b] = await Promise.all([
      runner.query<Shipped>(shipped.text, [...shipped.params]),
      runner.query<Delivered>(delivered.text, [...delivered.params]),
    ]);
  }
  const byShip = new Map(a.map((r) => [String(r.day).slice(0, 10), Number(r.n)]));
  const byDel = new Map(b.map((r) => [String(r.day).slice(0, 10), r]));
  const out: TrendDay[] = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(period.from, i);
    const del = byDel.get(day);
    const promised = del ? Number(del.promised) : 0;
    out.push({
      date: day,
      shipments: byShip.get(day) ?? 0,
      delivered: del ? Number(del.n) : 0,
      onTimeRate: promised ? Number(del!.on_time) / promised : null,
    });
  }
  return out;
}
