import { loadConfig } from '../../bot/config';
import { createApp } from '../../bot/container';
import { createLogger } from '../../bot/logger';
import type { ImportKind } from '../../domain/import/types';

/** One import in its own process, so the benchmark can report that process's peak memory. */
async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  const app = await createApp(loadConfig(), { logger: createLogger('warn') });
  try {
    const summary = await app.importer.importFile(kind as ImportKind, file);
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
