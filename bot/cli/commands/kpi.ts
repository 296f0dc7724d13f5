import type { Command } from 'commander';
import { METRICS } from '../../../domain/kpi/types';
import { METRIC_LABELS, formatMetric } from '../../../domain/kpi/format';
import { UserError } from '../../../domain/errors';
import { out, table, withApp, ymdArg } from '../support';

interface KpiOpts {
  from: string;
  to: string;
  carrier?: string;
  customer?: string;
  origin?: string;
  destination?: string;
  today?: string;
  json?: boolean;
}

export function registerKpi(program: Command): void {
  program
    .command('kpi')
    .description('Compute the KPIs of data.md for a period (both dates inclusive).')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD', ymdArg)
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD', ymdArg)
    .option('--carrier <name>', 'only this carrier')
    .option('--customer <name>', 'only this customer')
    .option('--origin <place>', 'only shipments from this place')
    .option('--destination <place>', 'only shipments to this place')
    .option('--today <date>', '"today" for exception_count (default: the business date now)', ymdArg)
    .option('--json', 'print exactly the JSON of data.md')
    .action(async (o: KpiOpts) => {
      if (o.from > o.to) throw new UserError(`--from ${o.from} is after --to ${o.to}`, 2);
      await withApp(async (app) => {
        const result = await app.kpi.compute({
          period: { from: o.from, to: o.to },
          filters: { carrier: o.carrier, customer: o.customer, origin: o.origin, destination: o.destination },
          today: o.today,
        });
        if (o.json) {
          out(JSON.stringify({ period: result.period, metrics: result.metrics }));
          return;
        }
        out(`KPIs ${result.period.from} to ${result.period.to}`);
        out(table(['metric', 'value'], METRICS.map((m) => [METRIC_LABELS[m], formatMetric(m, result.metrics[m])])));
      });
    });
}
