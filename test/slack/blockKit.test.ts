import { blockKitProblems, escapeMrkdwn, parseButtonValue, renderReply, splitText, toCsv, LIMITS, type Block } from '../../bot/slack/blockKit';
import { reply, type Reply } from '../../domain/conversation/reply';

const texts = (blocks: Block[]) => blocks.map((b) => (b.type === 'section' ? b.text?.text ?? '' : b.type === 'header' ? b.text.text : ''));

describe('Block Kit rendering', () => {
  it('renders heading, fields, text, list and buttons as header, section fields, mrkdwn and actions', () => {
    const r = reply([
      { kind: 'heading', text: 'New order for Acme <Corp> & Co' },
      { kind: 'fields', fields: [{ label: 'From', value: 'Chicago' }, { label: 'To', value: 'Dallas' }] },
      { kind: 'text', text: 'Nothing is saved until you confirm <b>.' },
      { kind: 'list', items: ['one', 'two'] },
      { kind: 'buttons', buttons: [
        { label: 'Confirm', action: { id: 'confirm', value: 'tok1' }, style: 'primary' },
        { label: 'Edit', action: { id: 'edit', value: 'tok1' } },
        { label: 'Cancel', action: { id: 'cancel', value: 'tok1' }, style: 'danger' },
      ] },
    ], 'confirm');
    const { messages, uploads } = renderReply(r, { charts: false });
    expect(uploads).toEqual([]);
    expect(messages).toHaveLength(1);
    const [m] = messages;
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'actions']);
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'New order for Acme <Corp> & Co', emoji: true } });
    expect(m.blocks[1]).toEqual({ type: 'section', fields: [{ type: 'mrkdwn', text: '*From*\nChicago' }, { type: 'mrkdwn', text: '*To*\nDallas' }] });
    expect(texts(m.blocks)[2]).toBe('Nothing is saved until you confirm &lt;b&gt;.');
    expect(texts(m.blocks)[3]).toBe('• one\n• two');
    const actions = m.blocks[4] as Extract<Block, { type: 'actions' }>;
    expect(actions.elements.map((e) => [e.text.text, e.style, parseButtonValue(e.value)])).toEqual([
      ['Confirm', 'primary', { id: 'confirm', value: 'tok1' }],
      ['Edit', undefined, { id: 'edit', value: 'tok1' }],
      ['Cancel', 'danger', { id: 'cancel', value: 'tok1' }],
    ]);
    expect(new Set(actions.elements.map((e) => e.action_id)).size).toBe(3);
    expect(m.text).toContain('New order for Acme &lt;Corp&gt; &amp; Co');
    expect(blockKitProblems(m)).toEqual([]);
  });

  it('escapes &, < and > in mrkdwn and never cuts an entity in half', () => {
    expect(escapeMrkdwn('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    const s = escapeMrkdwn('x'.repeat(2998) + '&&&&');
    const parts = splitText(s);
    expect(parts.join('')).toBe(s);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(p).toMatch(/^(?:[^&]|&amp;)*$/);
    }
  });

  it('keeps every limit: long text split into 3,000-character sections, >10 fields, >25 buttons, >50 blocks, long header', () => {
    const r = reply([
      { kind: 'heading', text: 'H'.repeat(400) },
      { kind: 'text', text: Array.from({ length: 400 }, (_, i) => `line ${i} ${'w'.repeat(60)}`).join('\n') },
      { kind: 'text', text: 'z'.repeat(7000) },
      { kind: 'fields', fields: Array.from({ length: 23 }, (_, i) => ({ label: `L${i}`, value: 'v'.repeat(3000) })) },
      { kind: 'buttons', buttons: Array.from({ length: 60 }, (_, i) => ({ label: `Dispute #${i} ${'x'.repeat(100)}`, action: { id: 'dispute', value: String(i) } })) },
      ...Array.from({ length: 40 }, (_, i) => ({ kind: 'text' as const, text: `paragraph ${i}` })),
    ]);
    const { messages } = renderReply(r, { charts: false });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(blockKitProblems(m)).toEqual([]);
    const all = messages.flatMap((m) => m.blocks);
    // Nothing dropped: every button and every paragraph is there.
    expect(all.flatMap((b) => (b.type === 'actions' ? b.elements : [])).length).toBe(60);
    expect(all.filter((b) => b.type === 'actions').length).toBe(3);
    expect(all.filter((b) => b.type === 'section' && b.fields).length).toBe(3);
    expect(texts(all).join('\n')).toContain('paragraph 39');
    expect(texts(all).join('').replace(/\n/g, '')).toContain('z'.repeat(7000));
    const ids = all.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows a small table as a monospace section and a big one as a CSV file with a note', () => {
    const small = renderReply(reply([{ kind: 'table', caption: 'Late shipments', columns: ['Shipment', 'Days'], rows: [['SHP-1', '3'], ['SHP-2', '12']], align: ['left', 'right'] }]), { charts: false });
    expect(small.uploads).toEqual([]);
    expect(texts(small.messages[0].blocks)[0]).toBe('*Late shipments*\n```\nShipment  Days\n--------  ----\nSHP-1        3\nSHP-2       12\n```');
    const rows = Array.from({ length: 500 }, (_, i) => [`SHP-${i}`, `Acme, "North"`, String(i)]);
    const big = renderReply(reply([{ kind: 'table', caption: 'All shipments', columns: ['Shipment', 'Customer', 'Days'], rows }]), { charts: false });
    expect(big.uploads).toHaveLength(1);
    const u = big.uploads[0];
    expect(u).toMatchObject({ kind: 'csv', filename: 'all-shipments-1.csv', title: 'All shipments' });
    expect(u.kind === 'csv' && u.content.split('\r\n')[1]).toBe('SHP-0,"Acme, ""North""",0');
    expect(texts(big.messages[0].blocks).join('\n')).toMatch(/500 rows and 3 columns, too many for a Slack message: it is attached as all-shipments-1\.csv/);
    expect(toCsv(['a'], [['x\ny']])).toBe('a\r\n"x\ny"\r\n');
  });

  it('a chart becomes an upload with a renderer, and a description in text without one', () => {
    const chart = { title: 'On-time rate and shipments per day', labels: ['11-21', '11-22', '11-23'], series: [
      { name: 'On-time rate', unit: 'percent' as const, values: [0.9, null, 0.95] },
      { name: 'Shipments', unit: 'count' as const, type: 'bar' as const, values: [4, 0, 9] },
    ] };
    const withPng = renderReply(reply([{ kind: 'chart', chart }]), { charts: true });
    expect(withPng.uploads).toEqual([{ kind: 'chart', filename: 'on-time-rate-and-shipments-per-day.png', title: chart.title, chart }]);
    const text = renderReply(reply([{ kind: 'chart', chart }]), { charts: false });
    expect(text.uploads).toEqual([]);
    const t = texts(text.messages[0].blocks).join('\n');
    expect(t).toContain('*On-time rate and shipments per day*');
    expect(t).toContain('• On-time rate: latest 95.0% (11-23), low 90.0% (11-21), high 95.0% (11-23)');
    expect(t).toContain('• Shipments: latest 9 (11-23), low 0 (11-22), high 9 (11-23)');
  });

  it('a reply without parts still says its text', () => {
    const r: Reply = { text: 'plain <text>', parts: [] };
    expect(renderReply(r, { charts: false }).messages[0].blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'plain &lt;text&gt;' } }]);
  });

  it('reads back only its own button values', () => {
    expect(parseButtonValue('{"id":"confirm","value":"t"}')).toEqual({ id: 'confirm', value: 't' });
    expect(parseButtonValue('nope')).toBeUndefined();
    expect(parseButtonValue('{"id":1}')).toBeUndefined();
    expect(parseButtonValue(undefined)).toBeUndefined();
  });
});
