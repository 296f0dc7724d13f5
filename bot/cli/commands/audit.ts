import type { Command } from 'commander';
import { UserError } from '../../../domain/errors';
import { numberArg, out, table, withApp, ymdArg } from '../support';

interface AuditOpts {
  from?: string;
  to?: string;
  carrier?: string;
  invoice?: string;
  minAmount?: number;
  tolerancePct?: number;
  toleranceAbs?: number;
  json?: boolean;
}

const fmt = (n: number | null) => (n === null ? '' : n.toFixed(2));

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('Check freight invoices against contracts and shipments (the rules of data.md) and store the findings.')
    .option('--from <date>', 'invoices dated on or after, YYYY-MM-DD', ymdArg)
    .option('--to <date>', 'invoices dated on or before, YYYY-MM-DD', ymdArg)
    .option('--carrier <name>', 'only this carrier')
    .option('--invoice <number>', 'only this invoice, e.g. INV-2291')
    .option('--min-amount <n>', 'only findings with at least this overcharge', numberArg)
    .option('--tolerance-pct <n>', 'tolerance in percent of the expected amount (default 1)', numberArg)
    .option('--tolerance-abs <n>', 'tolerance in currency units (default 1.00)', numberArg)
    .option('--json', 'print exactly the JSON of data.md')
    .action(async (o: AuditOpts) => {
      if (o.from && o.to && o.from > o.to) throw new UserError(`--from ${o.from} is after --to ${o.to}`, 2);
      await withApp(async (app) => {
        const tolerance =
          o.tolerancePct !== undefined || o.toleranceAbs !== undefined
            ? { pct: o.tolerancePct ?? app.config.auditTolerance.pct, abs: o.toleranceAbs ?? app.config.auditTolerance.abs }
            : undefined;
        const result = await app.audit.run({
          period: { from: o.from, to: o.to },
          filters: { carrier: o.carrier },
          invoiceNumber: o.invoice,
          minAmount: o.minAmount,
          tolerance,
        });
        if (o.json) {
          out(
            JSON.stringify({
              invoices_checked: result.invoices_checked,
              findings: result.findings.map((f) => ({
                invoice_number: f.invoice_number,
                carrier: f.carrier,
                shipment_id: f.shipment_id,
                rule: f.rule,
                expected: f.expected,
                billed: f.billed,
                overcharge: f.overcharge,
              })),
            }),
          );
          return;
        }
        const total = result.findings.reduce((s, f) => s + f.overcharge, 0);
        out(`${result.invoices_checked} invoices checked, ${result.findings.length} findings, overcharge ${total.toFixed(2)}`);
        if (result.findings.length) {
          out(
            table(
              ['invoice', 'carrier', 'shipment', 'rule', 'expected', 'billed', 'overcharge'],
              result.findings.map((f) => [f.invoice_number, f.carrier, f.shipment_id, f.rule, fmt(f.expected), fmt(f.billed), fmt(f.overcharge)]),
            ),
          );
        }
      });
    });
}
