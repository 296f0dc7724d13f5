import { describeChart, toAdaptiveCards, type AdaptiveCard } from '../../bot/teams/adaptiveCard';
import { activityToInbound, eventKeyOf, messageText } from '../../bot/teams/activity';
import { loadTeamsConfig } from '../../bot/teams/teamsConfig';
import { reply, type ChartSpec } from '../../domain/conversation/reply';

const size = (c: AdaptiveCard) => Buffer.byteLength(JSON.stringify(c), 'utf8');
const texts = (cards: AdaptiveCard[]) => cards.flatMap((c) => c.body.filter((e) => e.type === 'TextBlock').map((e) => String(e.text)));
type Table = { rows: Array<{ cells: Array<{ items: Array<{ text: string }> }> }>; columns: Array<{ horizontalCellContentAlignment: string }> };

describe('Adaptive Cards from replies', () => {
  const chart: ChartSpec = {
    title: 'On-time rate, last 14 days',
    labels: ['2026-11-10', '2026-11-11', '2026-11-12'],
    series: [
      { name: 'On-time', values: [0.9, null, 0.95], unit: 'percent' },
      { name: 'Shipments', values: [12, 15, 9], unit: 'count', type: 'bar' },
    ],
  };

  it('renders every kind of part', () => {
    const [card, ...more] = toAdaptiveCards(
      reply([
        { kind: 'heading', text: 'SHP-000123: In transit' },
        { kind: 'text', text: 'Running 2 days late.' },
        { kind: 'fields', fields: [{ label: 'Carrier', value: 'DHL' }, { label: 'Lane', value: 'Chicago → Dallas' }] },
        { kind: 'table', columns: ['Carrier', 'Overcharge'], rows: [['DHL', '$120.50']], align: ['left', 'right'], caption: 'By carrier' },
        { kind: 'list', items: ['one', 'two'] },
        { kind: 'buttons', buttons: [
          { label: 'Confirm', action: { id: 'confirm', value: 'p-1' }, style: 'primary' },
          { label: 'Cancel', action: { id: 'cancel', value: 'p-1' }, style: 'danger' },
          { label: 'Edit', action: { id: 'edit', value: 'p-1' } },
        ] },
        { kind: 'chart', chart },
      ]),
    );
    expect(more).toEqual([]);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', msteams: { width: 'Full' } });
    expect(card.fallbackText).toMatch(/^SHP-000123: In transit\nRunning 2 days late\./);
    const [heading, text, facts, caption, table, li1, li2, actions, ...chartText] = card.body;
    expect(heading).toEqual({ type: 'TextBlock', text: 'SHP-000123: In transit', wrap: true, weight: 'Bolder', size: 'Large' });
    expect(text).toEqual({ type: 'TextBlock', text: 'Running 2 days late.', wrap: true });
    expect(facts).toEqual({ type: 'FactSet', facts: [{ title: 'Carrier', value: 'DHL' }, { title: 'Lane', value: 'Chicago → Dallas' }] });
    expect(caption).toMatchObject({ type: 'TextBlock', text: 'By carrier' });
    const t = table as unknown as Table & { type: string; firstRowAsHeader: boolean };
    expect(t).toMatchObject({ type: 'Table', firstRowAsHeader: true });
    expect(t.columns.map((c) => c.horizontalCellContentAlignment)).toEqual(['Left', 'Right']);
    expect(t.rows.map((r) => r.cells.map((c) => c.items[0].text))).toEqual([['Carrier', 'Overcharge'], ['DHL', '$120.50']]);
    expect([li1.text, li2.text]).toEqual(['• one', '• two']);
    expect(actions).toEqual({
      type: 'ActionSet',
      actions: [
        { type: 'Action.Submit', title: 'Confirm', style: 'positive', data: { id: 'confirm', value: 'p-1' } },
        { type: 'Action.Submit', title: 'Cancel', style: 'destructive', data: { id: 'cancel', value: 'p-1' } },
        { type: 'Action.Submit', title: 'Edit', style: 'default', data: { id: 'edit', value: 'p-1' } },
      ],
    });
    // No chart renderer: the chart is described in words.
    expect(chartText.map((e) => e.text)).toEqual([
      'Chart: On-time rate, last 14 days (2026-11-10 to 2026-11-12)',
      'On-time: 95.0% on 2026-11-12; lowest 90.0%, highest 95.0%',
      'Shipments: 9 on 2026-11-12; lowest 9, highest 15',
    ]);
  });

  it('shows a drawn chart as an image, and its description when the PNG is too big for a message', () => {
    const small = 'data:image/png;base64,AAAA';
    const [card] = toAdaptiveCards(reply([{ kind: 'chart', chart }]), { chartImages: new Map([[chart, small]]) });
    expect(card.body).toEqual([{ type: 'Image', url: small, altText: chart.title, size: 'Stretch' }]);
    const huge = `data:image/png;base64,${'A'.repeat(40_000)}`;
    const [fallback] = toAdaptiveCards(reply([{ kind: 'chart', chart }]), { chartImages: new Map([[chart, huge]]) });
    expect(JSON.stringify(fallback)).not.toContain('data:image');
    expect(texts([fallback])).toEqual(expect.arrayContaining([describeChart(chart)[0], expect.stringMatching(/too large for a Teams message/)]));
  });

  it('splits a table too big for one message into cards within the budget, every row once, with notes', () => {
    const rows = Array.from({ length: 400 }, (_, i) => [`SHP-${String(i).padStart(6, '0')}`, 'Acme Corp', 'Chicago, IL → Dallas, TX', `${i}.00`]);
    const cards = toAdaptiveCards(
      reply([{ kind: 'heading', text: 'Shipments' }, { kind: 'table', columns: ['Shipment', 'Customer', 'Lane', 'Cost'], rows }, { kind: 'text', text: 'The end.' }]),
      { maxCards: 10 },
    );
    expect(cards.length).toBeGreaterThan(1);
    for (const c of cards) expect(size(c)).toBeLessThanOrEqual(24 * 1024);
    const shown = cards.flatMap((c) => c.body.filter((e) => e.type === 'Table').flatMap((e) => (e as unknown as Table).rows.slice(1).map((r) => r.cells[0].items[0].text)));
    expect(shown).toEqual(rows.map((r) => r[0]));
    const notes = texts(cards).filter((t) => /^Rows /.test(t));
    expect(notes[0]).toMatch(/^Rows 1–\d+ of 400$/);
    expect(notes.at(-1)).toMatch(/^Rows \d+–400 of 400$/);
    expect(texts(cards).at(-1)).toBe('The end.');
  });

  it('says which rows are not shown when even several messages are not enough', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [`SHP-${i}`, 'x'.repeat(30)]);
    const cards = toAdaptiveCards(reply([{ kind: 'table', columns: ['Shipment', 'Note'], rows }, { kind: 'text', text: 'after the table' }]), { maxCards: 2 });
    expect(cards).toHaveLength(2);
    for (const c of cards) expect(size(c)).toBeLessThanOrEqual(24 * 1024);
    expect(texts(cards).join('\n')).toMatch(/Rows \d+–3000 of 3000 not shown: too many for Teams messages/);
  });

  it('cuts a text too long for a message, saying how much is left out', () => {
    const [card] = toAdaptiveCards(reply([{ kind: 'text', text: 'word '.repeat(10_000) }]));
    expect(size(card)).toBeLessThanOrEqual(24 * 1024);
    expect(String(card.body[0].text)).toMatch(/… \(\d+ more characters not shown\)$/);
  });
});

