import type { ConversationCore } from '../../handlers/core';
import type { Inbound } from '../../domain/conversation/inbound';
import { reply, textReply, type Reply } from '../../domain/conversation/reply';

/**
 * A stand-in conversation core with canned answers, for the page and API tests (the real core's
 * behaviour is tested on its own; test/web/endToEnd.test.ts drives the real one). Records every
 * inbound and acts once per eventKey, as the contract says.
 */
export interface FakeCore extends ConversationCore {
  readonly received: Inbound[];
  /** How many inbounds were acted on (duplicates excluded). */
  readonly acted: number;
  /** Holds every answer until the returned function is called (to see the page while it waits). */
  pause(): () => void;
}

/** Markup in every kind of part: the page must show all of it as text. */
const EVIL = '<img src=x onerror="window.__xss=1">';
export const XSS_CARD: Reply = reply([
  { kind: 'heading', text: `Heading ${EVIL}` },
  { kind: 'text', text: `Text ${EVIL}` },
  { kind: 'fields', fields: [{ label: `Label ${EVIL}`, value: `Value ${EVIL}` }] },
  { kind: 'table', caption: `Caption ${EVIL}`, columns: [`Col ${EVIL}`], rows: [[`Cell ${EVIL}`]] },
  { kind: 'list', items: [`Item ${EVIL}`] },
  { kind: 'chart', chart: { title: `Chart ${EVIL}`, labels: [`L ${EVIL}`], series: [{ name: `S ${EVIL}`, values: [1] }] } },
  { kind: 'buttons', buttons: [{ label: `Button ${EVIL}`, action: { id: 'x', value: EVIL } }] },
]);

export const CARD: Reply = reply([
  { kind: 'heading', text: 'On-time delivery, last 4 weeks' },
  { kind: 'fields', fields: [{ label: 'Carrier', value: 'DHL' }, { label: 'Shipments', value: '1,204' }] },
  {
    kind: 'table',
    caption: 'By week',
    columns: ['Week', 'Shipments', 'On time'],
    rows: [['W40', '301', '94.2%'], ['W41', '288', '91.0%'], ['W42', '315', '96.5%'], ['W43', '300', '95.1%']],
    align: ['left', 'right', 'right'],
  },
  { kind: 'list', items: ['W41 was hit by the port strike', 'W42 is the best week this quarter'] },
  {
    kind: 'chart',
    chart: {
      title: 'On-time rate and volume',
      labels: ['W40', 'W41', 'W42', 'W43'],
      series: [
        // The line first, as the KPI answers send it: it takes the left axis, and is still drawn over the bars.
        { name: 'On time', values: [0.942, 0.91, 0.965, null], unit: 'percent', type: 'line' },
        { name: 'Shipments', values: [301, 288, 315, 300], unit: 'count', type: 'bar' },
      ],
    },
  },
  {
    kind: 'buttons',
    buttons: [
      { label: 'Email this report', action: { id: 'confirm', value: 'tok-1' }, style: 'primary' },
      { label: 'Cancel', action: { id: 'cancel', value: 'tok-1' }, style: 'danger' },
    ],
  },
]);

export function createFakeCore(): FakeCore {
  const received: Inbound[] = [];
  const seen = new Set<string>();
  let acted = 0;
  let flakyFailed = false;
  let gate: Promise<void> = Promise.resolve();
  return {
    pause() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return release;
    },
    received,
    get acted() {
      return acted;
    },
    async handle(inbound) {
      received.push(inbound);
      await gate;
      if (inbound.eventKey) {
        if (seen.has(inbound.eventKey)) return [];
        seen.add(inbound.eventKey);
      }
      acted += 1;
      // The first press of a 'flaky' button meets a database outage (an error reply), the next one works.
      if (inbound.action?.value === 'flaky' && !flakyFailed) {
        flakyFailed = true;
        return [textReply('The database is unavailable, try again shortly.', 'error')];
      }
      if (inbound.action) return [textReply(`Done: ${inbound.action.id} ${inbound.action.value}.`)];
      if (inbound.text === 'flaky card') {
        return [reply([{ kind: 'text', text: 'Create the order?' }, { kind: 'buttons', buttons: [{ label: 'Confirm', action: { id: 'confirm', value: 'flaky' }, style: 'primary' }, { label: 'Cancel', action: { id: 'cancel', value: 'flaky' } }] }], 'confirm')];
      }
      const text = inbound.text ?? '';
      if (text === 'card') return [CARD];
      if (text === 'xss') return [XSS_CARD];
      if (text === 'two') return [textReply('First answer.'), textReply('Second answer.', 'question')];
      // The contract says the core never rejects; this one does, to prove the channel survives it.
      if (text === 'boom') throw new Error('database on fire');
      return [textReply(`Echo: ${text}`)];
    },
  };
}
