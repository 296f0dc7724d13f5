import fs from 'node:fs';
import type { ChartRenderer } from '../../domain/conversation/outbound';
import { encodePng } from './pngEncode';
import { chartSvg } from './svg';

/**
 * ChartSpec → PNG for Slack and Teams, which cannot draw our SVG: we draw the SVG ourselves and
 * rasterise it with resvg (a Rust renderer shipped as a prebuilt npm binary; no browser, no canvas).
 * resvg draws text only with a font it was given: the first of these that exists (Debian's
 * fonts-dejavu-core, or Liberation), else whatever the system has.
 */
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
];

/** PNGs kept by their SVG: the same question asked again (or by a colleague) draws the same chart. */
const KEPT = 64;

/**
 * `width`: raster width in pixels (default the SVG's own); Teams needs a small one to stay inline.
 * Rasterising takes 10-20 ms of CPU (fonts loaded, text laid out, drawn) and PNG encoding ~9 ms: both
 * run on libuv's thread pool (renderAsync, and zlib in ./pngEncode.ts), not on the event loop that
 * answers everyone else, and the last KEPT PNGs are reused for an identical chart.
 */
export function createPngChartRenderer(opts: { fontFiles?: string[]; width?: number } = {}): ChartRenderer {
  const fontFiles = (opts.fontFiles ?? FONT_CANDIDATES).filter((f) => fs.existsSync(f));
  const kept = new Map<string, Promise<Uint8Array>>();
  return (chart) => {
    const svg = chartSvg(chart);
    const hit = kept.get(svg);
    if (hit) {
      kept.delete(svg);
      kept.set(svg, hit);
      return hit;
    }
    const png = (async () => {
      // Loaded on first use: processes that never post a chart never load the native module.
      const { renderAsync } = await import('@resvg/resvg-js');
      const image = await renderAsync(svg, {
        font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: 'DejaVu Sans' },
        background: '#ffffff',
        ...(opts.width ? { fitTo: { mode: 'width' as const, value: opts.width } } : {}),
      });
      return encodePng(image.pixels, image.width, image.height);
    })();
    kept.set(svg, png);
    png.catch(() => kept.get(svg) === png && kept.delete(svg));
    if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
    return png;
  };
}
