/**
 * Intent scoring: weighted cue phrases (cues.ts) plus the evidence of the entities found, then a
 * few precedence rules that encode the contract (an identified order is tracked, a flag verb on an
 * invoice flags it, "how do I ..." asks for help).
 */
import { INTENT_CUES } from './cues';
import type { Analysis } from './extract';
import type { Intent } from './types';

export type Scores = Record<Intent, number>;

const CHITCHAT = new Set([
  'weather', 'joke', 'jokes', 'lunch', 'dinner', 'movie', 'movies', 'football', 'soccer', 'game', 'birthday', 'recipe', 'song',
  'poem', 'story', 'love', 'girlfriend', 'boyfriend', 'politics', 'bitcoin', 'crypto',
  'meaning', 'life', 'cat', 'dog', 'pizza', 'coffee', 'beer', 'vacation', 'holiday', 'temperature', 'rain', 'snow',
  'flight', 'flights', 'hotel', 'hotels', 'taxi', 'cab', 'uber', 'restaurant', 'concert', 'tickets', 'ceo', 'president', 'capital',
  'netflix', 'lyrics', 'horoscope', 'score', 'recipe', 'haiku', 'sing', 'lol', 'lmao', 'haha', 'meeting', 'meetings', 'room', 'call',
  'conference', 'appointment', 'interview', 'dentist', 'doctor', 'slides', 'presentation', 'deck', 'website', 'project', 'party',
  'pto', 'office', 'printer', 'laptop', 'password', 'wifi', 'email', 'emails', 'replying', 'reply', 'amazon',
]);

const FLAG_VERBS = new Set(['flag', 'flagged', 'dispute', 'disputed', 'contest', 'challenge', 'query', 'reject', 'escalate', 'mark', 'short']);
const CANCEL_VERBS = new Set(['cancel', 'cancelled', 'canceled', 'cancellation', 'cancelling', 'canceling', 'kill', 'void', 'scrap', 'abort', 'nix', 'rescind', 'scratch', 'withdraw', 'revoke', 'terminate', 'axe', 'delete', 'remove', 'drop']);
const AUDIT_VERBS = new Set(['audit', 'audits', 'auditing', 'check', 'verify', 'validate', 'review', 'reconcile', 'reconciliation', 'examine', 'inspect', 'scan']);
const TRACKABLE_NOUNS = new Set(['order', 'orders', 'shipment', 'shipments', 'package', 'packages', 'parcel', 'container', 'containers', 'load', 'loads', 'delivery', 'deliveries', 'po', 'truck', 'freight', 'pallets', 'pallet', 'tracking', 'consignment', 'cargo', 'stuff', 'goods', 'boxes', 'it', 'they', 'delivered', 'shipped']);
const DOMAIN_WORDS = new Set(['order', 'orders', 'shipment', 'shipments', 'invoice', 'invoices', 'kpi', 'report', 'reports', 'digest', 'metrics', 'numbers', 'tracking', 'track', 'audit', 'carrier', 'carriers', 'delivery', 'deliveries', 'exceptions', 'schedule', 'spend', 'bot', 'waybill', 'container', 'freight', 'otif', 'dispute', 'flag', 'cancel', 'book', 'booking']);
const SHIPPING_CONTEXT = new Set(['anything', 'any', 'which', 'what', 'show', 'list', 'all', 'everything', 'ones', 'lane', 'lanes', 'customs', 'transit', 'carrier', 'carriers', 'customer', 'customers']);
const FLAG_STATES = new Set(['is wrong', 'is incorrect', 'looks wrong', 'seems wrong', 'was wrong', 'are wrong', 'incorrect', 'wrong', 'not right', 'is off', 'billed twice', 'charged twice', 'double charged', 'double billed']);
const HELP_OPENERS = new Set(['where do i', 'where can i', 'how do i', 'how can i', 'how to', 'how would i', 'how should i', 'how do we', 'how can we', 'show me how', 'can you show me how', 'teach me', 'explain how', 'is there a way to', 'what is the syntax', 'what syntax']);

