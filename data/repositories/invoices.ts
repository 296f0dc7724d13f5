import type { DisputeView, InvoiceRepository, InvoiceView } from '../../domain/repositories';
import { invoiceNumberKey, invoiceNumberMatch } from '../../domain/audit/statements';
import { nameKey } from '../../domain/names';
import type { SqlParam, SqlRunner } from '../../domain/sql';
import { closestValues, isUniqueViolation, num, stamp, toDate, writeTransaction, ymd, type RepoContext } from './support';

const MAX_ATTEMPTS = 5;

interface InvoiceRow {
  id: number | string;
  invoice_number: string;
  carrier: string;
  invoice_date: unknown;
  total_cents: unknown;
  line_count: unknown;
  finding_count: unknown;
  overcharge_cents: unknown;
}

interface DisputeRow {
  id: number | string;
  invoice_id: number | string;
  invoice_number: string;
  carrier: string;
  amount: unknown;
  reason: string | null;
  created_by: string;
  created_at: unknown;
}

async function loadDispute(sql: SqlRunner, where: string, params: SqlParam[]): Promise<DisputeView | null> {
  const [r] = await sql.query<DisputeRow>(
    `SELECT d.id, d.invoice_id, i.invoice_number, ca.name AS carrier, d.amount, d.reason, d.created_by, d.created_at
     FROM invoice_disputes d JOIN invoices i ON i.id = d.invoice_id JOIN carriers ca ON ca.id = i.carrier_id
     WHERE ${where}`,
    params,
  );
  if (!r) return null;
  return {
    id: Number(r.id),
    invoiceId: Number(r.invoice_id),
    invoiceNumber: r.invoice_number,
    carrier: r.carrier,
    amount: num(r.amount),
    reason: r.reason ?? null,
    createdBy: r.created_by,
    createdAt: toDate(r.created_at).toISOString(),
  };
}

export function createInvoiceRepository({ db, now }: RepoContext): InvoiceRepository {
  const { sql } = db;

  return {
    async find(invoiceNumber, carrier) {
      const key = invoiceNumberKey(invoiceNumber);
      if (key === undefined) return [];
      const match = invoiceNumberMatch('i.invoice_number', key);
      const params: SqlParam[] = [...match.params];
      let byCarrier = '';
      if (carrier !== undefined && nameKey(carrier) !== '') {
        byCarrier = ' AND i.carrier_id = (SELECT c.id FROM carriers c WHERE c.name_key = ?)';
        params.push(nameKey(carrier));
      }
      // Money summed in whole cents: exact on both databases (SQLite keeps DECIMAL as REAL).
      const rows = await sql.query<InvoiceRow>(
        `SELECT i.id, i.invoice_number, ca.name AS carrier, i.invoice_date,
           (SELECT COALESCE(SUM(ROUND(l.amount * 100)), 0) FROM invoice_lines l WHERE l.invoice_id = i.id) AS total_cents,
           (SELECT COUNT(*) FROM invoice_lines l WHERE l.invoice_id = i.id) AS line_count,
           (SELECT COUNT(*) FROM audit_findings f WHERE f.invoice_id = i.id AND f.status IN ('open', 'disputed')) AS finding_count,
           (SELECT COALESCE(SUM(ROUND(f.overcharge * 100)), 0) FROM audit_findings f
             WHERE f.invoice_id = i.id AND f.status IN ('open', 'disputed')) AS overcharge_cents
         FROM invoices i JOIN carriers ca ON ca.id = i.carrier_id
         WHERE ${match.sql}${byCarrier}
         ORDER BY i.invoice_date, i.id`,
        params,
      );
      return rows.map(
        (r): InvoiceView => ({
          id: Number(r.id),
          invoiceNumber: r.invoice_number,
          carrier: r.carrier,
          invoiceDate: ymd(r.invoice_date) ?? '',
          total: Number(r.total_cents ?? 0) / 100,
          lineCount: Number(r.line_count ?? 0),
          findingCount: Number(r.finding_count ?? 0),
          overcharge: Number(r.overcharge_cents ?? 0) / 100,
        }),
      );
    },

    async closestNumbers(invoiceNumber, limit) {
      return closestValues(sql, [{ table: 'invoices', column: 'invoice_number' }], invoiceNumber.trim().replace(/^#/, ''), limit);
    },

    async recordDispute(d) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await writeTransaction(db, async (tx, t) => {
            const existing = await loadDispute(tx, 'd.request_key = ?', [d.requestKey]);
            if (existing) return { dispute: existing, created: false };
            const inv = await tx.query<{ id: number }>('SELECT id FROM invoices WHERE id = ?', [d.invoiceId]);
            if (inv.length === 0) throw new Error(`no invoice with id ${d.invoiceId} to dispute`);
            const at = now();
            const row = await db.models.InvoiceDispute.create(
              {
                request_key: d.requestKey,
                invoice_id: d.invoiceId,
                amount: d.amount ?? null,
                reason: d.reason ?? null,
                status: 'open',
                created_by: d.by,
                created_at: at,
              },
              { transaction: t },
            );
            await tx.query(
              `UPDATE audit_findings SET status = 'disputed', status_by = ?, status_reason = ?, status_at = ?, updated_at = ?
               WHERE invoice_id = ? AND status = 'open'`,
              [d.by, d.reason ?? null, stamp(at), stamp(at), d.invoiceId],
            );
            const dispute = await loadDispute(tx, 'd.id = ?', [Number(row.get('id'))]);
            return { dispute: dispute!, created: true };
          });
        } catch (e) {
          // Another call with the same key committed first: the next attempt returns its dispute.
          if (!isUniqueViolation(e) || attempt >= MAX_ATTEMPTS) throw e;
        }
      }
    },
  };
}
