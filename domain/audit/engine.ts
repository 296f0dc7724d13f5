import type { Clock } from '../clock';
import { dateOnly, isYmd } from '../dates';
import { UserError } from '../errors';
import type { SqlRunner } from '../sql';
import { explain } from './explain';
import {
  comparisons,
  createFindTable,
  dialectSql,
  dropTemps,
  duplicateLinehaul,
  familyAndDuplicateDocuments,
  FIELD_SEP,
  groupedLines,
  hasShipmentFilter,
  invoiceNumberKey,
  invoicesChecked,
  lookupQueries,
  multiLinehaul,
  PACKED,
  resultQuery,
  ROW_SEP,
  ruleStatements,
  scopeInvoices,
  storeStatements,
  T,
  type AuditScope,
} from './statements';
import type { AuditEngine, AuditFinding, AuditQuery, AuditResult, AuditRule, AuditTolerance, FindingStatus } from './types';

/**
 * The freight audit of data.md ("Audit rules"): every rule is one set-based statement over a
 * per-(invoice, shipment, accessorial code) aggregate of the invoice lines in scope, run in one
 * transaction with the upsert of the findings (see ./statements.ts for the SQL and its design).
 */
export function createAuditEngine(deps: { sql: SqlRunner; clock: Clock; tolerance: AuditTolerance }): AuditEngine {
  const { sql, clock } = deps;
  const d = dialectSql(sql.dialect);

  return {
    async run(q: AuditQuery): Promise<AuditResult> {
      const scope = toScope(q);
      const tolerance = checkTolerance(q.tolerance ?? deps.tolerance);
      if (q.minAmount !== undefined && !Number.isFinite(q.minAmount)) throw new UserError('the minimum amount must be a number', 2);
      const now = timestamp(clock.now());
      return sql.transaction(async (tx) => {
        // The leading comment keeps data/sqlRunner (Sequelize on SQLite) from taking an INSERT for a
        // statement without a result set and then failing to read its rows.
        const exec = (s: string, params: (string | number | null)[] = []) => tx.query(`/* audit */ ${s}`, params);
        if (!d.pg) {
          // Take SQLite's write lock first (as BEGIN IMMEDIATE would): a WAL read snapshot cannot be
          // upgraded to a write once another connection has committed, so the upsert at the end
          // would fail with SQLITE_BUSY; this way other writers wait for the audit instead.
          await exec('UPDATE audit_findings SET status = status WHERE 1 = 0');
          for (const s of dropTemps()) await exec(s);
        }
        // Compiling these one-off statements costs PostgreSQL more than running them.
        if (d.pg) await exec('SET LOCAL jit = off');
        const inv = scopeInvoices(d, scope);
        await exec(inv.sql, inv.params);
        for (const s of familyAndDuplicateDocuments(d)) await exec(s);
        const lineScopeByInvoice = scope.invoiceKey !== undefined || hasShipmentFilter(scope);
        for (const g of groupedLines(d, scope, lineScopeByInvoice)) {
          await (typeof g === 'string' ? exec(g) : exec(g.sql, g.params));
        }
        // Rule (b) candidates: one pass over all linehaul lines when the scope holds a good part of
        // them, else a probe per shipment (on SQLite one probe costs about six index entries walked).
        const [{ groups }] = await tx.query<{ groups: number | string }>(`SELECT COUNT(*) AS groups FROM ${T.g}`);
        const [{ lines }] = await tx.query<{ lines: number | string | null }>('SELECT MAX(id) AS lines FROM invoice_lines');
        const multi = multiLinehaul(d, Number(groups) * 6 > Number(lines ?? 0), scope, lineScopeByInvoice);
        await exec(multi.sql, multi.params);
        for (const s of duplicateLinehaul(d)) await exec(s);
        const cmp = comparisons(d, tolerance);
        await exec(cmp.sql, cmp.params);
        await exec(createFindTable(d));
        for (const r of ruleStatements(d, tolerance)) await exec(r.sql, r.params);
        for (const s of storeStatements(d, now)) await exec(s.sql, s.params);

        const [{ n }] = await tx.query<{ n: number | string }>(invoicesChecked());
        const rq = resultQuery(d, scope, q.minAmount);
        const chunks = await tx.query<{ chunk: string | null }>(rq.sql, rq.params);
        const look = lookupQueries();
        const carriers = new Map((await tx.query<{ id: number; name: string }>(look.carriers)).map((c) => [Number(c.id), c.name]));
        const rates = new Map((await tx.query<RateRow>(look.rates)).map((r) => [Number(r.id), toContract(r)]));
        const refs = new Map(
          (await tx.query<{ id: number; invoice_number: string; invoice_date: string | Date }>(look.invoices)).map((i) => [
            Number(i.id),
            { number: i.invoice_number, date: ymd(i.invoice_date) },
          ]),
        );
        if (!d.pg) for (const s of dropTemps()) await exec(s);
        const findings: AuditFinding[] = [];
        for (const { chunk } of chunks) {
          if (!chunk) continue;
          for (const packed of chunk.split(ROW_SEP)) findings.push(toFinding(unpack(packed), carriers, rates, refs));
        }
        findings.sort(byOvercharge);
        return { invoices_checked: Number(n), findings };
      });
    },
  };
}

