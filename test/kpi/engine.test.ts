import { describeEachDatabase } from '../support/databases';
import { clearBusinessData, insertInvoiceLines, insertShipments } from '../support/fixtures';
import { METRICS } from '../../domain/kpi/types';
import { UserError } from '../../domain/errors';
import { addFinding, engineFor, OCTOBER } from './helpers';

/**
 * The KPI definitions of data.md on hand-written rows, with every figure computed by hand in the
 * comments. The period is October 2026 (2026-10-01..2026-10-31, both inclusive) unless said otherwise.
 */
describeEachDatabase('KPI engine', (ctx) => {
  describe('shipment_count and order_count', () => {
    beforeAll(async () => {
      await clearBusinessData(ctx.db);
      await insertShipments(ctx.db, [
        { shipment_id: 'S-0930', ship_date: '2026-09-30', order_id: 'ORD-A' }, //           a day before: out (ORD-A: order date = ship date 09-30, out)
        { shipment_id: 'S-1001', ship_date: '2026-10-01', order_id: 'ORD-B', order_date: '2026-09-28' }, // first day: in (ORD-B ordered 09-28: out)
        { shipment_id: 'S-1005', ship_date: '2026-10-05', order_id: 'ORD-C' }, //           in (ORD-C: no order date, ship date 10-05: in)
        { shipment_id: 'S-1031', ship_date: '2026-10-31', order_id: 'ORD-C' }, //           last day: in (ORD-C again: counted once)
        { shipment_id: 'S-1101', ship_date: '2026-11-01', order_id: 'ORD-D', order_date: '2026-10-20' }, // a day after: out (ORD-D ordered 10-20: in)
        { shipment_id: 'S-1015-X', ship_date: '2026-10-15', status: 'cancelled', order_id: 'ORD-E', order_date: '2026-10-14' }, // cancelled: out (ORD-E still ordered 10-14: in)
        { shipment_id: 'S-PEND', ship_date: null, order_id: 'ORD-F', order_date: '2026-10-31' }, // not shipped: out (ORD-F ordered on the last day: in)
        { shipment_id: 'S-1010', ship_date: '2026-10-10', order_id: null }, //                in (no order: adds no order)
        { shipment_id: 'S-1002', ship_date: '2026-10-02', order_id: 'ORD-G', order_date: '2026-10-01' }, // in (ORD-G ordered on the first day: in)
        { shipment_id: 'S-1102', ship_date: '2026-11-02', order_id: 'ORD-G', order_date: '2026-10-01' }, // out (ORD-G again: counted once)
        { shipment_id: 'S-1103', ship_date: '2026-11-03', order_id: 'ORD-H', order_date: '2026-11-01' }, // out (ORD-H ordered a day after: out)
      ]);
    });

    it('counts shipments shipped in the period, both ends inclusive, cancelled and unshipped excluded', async () => {
      const r = await engineFor(ctx.db).compute({ period: OCTOBER });
      // S-1001, S-1005, S-1031, S-1010, S-1002 -> 5
      expect(r.metrics.shipment_count).toBe(5);
    });

    it('counts distinct orders by order_date, else ship_date', async () => {
      const r = await engineFor(ctx.db).compute({ period: OCTOBER });
      // ORD-C (ship date 10-05), ORD-D (ordered 10-20), ORD-E (ordered 10-14), ORD-F (ordered 10-31), ORD-G (ordered 10-01) -> 5
      expect(r.metrics.order_count).toBe(5);
    });

    it('takes a one-day period', async () => {
      const r = await engineFor(ctx.db).compute({ period: { from: '2026-10-31', to: '2026-10-31' } });
      // shipped 10-31: S-1031 -> 1; ordered 10-31: ORD-C (S-1031, no order date) and ORD-F -> 2
      expect(r.metrics).toMatchObject({ shipment_count: 1, order_count: 2 });
    });
  });

  describe('on_time_rate, otif and avg_transit_days', () => {
    beforeAll(async () => {
      await clearBusinessData(ctx.db);
      await insertShipments(ctx.db, [
        // delivered on the promised day, 10 of 10: on time, in full; transit 09-28 -> 10-01 = 3 days
        { shipment_id: 'D1', ship_date: '2026-09-28', promised_date: '2026-10-01', delivered_date: '2026-10-01', quantity_ordered: 10, quantity_delivered: 10 },
        // a day late: not on time; transit 10-29 -> 10-31 = 2
        { shipment_id: 'D2', ship_date: '2026-10-29', promised_date: '2026-10-30', delivered_date: '2026-10-31', quantity_ordered: 4, quantity_delivered: 4 },
        // early but short (8 of 10): on time, not in full; transit 10-05 -> 10-10 = 5
        { shipment_id: 'D3', ship_date: '2026-10-05', promised_date: '2026-10-12', delivered_date: '2026-10-10', quantity_ordered: 10, quantity_delivered: 8 },
        // on the day, no quantities: on time and in full; transit 10-18 -> 10-20 = 2
        { shipment_id: 'D4', ship_date: '2026-10-18', promised_date: '2026-10-20', delivered_date: '2026-10-20' },
        // early, ordered 5 but delivered quantity missing: in full; no ship date: not in transit
        { shipment_id: 'D5', ship_date: null, promised_date: '2026-10-25', delivered_date: '2026-10-21', quantity_ordered: 5, quantity_delivered: null },
        // no promised date: outside on-time and OTIF; transit 10-20 -> 10-22 = 2
        { shipment_id: 'D6', ship_date: '2026-10-20', promised_date: null, delivered_date: '2026-10-22' },
        // late and over-delivered (15 of 12): not on time so not OTIF; transit 10-13 -> 10-15 = 2
        { shipment_id: 'D7', ship_date: '2026-10-13', promised_date: '2026-10-14', delivered_date: '2026-10-15', quantity_ordered: 12, quantity_delivered: 15 },
        // delivered a day before / a day after the period: out of every delivery metric
        { shipment_id: 'D8', ship_date: '2026-09-20', promised_date: '2026-10-01', delivered_date: '2026-09-30' },
        { shipment_id: 'D9', ship_date: '2026-10-20', promised_date: '2026-10-25', delivered_date: '2026-11-01' },
        // not delivered: out
        { shipment_id: 'D10', ship_date: '2026-10-20', promised_date: '2026-10-25', delivered_date: null },
      ]);
    });

    it('on_time_rate: delivered in the period with a promised date, share delivered on or before it', async () => {
      const r = await engineFor(ctx.db).compute({ period: OCTOBER });
      // population D1 D2 D3 D4 D5 D7 = 6; on time D1 D3 D4 D5 = 4 -> 4/6 = 0.6667
      expect(r.metrics.on_time_rate).toBeCloseTo(4 / 6, 12);
    });

    it('otif: on time and in full (short is not in full, missing quantities are)', async () => {
      const r = await engineFor(ctx.db).compute({ period: OCTOBER });
      // same 6; on time and in full: D1 (10/10), D4 (no quantities), D5 (delivered missing) = 3; D3 short -> 3/6 = 0.5
      expect(r.metrics.otif).toBe(0.5);
    });

    it('avg_transit_days: mean of delivered - shipped over those delivered in the period with a ship date, 2 decimals', async () => {
      const r = await engineFor(ctx.db).compute({ period: OCTOBER });
      // D1 3 + D2 2 + D3 5 + D4 2 + D6 2 + D7 2 = 16 days over 6 shipments = 2.666... -> 2.67
      expect(r.metrics.avg_transit_days).toBe(2.67);
    });

    it('the period bounds are inclusive for deliveries too', async () => {
      const first = await engineFor(ctx.db).compute({ period: { from: '2026-10-01', to: '2026-10-01' } });
      // delivered 10-01: D1 only, on time, in full, 3 days
      expect(first.metrics).toMatchObject({ on_time_rate: 1, otif: 1, avg_transit_days: 3 });
      const last = await engineFor(ctx.db).compute({ period: { from: '2026-10-31', to: '2026-10-31' } });
      // delivered 10-31: D2 only, late, 2 days
      expect(last.metrics).toMatchObject({ on_time_rate: 0, otif: 0, avg_transit_days: 2 });
      const nov = await engineFor(ctx.db).compute({ period: { from: '2026-11-01', to: '2026-11-30' } });
      // delivered 11-01: D9, late (promised 10-25), 12 days (10-20 -> 11-01)
      expect(nov.metrics).toMatchObject({ on_time_rate: 0, otif: 0, avg_transit_days: 12 });
    });

    it('avg_transit_days follows the period of delivery', async () => {
      const r = await engineFor(ctx.db).compute({ period: { from: '2026-10-10', to: '2026-10-22' } });
      // delivered 10-10..10-22 with a ship date: D3 5, D4 2, D6 2, D7 2 = 11 / 4 = 2.75 exactly
      expect(r.metrics.avg_transit_days).toBe(2.75);
      const wide = await engineFor(ctx.db).compute({ period: { from: '2026-09-30', to: '2026-11-01' } });
      // D8 10 (09-20 -> 09-30) + 16 (October) + D9 12 = 38 over 8 = 4.75 exactly
      expect(wide.metrics.avg_transit_days).toBe(4.75);
    });
  });

  describe('freight_spend', () => {
    beforeAll(async () => {
      await clearBusinessData(ctx.db);
      await insertInvoiceLines(ctx.db, [
        { invoice_number: 'INV-1', invoice_date: '2026-09-30', charge_type: 'linehaul', amount: 50 }, //   a day before: out
        { invoice_number: 'INV-2', invoice_date: '2026-10-01', charge_type: 'linehaul', amount: 100.1 }, // first day: in
        { invoice_number: 'INV-2', invoice_date: '2026-10-01', charge_type: 'fuel', amount: 0.1 }, //      in
        { invoice_number: 'INV-3', invoice_date: '2026-10-15', charge_type: 'accessorial', charge_code: 'DET', amount: 0.2 }, // in
        { invoice_number: 'INV-4', invoice_date: '2026-10-31', charge_type: 'linehaul', amount: 200.2 }, // last day: in
        { invoice_number: 'INV-5', invoice_date: '2026-11-01', charge_type: 'linehaul', amount: 70 }, //    a day after: out
        // December: cents that binary floating point does not add up exactly
        ...[19.99, 0.01, 0.07, 0.29, 1.15, 2.3].map((amount, i) => ({
          invoice_number: `INV-D${i}`, invoice_date: `2026-12-0${i + 1}`, charge_type: 'linehaul' as const, amount,
        })),
      ]);
    });

    it('sums invoice line amounts dated in the period, to the cent', async () => {
      const r = await engineFor(ctx.db).compute({ period: OCTOBER });
      // 100.10 + 0.10 + 0.20 + 200.20 = 300.60 (exactly, not 300.59999...)
      expect(r.metrics.freight_spend).toBe(300.6);
      const dec = await engineFor(ctx.db).compute({ period: { from: '2026-12-01', to: '2026-12-31' } });
      // 19.99 + 0.01 + 0.07 + 0.29 + 1.15 + 2.30 = 23.81 (exactly, not 23.809999...)
      expect(dec.metrics.freight_spend).toBe(23.81);
    });

    it('is 0, not null, without invoice lines', async () => {
      const r = await engineFor(ctx.db).compute({ period: { from: '2026-11-02', to: '2026-11-30' } });
      expect(r.metrics.freight_spend).toBe(0);
    });
  });

  describe('invoice_accuracy', () => {
    beforeAll(async () => {
      await clearBusinessData(ctx.db);
      await insertInvoiceLines(ctx.db, [
        { invoice_number: 'INV-1', carrier: 'DHL', invoice_date: '2026-10-05', charge_type: 'linehaul', amount: 100 },
        { invoice_number: 'INV-1', carrier: 'DHL', invoice_date: '2026-10-05', charge_type: 'fuel', amount: 10 },
        { invoice_number: 'INV-2', carrier: 'DHL', invoice_date: '2026-10-06', charge_type: 'linehaul', amount: 100 },
        { invoice_number: 'INV-3', carrier: 'FedEx', invoice_date: '2026-10-07', charge_type: 'linehaul', amount: 100 },
        // the same number from another carrier is another invoice
        { invoice_number: 'INV-1', carrier: 'FedEx', invoice_date: '2026-10-08', charge_type: 'linehaul', amount: 100 },
        // billed in the period and billed again after it (a second document of the same invoice)
        { invoice_number: 'INV-5', carrier: 'DHL', invoice_date: '2026-10-10', charge_type: 'linehaul', amount: 100 },
        { invoice_number: 'INV-5', carrier: 'DHL', invoice_date: '2026-11-02', charge_type: 'linehaul', amount: 100 },
        // outside the period
        { invoice_number: 'INV-4', carrier: 'DHL', invoice_date: '2026-09-30', charge_type: 'linehaul', amount: 100 },
        { invoice_number: 'INV-6', carrier: 'DHL', invoice_date: '2026-11-01', charge_type: 'linehaul', amount: 100 },
      ]);
    });

    it('is 1 when no invoice of the period has a finding', async () => {
      const r = await engineFor(ctx.db).compute({ period: OCTOBER });
      // invoices: DHL INV-1, DHL INV-2, FedEx INV-3, FedEx INV-1, DHL INV-5 = 5, none with a finding -> 5/5
      expect(r.metrics.invoice_accuracy).toBe(1);
    });

    it('counts the invoices (carrier + number) with no audit finding, whatever the finding status', async () => {
      await addFinding(ctx.db, { carrier: 'DHL', invoice_number: 'INV-2', invoice_date: '2026-10-06', status: 'resolved' });
      // the finding is on INV-5's November document: INV-5 is not right either
      await addFinding(ctx.db, { carrier: 'DHL', invoice_number: 'INV-5', invoice_date: '2026-11-02', rule: 'duplicate_invoice' });
      // findings on invoices outside the period change nothing
      await addFinding(ctx.db, { carrier: 'DHL', invoice_number: 'INV-4', invoice_date: '2026-09-30' });
      await addFinding(ctx.db, { carrier: 'DHL', invoice_number: 'INV-6', invoice_date: '2026-11-01' });
      const r = await engineFor(ctx.db).compute({ period: OCTOBER });
      // clean: DHL INV-1, FedEx INV-3, FedEx INV-1 = 3 of 5 -> 0.6
      expect(r.metrics.invoice_accuracy).toBe(0.6);
      const dhl = await engineFor(ctx.db).compute({ period: OCTOBER, filters: { carrier: 'dhl' } });
      // DHL: INV-1 (clean), INV-2, INV-5 -> 1/3
      expect(dhl.metrics.invoice_accuracy).toBeCloseTo(1 / 3, 12);
      const fedex = await engineFor(ctx.db).compute({ period: OCTOBER, filters: { carrier: 'FEDEX' } });
      // FedEx: INV-3, INV-1, both clean -> 2/2
      expect(fedex.metrics.invoice_accuracy).toBe(1);
    });

    it('a finding on one carrier\'s invoice does not touch the same number from another carrier', async () => {
      const r = await engineFor(ctx.db).compute({ period: { from: '2026-10-05', to: '2026-10-08' } });
      // DHL INV-1 (clean), DHL INV-2 (finding), FedEx INV-3, FedEx INV-1 (clean) -> 3/4
      expect(r.metrics.invoice_accuracy).toBe(0.75);
    });
  });

  describe('exception_count', () => {
    beforeAll(async () => {
      await clearBusinessData(ctx.db);
      await insertShipments(ctx.db, [
        { shipment_id: 'E1', ship_date: '2026-10-02', promised_date: '2026-10-30', status: 'exception' }, // flagged: counted
        { shipment_id: 'E2', ship_date: '2026-10-03', promised_date: '2026-10-19' }, //  in transit, promised before 10-20: counted
        { shipment_id: 'E3', ship_date: '2026-10-04', promised_date: '2026-10-20' }, //  promised ON today (10-20): not (yet)
        { shipment_id: 'E4', ship_date: '2026-10-05', promised_date: '2026-10-10', delivered_date: '2026-10-25' }, // delivered (late): not
        { shipment_id: 'E5', ship_date: '2026-09-30', promised_date: '2026-10-01', status: 'exception' }, // shipped before the period: not
        { shipment_id: 'E6', ship_date: '2026-10-06', promised_date: '2026-10-07', status: 'cancelled' }, // cancelled: not
        { shipment_id: 'E7', ship_date: '2026-10-07', promised_date: '2026-10-08', delivered_date: '2026-10-09', status: 'exception' }, // flagged: counted
        { shipment_id: 'E8', ship_date: null, promised_date: '2026-10-10' }, //             not shipped: not
        { shipment_id: 'E9', ship_date: '2026-10-31', promised_date: null }, //             no promise, not flagged: not
        { shipment_id: 'E10', ship_date: '2026-11-01', promised_date: '2026-11-02', status: 'exception' }, // shipped after: not
      ]);
    });

    it('counts flagged shipments and overdue undelivered ones, as of the given today', async () => {
      const kpi = engineFor(ctx.db);
      // today 10-20: E1, E2, E7 -> 3
      expect((await kpi.compute({ period: OCTOBER, today: '2026-10-20' })).metrics.exception_count).toBe(3);
      // today 10-21: E3 (promised 10-20) is overdue too -> 4
      expect((await kpi.compute({ period: OCTOBER, today: '2026-10-21' })).metrics.exception_count).toBe(4);
    });

    it('takes today from the clock when not given', async () => {
      // clock today 2026-10-01: only the flagged E1 and E7 -> 2
      expect((await engineFor(ctx.db, '2026-10-01T09:00:00Z').compute({ period: OCTOBER })).metrics.exception_count).toBe(2);
      // clock today 2026-11-24: E1, E2, E3, E7 -> 4
      expect((await engineFor(ctx.db).compute({ period: OCTOBER })).metrics.exception_count).toBe(4);
    });
  });

  describe('filters', () => {
    beforeAll(async () => {
      await clearBusinessData(ctx.db);
      await insertShipments(ctx.db, [
        // F1 on time (10-05 <= 10-05), 3 days; F2 late (10-08 > 10-06), 5 days
        { shipment_id: 'F1', carrier: 'DHL', customer: 'Acme Corp', origin: 'Chicago', destination: 'Dallas, TX', ship_date: '2026-10-02', promised_date: '2026-10-05', delivered_date: '2026-10-05' },
        { shipment_id: 'F2', carrier: 'DHL', customer: 'Globex', origin: 'Dallas', destination: 'Memphis', ship_date: '2026-10-03', promised_date: '2026-10-06', delivered_date: '2026-10-08' },
        { shipment_id: 'F3', carrier: 'FedEx', customer: 'Acme Corp', origin: 'Dallas, TX', destination: 'Chicago', ship_date: '2026-10-04' },
        { shipment_id: 'F4', carrier: 'FedEx', customer: 'Globex', origin: 'Chicago', destination: 'Dallas', ship_date: '2026-10-05' },
        // look-alike places that "Dallas" must not match
        { shipment_id: 'F5', carrier: 'UPS Freight', customer: 'Initech', origin: 'Dallasville', destination: 'Dallas Heights', ship_date: '2026-10-06' },
      ]);
      await insertInvoiceLines(ctx.db, [
        { invoice_number: 'INV-10', carrier: 'DHL', invoice_date: '2026-10-10', shipment_id: 'F1', charge_type: 'linehaul', amount: 100 },
        { invoice_number: 'INV-10', carrier: 'DHL', invoice_date: '2026-10-10', shipment_id: 'F2', charge_type: 'linehaul', amount: 50 },
        { invoice_number: 'INV-11', carrier: 'FedEx', invoice_date: '2026-10-11', shipment_id: 'F3', charge_type: 'linehaul', amount: 30 },
        { invoice_number: 'INV-11', carrier: 'FedEx', invoice_date: '2026-10-11', shipment_id: 'F4', charge_type: 'linehaul', amount: 20 },
        { invoice_number: 'INV-12', carrier: 'DHL', invoice_date: '2026-10-12', shipment_id: null, charge_type: 'other', amount: 7 }, // unmatched
        { invoice_number: 'INV-13', carrier: 'UPS Freight', invoice_date: '2026-10-13', shipment_id: 'F5', charge_type: 'linehaul', amount: 5 },
      ]);
      await addFinding(ctx.db, { carrier: 'FedEx', invoice_number: 'INV-11', invoice_date: '2026-10-11' });
    });

    const q = (filters: Record<string, string>) => engineFor(ctx.db).compute({ period: OCTOBER, filters, today: '2026-10-01' });

    it('without filters', async () => {
      const r = await q({});
      expect(r.metrics).toMatchObject({
        shipment_count: 5, // F1..F5
        on_time_rate: 0.5, // F1 on time, F2 late -> 1/2
        avg_transit_days: 4, // (3 + 5) / 2
        freight_spend: 212, // 100 + 50 + 30 + 20 + 7 + 5
        invoice_accuracy: 0.75, // INV-10, INV-12, INV-13 clean, INV-11 has a finding -> 3/4
      });
    });

    it('carrier: shipments of the carrier, invoice lines billed by it (matched or not); any case, spaces', async () => {
      for (const carrier of ['DHL', 'dhl', '  Dhl ']) {
        const r = await q({ carrier });
        expect(r.metrics).toMatchObject({
          shipment_count: 2, // F1, F2
          on_time_rate: 0.5, // F1 on time, F2 late
          avg_transit_days: 4, // (3 + 5) / 2
          freight_spend: 157, // INV-10 100 + 50, INV-12 7 (unmatched, but billed by DHL)
          invoice_accuracy: 1, // INV-10, INV-12: no finding -> 2/2
        });
      }
    });

    it('customer: shipments of the customer, invoice lines through the shipment they bill', async () => {
      for (const customer of ['Acme Corp', 'ACME CORP', 'acme corp ']) {
        const r = await q({ customer });
        expect(r.metrics).toMatchObject({
          shipment_count: 2, // F1, F3
          on_time_rate: 1, // F1 (F3 not delivered)
          avg_transit_days: 3,
          freight_spend: 130, // F1 100 (INV-10) + F3 30 (INV-11); the unmatched line drops out
          invoice_accuracy: 0.5, // INV-10 clean, INV-11 has a finding -> 1/2
        });
      }
    });

    it('origin: "Dallas" matches "Dallas" and "Dallas, TX", not "Dallasville"', async () => {
      const r = await q({ origin: 'Dallas' });
      expect(r.metrics).toMatchObject({
        shipment_count: 2, // F2 (Dallas), F3 (Dallas, TX)
        on_time_rate: 0, // F2 late
        avg_transit_days: 5,
        freight_spend: 80, // F2 50 + F3 30
        invoice_accuracy: 0.5, // INV-10 (via F2) clean, INV-11 (via F3) not -> 1/2
      });
      const exact = await q({ origin: 'dallas, tx' });
      // only F3: not delivered, billed 30 on INV-11 (finding)
      expect(exact.metrics).toMatchObject({ shipment_count: 1, on_time_rate: null, avg_transit_days: null, freight_spend: 30, invoice_accuracy: 0 });
    });

    it('a lane: each end matches its key or "key, ..." (the lane index searched on both columns)', async () => {
      // Chicago -> Dallas: F1 (to "Dallas, TX", on time in 3 days, 100 on INV-10) and F4 (to "Dallas", not delivered, 20 on INV-11).
      const both = await q({ origin: 'Chicago', destination: 'Dallas' });
      expect(both.metrics).toMatchObject({ shipment_count: 2, on_time_rate: 1, avg_transit_days: 3, freight_spend: 120, invoice_accuracy: 0.5 });
      // Dallas -> Chicago: F3 only (from "Dallas, TX"; 30 on INV-11, which has a finding).
      const prefixedOrigin = await q({ origin: 'Dallas', destination: 'Chicago' });
      expect(prefixedOrigin.metrics).toMatchObject({ shipment_count: 1, on_time_rate: null, freight_spend: 30, invoice_accuracy: 0 });
      // Dallas -> Memphis: F2 only (late by 2 days, 5 in transit, 50 on INV-10, clean); not Dallasville -> Dallas Heights.
      const exact = await q({ origin: 'Dallas', destination: 'Memphis' });
      expect(exact.metrics).toMatchObject({ shipment_count: 1, on_time_rate: 0, avg_transit_days: 5, freight_spend: 50, invoice_accuracy: 1 });
      expect((await q({ origin: 'Dallas', destination: 'Dallas' })).metrics).toMatchObject({ shipment_count: 0, freight_spend: 0 });
    });

    it('destination: "dallas" matches "Dallas, TX" and "Dallas", not "Dallas Heights"', async () => {
      const r = await q({ destination: 'dallas' });
      expect(r.metrics).toMatchObject({
        shipment_count: 2, // F1 (Dallas, TX), F4 (Dallas)
        on_time_rate: 1, // F1
        freight_spend: 120, // F1 100 + F4 20
        invoice_accuracy: 0.5, // INV-10 clean, INV-11 not
      });
    });

    it('filters combine', async () => {
      const r = await q({ carrier: 'FedEx', destination: 'Dallas' });
      // F4 only: billed 20 on INV-11 (finding)
      expect(r.metrics).toMatchObject({ shipment_count: 1, freight_spend: 20, invoice_accuracy: 0 });
      const none = await q({ carrier: 'DHL', customer: 'Initech' });
      expect(none.metrics).toMatchObject({ shipment_count: 0, freight_spend: 0, invoice_accuracy: null });
    });

    it('blank filters do not filter', async () => {
      const r = await q({ carrier: '', customer: '   ' });
      expect(r.metrics).toMatchObject({ shipment_count: 5, freight_spend: 212 });
    });

    it.each([
      [{ carrier: 'Nobody Freight' }],
      [{ customer: 'Nobody Inc' }],
      [{ origin: 'Atlantis' }],
      [{ destination: 'Nowhere' }],
      // quotes, placeholders and wildcards are data, not SQL
      [{ customer: "O'Brien? :name $1 \\ 'x' --" }],
      [{ origin: '%' }],
      [{ destination: 'D_llas' }],
    ])(
      'an unknown %j yields zero counts and null rates, no error',
      async (filters) => {
        const r = await q(filters);
        expect(r.metrics).toEqual({
          shipment_count: 0,
          order_count: 0,
          on_time_rate: null,
          otif: null,
          avg_transit_days: null,
          freight_spend: 0,
          invoice_accuracy: null,
          exception_count: 0,
        });
      },
    );
  });

  describe('an empty period and the result shape', () => {
    beforeAll(async () => {
      await clearBusinessData(ctx.db);
      await insertShipments(ctx.db, [{ shipment_id: 'X1', ship_date: '2026-10-02', promised_date: '2026-10-05', delivered_date: '2026-10-04' }]);
      await insertInvoiceLines(ctx.db, [{ invoice_number: 'INV-X', invoice_date: '2026-10-03', shipment_id: 'X1', charge_type: 'linehaul', amount: 10 }]);
    });

    it('gives counts 0, spend 0 and null rates and average', async () => {
      const r = await engineFor(ctx.db).compute({ period: { from: '2030-01-01', to: '2030-01-31' } });
      expect(r).toEqual({
        period: { from: '2030-01-01', to: '2030-01-31' },
        metrics: {
          shipment_count: 0,
          order_count: 0,
          on_time_rate: null,
          otif: null,
          avg_transit_days: null,
          freight_spend: 0,
          invoice_accuracy: null,
          exception_count: 0,
        },
      });
    });

    it('returns numbers (not strings), every metric of data.md in order', async () => {
      const r = await engineFor(ctx.db).compute({ period: OCTOBER, today: '2026-11-24' });
      expect(Object.keys(r.metrics)).toEqual([...METRICS]);
      // X1: shipped, ordered (no order: 0), delivered on time in full in 2 days; INV-X 10.00 with no finding
      expect(r.metrics).toEqual({
        shipment_count: 1,
        order_count: 0,
        on_time_rate: 1,
        otif: 1,
        avg_transit_days: 2,
        freight_spend: 10,
        invoice_accuracy: 1,
        exception_count: 0,
      });
      for (const v of Object.values(r.metrics)) expect(typeof v).toBe('number');
    });

    it('rejects a period that ends before it starts', async () => {
      await expect(engineFor(ctx.db).compute({ period: { from: '2026-10-31', to: '2026-10-01' } })).rejects.toBeInstanceOf(UserError);
    });
  });

  describe('compare: the period and the previous one of equal length', () => {
    beforeAll(async () => {
      await clearBusinessData(ctx.db);
      await insertShipments(ctx.db, [
        { shipment_id: 'C-0830', ship_date: '2026-08-30' }, //                                                         before both periods
        { shipment_id: 'C-0831', ship_date: '2026-08-31', promised_date: '2026-09-02', delivered_date: '2026-09-03' }, // previous, first day (late)
        { shipment_id: 'C-0930', ship_date: '2026-09-30', promised_date: '2026-10-02', delivered_date: '2026-10-01' }, // previous, last day (delivered in October, on time)
        { shipment_id: 'C-1001', ship_date: '2026-10-01', promised_date: '2026-10-03', delivered_date: '2026-10-03' }, // current (on time)
        { shipment_id: 'C-1015', ship_date: '2026-10-15' }, //                                                         current
        { shipment_id: 'C-1031', ship_date: '2026-10-31' }, //                                                         current
      ]);
      await insertInvoiceLines(ctx.db, [
        { invoice_number: 'INV-P', invoice_date: '2026-09-15', charge_type: 'linehaul', amount: 80 },
        { invoice_number: 'INV-C', invoice_date: '2026-10-15', charge_type: 'linehaul', amount: 100 },
      ]);
    });

    it('computes both', async () => {
      const c = await engineFor(ctx.db).compare({ period: OCTOBER, today: '2026-11-24' });
      // October has 31 days: the previous period is 2026-08-31..2026-09-30
      expect(c.current.period).toEqual(OCTOBER);
      expect(c.previous.period).toEqual({ from: '2026-08-31', to: '2026-09-30' });
      // current: shipped C-1001, C-1015, C-1031 = 3; delivered in October C-0930 (1 day, on time), C-1001 (2 days, on time)
      expect(c.current.metrics).toMatchObject({ shipment_count: 3, on_time_rate: 1, avg_transit_days: 1.5, freight_spend: 100 });
      // previous: shipped C-0831, C-0930 = 2; delivered in it C-0831 (3 days, late)
      expect(c.previous.metrics).toMatchObject({ shipment_count: 2, on_time_rate: 0, avg_transit_days: 3, freight_spend: 80 });
      // the same as computing each alone
      expect(c.current).toEqual(await engineFor(ctx.db).compute({ period: OCTOBER, today: '2026-11-24' }));
      expect(c.previous).toEqual(await engineFor(ctx.db).compute({ period: { from: '2026-08-31', to: '2026-09-30' }, today: '2026-11-24' }));
    });
  });
});
