import { reply, type ReplyPart } from '../domain/conversation/reply';
import type { Frame } from '../domain/nlu/types';
import type { HandlerResult, Turn } from './context';
import { STATUS_LABELS, day, effectiveStatus, filtersText, latenessText, newToken, periodText, plural } from './format';
import { resolveFilters } from './names';
import type { ListCursor } from './state';

export const PAGE_SIZE = 10;

export async function listShipments(frame: Frame, turn: Turn): Promise<HandlerResult> {
  const e = frame.entities;
  const { filters, problem } = await resolveFilters(
    { customer: e.customer, carrier: e.carrier, origin: e.origin, destination: e.destination },
    turn,
  );
  if (problem) return { replies: [problem] };
  const cursor: ListCursor = { token: newToken(), status: e.status, filters, period: e.period, offset: 0, total: 0 };
  return page(cursor, turn);
}

/** "more": the next page of the last list. */
export async function nextPage(turn: Turn, token?: string): Promise<HandlerResult> {
  const c = turn.state.list;
  if (!c || (token && token !== c.token)) {
    return { replies: [reply([{ kind: 'text', text: 'There is no list to continue. Ask for shipments first, e.g. "late shipments for Acme Corp".' }])] };
  }
  if (c.offset + PAGE_SIZE >= c.total) {
    return { replies: [reply([{ kind: 'text', text: `That was all of them (${plural(c.total, 'shipment')}).` }])] };
  }
  return page({ ...c, offset: c.offset + PAGE_SIZE }, turn);
}

async function page(c: ListCursor, turn: Turn): Promise<HandlerResult> {
  const today = turn.today;
  const { total, rows } = await turn.deps.repos.shipments.list({
    status: c.status,
    filters: c.filters,
    period: c.period,
    today,
    offset: c.offset,
    limit: PAGE_SIZE,
  });
  const what = `${c.status ? `${STATUS_LABELS[c.status].toLowerCase()} ` : ''}shipment`;
  const scope = [filtersText(c.filters), c.period ? `(${periodText(c.period, today)})` : ''].filter(Boolean).join(' ');
  const state = { ...turn.state, list: { ...c, total } };
  if (total === 0) {
    return {
      replies: [reply([{ kind: 'text', text: `No ${what}s${scope ? ` ${scope}` : ''}.` }])],
      state,
      log: { action: 'list_shipments', result: 'ok', frame: c, detail: '0 found' },
    };
  }
  const shown = `${c.offset + 1}–${c.offset + rows.length} of ${total.toLocaleString('en-US')}`;
  const parts: ReplyPart[] = [
    { kind: 'heading', text: `${plural(total, what)}${scope ? ` ${scope}` : ''}` },
    {
      kind: 'table',
      caption: `Most urgent first, ${shown}`,
      columns: ['Shipment', 'Status', 'Customer', 'Carrier', 'Lane', 'Promised', 'Late / early'],
      rows: rows.map((s) => [
        s.shipmentId,
        STATUS_LABELS[effectiveStatus(s, today)],
        s.customer,
        s.carrier,
        `${s.origin} → ${s.destination}`,
        day(s.promisedDate),
        latenessText(s, today),
      ]),
    },
  ];
  const remaining = total - (c.offset + rows.length);
  if (remaining > 0) {
    parts.push({ kind: 'buttons', buttons: [{ label: 'More', action: { id: 'more', value: c.token } }] });
  }
  return { replies: [reply(parts)], state, log: { action: 'list_shipments', result: 'ok', frame: { ...c, total }, detail: `${total} found` } };
}