function checkTolerance(t: AuditTolerance): AuditTolerance {
  if (!Number.isFinite(t.pct) || !Number.isFinite(t.abs) || t.pct < 0 || t.abs < 0) {
    throw new UserError(`the audit tolerance must be two numbers of at least 0 (got ${t.pct}% / ${t.abs})`, 2);
  }
  return t;
}

function toScope(q: AuditQuery): AuditScope {
  const from = q.period?.from || undefined;
  const to = q.period?.to || undefined;
  for (const v of [from, to]) if (v !== undefined && !isYmd(v)) throw new UserError(`"${v}" is not a date in YYYY-MM-DD form`, 2);
  if (from && to && from > to) throw new UserError(`the period starts (${from}) after it ends (${to})`, 2);
  const key = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim().toLowerCase());
  return {
    from,
    to,
    carrierKey: key(q.filters?.carrier),
    customerKey: key(q.filters?.customer),
    originKey: key(q.filters?.origin),
    destinationKey: key(q.filters?.destination),
    invoiceKey: invoiceNumberKey(q.invoiceNumber),
  };
}

/** The timestamp format Sequelize writes (readable by both databases). */
function timestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', ' +00:00');
}

type Packed = Record<(typeof PACKED)[number], string>;

function unpack(s: string): Packed {
  const v = s.split(FIELD_SEP);
  const o = {} as Packed;
  PACKED.forEach((k, i) => (o[k] = v[i] ?? ''));
  return o;
}

/** A rates row as either database returns it (DECIMAL as string on PostgreSQL, dates as text or Date). */
export interface RateRow {
  id: number;
  origin: string;
  destination: string;
  rate_basis: string;
  rate: number | string;
  min_charge: number | string | null;
  fuel_pct: number | string | null;
  charge_code: string | null;
  valid_from: string | Date | null;
  valid_to: string | Date | null;
}

type Contract = NonNullable<AuditFinding['contract']>;

/** PostgreSQL returns DECIMAL as strings; packed values are strings on both ('' is null). */
const num = (v: number | string | null | undefined): number | null =>
  v === null || v === undefined || v === '' ? null : Number(v);
const cents = (v: string): number | null => {
  const n = num(v);
  return n === null ? null : Math.round(n * 100) / 100;
};
const str = (v: string): string | null => (v === '' ? null : v);

const ymd = dateOnly;

/** The contract terms of a finding from its rates row (also for findings read back one by one). */
export function toContract(r: RateRow): Contract {
  return {
    id: Number(r.id),
    origin: r.origin,
    destination: r.destination,
    rate_basis: r.rate_basis,
    rate: num(r.rate) ?? 0,
    min_charge: num(r.min_charge),
    fuel_pct: num(r.fuel_pct),
    charge_code: r.charge_code ?? null,
    valid_from: ymd(r.valid_from),
    valid_to: ymd(r.valid_to),
  };
}

function toFinding(
  p: Packed,
  carriers: Map<number, string>,
  rates: Map<number, Contract>,
  refs: Map<number, { number: string; date: string | null }>,
): AuditFinding {
  const rateId = num(p.rate_id);
  const ref = num(p.ref_invoice_id) === null ? undefined : refs.get(Number(p.ref_invoice_id));
  const f: AuditFinding = {
    id: Number(p.id),
    invoice_number: p.invoice_number,
    carrier: carriers.get(Number(p.carrier_id)) ?? '',
    shipment_id: str(p.shipment_ref),
    rule: p.rule as AuditRule,
    expected: cents(p.expected),
    billed: cents(p.billed) ?? 0,
    overcharge: cents(p.overcharge) ?? 0,
    status: p.status as FindingStatus,
    invoice_date: ymd(p.invoice_date) ?? undefined,
    charge_code: str(p.charge_code),
    contract: rateId === null ? null : (rates.get(rateId) ?? null),
  };
  f.explanation = explain(f, {
    invoiceDate: ymd(p.invoice_date) ?? '',
    chargeCode: str(p.charge_code),
    refNumber: ref?.number ?? null,
    refDate: ref?.date ?? null,
    weightUsed: num(p.weight_used),
    contractLinehaul: num(p.contract_linehaul),
    shipOrigin: str(p.s_origin),
    shipDestination: str(p.s_destination),
    shipDate: ymd(p.s_date),
  });
  return f;
}

/** Overcharge descending, then invoice number; then shipment, rule and code so the order is stable. */
function byOvercharge(a: AuditFinding, b: AuditFinding): number {
  return (
    b.overcharge - a.overcharge ||
    cmp(a.invoice_number, b.invoice_number) ||
    cmp(a.invoice_date ?? '', b.invoice_date ?? '') ||
    cmp(a.shipment_id ?? '', b.shipment_id ?? '') ||
    cmp(a.rule, b.rule) ||
    cmp(a.charge_code ?? '', b.charge_code ?? '')
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
