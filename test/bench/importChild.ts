import { loadConfig } from '../../bot/config';
import { createApp } from '../../bot/container';
import { createLogger } from '../../bot/logger';
import type { ImportKind } from '../../domain/import/types';

/** One import in its own process, so a benchmark (dataBench, test/import/perf) can report its peak memory. */
async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  const app = await createApp(loadConfig(), { logger: createLogger('warn') });
  try {
    // WAYBILL_PERF_MEMORY=1: where the memory goes (V8 heap vs the rest: SQLite cache, buffers).
    const sampler = process.env.WAYBILL_PERF_MEMORY
      ? setInterval(() => {
          const m = process.memoryUsage();
          process.stderr.write(`rss ${Math.round(m.rss / 1e6)} heapUsed ${Math.round(m.heapUsed / 1e6)} heapTotal ${Math.round(m.heapTotal / 1e6)} external ${Math.round(m.external / 1e6)}\n`);
        }, 2000)
      : undefined;
    const summary = await app.importer.importFile(kind as ImportKind, file);
    if (sampler) clearInterval(sampler);
    const { rejections, ...rest } = summary;
    process.stdout.write(JSON.stringify({ ...rest, firstRejections: rejections.slice(0, 3), maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
