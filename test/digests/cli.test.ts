import { describeEachDatabase } from '../support/databases';
import { runCli } from '../support/cli';
import { createRepositories } from '../../data/repositories';
import type { Reply } from '../../domain/conversation/reply';

/** `waybill digest add|list|remove|run`, the compiled CLI on the test database. */
describeEachDatabase('waybill digest', (ctx) => {
  const cli = (args: string[]) => runCli(args, { env: { DATABASE_URL: ctx.url, WAYBILL_NOW: '2026-03-18T08:05:00Z', WAYBILL_TZ: 'UTC' } });

  it('adds, lists, runs and removes digests', async () => {
    expect(cli(['digest', 'list']).stdout).toMatch(/^no digests scheduled: waybill digest add/);
    const add = cli(['digest', 'add', '--report', 'kpi_digest', '--target', 'slack:C0OPS', '--name', '#ops-reports', '--frequency', 'weekdays', '--time', '8:00']);
    expect(add).toEqual({ code: 0, stdout: 'scheduled digest #1: the KPI digest to slack:C0OPS (#ops-reports), every weekday at 08:00 (UTC)\n', stderr: '' });
    const web = cli(['digest', 'add', '--report', 'exceptions', '--target', 'web:tab-1', '--frequency', 'weekly', '--day', 'friday', '--time', '07:30', '--tz', 'Europe/Berlin', '--carrier', 'DHL']);
    expect(web.stdout).toBe('scheduled digest #2: the exceptions report to web:tab-1, every Friday at 07:30 (Europe/Berlin)\n');

    const list = cli(['digest', 'list']);
    expect(list.stdout.split('\n').slice(2, 4)).toEqual([
      '#1  kpi_digest  slack:C0OPS (#ops-reports)  every weekday at 08:00 (UTC)',
      '#2  exceptions  web:tab-1                   every Friday at 07:30 (Europe/Berlin)  carrier DHL',
    ]);
    const json = JSON.parse(cli(['digest', 'list', '--json']).stdout);
    expect(json[1]).toMatchObject({ id: 2, report: 'exceptions', cron: '30 7 * * 5', timeZone: 'Europe/Berlin', filters: { carrier: 'DHL' }, dayOfWeek: 'friday' });

    // Slack cannot be reached from the CLI: the digest is printed, with a note on stderr.
    const slack = cli(['digest', 'run', '1']);
    expect(slack.code).toBe(0);
    expect(slack.stdout).toBe('KPI digest, Tue 17 Mar 2026: nothing to report (no shipments, orders, deliveries or open exceptions).\n');
    expect(slack.stderr).toMatch(/^note: slack is not reachable from the command line/);
    // The web chat's inbox is in the database: the run is posted there and recorded.
    expect(cli(['digest', 'run', '2', '--now', '2026-03-20T06:30:00Z'])).toEqual({ code: 0, stdout: 'posted digest #2 to web:tab-1\n', stderr: '' });
    expect(cli(['digest', 'run', '2', '--now', '2026-03-20T06:30:00Z'])).toMatchObject({ code: 1, stderr: 'waybill: digest #2 was already run for 2026-03-20T06:30:00.000Z\n' });
    // The inbox expires a week after the post, in business time (WAYBILL_NOW above).
    const repos = createRepositories(ctx.db, { now: () => new Date('2026-03-18T08:05:00Z') });
    const inbox = await repos.conversationState.get<Reply[]>('web-inbox:tab-1');
    expect(inbox?.map((r) => r.text)).toEqual(['Exceptions report with DHL, Fri 20 Mar 2026: no open exceptions and no delayed shipments.']);

    expect(cli(['digest', 'remove', '1'])).toEqual({ code: 0, stdout: 'removed digest #1\n', stderr: '' });
    expect(cli(['digest', 'remove', '1'])).toMatchObject({ code: 1, stderr: 'waybill: no active digest #1 (waybill digest list shows them)\n' });
    expect(JSON.parse(cli(['digest', 'list', '--json']).stdout)).toHaveLength(1);
  });

  it('bad usage exits 2 with one line', () => {
    for (const args of [
      ['digest', 'add', '--report', 'weekly_fun', '--target', 'slack:C1', '--frequency', 'daily', '--time', '08:00'],
      ['digest', 'add', '--report', 'kpi_digest', '--target', 'irc:x', '--frequency', 'daily', '--time', '08:00'],
      ['digest', 'add', '--report', 'kpi_digest', '--target', 'slack:C1', '--frequency', 'daily', '--time', '25:00'],
      ['digest', 'add', '--report', 'kpi_digest', '--target', 'slack:C1', '--frequency', 'daily', '--time', '08:00', '--tz', 'Mars/Olympus'],
      ['digest', 'add', '--report', 'kpi_digest', '--target', 'slack:C1', '--frequency', 'daily', '--time', '08:00', '--day', 'monday'],
      ['digest', 'run', 'x'],
      ['digest', 'run', '1', '--now', 'yesterday'],
    ]) {
      const r = cli(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});
