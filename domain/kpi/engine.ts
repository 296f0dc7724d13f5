import type { Clock } from '../clock';
import { isYmd, previousPeriod, type Period } from '../dates';
import { UserError } from '../errors';
import type { SqlRunner } from '../sql';
import { filterKeys, finishMetrics, kpiStatement, pairsPeriods, periodAggregates, type FilterKeys } from './queries';
import type { KpiEngine, KpiQuery, KpiResult } from './types';
import { dailyTrend } from './trend';
import type { ResultCache } from './resultCache';

/**
 * The KPIs of data.md ("KPI definitions"), computed in SQL, set-based, on SQLite and PostgreSQL:
 * one statement (one round trip) per period, see ./queries.ts for the SQL and its access paths. With a
 * result cache (./resultCache.ts), a period's figures and a trend are computed once per version of the
 * data: a month takes tens of milliseconds of database time, and people ask about the same few periods.
 */
export function createKpiEngine(deps: { sql: SqlRunner; clock: Clock; cache?: ResultCache }): KpiEngine {
  const { sql, clock } = deps;

  function check(q: KpiQuery): string {
    const { from, to } = q.period;
    if (!isYmd(from) || !isYmd(to)) throw new UserError(`the period ${from}..${to} is not two dates in YYYY-MM-DD form`, 2);
    if (from > to) throw new UserError(`the period starts (${from}) after it ends (${to})`, 2);
    const today = q.today ?? clock.today();
    if (!isYmd(today)) throw new UserError(`"today" (${today}) is not a date in YYYY-MM-DD form`, 2);
    return today;
  }

  const key = (period: Period, filters: FilterKeys, today: string) => JSON.stringify(['kpi', period.from, period.to, filters, today]);
  const cached = <T>(k: string, compute: () => Promise<T>): Promise<T> => (deps.cache ? deps.cache.get(k, compute) : compute());

  /** The results of `periods` (one statement). */
  async function computeAll(periods: Period[], filters: FilterKeys, today: string): Promise<KpiResult[]> {
    const stmt = kpiStatement(sql.dialect, periods, filters, today);
    const [row] = await sql.query<Record<string, unknown>>(stmt.text, [...stmt.params]);
    return periods.map((p, k) => ({ period: { from: p.from, to: p.to }, metrics: finishMetrics(periodAggregates(row, k)) }));
  }

  function run(period: Period, q: KpiQuery, today: string): Promise<KpiResult> {
    const filters = filterKeys(q.filters);
    return cached(key(period, filters, today), async () => (await computeAll([period], filters, today))[0]);
  }

  return {
    async compute(q) {
      const today = check(q);
      return run(q.period, q, today);
    },
    async trend(q) {
      check(q);
      return cached(JSON.stringify(['trend', q.period.from, q.period.to, filterKeys(q.filters)]), () => dailyTrend(sql, q.period, q.filters));
    },
    async compare(q) {
      const today = check(q);
      const prev = previousPeriod(q.period);
      const filters = filterKeys(q.filters);
      const known = (p: Period) => deps.cache?.has(key(p, filters, today)) ?? false;
      if (pairsPeriods(filters) && !known(q.period) && !known(prev)) {
        // One statement walks the filter's history once for both periods (see pairsPeriods); each
        // result is still filed under its own period.
        let pair: Promise<KpiResult[]> | undefined;
        const both = () => (pair ??= computeAll([q.period, prev], filters, today));
        const [current, previous] = await Promise.all([
          cached(key(q.period, filters, today), async () => (await both())[0]),
          cached(key(prev, filters, today), async () => (await both())[1]),
        ]);
        return { current, previous };
      }
      // Two statements, side by side on the read connections (they read different date ranges).
      const [current, previous] = await Promise.all([run(q.period, q, today), run(prev, q, today)]);
      return { current, previous };
    },
  };
}
