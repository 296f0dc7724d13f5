import fs from 'node:fs';
import type { ChartRenderer } from '../../domain/conversation/outbound';
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

/** `width`: raster width in pixels (default the SVG's own); Teams needs a small one to stay inline. */
export function createPngChartRenderer(opts: { fontFiles?: string[]; width?: number } = {}): ChartRenderer {
  const fontFiles = (opts.fontFiles ?? FONT_CANDIDATES).filter((f) => fs.existsSync(f));
  return async (chart) => {
    // Loaded on first use: processes that never post a chart never load the native module.
    const { Resvg } = await import('@resvg/resvg-js');
    const r = new Resvg(chartSvg(chart), {
      font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: 'DejaVu Sans' },
      background: '#ffffff',
      ...(opts.width ? { fitTo: { mode: 'width' as const, value: opts.width } } : {}),
    });
    return new Uint8Array(r.render().asPng());
  };
}
