import { loadConfig } from '../../bot/config';
import { UserError } from '../../domain/errors';

/** WAYBILL_KPI_STATEMENTS: how many KPI statements one process computes at once (bot/container.ts). */
describe('WAYBILL_KPI_STATEMENTS', () => {
  it('is unset by default (the database decides: 2 on SQLite, 1 on PostgreSQL), and blank is unset', () => {
    expect(loadConfig({}).kpiStatements).toBeUndefined();
    expect(loadConfig({ WAYBILL_KPI_STATEMENTS: ' ' }).kpiStatements).toBeUndefined();
  });

  it('takes 1 or 2', () => {
    expect(loadConfig({ WAYBILL_KPI_STATEMENTS: '1' }).kpiStatements).toBe(1);
    expect(loadConfig({ WAYBILL_KPI_STATEMENTS: '2' }).kpiStatements).toBe(2);
  });

  it.each(['0', '3', '1.5', 'two'])('refuses %s with a usage error naming the variable', (v) => {
    expect(() => loadConfig({ WAYBILL_KPI_STATEMENTS: v })).toThrow(UserError);
    expect(() => loadConfig({ WAYBILL_KPI_STATEMENTS: v })).toThrow(/WAYBILL_KPI_STATEMENTS/);
  });
});
