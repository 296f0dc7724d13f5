import type { ContractTerms } from '../contract';
import type { Period } from '../dates';
import type { ShipmentFilters } from '../filters';

export const AUDIT_RULES = [
  'duplicate_invoice',
  'unmatched_shipment',
  'cancelled_shipment',
  'rate_overcharge',
  'fuel_overcharge',
  'accessorial_not_allowed',
  'accessorial_over_max',
  'weight_overbilled',
  'no_contract_rate',
] as const;

export type AuditRule = (typeof AUDIT_RULES)[number];

export const FINDING_STATUSES = ['open', 'disputed', 'accepted', 'resolved'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export interface AuditTolerance {
  /** Percent of the expected amount (default 1). */
  pct: number;
  /** Absolute amount in the currency (default 1.00). */
  abs: number;
}

export const DEFAULT_TOLERANCE: AuditTolerance = { pct: 1, abs: 1 };

export interface AuditQuery {
  period?: Partial<Period>;
  filters?: ShipmentFilters;
  invoiceNumber?: string;
  /** Only findings with at least this overcharge. */
  minAmount?: number;
  tolerance?: AuditTolerance;
}

export interface AuditFinding {
  id?: number;
  invoice_number: string;
  carrier: string;
  shipment_id: string | null;
  rule: AuditRule;
  expected: number | null;
  billed: number;
  overcharge: number;
  status?: FindingStatus;
  /** The invoice document's date (a number billed again on another date is a second document). */
  invoice_date?: string;
  /** Accessorial code of accessorial findings. */
  charge_code?: string | null;
  /** The contract row the expectation came from, when there is one. */
  contract?: (ContractTerms & { id: number }) | null;
  /** One sentence that explains the finding to a person. */
  explanation?: string;
}

export interface AuditResult {
  invoices_checked: number;
  findings: AuditFinding[];
}

export interface AuditEngine {
  /** Runs the audit for the scope, stores the findings (idempotently) and returns them. */
  run(q: AuditQuery): Promise<AuditResult>;
}