export interface CueHit {
  s: number;
  e: number;
  phrase: string;
  weights: [Intent, number][];
}

export function cueHits(a: Analysis): CueHit[] {
  const toks = a.toks;
  const hits: CueHit[] = [];
  for (let i = 0; i < toks.length; i++) {
    const m = INTENT_CUES.match(toks, i);
    if (!m) continue;
    let phrase = '';
    for (let k = i; k < m.e; k++) phrase += (k > i ? ' ' : '') + toks[k].n;
    hits.push({ s: i, e: m.e, phrase, weights: m.value });
    i = m.e - 1;
  }
  return hits;
}

export function scoreIntents(a: Analysis): { scores: Scores; hits: CueHit[] } {
  const S: Scores = {
    create_order: 0, cancel_order: 0, track_shipment: 0, list_shipments: 0, audit_invoices: 0, flag_invoice: 0, kpi_report: 0,
    schedule_digest: 0, help: 0, unknown: 0,
  };
  const hits = cueHits(a);
  const seen = new Set<string>();
  const words = new Set<string>();
  for (const h of hits) {
    words.add(h.phrase);
    if (seen.has(h.phrase)) continue;
    seen.add(h.phrase);
    for (const [intent, w] of h.weights) S[intent] += w;
  }
  const has = (w: string) => words.has(w);
  const anyOf = (set: Set<string>) => hits.some((h) => set.has(h.phrase));

  const trackable = a.ids.filter((d) => d.kind !== 'invoice');
  const invoiceWordEarly = a.toks.some((t) => t.n === 'invoice' || t.n === 'invoices' || t.n === 'billing' || t.n === 'bills');
  const invoiceIds = a.ids.filter((d) => d.kind === 'invoice');
  const strongTrackable = trackable.some((d) => d.strong);
  const auditVerbEarly = anyOf(AUDIT_VERBS);
  const flagState = !auditVerbEarly && a.ids.some((d) => d.kind === 'invoice') && hits.some((h) => FLAG_STATES.has(h.phrase));
  const flagVerb = anyOf(FLAG_VERBS) || flagState || hits.some((h) => h.phrase.startsWith('as ') || h.phrase === 'raise a dispute' || h.phrase === 'open a dispute' || h.phrase === 'file a dispute' || h.phrase === 'short pay' || h.phrase === 'do not pay' || h.phrase === 'refuse to pay' || h.phrase === 'hold payment' || h.phrase === 'push back on');
  const cancelVerb = anyOf(CANCEL_VERBS) || hits.some((h) => h.weights.some(([i, w]) => i === 'cancel_order' && w >= 3));
  const auditVerb = anyOf(AUDIT_VERBS);
  const invoiceWord = hits.some((h) => ['invoice', 'invoices', 'bill', 'bills', 'billing', 'freight bills', 'carrier bills', 'charges', 'billed', 'invoiced'].includes(h.phrase)) || invoiceIds.length > 0;
  const hasItems = a.items.length > 0;
  const hasPeriodish = a.dates.length > 0;

  if (trackable.length) {
    S.track_shipment += strongTrackable ? 3.5 : 2.5;
    S.list_shipments -= 1.5;
    S.kpi_report -= 2;
    S.help -= 3;
    S.schedule_digest -= 2;
    if (!hasItems) S.create_order -= 1.5;
    if (cancelVerb) S.cancel_order += 2;
    if (!invoiceIds.length) {
      S.audit_invoices -= 1.5;
      S.flag_invoice -= 2;
    }
  }
  // "check the invoice for order 10042": the invoice is what is asked about
  if (trackable.length && !invoiceIds.length && auditVerbEarly && hits.some((h) => h.phrase === 'invoice' || h.phrase === 'invoices' || h.phrase === 'bill')) S.audit_invoices += 4;
  if (invoiceIds.length) {
    S.audit_invoices += 2;
    S.flag_invoice += 1.5;
    if (!trackable.length) S.track_shipment -= 2.5;
    S.list_shipments -= 1.5;
    S.create_order -= 2;
    S.cancel_order -= 1;
    S.kpi_report -= 1;
    S.help -= 3;
  }
  if (hasItems) {
    S.create_order += 3.5;
    S.help -= 1;
  }
  if (a.weightKg) S.create_order += 1;
  if (a.serviceLevel) S.create_order += a.serviceLevel.value === 'expedited' ? 1.2 : 0.8;
  if (a.origin && a.destination) {
    S.create_order += 0.8;
    S.list_shipments += 0.4;
  } else if (a.origin || a.destination) {
    S.list_shipments += 0.3;
  }
  // a status word lists shipments when the message is about shipments ("I'm running late" is not)
  const shippingContext = a.toks.some((t) => TRACKABLE_NOUNS.has(t.n) || SHIPPING_CONTEXT.has(t.n)) || a.carriers.length > 0 || a.customers.length > 0 || a.origin !== undefined || a.destination !== undefined;
  if (a.statuses.length && !trackable.length) {
    if (shippingContext && !(invoiceWordEarly && !a.toks.some((t) => TRACKABLE_NOUNS.has(t.n)))) S.list_shipments += 2.5;
    else if (a.toks.filter((t) => t.k === 'w').length <= 2 || (a.statuses[0].s === firstWord(a) && a.toks.filter((t) => t.k === 'w').length <= 6)) S.list_shipments += 2.5;
    else S.list_shipments += 0.8;
  }
  // a bare "exceptions" is a status as much as a metric
  const strongMetric = a.metrics.some((m) => !(m.value === 'exception_count' && m.e - m.s === 1));
  if (strongMetric) S.kpi_report += 3.5;
  else if (a.metrics.length) S.kpi_report += 1;
  if (hasPeriodish) {
    S.kpi_report += 0.4;
    S.list_shipments += 0.4;
    S.audit_invoices += 0.4;
  }
  if (a.amounts.some((x) => x.min)) S.audit_invoices += 2.5;
  else if (a.amounts.length) {
    S.flag_invoice += 0.7;
    S.audit_invoices += 0.3;
  }
  const freq = a.frequencies.reduce((m, f) => Math.max(m, f.strength), 0);
  if (freq === 2) S.schedule_digest += 4;
  else if (freq === 1) S.schedule_digest += 1.5;
  if (a.times.length) S.schedule_digest += 1.5;
  if (a.channels.length) S.schedule_digest += 2.5;
  if (a.channelHere) S.schedule_digest += 1;
  if (a.customers.length || a.carriers.length) {
    S.list_shipments += 0.3;
    S.kpi_report += 0.3;
    S.audit_invoices += 0.2;
  }

  // Flag verbs on an invoice flag it; without an invoice they mean little.
  if (flagVerb && invoiceWord) S.flag_invoice += 3;
  else if (flagVerb) S.flag_invoice -= 1.5;
  if (has('mark') && !invoiceWord) S.flag_invoice -= 2;
  // "cancel" needs an order to cancel
  if (cancelVerb && !trackable.length && !has('order') && !has('orders') && !has('an order') && !has('shipment') && !has('booking') && !has('pickup')) S.cancel_order -= 1.5;
  if (cancelVerb && invoiceIds.length && !trackable.length) S.cancel_order -= 2;
  // Auditing needs invoices or billing
  if (auditVerb && !invoiceWord && !hits.some((h) => h.weights.some(([i, w]) => i === 'audit_invoices' && w >= 3))) S.audit_invoices -= 1.5;
  // A schedule is about reports
  if (S.schedule_digest > 0 && freq === 0 && !a.channels.length && !a.times.length && !has('schedule') && !has('automate') && !has('subscribe') && !has('recurring') && !has('automatically')) S.schedule_digest -= 2;
  // "schedule a pickup" books an order
  if (has('schedule') && (has('pickup') || has('pick up') || hasItems || has('collection'))) {
    S.schedule_digest -= 3;
    S.create_order += 2;
  }
  // Help: "how do I ..." without concrete references
  const domainWord = a.toks.some((t) => DOMAIN_WORDS.has(t.n));
  const opener = hits.find((h) => HELP_OPENERS.has(h.phrase) && (domainWord || !h.phrase.startsWith('where')));
  if (opener && opener.s <= 3 && !trackable.length && !invoiceIds.length && !hasItems && !a.amounts.length) {
    S.help += 3;
    for (const k of Object.keys(S) as Intent[]) if (k !== 'help' && k !== 'unknown') S[k] -= 2;
  }
  // A report posted on a schedule: the report's words ("invoice audit", "KPI") are not requests
  const scheduleSignal = freq > 0 || a.channels.length > 0 || a.times.length > 0;
  if (scheduleSignal && a.reports.length && (freq > 0 || has('post') || has('send') || has('schedule') || has('set up') || has('setup'))) {
    S.schedule_digest += 2;
    const reportTokens = new Set<number>();
    for (const r of a.reports) for (let k = r.s; k < r.e; k++) reportTokens.add(k);
    for (const h of hits) {
      if (!reportTokens.has(h.s)) continue;
      for (const [intent, w] of h.weights) if (intent === 'audit_invoices' || intent === 'kpi_report') S[intent] -= w;
    }
  }
  // "shipments" with a filter lists them
  if (hits.some((h) => h.weights.some(([i, w]) => i === 'list_shipments' && w >= 1.5)) && (a.statuses.length || a.dates.length || a.customers.length || a.carriers.length || a.origin || a.destination)) S.list_shipments += 0.8;
  if (a.ids.length || hasItems) S.help -= 2;
  // Creating needs something to create
  if (!hasItems && !a.origin && !a.destination && !has('new order') && !has('book') && !a.dates.length && !a.customers.length) S.create_order -= 1;
  // "how many X are late" lists; "how many shipments" / "how many exceptions" count
  if (a.statuses.length && strongMetric && !trackable.length) {
    const st = a.statuses[0].value;
    const strong = a.metrics.filter((m) => !(m.value === 'exception_count' && m.e - m.s === 1));
    if (st !== 'delivered' && st !== 'exception' && strong.every((m) => m.value === 'shipment_count' || m.value === 'exception_count')) S.kpi_report -= 2.5;
    if (strong.some((m) => m.value === 'exception_count') && st === 'exception') S.list_shipments -= 2.5;
  }
  // tracking needs something to track
  if (!trackable.length && !a.toks.some((t) => TRACKABLE_NOUNS.has(t.n))) S.track_shipment -= 2.5;
  // invoices are audited; their KPI is "invoice accuracy" (a metric)
  if (invoiceWord && !strongMetric && !trackable.length) S.kpi_report -= 1.5;
  // chit-chat
  if (a.toks.some((t) => CHITCHAT.has(t.n))) {
    for (const k of Object.keys(S) as Intent[]) if (k !== 'unknown' && S[k] < 5) S[k] -= 2;
  }
  return { scores: S, hits };
}

function firstWord(a: Analysis): number {
  return a.toks.findIndex((t) => t.k === 'w');
}

export const UNKNOWN_THRESHOLD = 2;

export function pickIntent(S: Scores): { intent: Intent; confidence: number } {
  let best: Intent = 'unknown';
  let bestScore = -Infinity;
  let second = -Infinity;
  for (const k of Object.keys(S) as Intent[]) {
    if (k === 'unknown') continue;
    const v = S[k];
    if (v > bestScore) {
      second = bestScore;
      bestScore = v;
      best = k;
    } else if (v > second) second = v;
  }
  if (bestScore < UNKNOWN_THRESHOLD) {
    const conf = Math.max(0.3, Math.min(0.95, 1 - Math.max(0, bestScore) / (UNKNOWN_THRESHOLD * 2)));
    return { intent: 'unknown', confidence: Math.round(conf * 100) / 100 };
  }
  const margin = bestScore - Math.max(0, second);
  const conf = Math.max(0.35, Math.min(0.99, 0.5 + margin / 8 + Math.min(bestScore, 10) / 40));
  return { intent: best, confidence: Math.round(conf * 100) / 100 };
}
