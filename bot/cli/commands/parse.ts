import type { Command } from 'commander';

// STUB: replaced by `waybill parse` (issue 3).
export function registerParse(_program: Command): void {}
