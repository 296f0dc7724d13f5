import path from 'node:path';
import { runCli } from '../support/cli';
import { csv, tempDir } from './helpers';

/** `waybill import` run the way people run it: the compiled CLI, a SQLite file, stdout and exit codes. */
describe('waybill import (CLI)', () => {
  const files = tempDir();
  const env = { DATABASE_URL: `sqlite:${path.join(files.dir, 'cli.sqlite')}` };
  afterAll(() => files.remove());

  it('prints the rejected lines and the summary, and exits 0', () => {
    const file = files.write('shipments.csv', csv(
      'shipment_id,customer,carrier,origin,destination,ship_date,weight_kg',
      'S-1,Acme,DHL,Chicago,Dallas,2026-03-02,10',
      'S-2,Acme,DHL,Chicago,Dallas,2026-13-01,10',
      'S-3,Acme,DHL,Chicago,Dallas,,N/A',
    ));
    const r = runCli(['import', 'shipments', file], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe("line 3: ship_date '2026-13-01' is not a date (expected YYYY-MM-DD)");
    expect(lines[1]).toMatch(new RegExp(`^imported shipments from ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 3 rows read, 2 inserted, 0 updated, 1 rejected in \\d+\\.\\d s \\(\\d+ rows/s\\)$`));
    expect(lines).toHaveLength(2);

    const again = runCli(['import', 'shipments', file, '--json'], { env });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ kind: 'shipments', rowsRead: 3, inserted: 0, updated: 2, rejected: 1, rejections: [{ line: 3 }] });
  });

  it('takes --map and --date-format', () => {
    const file = files.write('export.csv', csv('Ref,Client,Haulier,From,To,Due', 'X-1,Acme,DHL,Chicago,Dallas,2-Jun-06'));
    const r = runCli(['import', 'shipments', file, '--date-format', 'd-MMM-yy', '--map', 'shipment_id=Ref,customer=Client,carrier=Haulier,origin=From,destination=To,promised_date=Due', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rowsRead: 1, inserted: 1, rejected: 0 });
  });

  it('exits 1 with one line naming a missing required column', () => {
    const file = files.write('missing.csv', csv('shipment_id,customer,destination', 'S-1,Acme,Dallas'));
    const r = runCli(['import', 'shipments', file], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^waybill: the shipments file lacks the required columns carrier, origin \(its columns are: shipment_id, customer, destination\)/);
  });

  it('exits 2 for a --map key that is not a column of the kind', () => {
    const file = files.write('any.csv', csv('shipment_id,customer,carrier,origin,destination', 'S-1,Acme,DHL,Chicago,Dallas'));
    const r = runCli(['import', 'shipments', file, '--map', 'shipment=Ref'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--map names "shipment", which is not a shipments column/);
  });
});
