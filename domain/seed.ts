/** The demo data generator's port: deterministic for a given seed and "today". */
export interface DemoSeedOptions {
  shipments: number;
  seed: number;
  /** The last day of the 90-day window the data covers (YYYY-MM-DD). */
  today: string;
}

export interface DemoSeedSummary {
  customers: number;
  carriers: number;
  rates: number;
  orders: number;
  shipments: number;
  events: number;
  invoices: number;
  invoiceLines: number;
  seconds: number;
}

export interface DemoSeeder {
  /** True when the database holds no shipments yet. */
  isEmpty(): Promise<boolean>;
  seed(opts: DemoSeedOptions): Promise<DemoSeedSummary>;
}
