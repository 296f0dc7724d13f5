import type { Command } from 'commander';
import { UserError } from '../../../domain/errors';
import { out, positiveIntArg, withApp } from '../support';

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('Fill the database with a deterministic, realistic demo data set.')
    .option('--demo', 'the demo data set (customers, carriers, contracts, orders, shipments, events, invoices)')
    .option('--shipments <n>', 'how many shipments', positiveIntArg, 2000)
    .option('--seed <s>', 'random seed (same seed, same data)', (v) => positiveIntArg(v), 42)
    .option('--no-audit', 'do not run the freight audit over the seeded invoices')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { demo?: boolean; shipments: number; seed: number; audit?: boolean; json?: boolean }) => {
      if (!opts.demo) throw new UserError('say which data set to load: waybill seed --demo', 2);
      await withApp(async (app) => {
        const summary = await app.seeder.seed({ shipments: opts.shipments, seed: opts.seed, today: app.clock.today() });
        // The demo invoices are audited straight away, so findings and invoice accuracy are meaningful.
        const audit = opts.audit === false ? undefined : await app.audit.run({});
        out(
          opts.json
            ? JSON.stringify({ ...summary, auditFindings: audit?.findings.length ?? null })
            : `seeded ${app.databaseDescription}: ${summary.customers} customers, ${summary.carriers} carriers, ${summary.rates} contract rows, ` +
                `${summary.orders} orders, ${summary.shipments} shipments, ${summary.events} tracking events, ` +
                `${summary.invoices} invoices (${summary.invoiceLines} lines) in ${summary.seconds.toFixed(1)} s` +
                (audit ? `; audit: ${audit.findings.length} findings on ${audit.invoices_checked} invoices` : ''),
        );
      });
    });
}
