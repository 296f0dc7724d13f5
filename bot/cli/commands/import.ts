import fs from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { IMPORT_KINDS, type ImportKind, type ImportSummary } from '../../../domain/import/types';
import { UserError } from '../../../domain/errors';
import { out, positiveIntArg, withApp } from '../support';

/** `--map "shipment_id=ASN/DN #,promised_date=Scheduled Delivery Date"` -> our column -> file column. */
export function parseColumnMap(value: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const part of value.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) {
      throw new InvalidArgumentError(`"${part.trim()}" is not of the form our_column=File Column.`);
    }
    map[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  return map;
}

function kindArg(value: string): ImportKind {
  if (!(IMPORT_KINDS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`choose one of ${IMPORT_KINDS.join(', ')}.`);
  }
  return value as ImportKind;
}

export function formatSummary(s: ImportSummary): string {
  const rate = s.seconds > 0 ? Math.round(s.rowsRead / s.seconds) : s.rowsRead;
  return (
    `imported ${s.kind} from ${s.file}: ${s.rowsRead} rows read, ${s.inserted} inserted, ${s.updated} updated, ` +
    `${s.rejected} rejected in ${s.seconds.toFixed(1)} s (${rate} rows/s)`
  );
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Load a CSV file (shipments, invoices, rates or events) as defined in data.md.')
    .argument('<kind>', `what the file holds: ${IMPORT_KINDS.join(' | ')}`, kindArg)
    .argument('<file>', 'the CSV file (UTF-8, header row)')
    .option('--map <pairs>', 'column mapping: our_column=File Column,... (unmapped file columns are ignored)', parseColumnMap)
    .option('--date-format <pattern>', 'date pattern of the file, e.g. d-MMM-yy or M/d/yyyy (date-fns tokens)')
    .option('--batch-size <n>', 'rows per transaction', positiveIntArg)
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExample:\n  waybill import shipments SCMS.csv --date-format d-MMM-yy \\\n    --map "shipment_id=ASN/DN #,customer=Country,carrier=Vendor,origin=Manufacturing Site,destination=Country"')
    .action(async (kind: ImportKind, file: string, opts: { map?: Record<string, string>; dateFormat?: string; batchSize?: number; json?: boolean }) => {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        throw new UserError(`cannot read ${file}: no such file`);
      }
      if (!stat.isFile()) throw new UserError(`${file} is not a file`);
      await withApp(async (app) => {
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: `${kind} [{bar}] {percentage}% | {rows} rows | {eta_formatted} left`, stream: process.stderr, hideCursor: true },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
        bar?.start(stat.size || 1, 0, { rows: 0 });
        try {
          const summary = await app.importer.importFile(kind, file, {
            columnMap: opts.map,
            dateFormat: opts.dateFormat,
            batchSize: opts.batchSize,
            onProgress: ({ rowsRead, bytesRead }) => bar?.update(bytesRead, { rows: rowsRead }),
            onReject: (r) => {
              if (!opts.json) out(`line ${r.line}: ${r.reason}`);
            },
          });
          bar?.update(stat.size || 1, { rows: summary.rowsRead });
          bar?.stop();
          out(opts.json ? JSON.stringify(summary) : formatSummary(summary));
        } catch (e) {
          bar?.stop();
          throw e;
        }
      });
    });
}
