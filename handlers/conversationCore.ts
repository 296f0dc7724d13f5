import type { Inbound } from '../domain/conversation/inbound';
import { buttonsOf, reply, type Button, type ButtonAction, type Reply } from '../domain/conversation/reply';
import { isDatabaseUnavailable, UserError } from '../domain/errors';
import { createRateLimiter } from '../domain/rateLimit';
import type { Frame, Intent } from '../domain/nlu/types';
import { can, type Capability } from '../domain/roles';
import { auditInvoices, setFindingStatus } from './auditInvoices';
import { cancelOrder } from './cancelOrder';
import { execute } from './confirmations';
import type { HandlerDeps, HandlerResult, LogNote, Person, Turn } from './context';
import type { ConversationCore } from './core';
import { chooseName, continueOrder, editOrder, startOrder } from './createOrder';
import { flagInvoice } from './flagInvoice';
import { help, unknown } from './help';
import { asksDefinition, kpiReport } from './kpiReport';
import { entitiesAs } from '../domain/nlu/parser';
import { listShipments, nextPage } from './listShipments';
import { resolvePerson } from './person';
import { refusal } from './refusal';
import { asksScheduleList, asksScheduleStop, listSchedules, scheduleDigest, stopSchedule, stopScheduleById } from './scheduleDigest';
import type { DialogState, PendingAction } from './state';
import { track, refFromId, trackShipment } from './trackShipment';

/** Messages longer than this are refused politely (nlu.md's parser reads up to 4,000 characters). */
export const MAX_MESSAGE_CHARS = 4000;
/** Dialog state lives this long without use. */
const STATE_TTL_SECONDS = 24 * 3600;
/** While an order is being entered, another request must be this clear to interrupt it. */
const INTERRUPT_CONFIDENCE = 0.9;

const PENDING_CAPABILITY: Record<PendingAction['kind'], Capability> = {
  create_order: 'create_order',
  cancel_order: 'cancel_order',
  flag_invoice: 'flag_invoice',
  schedule_digest: 'schedule_digest',
  stop_digest: 'schedule_digest',
};

const MORE = /^\s*(more|next|show more|next page|see more|\.\.\.)\s*[.!]?\s*$/i;
const YES = /^\s*(y|yes|yep|yeah|yup|sure|ok|okay|go ahead|do it|confirm(ed)?)\s*[.!]?\s*$/i;
const NO = /^\s*(n|no|nope|cancel|never ?mind|abort|don'?t|stop)\s*[.!]?\s*$/i;

function normLabel(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}#-]+/gu, ' ').replace(/#\s*/g, '#').trim();
}

/** A typed message that answers one of the last reply's buttons ("confirm", "Dispute #2", "ORD-10042"). */
function typedButton(text: string, state: DialogState): ButtonAction | undefined {
  const buttons: Button[] = state.buttons ?? [];
  // "confirm" again after it was carried out: the same answer as a second click on the button.
  if (!buttons.length && !state.pending && state.done?.length && /^\s*confirm(ed)?\s*[.!]?\s*$/i.test(text)) {
    return { id: 'confirm', value: state.done[0].token };
  }
  if (!buttons.length) return undefined;
  const t = normLabel(text);
  const byLabel = buttons.find((b) => normLabel(b.label) === t || normLabel(b.label).replace('#', '') === t.replace('#', ''));
  if (byLabel) return byLabel.action;
  if (YES.test(text)) return buttons.find((b) => b.action.id === 'confirm')?.action;
  if (NO.test(text)) return buttons.find((b) => b.action.id === 'cancel')?.action;
  return undefined;
}

