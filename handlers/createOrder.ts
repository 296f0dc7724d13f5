import { reply, type Button, type Reply } from '../domain/conversation/reply';
import { resolveName } from '../domain/nameMatch';
import { entitiesAs } from '../domain/nlu/parser';
import type { Entities, Frame, Item } from '../domain/nlu/types';
import type { OrderDraft } from '../domain/repositories';
import type { HandlerResult, Turn } from './context';
import { askToConfirm, confirmationCard, orderCardFields } from './confirmations';
import { day } from './format';
import { orList } from './names';
import { REQUIRED_ORDER_SLOTS, type DialogState, type OrderDialog, type OrderSlot } from './state';

const QUESTIONS: Record<OrderSlot, string> = {
  customer: 'Which customer is this order for?',
  origin: 'Where is it picked up (origin)?',
  destination: 'Where does it go (destination)?',
  items: 'What is shipping? For example "12 pallets of paper towels" or "40 cartons SKU AB-1234".',
};

const DROP_WORDS = /^\s*(cancel|never ?mind|forget (it|that)|stop|abort|quit|drop it|scrap (it|that))\b[\s.!]*$/i;
const YES = /^\s*(y|yes|yep|yeah|yup|correct|right|that one|sure|ok|okay)\b[\s.!]*$/i;

/** "create an order …": starts the dialog with whatever the message already says. */
export async function startOrder(frame: Frame, turn: Turn): Promise<HandlerResult> {
  const dialog: OrderDialog = { draft: {} };
  merge(dialog, frame.entities, '');
  return advance(dialog, turn, [], frame);
}

/**
 * A message inside the order dialog: an answer to the last question, or a correction ("make it 14
 * pallets", "deliver Friday instead", "destination Denver, CO"), also while the card is shown.
 */
