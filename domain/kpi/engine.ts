import type { Clock } from '../clock';
import { isYmd, previousPeriod, type Period } from '../dates';
import { UserError } from '../errors';
import type { SqlRunner } from '../sql';
import { filterKeys, finishMetrics, kpiStatement, type KpiAggregates } from './queries';
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
  const cached = <T>(key: unknown[], compute: () => Promise<T>): Promise<T> => (deps.cache ? deps.cache.get(JSON.stringify(key), compute) : compute());

  function check(q: KpiQuery): string {
    const { from, to } = q.period;
    if (!isYmd(from) || !isYmd(to)) throw new UserError(`the period ${from}..${to} is not two dates in YYYY-MM-DD form`, 2);
    if (from > to) throw new UserError(`the period starts (${from}) after it ends (${to})`, 2);
    const today = q.today ?? clock.today();
    if (!isYmd(today)) throw new UserError(`"today" (${today}) is not a date in YYYY-MM-DD form`, 2);
    return today;
  }

  function run(period: Period, q: KpiQuery, today: string): Promise<KpiResult> {
    const filters = filterKeys(q.filters);
    return cached(['kpi', period.from, period.to, filters, today], async () => {
      const stmt = kpiStatement(sql.dialect, period, filters, today);
      const [row] = await sql.query<KpiAggregates>(stmt.text, [...stmt.params]);
      return { period: { from: period.from, to: period.to }, metrics: finishMetrics(row) };
    });
  }

  return {
    async compute(q) {
      const today = check(q);
      return run(q.period, q, today);
    },
    async trend(q) {
      check(q);
      return cached(['trend', q.period.from, q.period.to, filterKeys(q.filters)], () => dailyTrend(sql, q.period, q.filters));
    },
    async compare(q) {
      const today = check(q);
      // Concurrent: PostgreSQL runs them on two pooled connections; SQLite's single connection queues them.
      const [current, previous] = await Promise.all([run(q.period, q, today), run(previousPeriod(q.period), q, today)]);
      return { current, previous };
    },
  };
}
