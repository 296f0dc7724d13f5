import type { FindingRepository } from '../../domain/repositories';
import type { AuditFinding, AuditRule, FindingStatus } from '../../domain/audit/types';
import { explain } from '../../domain/audit/explain';
import { toContract } from '../../domain/audit/engine';
import type { SqlRunner } from '../../domain/sql';
import { num, stamp, writeTransaction, ymd, type RepoContext } from './support';

interface FindingRow {
  id: number | string;
  invoice_id: number | string;
  invoice_number: string;
  invoice_date: unknown;
  carrier_id: number | string;
  carrier: string;
  shipment_ref: string | null;
  rule: string;
  charge_code: string | null;
  expected: unknown;
  billed: unknown;
  overcharge: unknown;
  status: string;
  rate_id: number | string | null;
  r_origin: string | null;
  r_destination: string | null;
  rate_basis: string | null;
  rate: number | string | null;
  min_charge: number | string | null;
  fuel_pct: number | string | null;
  r_charge_code: string | null;
  valid_from: unknown;
  valid_to: unknown;
  s_origin: string | null;
  s_destination: string | null;
  s_date: unknown;
  s_weight: unknown;
  lh_bw: unknown;
  bw: unknown;
  ref_number: string | null;
  ref_date: unknown;
}

const cents = (v: unknown): number | null => {
  const n = num(v);
  return n === null ? null : Math.round(n * 100) / 100;
};

/**
 * One stored finding in the shape the audit engine returns, with its contract and explanation. The
 * engine keeps what an explanation needs beyond the stored row (the invoice billed first, the weight a
 * per_kg rate was applied to, the contracted linehaul fuel is a percentage of) only for the run; here
 * they are looked up again for this one finding, the way the engine's statements derive them:
 *   lh_bw, bw    the billed weights of the finding's (invoice, shipment) group of linehaul/fuel lines;
 *   ref          duplicate_invoice: for a document billed again, the first document of that carrier +
 *                number; for a linehaul billed again, the first other invoice number that billed it
 *                before this document.
 */
