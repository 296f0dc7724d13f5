export const IMPORT_KINDS = ['shipments', 'invoices', 'rates', 'events'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportOptions {
  /** Our column name -> the file's column name (from `--map`). */
  columnMap?: Record<string, string>;
  /** date-fns pattern for date cells (from `--date-format`), e.g. `d-MMM-yy`. */
  dateFormat?: string;
  /** Rows per transaction. */
  batchSize?: number;
  /** Called as rows are processed (for a progress bar). */
  onProgress?: (p: { rowsRead: number; bytesRead: number; bytesTotal: number }) => void;
  /** Called for every rejected row, as it is found (the summary keeps only the first ones). */
  onReject?: (r: RejectedRow) => void;
}

export interface RejectedRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  reason: string;
}

export interface ImportSummary {
  kind: ImportKind;
  file: string;
  rowsRead: number;
  inserted: number;
  updated: number;
  rejected: number;
  /** The first rejections (all are counted in `rejected`). */
  rejections: RejectedRow[];
  seconds: number;
}

export interface ImportService {
  importFile(kind: ImportKind, file: string, opts?: ImportOptions): Promise<ImportSummary>;
}
