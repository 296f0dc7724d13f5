import { plainText, reply, type ReplyPart } from '../domain/conversation/reply';
import { REPORT_LABELS, cronFor, scheduleText } from '../domain/digests/schedule';
import type { Frame } from '../domain/nlu/types';
import type { DigestTarget, NewSubscription, Subscription } from '../domain/repositories';
import type { HandlerResult, Turn } from './context';
import { askToConfirm, confirmationCard } from './confirmations';
import { filtersText } from './format';
import { resolveFilters } from './names';

const DEFAULT_TIME = '08:00';

/** "list my schedules", "what digests are set up here". */
export function asksScheduleList(text: string): boolean {
  return /\b(schedules?|digests?|subscriptions?|scheduled reports?)\b/i.test(text) &&
    /\b(list|show|see|my|which|what|all|any)\b/i.test(text) &&
    !/\b(stop|cancel|unsubscribe|remove|delete|disable|turn off|pause|end)\b/i.test(text) &&
    !/\b(every|daily|weekly|monthly|at \d|each)\b/i.test(text);
}

/** "stop the daily digest", "unsubscribe #ops-reports", "stop schedule 3". */
export function asksScheduleStop(text: string): boolean {
  return /\b(stop|cancel|unsubscribe|remove|delete|disable|turn off|pause|end)\b/i.test(text) &&
    /\b(schedules?|digests?|subscriptions?|reports?|updates?|summary|summaries|posts?)\b/i.test(text) &&
    !/\border\b/i.test(text);
}

export function describeSubscription(s: NewSubscription): string {
  const where = s.target.name ?? (s.target.platform === 'web' || s.target.platform === 'console' ? 'this chat' : s.target.id);
  const scope = filtersText(s.filters);
  return `the ${REPORT_LABELS[s.report]}${scope ? ` ${scope}` : ''} to ${where}, ${scheduleText(s)}`;
}

function targetOf(frame: Frame, turn: Turn): DigestTarget {
  const ch = frame.entities.channel;
  const conv = turn.conversation;
  if (ch) return { platform: conv.platform, id: ch, name: ch };
  return { platform: conv.platform, id: conv.id, name: conv.name };
}

export async function scheduleDigest(frame: Frame, turn: Turn): Promise<HandlerResult> {
  const e = frame.entities;
  const { filters, problem } = await resolveFilters({ carrier: e.carrier, customer: e.customer }, turn);
  if (problem) return { replies: [problem] };
  const frequency = e.frequency ?? (e.day_of_week ? 'weekly' : 'daily');
  const sub: NewSubscription = {
    report: e.report ?? 'kpi_digest',
    target: targetOf(frame, turn),
    frequency,
    dayOfWeek: frequency === 'weekly' ? (e.day_of_week ?? 'monday') : undefined,
    dayOfMonth: frequency === 'monthly' ? 1 : undefined,
    time: e.time ?? DEFAULT_TIME,
    cron: '',
    timeZone: turn.deps.clock.timeZone,
    filters,
    createdBy: turn.person.key,
  };
  sub.cron = cronFor(sub);
  const assumed = [!e.report && 'report: KPI digest', !e.frequency && !e.day_of_week && 'daily', !e.time && `at ${DEFAULT_TIME}`].filter(Boolean);
  return askToConfirm(turn, { kind: 'schedule_digest', subscription: sub }, { intent: frame.intent, entities: e }, (token) => {
    const card = confirmationCard(
      'Schedule a digest?',
      [
        { label: 'Report', value: REPORT_LABELS[sub.report] },
        { label: 'Where', value: sub.target.name ?? 'this chat' },
        { label: 'When', value: scheduleText(sub) },
        ...(filtersText(filters) ? [{ label: 'Only', value: filtersText(filters) }] : []),
      ],
      token,
    );
    if (assumed.length) card.parts.splice(2, 0, { kind: 'text', text: `Not stated, so I assumed: ${assumed.join(', ')}. Say what to change, or confirm.` });
    card.text = plainText(card.parts);
    return card;
  });
}

