import type { Database } from '../db';
import type { Logger } from '../../domain/logger';
import type { ImportService } from '../../domain/import/types';

// STUB: replaced by the importer implementation.
export function createImportService(_db: Database, _deps: { logger: Logger; today: () => string }): ImportService {
  return { importFile: () => Promise.reject(new Error('import not implemented yet')) };
}
