import { describeEachDatabase } from '../support/databases';
import { clearBusinessData, insertInvoiceLines, insertShipments } from '../support/fixtures';
import { addFinding, engineFor } from '../kpi/helpers';
import { createRepositories } from '../../data/repositories';
import { buildDigest, type DigestSources, type DigestSubject } from '../../handlers/digestContent';
import { digestPeriod } from '../../domain/digests/period';
import type { ReplyPart } from '../../domain/conversation/reply';

/** The run: Wednesday 2026-03-18 08:00 UTC; a daily digest reports on Tuesday 2026-03-17. */
const AT = new Date('2026-03-18T08:00:00Z');
const daily = (report: DigestSubject['report'], filters = {}): DigestSubject => ({ report, frequency: 'daily', timeZone: 'UTC', filters });

const part = <K extends ReplyPart['kind']>(parts: ReplyPart[], kind: K, n = 0) =>
  parts.filter((p) => p.kind === kind)[n] as Extract<ReplyPart, { kind: K }>;

describe('digest periods', () => {
  it('daily and weekday digests cover yesterday, weekly the 7 days before, monthly the previous month', () => {
    expect(digestPeriod('daily', '2026-03-18')).toEqual({ from: '2026-03-17', to: '2026-03-17' });
    expect(digestPeriod('weekdays', '2026-03-16')).toEqual({ from: '2026-03-15', to: '2026-03-15' });
    expect(digestPeriod('weekly', '2026-03-16')).toEqual({ from: '2026-03-09', to: '2026-03-15' });
    expect(digestPeriod('monthly', '2026-03-01')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(digestPeriod('monthly', '2026-01-01')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });
});

describeEachDatabase('digest content', (ctx) => {
  let src: DigestSources;
  beforeAll(async () => {
    src = { kpi: engineFor(ctx.db, AT.toISOString()), shipments: createRepositories(ctx.db).shipments, sql: ctx.db.sql };
  });

  describe('with nothing in the database', () => {
    beforeAll(() => clearBusinessData(ctx.db));
    it('each report says so in one line', async () => {
      for (const report of ['kpi_digest', 'exceptions', 'invoice_audit'] as const) {
        const r = await buildDigest(daily(report), AT, src);
        expect(r.text.split('\n')).toHaveLength(1);
        expect(r.parts).toHaveLength(1);
      }
      expect((await buildDigest(daily('kpi_digest'), AT, src)).text).toBe(
        'KPI digest, Tue 17 Mar 2026: nothing to report (no shipments, orders, deliveries or open exceptions).',
      );
      expect((await buildDigest(daily('exceptions'), AT, src)).text).toBe('Exceptions report, Wed 18 Mar 2026: no open exceptions and no delayed shipments.');
      expect((await buildDigest(daily('invoice_audit'), AT, src)).text).toBe('Invoice audit, Tue 17 Mar 2026: no open audit findings on invoices of the period.');
    });
  });

  describe('with hand-written rows', () => {
    beforeAll(async () => {
      await clearBusinessData(ctx.db);
      await insertShipments(ctx.db, [
        // Delivered on Tue 17 Mar (the period): 4 with a promise, 2 late -> on-time 50.0%.
        { shipment_id: 'A1', carrier: 'DHL', origin: 'Chicago', destination: 'Dallas', ship_date: '2026-03-15', promised_date: '2026-03-17', delivered_date: '2026-03-17' }, // on time
        { shipment_id: 'A2', carrier: 'DHL', origin: 'Chicago', destination: 'Dallas', ship_date: '2026-03-14', promised_date: '2026-03-16', delivered_date: '2026-03-17' }, // late
        { shipment_id: 'A3', carrier: 'Maersk', origin: 'Newark', destination: 'Boston', ship_date: '2026-03-13', promised_date: '2026-03-15', delivered_date: '2026-03-17' }, // late
        { shipment_id: 'A4', carrier: 'Maersk', origin: 'Chicago', destination: 'Dallas', ship_date: '2026-03-16', promised_date: '2026-03-18', delivered_date: '2026-03-17' }, // early
        // Shipped on Tue 17 Mar: 2 shipments (volume); B2 is an exception.
        { shipment_id: 'B1', ship_date: '2026-03-17', promised_date: '2026-03-20' },
        { shipment_id: 'B2', carrier: 'Maersk', ship_date: '2026-03-17', promised_date: '2026-03-19', status: 'exception' },
        // Monday 16 Mar (the previous period): 1 delivered on time; 1 shipped.
        { shipment_id: 'P1', ship_date: '2026-03-16', promised_date: '2026-03-17', delivered_date: '2026-03-16' },
        // Delayed: promised Mon 16, not delivered at the run (Wed 18).
        { shipment_id: 'D1', ship_date: '2026-03-12', promised_date: '2026-03-16' },
      ]);
      await insertInvoiceLines(ctx.db, [
        { invoice_number: 'INV-1', carrier: 'DHL', invoice_date: '2026-03-17', charge_type: 'linehaul', amount: 120 },
        { invoice_number: 'INV-2', carrier: 'Maersk', invoice_date: '2026-03-17', charge_type: 'linehaul', amount: 300 },
        { invoice_number: 'INV-3', carrier: 'DHL', invoice_date: '2026-03-10', charge_type: 'linehaul', amount: 50 },
      ]);
      // Each test finding bills 120 against 100 expected: overcharge 20.
      await addFinding(ctx.db, { carrier: 'DHL', invoice_number: 'INV-1', invoice_date: '2026-03-17' });
      await addFinding(ctx.db, { carrier: 'Maersk', invoice_number: 'INV-2', invoice_date: '2026-03-17', status: 'disputed', rule: 'duplicate_charge' });
      await addFinding(ctx.db, { carrier: 'Maersk', invoice_number: 'INV-2', invoice_date: '2026-03-17', status: 'accepted' }); // accepted: not reported
      await addFinding(ctx.db, { carrier: 'DHL', invoice_number: 'INV-3', invoice_date: '2026-03-10' }); //                            outside the period
    });

    it('kpi_digest: KPIs against the previous day with deltas, worst lanes and carriers, a 14-day chart', async () => {
      const r = await buildDigest(daily('kpi_digest'), AT, src);
      expect(part(r.parts, 'heading').text).toBe('KPI digest, Tue 17 Mar 2026');
      const kpis = part(r.parts, 'table', 0);
      expect(kpis.caption).toBe('Against the previous day (Mon 16 Mar 2026)');
      const row = (label: string) => kpis.rows.find((x) => x[0] === label);
      // Shipped on the 17th: B1, B2 = 2; on the 16th: A4, P1 = 2 -> +0.0%.
      expect(row('Shipments')).toEqual(['Shipments', '2', '2', '+0.0%']);
      // On time on the 17th: A1, A4 of A1..A4 = 50.0%; the 16th: P1 = 100.0% -> -50.0 pp.
      expect(row('On-time rate')).toEqual(['On-time rate', '50.0%', '100.0%', '-50.0 pp']);
      const lanes = part(r.parts, 'table', 1);
      expect(lanes.caption).toBe('Worst lanes for on-time delivery');
      // Newark → Boston: A3 late of 1 (0%); Chicago → Dallas: A2 late of A1, A2, A4 (66.7%).
      expect(lanes.rows).toEqual([
        ['Newark → Boston', '0.0%', '1', '1'],
        ['Chicago → Dallas', '66.7%', '1', '3'],
      ]);
      const carriers = part(r.parts, 'table', 2);
      // DHL: A2 late of A1, A2 (50%); Maersk: A3 late of A3, A4 (50%): tie, then by name.
      expect(carriers.rows).toEqual([
        ['DHL', '50.0%', '1', '2'],
        ['Maersk', '50.0%', '1', '2'],
      ]);
      const chart = part(r.parts, 'chart').chart;
      expect(chart.labels).toHaveLength(14);
      expect(chart.labels[0]).toBe('03-04');
      expect(chart.labels[13]).toBe('03-17');
      expect(chart.series[0].values.slice(-2)).toEqual([1, 0.5]); //   16th: P1 on time; 17th: 2 of 4
      expect(chart.series[1].values.slice(-2)).toEqual([2, 2]); //     shipped 16th: A4, P1; 17th: B1, B2
    });

    it('kpi_digest filtered to a carrier', async () => {
      const r = await buildDigest(daily('kpi_digest', { carrier: 'maersk' }), AT, src);
      expect(part(r.parts, 'heading').text).toBe('KPI digest with maersk, Tue 17 Mar 2026');
      const kpis = part(r.parts, 'table', 0);
      expect(kpis.rows.find((x) => x[0] === 'Shipments')).toEqual(['Shipments', '1', '1', '+0.0%']); // B2; A4
      expect(part(r.parts, 'table', 1).rows).toEqual([['Newark → Boston', '0.0%', '1', '1']]);
    });

    it('exceptions: open exceptions with the most urgent, and the delayed count', async () => {
      const r = await buildDigest(daily('exceptions'), AT, src);
      expect(part(r.parts, 'heading').text).toBe('Exceptions report, Wed 18 Mar 2026');
      expect(part(r.parts, 'text').text).toBe('1 open exception, 1 delayed shipment.');
      expect(part(r.parts, 'table').rows.map((x) => x[0])).toEqual(['B2']);
    });

    it('invoice_audit: stored open and disputed findings of the period and their overcharge', async () => {
      const r = await buildDigest(daily('invoice_audit'), AT, src);
      expect(part(r.parts, 'fields').fields).toEqual([
        { label: 'Open findings', value: '2' },
        { label: 'Total overcharge', value: '$40.00' },
      ]);
      expect(part(r.parts, 'table').rows.map((x) => [x[0], x[1], x[4]])).toEqual([
        ['INV-1', 'DHL', 'open'],
        ['INV-2', 'Maersk', 'disputed'],
      ]);
      const weekly = await buildDigest({ ...daily('invoice_audit'), frequency: 'weekly' }, AT, src); // 11..17 Mar: still INV-3 out
      expect(part(weekly.parts, 'fields').fields[0].value).toBe('2');
      const dhl = await buildDigest(daily('invoice_audit', { carrier: 'DHL' }), AT, src);
      expect(part(dhl.parts, 'fields').fields).toEqual([{ label: 'Open findings', value: '1' }, { label: 'Total overcharge', value: '$20.00' }]);
    });

    it('reads the calendar in the subscription time zone', async () => {
      // 2026-03-18T03:00Z is still the 17th in New York: the daily digest then covers the 16th.
      const r = await buildDigest({ ...daily('kpi_digest'), timeZone: 'America/New_York' }, new Date('2026-03-18T03:00:00Z'), src);
      expect(part(r.parts, 'heading').text).toBe('KPI digest, Mon 16 Mar 2026');
    });
  });
});