describe('Teams activities as inbound messages', () => {
  const base = {
    type: 'message', id: '1700000000001', from: { id: '29:1abc', aadObjectId: 'aad-1', name: 'Dana' },
    conversation: { id: '19:ops@thread.tacv2', name: 'ops' },
  };

  it('strips mentions and reads the simple HTML Teams sends', () => {
    expect(messageText('<at>Waybill</at> where is order 10042?')).toBe('where is order 10042?');
    expect(messageText('<p><at id="0">Waybill</at>&nbsp;check INV-2291 &amp; <b>flag</b> it</p>')).toBe('check INV-2291 & flag it');
    expect(messageText('line one<br>line two<br/>&#36;120.50 &lt;ok&gt;')).toBe('line one\nline two\n$120.50 <ok>');
    expect(messageText('<at>Waybill</at>')).toBe('');
  });

  it('maps a message: the AAD id speaks, the activity id (per conversation) is the event key', () => {
    expect(activityToInbound({ ...base, text: '<at>Waybill</at> help' })).toEqual({
      speaker: { platform: 'teams', id: 'aad-1', displayName: 'Dana' },
      conversation: { platform: 'teams', id: '19:ops@thread.tacv2', name: 'ops' },
      text: 'help',
      eventKey: '19:ops@thread.tacv2:1700000000001',
    });
    // Without an AAD id (the Emulator), the channel's user id.
    expect(activityToInbound({ ...base, from: { id: 'user-1' }, text: 'help' })?.speaker).toEqual({ platform: 'teams', id: 'user-1' });
  });

  it('maps an Action.Submit value to a button action; ignores other activities and empty messages', () => {
    expect(activityToInbound({ ...base, value: { id: 'confirm', value: 'p-9' } })).toMatchObject({ action: { id: 'confirm', value: 'p-9' } });
    expect(activityToInbound({ ...base, value: { something: 'else' }, text: 'help' })).toMatchObject({ text: 'help' });
    expect(activityToInbound({ ...base, type: 'conversationUpdate' })).toBeUndefined();
    expect(activityToInbound({ ...base, text: '<at>Waybill</at>' })).toBeUndefined();
  });

  it('keeps event keys within the database column, distinct per conversation', () => {
    const long = `a:${'x'.repeat(300)}`;
    expect(eventKeyOf(long, '1').length).toBeLessThanOrEqual(150);
    expect(eventKeyOf(long, '1')).not.toBe(eventKeyOf(long, '2'));
    expect(eventKeyOf(`${long}y`, '1')).not.toBe(eventKeyOf(long, '1'));
  });
});

describe('Teams settings', () => {
  it('has authentication off without an app id, and keeps the password out of serialization', () => {
    expect(loadTeamsConfig({})).toEqual({ appId: undefined, appType: 'MultiTenant', tenantId: undefined });
    const c = loadTeamsConfig({ MICROSOFT_APP_ID: 'app-1', MICROSOFT_APP_PASSWORD: 'p@ss-word' });
    expect(c.appPassword).toBe('p@ss-word');
    expect(JSON.stringify(c)).not.toContain('p@ss-word');
    expect(Object.keys(c)).not.toContain('appPassword');
  });

  it('refuses incomplete settings', () => {
    expect(() => loadTeamsConfig({ MICROSOFT_APP_ID: 'app-1' })).toThrow(/MICROSOFT_APP_PASSWORD is required/);
    expect(() => loadTeamsConfig({ MICROSOFT_APP_ID: 'app-1', MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'SingleTenant' })).toThrow(/MICROSOFT_APP_TENANT_ID is required/);
    expect(() => loadTeamsConfig({ MICROSOFT_APP_TYPE: 'Whatever' })).toThrow(/MICROSOFT_APP_TYPE must be/);
    expect(loadTeamsConfig({ MICROSOFT_APP_ID: 'app-1', MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: 't' })).toMatchObject({ appType: 'UserAssignedMSI' });
  });
});
