import type { NewSubscription, Subscription, SubscriptionRepository } from '../../domain/repositories';
import type { DayOfWeek, Frequency, Report } from '../../domain/nlu/types';
import type { Platform } from '../../domain/conversation/inbound';
import type { ShipmentFilters } from '../../domain/filters';
import type { SqlParam, SqlRunner } from '../../domain/sql';
import { isUniqueViolation, stamp, toDate, type RepoContext } from './support';

interface SubscriptionRow {
  id: number | string;
  report: string;
  platform: string;
  target: string;
  target_name: string | null;
  frequency: string;
  day_of_week: string | null;
  day_of_month: number | string | null;
  time: string;
  cron: string;
  time_zone: string;
  filters: string | null;
  active: boolean | number | string;
  created_by: string | null;
  created_at: unknown;
}

const COLUMNS = 'id, report, platform, target, target_name, frequency, day_of_week, day_of_month, time, cron, time_zone, filters, active, created_by, created_at';

function toSubscription(r: SubscriptionRow): Subscription {
  const s: Subscription = {
    id: Number(r.id),
    report: r.report as Report,
    target: { platform: r.platform as Platform, id: r.target },
    frequency: r.frequency as Frequency,
    time: r.time,
    cron: r.cron,
    timeZone: r.time_zone,
    filters: r.filters ? (JSON.parse(r.filters) as ShipmentFilters) : {},
    createdBy: r.created_by ?? '',
    active: r.active === true || r.active === 1 || r.active === '1' || r.active === 'true',
    createdAt: toDate(r.created_at).toISOString(),
  };
  if (r.target_name) s.target.name = r.target_name;
  if (r.day_of_week) s.dayOfWeek = r.day_of_week as DayOfWeek;
  if (r.day_of_month !== null && r.day_of_month !== undefined) s.dayOfMonth = Number(r.day_of_month);
  return s;
}

async function select(sql: SqlRunner, where: string, params: SqlParam[]): Promise<Subscription[]> {
  const rows = await sql.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM digest_subscriptions ${where} ORDER BY created_at, id`, params);
  return rows.map(toSubscription);
}

export function createSubscriptionRepository({ db, now }: RepoContext): SubscriptionRepository {
  const { sql } = db;
  return {
    async create(s: NewSubscription, meta = {}) {
      const { requestKey } = meta;
      if (requestKey) {
        const [existing] = await select(sql, 'WHERE request_key = ?', [requestKey]);
        if (existing) return { ...existing, created: false };
      }
      // Only the filters that are set (no "carrier": undefined keys in the stored JSON).
      const filters = Object.fromEntries(Object.entries(s.filters ?? {}).filter(([, v]) => v !== undefined && v !== ''));
      const at = now();
      let row;
      try {
        row = await db.models.DigestSubscription.create({
          report: s.report,
          platform: s.target.platform,
          target: s.target.id,
          target_name: s.target.name ?? null,
          frequency: s.frequency,
          day_of_week: s.dayOfWeek ?? null,
          day_of_month: s.dayOfMonth ?? null,
          time: s.time,
          cron: s.cron,
          time_zone: s.timeZone,
          filters: JSON.stringify(filters),
          active: true,
          created_by: s.createdBy,
          request_key: requestKey ?? null,
          created_at: at,
          updated_at: at,
        });
      } catch (e) {
        // The same Confirm committed first elsewhere (another replica, a double click): that one stands.
        if (!requestKey || !isUniqueViolation(e)) throw e;
        const [first] = await select(sql, 'WHERE request_key = ?', [requestKey]);
        return { ...first, created: false };
      }
      const [created] = await select(sql, 'WHERE id = ?', [Number(row.get('id'))]);
      return requestKey ? { ...created, created: true } : created;
    },

    async list(q = {}) {
      const conds: string[] = [];
      const params: SqlParam[] = [];
      if (!q.includeInactive) conds.push('active = ?');
      if (!q.includeInactive) params.push(db.dialect === 'postgres' ? 'true' : 1);
      if (q.target) {
        conds.push('platform = ? AND target = ?');
        params.push(q.target.platform, q.target.id);
      }
      if (q.createdBy !== undefined) {
        conds.push('created_by = ?');
        params.push(q.createdBy);
      }
      return select(sql, conds.length ? `WHERE ${conds.join(' AND ')}` : '', params);
    },

    async get(id) {
      const [s] = await select(sql, 'WHERE id = ?', [id]);
      return s ?? null;
    },

    async deactivate(id) {
      const active = db.dialect === 'postgres' ? 'true' : 1;
      const inactive = db.dialect === 'postgres' ? 'false' : 0;
      const rows = await sql.query<{ id: number }>(
        `/* repo */ UPDATE digest_subscriptions SET active = ?, updated_at = ? WHERE id = ? AND active = ? RETURNING id`,
        [inactive, stamp(now()), id, active],
      );
      return rows.length > 0;
    },
  };
}
