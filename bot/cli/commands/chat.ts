import type { Command } from 'commander';
import { UserError } from '../../../domain/errors';
import { LOCAL_OPERATOR_ID } from '../../../handlers/person';
import { createConsoleSession, runConsole } from '../../console/consoleChannel';
import { withApp } from '../support';

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description('Talk to Waybill on the console: interactive on a terminal, one message per line from piped stdin.')
    .option('--as <user>', 'speak as a person known to `waybill users` (their role applies); default: the local operator, role admin')
    .addHelpText('after', '\nButtons are answered by typing their label ("confirm", "cancel"). Type "exit" to leave.')
    .action(async (opts: { as?: string }) => {
      await withApp(async (app) => {
        let speaker = { platform: 'console' as const, id: LOCAL_OPERATOR_ID, displayName: 'Local operator' };
        if (opts.as) {
          const p = await app.repos.users.findByHandle(opts.as);
          if (!p) throw new UserError(`"${opts.as}" is not a known person: add them with waybill users add ${opts.as} --role <role>, or see waybill users list`, 2);
          speaker = { platform: 'console', id: p.externalId, displayName: p.displayName ?? p.externalId };
        }
        const interactive = Boolean(process.stdin.isTTY);
        await runConsole(createConsoleSession(app.conversation, speaker), {
          input: process.stdin,
          output: process.stdout,
          interactive,
          greeting: `Waybill console on ${app.databaseDescription} (today ${app.clock.today()}), as ${speaker.displayName}. Say "help", or "exit" to leave.`,
        });
      });
    });
}
