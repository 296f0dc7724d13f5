import { CronExpressionParser } from 'cron-parser';

/**
 * Cron slots as instants, computed in a time zone: pure functions of (expression, zone, now), so the
 * catch-up at start and the tests never depend on timers. node-cron fires the live slots; this is
 * for "which slot was the last one", which node-cron cannot answer.
 *
 * DST: a local time that does not exist (02:30 on the spring-forward day in Europe) fires at the
 * first instant after the gap; a repeated local time (fall-back) fires once.
 */
function parse(cron: string, timeZone: string, currentDate: Date) {
  return CronExpressionParser.parse(cron, { currentDate, tz: timeZone });
}

/** The most recent slot at or before `now`. */
export function previousSlot(cron: string, timeZone: string, now: Date): Date {
  // cron-parser's prev() is strictly before its start: start one second after now's whole second.
  const start = new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000);
  return parse(cron, timeZone, start).prev().toDate();
}

/** The first slot strictly after `now`. */
export function nextSlot(cron: string, timeZone: string, now: Date): Date {
  return parse(cron, timeZone, now).next().toDate();
}

/**
 * The slot to post late, if any: the most recent one at or before `now`, when it is at most
 * `graceMinutes` old and not before `notBefore` (a subscription created after a slot never owes it).
 */
export function dueSlot(cron: string, timeZone: string, now: Date, graceMinutes: number, notBefore?: Date): Date | null {
  const slot = previousSlot(cron, timeZone, now);
  if (now.getTime() - slot.getTime() > graceMinutes * 60_000) return null;
  if (notBefore && slot.getTime() < notBefore.getTime()) return null;
  return slot;
}

/** True when the expression parses (node-cron and cron-parser accept the same five fields). */
export function isValidCron(cron: string): boolean {
  try {
    CronExpressionParser.parse(cron);
    return true;
  } catch {
    return false;
  }
}
