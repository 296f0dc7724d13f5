#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { UserError } from '../../domain/errors';
import { registerDb } from './commands/db';
import { registerImport } from './commands/import';
import { registerSeed } from './commands/seed';
import { registerKpi } from './commands/kpi';
import { registerAudit } from './commands/audit';
import { registerParse } from './commands/parse';
import { registerUsers } from './commands/users';
import { registerLog } from './commands/log';
import { registerChat } from './commands/chat';
import { registerDigest } from './commands/digest';

/** `waybill`: the command line (cli.md). stdout carries results only; errors are one line on stderr. */
export function buildProgram(): Command {
  const program = new Command('waybill')
    .description('Waybill: the logistics back-office assistant, from the command line.')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str.startsWith('error:') ? `waybill: ${str.slice(7)}` : str) });
  program.addHelpText('after', '\nGlobal options:\n  --debug   print the stack trace of an error\n\nEnvironment: DATABASE_URL, WAYBILL_NOW, WAYBILL_TZ, LOG_LEVEL (see README).');
  registerDb(program);
  registerImport(program);
  registerSeed(program);
  registerKpi(program);
  registerAudit(program);
  registerParse(program);
  registerUsers(program);
  registerLog(program);
  registerChat(program);
  registerDigest(program);
  // Every sub-command reports usage errors the same way.
  for (const c of program.commands) c.exitOverride().showSuggestionAfterError();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  try {
    await buildProgram().parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UserError) {
      process.stderr.write(`waybill: ${e.message}\n`);
      if (debug) process.stderr.write(`${e.stack}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    process.stderr.write(`waybill: unexpected error: ${err?.message ?? String(e)} (run again with --debug for details)\n`);
    if (debug) process.stderr.write(`${err?.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
}
