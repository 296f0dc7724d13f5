import { openDatabase } from '../../data/db';
import { migrate } from '../../data/migrations';
import { createImportService } from '../../data/import/importService';
import { projectRoot } from '../../bot/projectRoot';
import { silentLogger } from '../../domain/logger';
import type { ImportKind } from '../../domain/import/types';

/** One import in its own process (for perf.ts), so its peak memory can be reported. */
async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  const db = await openDatabase({ url: process.env.DATABASE_URL, projectRoot: projectRoot() });
  try {
    await migrate(db.sequelize);
    const importer = createImportService(db, { logger: silentLogger, today: () => '2026-11-24' });
    // WAYBILL_PERF_MEMORY=1: where the memory goes (V8 heap vs the rest: SQLite cache, buffers).
    const sampler = process.env.WAYBILL_PERF_MEMORY
      ? setInterval(() => {
          const m = process.memoryUsage();
          process.stderr.write(`rss ${Math.round(m.rss / 1e6)} heapUsed ${Math.round(m.heapUsed / 1e6)} heapTotal ${Math.round(m.heapTotal / 1e6)} external ${Math.round(m.external / 1e6)}\n`);
        }, 2000)
      : undefined;
    const { rejections, ...summary } = await importer.importFile(kind as ImportKind, file);
    if (sampler) clearInterval(sampler);
    process.stdout.write(JSON.stringify({ ...summary, firstRejections: rejections.slice(0, 3), maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
