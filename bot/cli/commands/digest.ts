import { InvalidArgumentError, Option, type Command } from 'commander';
import { isValidTimeZone } from '../../../domain/clock';
import { PLATFORMS, type Platform } from '../../../domain/conversation/inbound';
import { REPORT_LABELS, cronFor, scheduleText } from '../../../domain/digests/schedule';
import { UserError } from '../../../domain/errors';
import { DAYS_OF_WEEK, FREQUENCIES, REPORTS, type DayOfWeek, type Frequency, type Report } from '../../../domain/nlu/types';
import type { Subscription } from '../../../domain/repositories';
import { createPosterRegistry } from '../../scheduler/posters';
import { createWebPoster } from '../../web/inbox';
import { out, positiveIntArg, table, withApp } from '../support';
import type { App } from '../../container';

function targetArg(value: string): { platform: Platform; id: string } {
  const i = value.indexOf(':');
  const platform = value.slice(0, i) as Platform;
  const id = value.slice(i + 1).trim();
  if (i < 0 || !(PLATFORMS as readonly string[]).includes(platform) || id === '') {
    throw new InvalidArgumentError(`"${value}" is not PLATFORM:ID (platform one of ${PLATFORMS.join(', ')}; e.g. slack:C024BE91L, web:<session>).`);
  }
  return { platform, id };
}

function timeArg(value: string): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new InvalidArgumentError(`"${value}" is not a time in HH:MM (24-hour) form.`);
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}

function zoneArg(value: string): string {
  if (!isValidTimeZone(value)) throw new InvalidArgumentError(`"${value}" is not an IANA time zone (e.g. Europe/Berlin).`);
  return value;
}

function nowArg(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(`"${value}" is not an ISO 8601 instant (e.g. 2026-03-18T08:00:00Z).`);
  return d;
}

const where = (s: Subscription) => `${s.target.platform}:${s.target.id}${s.target.name ? ` (${s.target.name})` : ''}`;

/**
 * The channels this command can post to: the web chat's inbox (in the database) always; Slack and
 * Teams need their running channel (tokens, conversation references), so `run` prints instead.
 */
function cliPosters(app: App) {
  return createPosterRegistry([createWebPoster(app.repos.conversationState)]);
}

/** `waybill digest`: scheduled digests (the same subscriptions as "post the KPI digest ..." in chat). */
export function registerDigest(program: Command): void {
  const digest = program.command('digest').description('Schedule, list, remove and run digests (KPIs, exceptions, invoice audit).');

  digest
    .command('add')
    .description('Schedule a digest.')
    .addOption(new Option('--report <report>', 'what to post').choices(REPORTS).makeOptionMandatory())
    .requiredOption('--target <platform:id>', 'where to post: slack:CHANNEL, teams:CONVERSATION, web:SESSION', targetArg)
    .option('--name <name>', 'readable name of the target ("#ops-reports")')
    .addOption(new Option('--frequency <frequency>', 'how often').choices(FREQUENCIES).makeOptionMandatory())
    .addOption(new Option('--day <day>', 'day of the week (weekly)').choices(DAYS_OF_WEEK))
    .requiredOption('--time <HH:MM>', 'local time of day', timeArg)
    .option('--tz <zone>', 'IANA time zone (default: WAYBILL_TZ)', zoneArg)
    .option('--carrier <name>', 'only this carrier')
    .option('--customer <name>', 'only this customer')
    .action(async (o: { report: Report; target: { platform: Platform; id: string }; name?: string; frequency: Frequency; day?: DayOfWeek; time: string; tz?: string; carrier?: string; customer?: string }) => {
      if (o.day && o.frequency !== 'weekly') throw new UserError('--day goes with --frequency weekly', 2);
      await withApp(async (app) => {
        const base = {
          report: o.report,
          target: { ...o.target, ...(o.name ? { name: o.name } : {}) },
          frequency: o.frequency,
          dayOfWeek: o.frequency === 'weekly' ? (o.day ?? 'monday') : undefined,
          dayOfMonth: o.frequency === 'monthly' ? 1 : undefined,
          time: o.time,
          timeZone: o.tz ?? app.clock.timeZone,
          filters: { ...(o.carrier ? { carrier: o.carrier } : {}), ...(o.customer ? { customer: o.customer } : {}) },
          createdBy: 'cli',
        };
        const s = await app.repos.subscriptions.create({ ...base, cron: cronFor(base) });
        out(`scheduled digest #${s.id}: the ${REPORT_LABELS[s.report]} to ${where(s)}, ${scheduleText(s)}`);
      });
    });

  digest
    .command('list')
    .description('List the active digests.')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withApp(async (app) => {
        const subs = await app.repos.subscriptions.list();
        if (o.json) {
          out(JSON.stringify(subs.map((s) => ({ id: s.id, report: s.report, target: s.target, frequency: s.frequency, dayOfWeek: s.dayOfWeek ?? null, time: s.time, timeZone: s.timeZone, cron: s.cron, filters: s.filters, createdBy: s.createdBy }))));
          return;
        }
        if (!subs.length) {
          out('no digests scheduled: waybill digest add --report kpi_digest --target slack:C024BE91L --frequency weekdays --time 08:00');
          return;
        }
        const only = (s: Subscription) => [s.filters.carrier && `carrier ${s.filters.carrier}`, s.filters.customer && `customer ${s.filters.customer}`].filter(Boolean).join(', ');
        out(table(['id', 'report', 'target', 'when', 'only'], subs.map((s) => [`#${s.id}`, s.report, where(s), scheduleText(s), only(s)])));
      });
    });

  digest
    .command('remove')
    .description('Stop a digest.')
    .argument('<id>', 'digest id (waybill digest list)', positiveIntArg)
    .action(async (id: number) => {
      await withApp(async (app) => {
        if (!(await app.repos.subscriptions.deactivate(id))) throw new UserError(`no active digest #${id} (waybill digest list shows them)`);
        out(`removed digest #${id}`);
      });
    });

  digest
    .command('run')
    .description('Post a digest now (printed here when its channel cannot be reached from the command line).')
    .argument('<id>', 'digest id (waybill digest list)', positiveIntArg)
    .option('--now <iso>', 'the run instant the digest reports for (default: now)', nowArg)
    .action(async (id: number, o: { now?: Date }) => {
      await withApp(async (app) => {
        const s = await app.repos.subscriptions.get(id);
        if (!s || !s.active) throw new UserError(`no active digest #${id} (waybill digest list shows them)`);
        const at = o.now ?? app.clock.now();
        const poster = cliPosters(app).get(s.target.platform);
        const digestReply = await app.digests.build(s, at);
        if (!poster) {
          process.stderr.write(`note: ${s.target.platform} is not reachable from the command line (it posts from npm start); printing the digest here instead.\n`);
          out(digestReply.text);
          return;
        }
        // Recorded like a scheduled run, at its own instant, so the record shows every post.
        if (!(await app.digests.runs.claim(s.id, at, 'cli'))) throw new UserError(`digest #${id} was already run for ${at.toISOString()}`);
        try {
          await poster.post({ platform: s.target.platform, id: s.target.id, name: s.target.name }, [digestReply]);
        } catch (e) {
          await app.digests.runs.finish(s.id, at, { status: 'failed', error: (e as Error).message });
          throw e;
        }
        await app.digests.runs.finish(s.id, at, { status: 'posted' });
        out(`posted digest #${id} to ${where(s)}`);
      });
    });
}
