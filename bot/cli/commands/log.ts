import { Option, type Command } from 'commander';
import type { ActionResult } from '../../../domain/repositories';
import { out, positiveIntArg, table, withApp } from '../support';

const RESULTS: readonly ActionResult[] = ['ok', 'refused', 'cancelled', 'duplicate', 'error'];

interface LogOpts {
  limit: number;
  actor?: string;
  result?: ActionResult;
  json?: boolean;
}

/** 2026-03-18T09:00:00.000Z -> 2026-03-18 09:00:00Z */
const when = (d: Date) => `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;

/** `waybill log`: what people asked the bot to do and what came of it. */
export function registerLog(program: Command): void {
  program
    .command('log')
    .description('Show the action log (what people asked the bot to do and the result), newest first.')
    .option('--limit <n>', 'how many entries', positiveIntArg, 50)
    .option('--actor <text>', 'only actors whose name contains this (case-insensitive), e.g. dana or slack:U024BE7LH')
    .addOption(new Option('--result <result>', 'only this result').choices(RESULTS))
    .option('--json', 'print JSON')
    .action(async (o: LogOpts) => {
      await withApp(async (app) => {
        const entries = await app.repos.actionLog.list({ limit: o.limit, actor: o.actor, result: o.result });
        if (o.json) {
          out(
            JSON.stringify(
              entries.map((e) => ({
                id: e.id, at: e.at.toISOString(), actor: e.actor, role: e.role, platform: e.platform, channel: e.channel,
                action: e.action, result: e.result, detail: e.detail ?? null, frame: e.frame ?? null,
              })),
            ),
          );
          return;
        }
        if (entries.length === 0) {
          out('no entries');
          return;
        }
        out(
          table(
            ['time', 'actor', 'role', 'platform', 'channel', 'action', 'result', 'detail'],
            entries.map((e) => [when(e.at), e.actor, e.role, e.platform, e.channel, e.action, e.result, e.detail?.replace(/\s+/g, ' ')]),
          ),
        );
      });
    });
}
