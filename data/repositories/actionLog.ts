import type { ActionLogEntry, ActionLogRepository, ActionResult } from '../../domain/repositories';
import type { Platform } from '../../domain/conversation/inbound';
import type { Role } from '../../domain/roles';
import type { SqlParam } from '../../domain/sql';
import { likeLiteral, stamp, toDate, type RepoContext } from './support';

interface LogRow {
  id: number | string;
  at: unknown;
  actor: string;
  role: string | null;
  platform: string;
  channel: string | null;
  action: string;
  frame: string | null;
  result: string;
  detail: string | null;
}

function parseFrame(s: string | null): unknown {
  if (s === null || s === undefined) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export function createActionLogRepository({ db }: RepoContext): ActionLogRepository {
  const { sql } = db;
  return {
    async record(e: ActionLogEntry) {
      await sql.query('INSERT INTO action_log (at, actor, role, platform, channel, action, frame, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        stamp(e.at),
        e.actor,
        e.role ?? null,
        e.platform,
        e.channel ?? null,
        e.action,
        e.frame === undefined ? null : JSON.stringify(e.frame),
        e.result,
        e.detail ?? null,
      ]);
    },

    async list(q) {
      const conds: string[] = [];
      const params: SqlParam[] = [];
      if (q.actor !== undefined && q.actor.trim() !== '') {
        // "dana" finds "slack:U024BE7LH (Dana)": the actor text contains it, case-insensitive.
        conds.push("lower(actor) LIKE ? ESCAPE '!'");
        params.push(`%${likeLiteral(q.actor.trim().toLowerCase())}%`);
      }
      if (q.result !== undefined) {
        conds.push('result = ?');
        params.push(q.result);
      }
      if (q.since !== undefined) {
        conds.push('at >= ?');
        params.push(stamp(q.since));
      }
      const limit = Math.max(0, Math.floor(q.limit));
      const rows = await sql.query<LogRow>(
        `SELECT id, at, actor, role, platform, channel, action, frame, result, detail FROM action_log
         ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ${limit}`,
        params,
      );
      return rows.map((r) => {
        const entry: ActionLogEntry & { id: number } = {
          id: Number(r.id),
          at: toDate(r.at),
          actor: r.actor,
          role: (r.role as Role | null) ?? null,
          platform: r.platform as Platform,
          channel: r.channel ?? null,
          action: r.action,
          frame: parseFrame(r.frame),
          result: r.result as ActionResult,
        };
        if (r.detail !== null && r.detail !== undefined) entry.detail = r.detail;
        return entry;
      });
    },

    async count() {
      const [{ n }] = await sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM action_log');
      return Number(n);
    },
  };
}
