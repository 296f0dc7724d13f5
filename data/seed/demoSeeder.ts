import type { Database } from '../db';
import type { DemoSeeder } from '../../domain/seed';
import type { ImportService } from '../../domain/import/types';

// STUB: replaced by the demo data generator.
export function createDemoSeeder(_db: Database, _deps: { importer: ImportService }): DemoSeeder {
  return {
    isEmpty: () => Promise.resolve(true),
    seed: () => Promise.reject(new Error('demo seed not implemented yet')),
  };
}
