import zlib from 'node:zlib';
import { createPngChartRenderer } from '../../bot/charts/png';
import { encodePng } from '../../bot/charts/pngEncode';
import { CHART_HEIGHT, CHART_WIDTH, chartSvg } from '../../bot/charts/svg';
import type { ChartSpec } from '../../domain/conversation/reply';

const TREND: ChartSpec = {
  title: 'On-time rate and shipments per day, 2026-03-04 – 2026-03-17',
  labels: Array.from({ length: 14 }, (_, i) => `03-${String(i + 4).padStart(2, '0')}`),
  series: [
    { name: 'On-time rate', unit: 'percent', type: 'line', values: [0.9, 0.92, null, 0.85, 0.8, 0.95, 1, 0.7, 0.88, 0.9, 0.93, 0.91, 1, 0.5] },
    { name: 'Shipments', unit: 'count', type: 'bar', values: [20, 22, 0, 18, 25, 30, 12, 8, 19, 21, 23, 26, 2, 2] },
  ],
};

/** Width and height from a PNG's IHDR chunk (bytes 16..23, big-endian), after the 8-byte signature. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(png);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('PNG charts', () => {
  it('renders a chart as a valid PNG of the chart size', async () => {
    const png = await createPngChartRenderer()(TREND);
    expect(Buffer.from(png.subarray(0, 8))).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(Buffer.from(png.subarray(12, 16)).toString('latin1')).toBe('IHDR');
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    if (process.env.WAYBILL_CHART_OUT) require('node:fs').writeFileSync(process.env.WAYBILL_CHART_OUT, png);
  });

  it('renders an empty chart, and escapes text', async () => {
    const empty = await createPngChartRenderer()({ title: 'Nothing <here>', labels: [], series: [] });
    expect(pngSize(empty)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    const svg = chartSvg({ title: 'a <b> & "c"', labels: ['x'], series: [{ name: '<s>', values: [1] }] });
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).not.toContain('<s>');
  });

  it('draws bars under lines and a second axis for a second unit', () => {
    const svg = chartSvg(TREND);
    expect(svg.indexOf('<rect x="')).toBeLessThan(svg.indexOf('<path'));
    expect(svg).toContain('>100%<');
    expect(svg).toContain('On-time rate (left)');
  });

  it('encodes pixels as a PNG whose chunks check out and whose rows are the pixels', async () => {
    // 3 x 2 pixels, each a different colour.
    const pixels = Buffer.from(Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256));
    const png = Buffer.from(await encodePng(pixels, 3, 2));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks: Array<{ type: string; data: Buffer }> = [];
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      const typed = png.subarray(at + 4, at + 8 + length);
      expect(png.readUInt32BE(at + 8 + length)).toBe(zlib.crc32(typed));
      chunks.push({ type: typed.subarray(0, 4).toString('latin1'), data: typed.subarray(4) });
      at += 12 + length;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const h = chunks[0].data;
    expect([h.readUInt32BE(0), h.readUInt32BE(4), h[8], h[9], h[10], h[11], h[12]]).toEqual([3, 2, 8, 6, 0, 0, 0]);
    const rows = zlib.inflateSync(chunks[1].data);
    // Each row: filter type 0, then its 12 bytes of pixels as given.
    expect(rows).toEqual(Buffer.concat([Buffer.from([0]), pixels.subarray(0, 12), Buffer.from([0]), pixels.subarray(12)]));
    await expect(encodePng(pixels, 4, 2)).rejects.toThrow(/expected 32 bytes/);
  });

  it('draws a chart for Teams at its width', async () => {
    const png = await createPngChartRenderer({ width: 440 })(TREND);
    expect(pngSize(png)).toEqual({ width: 440, height: 220 });
  });
});