async function loadFinding(sql: SqlRunner, id: number): Promise<AuditFinding | null> {
  const [r] = await sql.query<FindingRow>(
    `SELECT a.id, a.invoice_id, a.invoice_number, a.invoice_date, a.carrier_id, ca.name AS carrier, a.shipment_ref, a.rule,
       a.charge_code, a.expected, a.billed, a.overcharge, a.status, a.rate_id,
       r.origin AS r_origin, r.destination AS r_destination, r.rate_basis, r.rate, r.min_charge, r.fuel_pct,
       r.charge_code AS r_charge_code, r.valid_from, r.valid_to,
       s.origin AS s_origin, s.destination AS s_destination, COALESCE(s.ship_date, s.order_date) AS s_date, s.weight_kg AS s_weight,
       (SELECT MAX(CASE WHEN l.charge_type = 'linehaul' THEN l.billed_weight_kg END) FROM invoice_lines l
         WHERE l.invoice_id = a.invoice_id AND l.shipment_ref = a.shipment_ref AND l.charge_type <> 'accessorial') AS lh_bw,
       (SELECT MAX(l.billed_weight_kg) FROM invoice_lines l
         WHERE l.invoice_id = a.invoice_id AND l.shipment_ref = a.shipment_ref AND l.charge_type <> 'accessorial') AS bw,
       ref.invoice_number AS ref_number, ref.invoice_date AS ref_date
     FROM audit_findings a
     JOIN carriers ca ON ca.id = a.carrier_id
     LEFT JOIN rates r ON r.id = a.rate_id
     LEFT JOIN shipments s ON s.shipment_id = a.shipment_ref
     LEFT JOIN invoices ref ON a.rule = 'duplicate_invoice' AND ref.id = CASE
       WHEN a.shipment_ref IS NULL THEN (SELECT p.id FROM invoices p JOIN invoices w ON w.id = a.invoice_id
         WHERE p.carrier_id = w.carrier_id AND UPPER(TRIM(p.invoice_number)) = UPPER(TRIM(w.invoice_number))
         ORDER BY p.invoice_date, p.id LIMIT 1)
       ELSE (SELECT i2.id FROM invoice_lines l2 JOIN invoices i2 ON i2.id = l2.invoice_id JOIN invoices w ON w.id = a.invoice_id
         WHERE l2.shipment_ref = a.shipment_ref AND l2.charge_type = 'linehaul'
           AND NOT (i2.carrier_id = w.carrier_id AND UPPER(TRIM(i2.invoice_number)) = UPPER(TRIM(w.invoice_number)))
           AND (i2.invoice_date < w.invoice_date OR (i2.invoice_date = w.invoice_date AND i2.id < w.id))
         ORDER BY i2.invoice_date, i2.id LIMIT 1)
     END
     WHERE a.id = ?`,
    [id],
  );
  if (!r) return null;
  const contract =
    r.rate_id === null || r.rate_id === undefined || r.rate_basis === null
      ? null
      : toContract({
          id: Number(r.rate_id),
          origin: r.r_origin ?? '',
          destination: r.r_destination ?? '',
          rate_basis: r.rate_basis,
          rate: r.rate ?? 0,
          min_charge: r.min_charge,
          fuel_pct: r.fuel_pct,
          charge_code: r.r_charge_code,
          valid_from: (r.valid_from as string | Date | null) ?? null,
          valid_to: (r.valid_to as string | Date | null) ?? null,
        });
  const rule = r.rule as AuditRule;
  const laneRule = rule === 'rate_overcharge' || rule === 'fuel_overcharge';
  // The weight a per_kg contract is applied to: the shipment's, else the weight billed (as the engine).
  const weight = num(r.s_weight) ?? num(r.lh_bw) ?? num(r.bw);
  const weightUsed = laneRule && contract?.rate_basis === 'per_kg' ? weight : null;
  let contractLinehaul: number | null = null;
  if (rule === 'fuel_overcharge' && contract) {
    if (contract.rate_basis === 'flat') contractLinehaul = contract.rate;
    else if (contract.rate_basis === 'per_kg' && weight !== null) {
      contractLinehaul = Math.max(Math.round((contract.rate * weight + 1e-7) * 100) / 100, contract.min_charge ?? 0);
    }
  }
  const invoiceDate = ymd(r.invoice_date) ?? '';
  const f: AuditFinding = {
    id: Number(r.id),
    invoice_number: r.invoice_number,
    carrier: r.carrier,
    shipment_id: r.shipment_ref ?? null,
    rule,
    expected: cents(r.expected),
    billed: cents(r.billed) ?? 0,
    overcharge: cents(r.overcharge) ?? 0,
    status: r.status as FindingStatus,
    invoice_date: invoiceDate || undefined,
    charge_code: r.charge_code ?? null,
    contract,
  };
  const noContract = rule === 'no_contract_rate';
  f.explanation = explain(f, {
    invoiceDate,
    chargeCode: r.charge_code ?? null,
    refNumber: r.ref_number ?? null,
    refDate: ymd(r.ref_date),
    weightUsed,
    contractLinehaul,
    shipOrigin: noContract ? (r.s_origin ?? null) : null,
    shipDestination: noContract ? (r.s_destination ?? null) : null,
    shipDate: noContract ? ymd(r.s_date) : null,
  });
  return f;
}

export function createFindingRepository({ db, now }: RepoContext): FindingRepository {
  return {
    get: (id) => loadFinding(db.sql, id),

    async setStatus(id, status, meta) {
      return writeTransaction(db, async (tx) => {
        const [row] = await tx.query<{ status: string }>(
          `SELECT status FROM audit_findings WHERE id = ?${db.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
          [id],
        );
        if (!row) return null;
        const changed = row.status !== status;
        if (changed) {
          const at = stamp(now());
          await tx.query('UPDATE audit_findings SET status = ?, status_by = ?, status_reason = ?, status_at = ?, updated_at = ? WHERE id = ?', [
            status, meta.by, meta.reason ?? null, at, at, id,
          ]);
        }
        const finding = await loadFinding(tx, id);
        return finding ? { finding, changed } : null;
      });
    },
  };
}
