import { createDemoSeeder } from '../../data/seed/demoSeeder';
import { createAuditEngine } from '../../domain/audit/engine';
import { AUDIT_RULES, DEFAULT_TOLERANCE, type AuditResult } from '../../domain/audit/types';
import { createClock } from '../../domain/clock';
import type { ImportService } from '../../domain/import/types';
import { generateDemoData } from '../../domain/seed/generator';
import { describeEachDatabase } from '../support/databases';

/**
 * The real audit engine over the demo data: it finds every planted discrepancy, with its rule, and
 * nothing on the invoices billed per contract (the demo's "invoice accuracy" is what was planted).
 */
const OPTS = { shipments: 2000, seed: 42, today: '2026-03-18' };
const importer: ImportService = { importFile: () => Promise.reject(new Error('the seeder writes directly')) };

describeEachDatabase('audit engine over the demo data', (ctx) => {
  let result: AuditResult;
  const planted = generateDemoData(OPTS).planted;

  beforeAll(async () => {
    await createDemoSeeder(ctx.db, { importer }).seed(OPTS);
    const engine = createAuditEngine({ sql: ctx.db.sql, clock: createClock('UTC', new Date('2026-03-18T09:30:00Z')), tolerance: DEFAULT_TOLERANCE });
    result = await engine.run({});
  }, 120_000);

  it('has at least one finding of every rule', () => {
    for (const rule of AUDIT_RULES) expect({ rule, found: result.findings.some((f) => f.rule === rule) }).toEqual({ rule, found: true });
  });

  it('finds every planted discrepancy, with its rule', () => {
    for (const p of planted) {
      const rules = result.findings.filter((f) => f.invoice_number === p.invoice_number && f.carrier === p.carrier).map((f) => f.rule);
      expect({ ...p, rules }).toEqual({ ...p, rules: expect.arrayContaining([p.rule]) });
    }
  });

  it('finds nothing on the invoices billed per contract', () => {
    const wrong = new Set(planted.map((p) => `${p.carrier}|${p.invoice_number}`));
    expect(result.findings.filter((f) => !wrong.has(`${f.carrier}|${f.invoice_number}`))).toEqual([]);
  });
});
