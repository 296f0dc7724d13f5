/** The terms of one rates.csv row (data.md): a lane contract or an accessorial schedule entry. */
export interface ContractTerms<Basis extends string = string> {
  origin: string;
  destination: string;
  rate_basis: Basis;
  rate: number;
  min_charge: number | null;
  fuel_pct: number | null;
  charge_code: string | null;
  valid_from: string | null;
  valid_to: string | null;
}