export async function continueOrder(text: string, turn: Turn): Promise<HandlerResult> {
  const dialog: OrderDialog = structuredClone(turn.state.order ?? { draft: {} });
  if (DROP_WORDS.test(text)) {
    const { order: _o, pending: _p, ...rest } = turn.state;
    return { replies: [reply([{ kind: 'text', text: 'OK, I dropped that order. Nothing was saved.' }])], state: { ...rest, buttons: undefined }, log: { action: 'create_order', result: 'cancelled', detail: 'dropped in dialog' } };
  }
  if (dialog.suggestion?.slot === 'carrier' && /^\s*(no|no carrier|none|any( carrier)?|doesn'?t matter)\b/i.test(text)) {
    dialog.suggestion = undefined;
    return advance(dialog, turn, ['OK, no carrier on the order.']);
  }
  if (dialog.suggestion?.slot === 'customer' && /^\s*(no|nope|neither)\s*[.!]?\s*$/i.test(text)) {
    dialog.suggestion = undefined;
    dialog.awaiting = 'customer';
    return { replies: [reply([{ kind: 'text', text: 'Which customer then? Give the name as it is on file.' }], 'question')], state: { ...turn.state, order: dialog } };
  }
  if (dialog.suggestion && YES.test(text)) {
    dialog.draft[dialog.suggestion.slot] = dialog.suggestion.value;
    dialog.suggestion = undefined;
    if (dialog.awaiting === 'customer') dialog.awaiting = undefined;
    return advance(dialog, turn, []);
  }
  const directed = fieldCorrection(text, turn);
  const entities = directed ?? entitiesAs(text, 'create_order', turn.parseOptions);
  const before = JSON.stringify(dialog.draft);
  merge(dialog, entities, text);
  // An answer the parser cannot read as an entity ("Acme", "Reno") is the value of the slot asked for.
  if (JSON.stringify(dialog.draft) === before && dialog.awaiting && dialog.awaiting !== 'items') {
    const raw = cleanAnswer(text);
    if (raw) dialog.draft[dialog.awaiting] = raw;
  }
  if (JSON.stringify(dialog.draft) === before) {
    const ask = dialog.awaiting ? QUESTIONS[dialog.awaiting] : 'Tell me what to change (for example "make it 14 pallets" or "deliver Friday instead"), or say "cancel" to drop the order.';
    return { replies: [reply([{ kind: 'text', text: `Sorry, I didn't get that. ${ask}` }], 'question')], state: { ...turn.state, order: dialog } };
  }
  dialog.suggestion = undefined;
  return advance(dialog, turn, []);
}

/** "make it 14 pallets": replaces the quantity of a single item; "add 3 crates": appends; else replaces. */
function mergeItems(current: Item[] | undefined, said: Item[], text: string): Item[] {
  if (!current?.length) return said;
  if (/\b(add|also|plus|and also|another)\b/i.test(text)) return [...current, ...said];
  if (current.length === 1 && said.length === 1 && !said[0].description && !said[0].sku) {
    return [{ ...current[0], quantity: said[0].quantity, unit: said[0].unit }];
  }
  return said;
}

/** What the message states overrides the draft; items merge by mergeItems. */
function merge(dialog: OrderDialog, e: Entities, text: string): void {
  const d = dialog.draft;
  if (e.customer) d.customer = e.customer;
  if (e.origin) d.origin = e.origin;
  if (e.destination) d.destination = e.destination;
  if (e.items?.length) d.items = mergeItems(d.items, e.items, text);
  if (e.pickup_date) d.pickupDate = e.pickup_date;
  if (e.delivery_date) d.deliveryDate = e.delivery_date;
  if (e.weight_kg !== undefined) d.weightKg = e.weight_kg;
  if (e.service_level) d.serviceLevel = e.service_level;
  if (e.po_number) d.poNumber = e.po_number;
  if (e.carrier) d.carrier = e.carrier;
}

const FIELD_WORDS: Record<string, 'customer' | 'origin' | 'destination' | 'carrier' | 'pickup' | 'delivery' | 'po'> = {
  customer: 'customer', client: 'customer', origin: 'origin', from: 'origin', 'pickup location': 'origin', 'ship from': 'origin',
  destination: 'destination', dest: 'destination', 'deliver to': 'destination', carrier: 'carrier', pickup: 'pickup',
  'pickup date': 'pickup', delivery: 'delivery', 'delivery date': 'delivery', po: 'po', 'po number': 'po',
};

/** "change the destination to Denver, CO", "customer should be Globex", "origin: Reno". */
function fieldCorrection(text: string, turn: Turn): Entities | null {
  const m = /^\s*(?:(?:please\s+)?(?:change|set|make|update|switch|correct)\s+)?(?:the\s+)?(customer|client|origin|destination|dest|carrier|pickup date|pickup location|pickup|delivery date|delivery|po number|po)\s*(?:to|is|should be|=|:|->)?\s+(.+?)\s*(?:instead)?[.!]?\s*$/i.exec(text);
  if (!m) return null;
  const field = FIELD_WORDS[m[1].toLowerCase()];
  const value = m[2].trim();
  if (!value) return null;
  switch (field) {
    case 'customer':
      return { customer: value };
    case 'origin':
      return { origin: value };
    case 'destination':
      return { destination: value };
    case 'carrier':
      return { carrier: value };
    case 'po':
      return entitiesAs(`PO ${value.replace(/^po[\s#-]*/i, '')}`, 'create_order', turn.parseOptions);
    case 'pickup': {
      const e = entitiesAs(`pickup ${value}`, 'create_order', turn.parseOptions);
      return e.pickup_date ? { pickup_date: e.pickup_date } : null;
    }
    case 'delivery': {
      const e = entitiesAs(`deliver by ${value}`, 'create_order', turn.parseOptions);
      return e.delivery_date ? { delivery_date: e.delivery_date } : null;
    }
  }
}

function cleanAnswer(text: string): string {
  return text
    .replace(/^\s*(it'?s|it is|to|from|for|the customer is|customer is|customer)\s+/i, '')
    .replace(/[.!?\s]+$/, '')
    .trim()
    .slice(0, 200);
}

/** Validates what there is, asks for the next missing piece, or shows the confirmation card. */
async function advance(dialog: OrderDialog, turn: Turn, notes: string[], frame?: Frame): Promise<HandlerResult> {
  const d = dialog.draft;
  const problems: string[] = [...notes];
  const base: DialogState = { ...turn.state, pending: undefined };

  // Known customer and carrier ("did you mean Acme Corp?" for near misses).
  for (const kind of ['customer', 'carrier'] as const) {
    const value = d[kind];
    if (!value) continue;
    const known = await turn.deps.repos.directory.names(kind);
    const r = resolveName(value, known, { strict: true });
    if (r.match) {
      d[kind] = r.match;
      continue;
    }
    delete d[kind];
    if (r.suggestions.length) {
      dialog.suggestion = { slot: kind, value: r.suggestions[0] };
      if (kind === 'customer') dialog.awaiting = 'customer';
      const buttons: Button[] = r.suggestions.map((s) => ({ label: s, action: { id: `choose_${kind}`, value: s } }));
      const text = `I don't know a ${kind} called "${value}". Did you mean ${orList(r.suggestions)}?${kind === 'carrier' ? ' (Or say "no carrier".)' : ''}`;
      return { replies: [reply([...problems.map((p) => ({ kind: 'text' as const, text: p })), { kind: 'text', text }, { kind: 'buttons', buttons }], 'question')], state: { ...base, order: dialog } };
    }
    problems.push(`I don't know a ${kind} called "${value}"${kind === 'customer' ? ` (known customers include ${known.slice(0, 5).join(', ')})` : ''}.`);
  }
  // Dates not in the past, delivery not before pickup.
  if (d.pickupDate && d.pickupDate < turn.today) {
    problems.push(`The pickup date ${day(d.pickupDate)} is in the past, so I left it out. Give a new one if you like.`);
    delete d.pickupDate;
  }
  if (d.deliveryDate && d.deliveryDate < turn.today) {
    problems.push(`The delivery date ${day(d.deliveryDate)} is in the past, so I left it out. Give a new one if you like.`);
    delete d.deliveryDate;
  }
  if (d.pickupDate && d.deliveryDate && d.deliveryDate < d.pickupDate) {
    problems.push(`Delivery (${day(d.deliveryDate)}) can't be before pickup (${day(d.pickupDate)}), so I left the delivery date out.`);
    delete d.deliveryDate;
  }
  if (d.items?.some((i) => !(i.quantity > 0) || !Number.isFinite(i.quantity))) {
    problems.push('Quantities must be more than zero; I left out the items with none.');
    d.items = d.items.filter((i) => i.quantity > 0 && Number.isFinite(i.quantity));
    if (!d.items.length) delete d.items;
  }
  if (d.weightKg !== undefined && !(d.weightKg > 0)) {
    problems.push('The weight must be more than zero; I left it out.');
    delete d.weightKg;
  }
  const missing = REQUIRED_ORDER_SLOTS.find((s) => d[s] === undefined || (s === 'items' && !d.items?.length));
  const say = (extra: Reply['parts']) => [...problems.map((p) => ({ kind: 'text' as const, text: p })), ...extra];
  if (missing) {
    dialog.awaiting = missing;
    return {
      replies: [reply(say([{ kind: 'text', text: QUESTIONS[missing] }]), 'question')],
      state: { ...base, order: dialog },
      log: frame ? { action: 'create_order', result: 'ok', frame, detail: `asking for ${missing}` } : undefined,
    };
  }
  dialog.awaiting = undefined;
  const draft = d as OrderDraft;
  const result = askToConfirm({ ...turn, state: { ...base, order: dialog } }, { kind: 'create_order', draft }, frame ? { intent: frame.intent, entities: frame.entities } : { intent: 'create_order', entities: {} }, (token) => {
    const card = confirmationCard(`New order for ${draft.customer}`, orderCardFields({ kind: 'create_order', draft }), token, { edit: true });
    if (problems.length) card.parts.unshift(...problems.map((p) => ({ kind: 'text' as const, text: p })));
    card.parts.push({ kind: 'text', text: 'Nothing is saved until you confirm. You can still change anything ("make it 14 pallets", "deliver Friday instead").' });
    return reply(card.parts, 'confirm');
  });
  return result;
}

/** The Edit button: keep the draft, drop the card, ask what to change. */
export function editOrder(turn: Turn): HandlerResult {
  return {
    replies: [reply([{ kind: 'text', text: 'What should change? For example "make it 14 pallets", "deliver Friday instead" or "destination Denver, CO".' }], 'question')],
    state: { ...turn.state, pending: undefined },
  };
}

/** A "did you mean" button: takes the suggested name and carries on. */
export async function chooseName(slot: 'customer' | 'carrier', value: string, turn: Turn): Promise<HandlerResult> {
  const dialog: OrderDialog = structuredClone(turn.state.order ?? { draft: {} });
  dialog.draft[slot] = value;
  dialog.suggestion = undefined;
  return advance(dialog, turn, []);
}
