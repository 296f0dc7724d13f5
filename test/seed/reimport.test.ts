import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEachDatabase } from '../support/databases';
import { createDemoSeeder } from '../../data/seed/demoSeeder';
import { createImportService } from '../../data/import/importService';
import { silentLogger } from '../../domain/logger';

/** The seeder and the importer agree on invoice line identity: re-importing the demo invoices updates them. */
describeEachDatabase('demo invoices re-imported as CSV', (ctx) => {
  it('updates every line and adds none', async () => {
    const importer = createImportService(ctx.db, { logger: silentLogger, today: () => '2026-03-18' });
    await createDemoSeeder(ctx.db, { importer }).seed({ shipments: 300, seed: 5, today: '2026-03-18' });
    const rows = await ctx.db.sql.query<Record<string, string | number | null>>(
      `SELECT i.invoice_number, c.name AS carrier, l.invoice_date, l.shipment_ref AS shipment_id, l.charge_type, l.charge_code,
              l.billed_weight_kg, l.amount
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id JOIN carriers c ON c.id = l.carrier_id ORDER BY l.id`,
    );
    const cell = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);
    const header = ['invoice_number', 'carrier', 'invoice_date', 'shipment_id', 'charge_type', 'charge_code', 'billed_weight_kg', 'amount'];
    const csv = [header.join(','), ...rows.map((r) => header.map((h) => cell(h === 'amount' ? Number(r[h]).toFixed(2) : h === 'billed_weight_kg' && r[h] !== null ? Number(r[h]) : r[h])).join(','))].join('\n');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-reimport-')), 'invoices.csv');
    fs.writeFileSync(file, csv + '\n');
    const summary = await importer.importFile('invoices', file);
    expect(summary).toMatchObject({ rowsRead: rows.length, inserted: 0, updated: rows.length, rejected: 0 });
    const [{ n }] = await ctx.db.sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM invoice_lines');
    expect(Number(n)).toBe(rows.length);
  });
});