export function createConversationCore(deps: HandlerDeps): ConversationCore {
  const { repos, logger } = deps;
  // Wall-clock time, not the business clock: WAYBILL_NOW fixes "today", not how fast people type.
  const limiter = createRateLimiter(deps.ratePerMinute ?? 0);

  async function log(inbound: Inbound, person: Person | undefined, note: LogNote): Promise<void> {
    try {
      await repos.actionLog.record({
        at: deps.clock.now(),
        actor: person?.key ?? `${inbound.speaker.platform}:${inbound.speaker.id}`,
        role: person?.role ?? null,
        platform: inbound.conversation.platform,
        channel: inbound.conversation.name ?? inbound.conversation.id,
        action: note.action,
        frame: note.frame ?? null,
        result: note.result,
        detail: note.detail,
      });
    } catch (e) {
      logger.error({ err: (e as Error).message, action: note.action }, 'could not write the action log');
    }
  }

  function refuse(cap: Capability, turn: Turn, frame?: unknown): HandlerResult {
    return { replies: [refusal(cap, turn.person)], log: { action: cap, result: 'refused', frame, detail: `role ${turn.person.role}` } };
  }

  async function onAction(a: ButtonAction, turn: Turn): Promise<HandlerResult> {
    const s = turn.state;
    switch (a.id) {
      case 'confirm':
      case 'cancel':
      case 'edit': {
        const p = s.pending;
        if (!p || p.token !== a.value) {
          const done = s.done?.find((d) => d.token === a.value);
          if (done) {
            return {
              replies: [reply([{ kind: 'text', text: a.id === 'confirm' ? `Already done: ${done.summary}` : `That was already carried out (${done.summary}), so there is nothing to ${a.id}.` }])],
              log: { action: a.id, result: 'duplicate', frame: a, detail: done.summary },
            };
          }
          return { replies: [reply([{ kind: 'text', text: 'That card is out of date (it was replaced or has expired), so nothing was done. Use the latest card or ask again.' }])], log: { action: a.id, result: 'error', frame: a, detail: 'stale token' } };
        }
        const cap = PENDING_CAPABILITY[p.action.kind];
        if (!can(turn.person.role, cap)) return refuse(cap, turn, p.frame);
        if (a.id === 'confirm') return execute(p, turn);
        if (a.id === 'edit' && p.action.kind === 'create_order') return editOrder(turn);
        const { pending: _p, order: _o, ...rest } = s;
        return {
          replies: [reply([{ kind: 'text', text: 'Cancelled. Nothing was saved.' }])],
          state: p.action.kind === 'create_order' ? { ...rest, buttons: undefined } : { ...rest, order: s.order, buttons: undefined },
          log: { action: p.action.kind, result: 'cancelled', frame: p.frame },
        };
      }
      case 'dispute':
      case 'accept': {
        const cap: Capability = a.id === 'dispute' ? 'dispute_finding' : 'accept_finding';
        if (!can(turn.person.role, cap)) return refuse(cap, turn, a);
        const id = Number(a.value);
        if (!Number.isInteger(id)) return { replies: [reply([{ kind: 'text', text: 'That button is not valid any more. Run the audit again.' }])] };
        return setFindingStatus(a.id, id, turn);
      }
      case 'more':
        if (!can(turn.person.role, 'list_shipments')) return refuse('list_shipments', turn, a);
        return nextPage(turn, a.value);
      case 'track':
        if (!can(turn.person.role, 'track_shipment')) return refuse('track_shipment', turn, a);
        return track(refFromId(a.value), turn);
      case 'choose_customer':
      case 'choose_carrier':
        if (!can(turn.person.role, 'create_order')) return refuse('create_order', turn, a);
        return chooseName(a.id === 'choose_customer' ? 'customer' : 'carrier', a.value, turn);
      case 'stop_digest': {
        if (!can(turn.person.role, 'schedule_digest')) return refuse('schedule_digest', turn, a);
        const id = Number(a.value);
        return stopScheduleById(id, turn);
      }
      default:
        return { replies: [reply([{ kind: 'text', text: "I don't know that button. Ask again and use the latest card." }])] };
    }
  }

  async function onFrame(frame: Frame, text: string, turn: Turn): Promise<HandlerResult> {
    const intent: Intent = frame.intent;
    if (!can(turn.person.role, intent)) return refuse(intent, turn, frame);
    switch (intent) {
      case 'track_shipment':
        return trackShipment(frame, turn);
      case 'list_shipments':
        return listShipments(frame, turn);
      case 'create_order':
        return startOrder(frame, turn);
      case 'cancel_order':
        return cancelOrder(frame, turn);
      case 'audit_invoices':
        return auditInvoices(frame, turn);
      case 'flag_invoice':
        return flagInvoice(frame, turn);
      case 'kpi_report':
        return kpiReport(frame, turn, text);
      case 'schedule_digest':
        return scheduleDigest(frame, turn);
      case 'help':
        return help(turn);
      default:
        return unknown(turn);
    }
  }

  async function onText(text: string, turn: Turn): Promise<HandlerResult> {
    const typed = typedButton(text, turn.state);
    if (typed) return onAction(typed, turn);
    if (MORE.test(text) && turn.state.list) return onAction({ id: 'more', value: turn.state.list.token }, turn);
    const frame = await deps.recognizer.recognize(text, turn.parseOptions);
    // Inside the order dialog, a message is an answer or a correction unless it clearly asks for something else.
    if (turn.state.order) {
      // A bare reference ("PO 7781") answers the order's PO; asking where something is does not.
      const bareReference = frame.intent === 'track_shipment' && !/\?|\b(where|status|track|tracking|eta|when|find|locate|show)\b/i.test(text);
      const clearlyElse = frame.intent !== 'create_order' && frame.intent !== 'unknown' && frame.confidence >= INTERRUPT_CONFIDENCE &&
        (frame.intent === 'help' || Object.keys(frame.entities).length > 0) && !bareReference;
      if (!clearlyElse) {
        if (!can(turn.person.role, 'create_order')) return refuse('create_order', turn, frame);
        return continueOrder(text, turn);
      }
    }
    // "what does OTIF mean?" is about a definition, whatever the parser made of it.
    if (asksDefinition(text)) {
      const metric = entitiesAs(text, 'kpi_report', turn.parseOptions).metric;
      if (metric) return kpiReport({ intent: 'kpi_report', entities: { metric }, confidence: 1 }, turn, text);
    }
    if (asksScheduleStop(text)) {
      if (!can(turn.person.role, 'schedule_digest')) return refuse('schedule_digest', turn, frame);
      return stopSchedule(text, frame, turn);
    }
    if (asksScheduleList(text)) return listSchedules(turn);
    return onFrame(frame, text, turn);
  }

  return {
    async handle(inbound: Inbound): Promise<Reply[]> {
      let person: Person | undefined;
      try {
        const text = inbound.text ?? '';
        if (!inbound.action && text.length > MAX_MESSAGE_CHARS) {
          await log(inbound, person, { action: 'message', result: 'refused', detail: `too long (${text.length} characters)` });
          return [reply([{ kind: 'text', text: `That message is too long (${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_MESSAGE_CHARS.toLocaleString('en-US')}). Please shorten it.` }], 'error')];
        }
        if (inbound.eventKey && !(await repos.processedEvents.claim(`${inbound.conversation.platform}:${inbound.eventKey}`, inbound.conversation.platform))) {
          await log(inbound, person, { action: inbound.action?.id ?? 'message', result: 'duplicate', detail: `event ${inbound.eventKey} already handled` });
          return [];
        }
        // Chat platforms are rate-limited per person; the local console and web chat operator is not.
        const limited = inbound.speaker.platform === 'slack' || inbound.speaker.platform === 'teams';
        const personKey = `${inbound.speaker.platform}:${inbound.speaker.id}`;
        if (limited && !limiter.take(personKey, Date.now())) {
          await log(inbound, person, { action: inbound.action?.id ?? 'message', result: 'refused', detail: 'rate limit' });
          const wait = limiter.retryAfter(personKey, Date.now());
          return [reply([{ kind: 'text', text: `You're sending messages faster than I can keep up with (${deps.ratePerMinute} a minute). Please wait ${wait} second${wait === 1 ? '' : 's'} and try again.` }], 'refusal')];
        }
        person = await resolvePerson(inbound.speaker, repos.users, deps.defaultRole);
        const c = inbound.conversation;
        const stateKey = `${c.platform}:${c.id}:${c.threadId ?? '-'}:${inbound.speaker.id}`;
        const state = (await repos.conversationState.get<DialogState>(stateKey)) ?? {};
        const now = deps.clock.now();
        const turn: Turn = {
          deps,
          person,
          speaker: inbound.speaker,
          conversation: c,
          state,
          parseOptions: { now, timeZone: deps.clock.timeZone },
          today: deps.clock.today(),
        };
        let result: HandlerResult;
        if (inbound.action) result = await onAction(inbound.action, turn);
        else if (!text.trim()) result = { replies: [reply([{ kind: 'text', text: 'Say "help" to see what I can do.' }])] };
        else result = await onText(text, turn);

        const after = result.state ?? state;
        const buttons = result.replies.flatMap(buttonsOf);
        // Typed labels answer the latest buttons; a reply without any keeps a pending card's buttons.
        const next: DialogState = { ...after, buttons: buttons.length ? buttons : after.pending ? after.buttons : undefined };
        if (JSON.stringify(next) !== JSON.stringify(state)) await repos.conversationState.put(stateKey, next, STATE_TTL_SECONDS);
        if (result.log) await log(inbound, person, result.log);
        return result.replies;
      } catch (e) {
        const err = e as Error;
        // Down, restarting, unreachable or locked: not a bug (and the action log could not be written either).
        if (isDatabaseUnavailable(e)) {
          logger.warn({ err: err.message }, 'database unavailable');
          // Not "nothing was changed": the database may have died just after a commit. A confirmed order
          // or dispute carries its token, so pressing Confirm again does not double it.
          return [reply([{ kind: 'text', text: 'The database is unavailable, try again shortly.' }], 'error')];
        }
        if (e instanceof UserError) {
          await log(inbound, person, { action: 'message', result: 'error', detail: err.message });
          return [reply([{ kind: 'text', text: `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.` }], 'error')];
        }
        logger.error({ err: err.message, stack: err.stack }, 'handler failed');
        await log(inbound, person, { action: 'message', result: 'error', detail: err.message.slice(0, 300) });
        return [reply([{ kind: 'text', text: 'Sorry, something went wrong on my side and nothing was changed. Please try again; if it keeps happening, tell your admin.' }], 'error')];
      }
    },
  };
}
