import { reply } from '../domain/conversation/reply';
import type { Frame } from '../domain/nlu/types';
import type { HandlerResult, Turn } from './context';
import { askToConfirm, confirmationCard } from './confirmations';
import { amount, day } from './format';
import { resolveFilters } from './names';

export async function flagInvoice(frame: Frame, turn: Turn): Promise<HandlerResult> {
  const e = frame.entities;
  if (!e.invoice_number) {
    return { replies: [reply([{ kind: 'text', text: 'Which invoice should I dispute? For example "flag INV-2291, fuel surcharge billed twice, $120.50".' }], 'question')] };
  }
  const { filters, problem } = await resolveFilters({ carrier: e.carrier }, turn);
  if (problem) return { replies: [problem] };
  const found = await turn.deps.repos.invoices.find(e.invoice_number, filters.carrier);
  if (!found.length) {
    const close = await turn.deps.repos.invoices.closestNumbers(e.invoice_number, 3);
    return {
      replies: [reply([{ kind: 'text', text: `I can't find invoice ${e.invoice_number}${filters.carrier ? ` from ${filters.carrier}` : ''}.${close.length ? ` Did you mean ${close.join(', ')}?` : ''}` }])],
      log: { action: 'flag_invoice', result: 'error', frame, detail: 'invoice not found' },
    };
  }
  if (found.length > 1) {
    const which = found.map((i) => `${i.invoiceNumber} from ${i.carrier} (${day(i.invoiceDate)})`).join('; ');
    return { replies: [reply([{ kind: 'text', text: `Several invoices match: ${which}. Say which carrier, e.g. "flag ${e.invoice_number} from ${found[0].carrier}, …".` }], 'question')] };
  }
  const inv = found[0];
  if (e.amount !== undefined && !(e.amount > 0)) {
    return { replies: [reply([{ kind: 'text', text: 'The disputed amount must be more than zero.' }], 'error')] };
  }
  if (e.amount !== undefined && e.amount > inv.total) {
    return { replies: [reply([{ kind: 'text', text: `The disputed amount ${amount(e.amount)} is more than the invoice total ${amount(inv.total)}. Check the figure.` }], 'error')] };
  }
  return askToConfirm(
    turn,
    { kind: 'flag_invoice', invoiceId: inv.id, invoiceNumber: inv.invoiceNumber, carrier: inv.carrier, amount: e.amount, reason: e.reason },
    { intent: frame.intent, entities: e },
    (token) =>
      confirmationCard(
        `Dispute invoice ${inv.invoiceNumber}?`,
        [
          { label: 'Carrier', value: inv.carrier },
          { label: 'Invoice date', value: day(inv.invoiceDate) },
          { label: 'Invoice total', value: amount(inv.total) },
          { label: 'Disputed amount', value: e.amount !== undefined ? amount(e.amount) : 'not stated' },
          { label: 'Reason', value: e.reason ?? 'not stated' },
          { label: 'Audit findings', value: inv.findingCount ? `${inv.findingCount} (overcharge ${amount(inv.overcharge)})` : 'none' },
        ],
        token,
      ),
  );
}
