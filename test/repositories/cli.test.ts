import { describeEachDatabase } from '../support/databases';
import { runCli } from '../support/cli';
import { createRepositories } from '../../data/repositories';

/** `waybill users` and `waybill log` as people and scripts run them (the compiled CLI, on the test database). */
describeEachDatabase('waybill users / log', (ctx) => {
  const cli = (args: string[]) => runCli(args, { env: { DATABASE_URL: ctx.url } });

  describe('users', () => {
    it('adds, updates, lists and removes people', () => {
      expect(cli(['users', 'list'])).toMatchObject({ code: 0, stdout: 'no people yet: waybill users add <handle> --role <admin|ops|finance|cs>\n' });
      expect(cli(['users', 'add', 'dana', '--role', 'ops', '--name', 'Dana Scully'])).toEqual({ code: 0, stdout: 'added local:dana (Dana Scully) as ops\n', stderr: '' });
      expect(cli(['users', 'add', 'U024BE7LH', '--role', 'finance', '--platform', 'slack'])).toMatchObject({ code: 0, stdout: 'added slack:U024BE7LH as finance\n' });
      expect(cli(['users', 'add', 'dana', '--role', 'admin'])).toMatchObject({ code: 0, stdout: 'updated local:dana (Dana Scully): role admin\n' });

      const list = cli(['users', 'list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toBe(
        ['platform  handle     name         role', '--------  ---------  -----------  -------', 'local     dana       Dana Scully  admin', 'slack     U024BE7LH               finance', ''].join('\n'),
      );
      const json = cli(['users', 'list', '--json']);
      expect(JSON.parse(json.stdout)).toEqual([
        { platform: 'local', handle: 'dana', name: 'Dana Scully', role: 'admin' },
        { platform: 'slack', handle: 'U024BE7LH', name: null, role: 'finance' },
      ]);

      expect(cli(['users', 'remove', 'u024be7lh'])).toMatchObject({ code: 0, stdout: 'removed slack:U024BE7LH\n' });
      const gone = cli(['users', 'remove', 'U024BE7LH']);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toBe('waybill: no person with the handle "U024BE7LH" (waybill users list shows them)\n');
      expect(JSON.parse(cli(['users', 'list', '--json']).stdout)).toHaveLength(1);
    });

    it('a bad role or platform is a usage error naming the valid ones', () => {
      const r = cli(['users', 'add', 'dana', '--role', 'boss']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/admin, ops, finance, cs/);
      const p = cli(['users', 'add', 'dana', '--role', 'ops', '--platform', 'irc']);
      expect(p.code).toBe(2);
      expect(p.stderr).toMatch(/local, console, web, slack, teams/);
      expect(cli(['users', 'add', 'dana']).code).toBe(2);
    });
  });

  describe('log', () => {
    beforeAll(async () => {
      const log = createRepositories(ctx.db).actionLog;
      await log.record({ at: new Date('2026-03-18T09:00:00Z'), actor: 'slack:U1 (Dana)', role: 'ops', platform: 'slack', channel: '#ops', action: 'create_order', frame: { intent: 'create_order' }, result: 'ok', detail: 'ORD-10001' });
      await log.record({ at: new Date('2026-03-18T09:05:00Z'), actor: 'slack:U2 (Lee)', role: 'cs', platform: 'slack', channel: '#ops', action: 'cancel_order', frame: { intent: 'cancel_order' }, result: 'refused', detail: 'cs may not cancel orders' });
      await log.record({ at: new Date('2026-03-18T09:10:00Z'), actor: 'console:operator', role: null, platform: 'console', channel: null, action: 'help', frame: null, result: 'ok' });
    });

    it('prints the log newest first as a table', () => {
      const r = cli(['log']);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toBe(
        [
          'time                  actor             role  platform  channel  action        result   detail',
          '--------------------  ----------------  ----  --------  -------  ------------  -------  ------------------------',
          '2026-03-18 09:10:00Z  console:operator        console            help          ok',
          '2026-03-18 09:05:00Z  slack:U2 (Lee)    cs    slack     #ops     cancel_order  refused  cs may not cancel orders',
          '2026-03-18 09:00:00Z  slack:U1 (Dana)   ops   slack     #ops     create_order  ok       ORD-10001',
          '',
        ].join('\n'),
      );
    });

    it('filters by actor and result, limits, and prints JSON', () => {
      const dana = JSON.parse(cli(['log', '--actor', 'DANA', '--json']).stdout);
      expect(dana).toEqual([
        { id: expect.any(Number), at: '2026-03-18T09:00:00.000Z', actor: 'slack:U1 (Dana)', role: 'ops', platform: 'slack', channel: '#ops', action: 'create_order', result: 'ok', detail: 'ORD-10001', frame: { intent: 'create_order' } },
      ]);
      expect(JSON.parse(cli(['log', '--result', 'refused', '--json']).stdout).map((e: { action: string }) => e.action)).toEqual(['cancel_order']);
      expect(JSON.parse(cli(['log', '--limit', '2', '--json']).stdout).map((e: { action: string }) => e.action)).toEqual(['help', 'cancel_order']);
      expect(cli(['log', '--actor', 'nobody'])).toMatchObject({ code: 0, stdout: 'no entries\n' });
    });

    it('bad usage exits 2 with one line', () => {
      for (const args of [['log', '--result', 'maybe'], ['log', '--limit', '0'], ['log', '--limit', 'ten']]) {
        const r = cli(args);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stdout).toBe('');
      }
      expect(cli(['log', '--result', 'maybe']).stderr).toMatch(/ok, refused, cancelled, duplicate, error/);
    });
  });
});
