import type { ChartSeries, ChartSpec } from '../../domain/conversation/reply';

/**
 * A chart as standalone SVG text (for rasterising to PNG): bars under lines, a left axis for the
 * first unit and a right axis for a second one (shipments and on-time percent), a legend, and the
 * title. Text is escaped; nothing from the data becomes markup.
 */
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;

const COLORS = ['#1f6feb', '#f0883e', '#2da44e', '#8250df'];
const FONT = "font-family=\"DejaVu Sans, Liberation Sans, sans-serif\"";

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

interface Scale { min: number; max: number; ticks: number[] }

/** Round steps (1, 2, 5 × 10^n) covering lo..hi in about 4 ticks. */
function niceScale(lo: number, hi: number): Scale {
  if (lo === hi) hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 0.1);
  const raw = (hi - lo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(Number(t.toFixed(10)));
  return { min, max, ticks };
}

function tickText(unit: ChartSeries['unit'], v: number): string {
  if (unit === 'percent') return `${Math.round(v * 1000) / 10}%`;
  if (unit === 'money') return `$${v.toLocaleString('en-US')}`;
  return v.toLocaleString('en-US');
}

export function chartSvg(chart: ChartSpec): string {
  const W = CHART_WIDTH;
  const H = CHART_HEIGHT;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`, `<rect width="${W}" height="${H}" fill="#ffffff"/>`];
  out.push(`<text x="16" y="28" ${FONT} font-size="16" font-weight="bold" fill="#1f2328">${esc(chart.title)}</text>`);
  const series = chart.series.filter((s) => s.values.some(isNum));
  const count = Math.max(chart.labels.length, ...chart.series.map((s) => s.values.length), 0);
  if (!count || !series.length) {
    out.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle" ${FONT} font-size="14" fill="#656d76">No data to chart.</text></svg>`);
    return out.join('');
  }
  const unitOf = (s: ChartSeries) => s.unit ?? 'count';
  const units = [...new Set(series.map(unitOf))].slice(0, 2);
  const axisOf = (s: ChartSeries) => Math.max(0, units.indexOf(unitOf(s)));
  const scales = units.map((u, k) => {
    const mine = series.filter((s) => axisOf(s) === k);
    const vals = mine.flatMap((s) => s.values).filter(isNum);
    const bars = mine.some((s) => s.type === 'bar');
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    // Bars start at zero to be honest; percent axes stay within 0..100%.
    const scale = niceScale(bars ? Math.min(0, lo) : lo, bars ? Math.max(0, hi) : hi);
    if (u === 'percent') return niceScale(Math.max(0, Math.min(scale.min, lo)), Math.min(1, Math.max(scale.max, hi)));
    return scale;
  });
  const m = { top: 48, right: units.length > 1 ? 64 : 20, bottom: 64, left: 64 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const band = pw / count;
  const cx = (i: number) => m.left + band * (i + 0.5);
  const y = (k: number, v: number) => m.top + ph * (1 - (v - scales[k].min) / (scales[k].max - scales[k].min));

  scales.forEach((sc, k) => {
    for (const t of sc.ticks) {
      const ty = y(k, t).toFixed(1);
      if (k === 0) out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${ty}" y2="${ty}" stroke="#d0d7de" stroke-width="1"/>`);
      const x = k === 0 ? m.left - 8 : W - m.right + 8;
      out.push(`<text x="${x}" y="${ty}" dy="4" text-anchor="${k === 0 ? 'end' : 'start'}" ${FONT} font-size="11" fill="#656d76">${esc(tickText(units[k], t))}</text>`);
    }
  });
  // Every label when they fit, else every n-th, so the axis stays readable.
  const every = Math.max(1, Math.ceil(count / 14));
  chart.labels.forEach((l, i) => {
    if (i % every === 0) out.push(`<text x="${cx(i).toFixed(1)}" y="${H - m.bottom + 18}" text-anchor="middle" ${FONT} font-size="11" fill="#656d76">${esc(l)}</text>`);
  });

  const ordered = [...series.filter((s) => s.type === 'bar'), ...series.filter((s) => s.type !== 'bar')];
  const bars = series.filter((s) => s.type === 'bar');
  for (const s of ordered) {
    const color = COLORS[series.indexOf(s) % COLORS.length];
    const k = axisOf(s);
    if (s.type === 'bar') {
      const j = bars.indexOf(s);
      const bw = (band * 0.7) / bars.length;
      s.values.forEach((v, i) => {
        if (!isNum(v)) return;
        const top = y(k, Math.max(v, 0));
        const h = Math.abs(y(k, v) - y(k, 0));
        out.push(`<rect x="${(cx(i) - band * 0.35 + j * bw).toFixed(1)}" y="${top.toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}" fill="${color}" fill-opacity="0.45"/>`);
      });
    } else {
      // Gaps (null) break the line rather than pretending a value.
      let d = '';
      let pen = false;
      s.values.forEach((v, i) => {
        if (!isNum(v)) return void (pen = false);
        d += `${pen ? 'L' : 'M'}${cx(i).toFixed(1)},${y(k, v).toFixed(1)} `;
        pen = true;
      });
      out.push(`<path d="${d.trim()}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round"/>`);
      s.values.forEach((v, i) => {
        if (isNum(v)) out.push(`<circle cx="${cx(i).toFixed(1)}" cy="${y(k, v).toFixed(1)}" r="3" fill="${color}"/>`);
      });
    }
  }
  out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${(m.top + ph).toFixed(1)}" y2="${(m.top + ph).toFixed(1)}" stroke="#8c959f"/>`);
  let lx = m.left;
  for (const s of series) {
    const color = COLORS[series.indexOf(s) % COLORS.length];
    const label = `${s.name}${units.length > 1 ? ` (${axisOf(s) === 0 ? 'left' : 'right'})` : ''}`;
    out.push(`<rect x="${lx}" y="${H - 22}" width="12" height="12" fill="${color}"${s.type === 'bar' ? ' fill-opacity="0.45"' : ''}/>`);
    out.push(`<text x="${lx + 18}" y="${H - 12}" ${FONT} font-size="12" fill="#1f2328">${esc(label)}</text>`);
    lx += 36 + label.length * 7;
  }
  out.push('</svg>');
  return out.join('');
}
