import { textTable, type Reply, type ReplyPart } from '../../domain/conversation/reply';

/**
 * A reply as terminal text: headings underlined, fields aligned, tables fixed-width, buttons as
 * [labels] with a hint that typing the label presses them (cli.md), charts as a small text sketch.
 */
export function renderText(r: Reply): string {
  return r.parts.map(renderPart).filter((s) => s !== '').join('\n');
}

function renderPart(p: ReplyPart): string {
  switch (p.kind) {
    case 'heading':
      return `${p.text}\n${'='.repeat(Math.min(p.text.length, 78))}`;
    case 'text':
      return p.text;
    case 'fields': {
      const w = Math.max(...p.fields.map((f) => f.label.length));
      return p.fields.map((f) => `  ${`${f.label}:`.padEnd(w + 1)} ${f.value}`).join('\n');
    }
    case 'list':
      return p.items.map((i) => `  - ${i}`).join('\n');
    case 'table':
      return `${p.caption ? `${p.caption}\n` : ''}${textTable(p.columns, p.rows, p.align)}`;
    case 'buttons':
      return `${p.buttons.map((b) => `[${b.label}]`).join(' ')}  (type a button's label to press it)`;
    case 'chart':
      return chartSketch(p.chart);
  }
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** One sparkline per series: enough to see a trend in a terminal. */
function chartSketch(c: Extract<ReplyPart, { kind: 'chart' }>['chart']): string {
  const lines = [`${c.title} (${c.labels[0] ?? ''} … ${c.labels[c.labels.length - 1] ?? ''})`];
  for (const s of c.series) {
    const vals = s.values.filter((v): v is number => v !== null);
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    const spark = s.values.map((v) => (v === null ? ' ' : BLOCKS[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * 7)])).join('');
    lines.push(`  ${s.name.padEnd(12)} ${spark}`);
  }
  return lines.join('\n');
}