/** The schedules of this conversation (and the person's own elsewhere), each with a Stop button. */
export async function listSchedules(turn: Turn): Promise<HandlerResult> {
  const subs = await mine(turn);
  if (!subs.length) {
    return { replies: [reply([{ kind: 'text', text: 'No digests are scheduled here. Try "post the KPI digest to #ops-reports every weekday at 8am".' }])] };
  }
  const parts: ReplyPart[] = [
    { kind: 'heading', text: `Scheduled digests (${subs.length})` },
    {
      kind: 'table',
      columns: ['#', 'Report', 'Where', 'When', 'Only'],
      rows: subs.map((s) => [String(s.id), REPORT_LABELS[s.report], s.target.name ?? s.target.id, scheduleText(s), filtersText(s.filters) || '—']),
    },
  ];
  if (subs.length) {
    parts.push({ kind: 'buttons', buttons: subs.slice(0, 10).map((s) => ({ label: `Stop #${s.id}`, action: { id: 'stop_digest', value: String(s.id) }, style: 'danger' as const })) });
  }
  return { replies: [reply(parts)], log: { action: 'list_schedules', result: 'ok', detail: `${subs.length} schedules` } };
}

async function mine(turn: Turn): Promise<Subscription[]> {
  const here = await turn.deps.repos.subscriptions.list({ target: { platform: turn.conversation.platform, id: turn.conversation.id } });
  const own = await turn.deps.repos.subscriptions.list({ createdBy: turn.person.key });
  const seen = new Set<number>();
  return [...here, ...own].filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
}

/** "stop …": the one schedule meant, confirmed first; several candidates are listed to pick from. */
export async function stopSchedule(text: string, frame: Frame, turn: Turn): Promise<HandlerResult> {
  let subs = await mine(turn);
  const idMatch = /#?\b(\d{1,7})\b/.exec(text.replace(/\d{1,2}(:\d{2})?\s*(am|pm)\b/gi, ''));
  if (idMatch) subs = subs.filter((s) => s.id === Number(idMatch[1]));
  const e = frame.entities;
  if (!idMatch) {
    if (e.report) subs = subs.filter((s) => s.report === e.report);
    if (e.frequency) subs = subs.filter((s) => s.frequency === e.frequency);
    if (e.channel) subs = subs.filter((s) => (s.target.name ?? s.target.id).toLowerCase() === e.channel);
  }
  if (!subs.length) return { replies: [reply([{ kind: 'text', text: 'I found no matching schedule to stop. Say "my schedules" to see them.' }])] };
  if (subs.length > 1) {
    const listed = await listSchedules(turn);
    listed.replies[0].parts.unshift({ kind: 'text', text: 'Several schedules match; which one should stop?' });
    return listed;
  }
  return confirmStop(subs[0], turn);
}

export async function stopScheduleById(id: number, turn: Turn): Promise<HandlerResult> {
  // The id comes from a button's value, which a forged press fills with anything: only a real id reaches the database.
  if (!Number.isSafeInteger(id) || id < 1) return { replies: [reply([{ kind: 'text', text: 'That button is not valid any more. Say "my schedules" to see them.' }])] };
  const s = await turn.deps.repos.subscriptions.get(id);
  if (!s || !s.active) return { replies: [reply([{ kind: 'text', text: `Schedule #${id} is not active.` }])] };
  return confirmStop(s, turn);
}

function confirmStop(s: Subscription, turn: Turn): HandlerResult {
  const description = describeSubscription(s);
  return askToConfirm(turn, { kind: 'stop_digest', subscriptionId: s.id, description }, undefined, (token) =>
    confirmationCard(`Stop schedule #${s.id}?`, [{ label: 'Schedule', value: description }], token, { confirmLabel: 'Confirm' }),
  );
}
