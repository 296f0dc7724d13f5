/**
 * Phrase lexicons over canonical tokens: intent cues (weighted), status, metric, report and
 * service-level words. A phrase is a space-separated sequence of canonical words; `|` separates
 * alternatives. Matching is a dictionary lookup on the first word, then a short comparison.
 */
import type { Intent, MetricName, Report, Status } from './types';
import type { Token } from './tokens';

export interface Phrase<T> {
  words: string[];
  value: T;
}

export class PhraseTable<T> {
  private readonly byFirst = new Map<string, Phrase<T>[]>();

  add(spec: string, value: T): this {
    for (const alt of spec.split('|')) {
      const words = alt.trim().split(/\s+/);
      if (words[0] === '') continue;
      let list = this.byFirst.get(words[0]);
      if (!list) this.byFirst.set(words[0], (list = []));
      list.push({ words, value });
      list.sort((a, b) => b.words.length - a.words.length);
    }
    return this;
  }

  /** The longest phrase starting at token i (on canonical forms), or undefined. */
  match(toks: Token[], i: number, used?: Uint8Array): { value: T; e: number } | undefined {
    const t = toks[i];
    if (!t) return undefined;
    const list = this.byFirst.get(t.n);
    if (!list) return undefined;
    for (const p of list) {
      let ok = true;
      let j = i;
      for (let k = 0; k < p.words.length; k++, j++) {
        const tj = toks[j];
        if (!tj || (used && used[j]) || (tj.n !== p.words[k] && tj.l !== p.words[k])) {
          ok = false;
          break;
        }
        // a phrase does not run across a line break or sentence end
        if (k > 0 && tj.nl) {
          ok = false;
          break;
        }
      }
      if (ok) return { value: p.value, e: j };
    }
    return undefined;
  }
}

export const STATUS_WORDS = new PhraseTable<Status>()
  .add('delivered late|arrived late|came in late|showed up late|got there late|were late|was late|late|delayed|delay|delays|overdue|tardy|behind schedule|running behind|running late|past due|past their due date|not on time|missed delivery|missed their delivery|missing their eta|missed eta|slipping|slipped|behind', 'delayed')
  .add('stuck|damaged|damage|held at customs|held in customs|held up|on hold|customs hold|held|exception|exceptions|lost|problem|problems|issue|issues|refused|returned|hung up|blocked|stranded|in trouble|flagged|exceptioned', 'exception')
  .add('in transit|on the way|en route|enroute|on the road|moving|underway|out for delivery|on its way|on their way|in motion|at sea|sailing|on the water|rolling|travelling|traveling|transit', 'in_transit')
  .add('delivered|arrived|completed|dropped off|landed|received', 'delivered')
  .add('pending|not shipped|not yet shipped|not picked up|awaiting pickup|waiting for pickup|waiting to ship|unshipped|booked|not dispatched|yet to ship|awaiting dispatch|not yet picked up|waiting on pickup|yet to be picked up|not left|not departed|have not shipped|has not shipped|not moved', 'pending');

export const METRIC_WORDS = new PhraseTable<MetricName>()
  .add('on time in full|otif|on time and in full|in full on time|in full', 'otif')
  .add('on time|ontime|late rate|% late|percent late|percentage late|lateness|punctuality|delivery performance|on time delivery|on time rate|on time %|late percentage|late deliveries rate|late %|pct late|on time performance|otp', 'on_time_rate')
  .add('how many deliveries|number of deliveries|deliveries count|delivery count|shipment count|number of shipments|how many shipments|shipment volume|shipment volumes|volume|volumes|how many loads|number of loads|count of shipments|total shipments|shipments moved|shipments did we move|shipments did we ship|# of shipments|how many did we ship|how many did we move|shipments count|loads moved|how many shipped|shipment numbers|throughput', 'shipment_count')
  .add('order count|number of orders|how many orders|order volume|order volumes|total orders|orders placed|orders received|# of orders|count of orders|orders count|orders did we get|orders did we receive|orders came in', 'order_count')
  .add('spend|spent|spending|cost|costs|freight cost|freight costs|how much did we pay|how much we paid|paid|expenses|expenditure|freight bill total|what did we pay|did we pay|how much did we pay|we paid|how much did we spend|how much are we paying|how much do we pay|how much we pay|paying|freight spend|shipping costs|shipping cost|transport costs|outlay|how much money', 'freight_spend')
  .add('invoice accuracy|billing accuracy|invoice error rate|accuracy|accurate invoices|clean invoices|invoice errors rate|billing error rate|error rate|invoicing accuracy|accuracy of invoices|accuracy of billing', 'invoice_accuracy')
  .add('transit time|transit times|lead time|lead times|transit days|days in transit|average transit|avg transit|time in transit|how long does it take|how long do shipments take|how long did shipments take|delivery time|delivery times|door to door time|how long are shipments taking|transit duration|time to deliver', 'avg_transit_days')
  .add('exception count|number of exceptions|how many exceptions|exceptions|exception rate|count of exceptions|# of exceptions|exceptions count|how many shipments had exceptions|how many problems|how many issues', 'exception_count');

export const REPORT_WORDS = new PhraseTable<Report>()
  .add('exceptions report|exception report|exceptions digest|exception digest|exceptions summary|exception summary|exception alerts|exceptions alert|exceptions list|exception list|exceptions|exception|late shipments report|delays report|delay report|late report|problem shipments|stuck shipments|exceptions update|issues report', 'exceptions')
  .add('invoice audit|audit report|audit summary|freight audit|audit results|billing audit|invoice discrepancies|audit findings|discrepancy report|discrepancies report|invoice report|audit digest|invoice audit summary|audit|invoice check|billing discrepancies|discrepancies|overcharges|overcharge report|invoice exceptions', 'invoice_audit')
  .add('kpi digest|kpi report|kpi summary|kpi|kpis|digest|metrics|metrics report|performance report|performance summary|scorecard|dashboard|numbers|stats|summary|report|recap|rundown|roundup|round up|kpi update|performance digest|ops report|operations report|daily digest|weekly digest|update|brief|briefing|overview', 'kpi_digest');

/** Intent cue phrases and their weights. */
export const INTENT_CUES = new PhraseTable<[Intent, number][]>();

function cue(spec: string, ...weights: [Intent, number][]): void {
  INTENT_CUES.add(spec, weights);
}

// track_shipment
cue('where is|where are|where|whereabouts', ['track_shipment', 2.5]);
cue('track|trace|tracking|locate|location of|track down', ['track_shipment', 3]);
cue('status of|status on|status for|status', ['track_shipment', 2]);
cue('eta|estimated arrival|estimated time of arrival|eta on|arrival time|expected arrival|delivery date', ['track_shipment', 3]);
cue('update on|updates on|any update|any updates|latest on|news on|progress on|what happened to|what is happening with|what is up with|what is going on with|check on|look up|lookup|find|status update|where does|how is|where at', ['track_shipment', 2]);
cue('when will|when is|when does|when do|when can|when should|arrive|arriving|arrival|get there|land|landing|reach|show up', ['track_shipment', 1.5]);
cue('been delivered|delivered yet|shipped yet|arrived yet|arrive yet|out for delivery|left the|picked up yet|get delivered|be delivered|been shipped|been picked up|did it ship|has it shipped|has shipped', ['track_shipment', 1.5]);
cue('history|events|movement|scan|scans|last scan|milestones|journey', ['track_shipment', 1.5]);
cue('yet|still', ['track_shipment', 0.5]);

// list_shipments
cue('shipments|deliveries|loads|consignments|containers|parcels|packages|freight', ['list_shipments', 1.5]);
cue('show|show me|list|list all|display|pull up|give me|get me|see', ['list_shipments', 1], ['kpi_report', 0.3]);
cue('which|what|which ones|any|anything', ['list_shipments', 0.7]);
cue('what did we ship|what shipped|what has shipped|what have we shipped|what is shipping|what is going to|what is going out|what is coming|what is coming in|what is headed|what is heading|what is arriving|what went out|what is moving|what is in transit|what is on the way|what is due|what is still|what is outstanding|what is open|what do we have|what have we got|what is left|anything going to|anything heading|anything headed|anything coming|anything arriving|what is inbound|what is outbound|what do we have going|what loads|which loads|which orders|what orders|what shipments|which shipments|any shipments|any loads|all shipments|all loads', ['list_shipments', 2.2]);
cue('all|every', ['list_shipments', 0.5]);
cue('orders', ['list_shipments', 0.8], ['kpi_report', 0.3]);

// create_order
cue('create|new|make|place|enter|add|log|raise|open|set up|input|put in|submit|register|key in', ['create_order', 1.2]);
cue('new order|create order|create an order|create a new order|place an order|place order|enter an order|enter order|add an order|new shipment|new booking|open an order|raise an order|put in an order|key in an order|log an order|make an order|set up an order|submit an order|new load|create a shipment|create shipment|create a load|place a new order', ['create_order', 3.5]);
cue('book|booking|book a|book in|arrange', ['create_order', 3]);
cue('dispatch|tender', ['create_order', 1.5]);
cue('ship|shipping|move|send|sending|haul|transport|pick up|pickup|collect|collection|deliver|delivery|load', ['create_order', 1]);
cue('need to ship|need to send|need to move|have to ship|want to ship|need a truck|need a pickup|need pickup|need a carrier|need shipping|needs to go|need to get|needs to ship|needs shipping|got to ship|gotta ship|want to send|would like to ship|like to ship|need to book|wanna ship', ['create_order', 3]);
cue('order for|an order|order', ['create_order', 0.8], ['track_shipment', 0.3]);

// cancel_order
cue('cancel|cancelled|canceled|cancellation|cancelling|canceling', ['cancel_order', 4.5]);
cue('kill|void|scrap|abort|call off|nix|rescind|scratch|withdraw|revoke|terminate|axe', ['cancel_order', 3]);
cue('delete|remove|drop|pull|stop|back out', ['cancel_order', 1.8]);
cue('no longer need|no longer needed|do not need|not needed anymore|not needed|do not want|dont need|do not ship|not shipping|not going ahead|is off|are off|not required', ['cancel_order', 3]);

// audit_invoices
cue('audit|audits|auditing|freight audit', ['audit_invoices', 4.5]);
cue('check|verify|validate|review|reconcile|reconciliation|examine|inspect|scan|go through|go over|look at|look into|look over|double check|cross check|sanity check|run', ['audit_invoices', 1.5]);
cue('invoice|billing|bills|bill|charges|billed|invoiced|freight bills|carrier bills|statement|statements', ['audit_invoices', 1.8]);
cue('invoices', ['audit_invoices', 2.2]);
cue('discrepancies|discrepancy|overcharge|overcharged|overcharging|overbilled|overbilling|overpaid|over billed|over charged|billing errors|billing error|invoice errors|errors|mismatch|mismatches|mischarged|wrongly billed|billing issues|billing problems|over invoiced|overcharges|double billed|double charged', ['audit_invoices', 3]);

// flag_invoice
cue('flag|flagged|flag up', ['flag_invoice', 4.5]);
cue('dispute|disputed|contest|challenge|query|raise a dispute|open a dispute|file a dispute|short pay|short-pay|escalate|push back on|reject|decline|refuse to pay|do not pay|hold payment|put on hold|mark', ['flag_invoice', 3.5]);
cue('as wrong|as incorrect|as disputed|as bad|as invalid|as erroneous|as an error|as a mistake|as duplicate|as a duplicate|as overbilled|as overcharged|as suspicious|as problematic|as wrong|is wrong|is incorrect|looks wrong|seems wrong|was wrong|are wrong|incorrect|wrong|not right|is off|billed twice|charged twice|double charged|double billed|duplicate', ['flag_invoice', 2]);
cue('because|reason|due to', ['flag_invoice', 0.5], ['cancel_order', 0.5]);

// kpi_report
cue('kpi|kpis|metrics|metric|stats|statistics|numbers|figures|performance|scorecard|dashboard|report card|analytics', ['kpi_report', 3]);
cue('performing|perform|performed|doing on|do on|fared|faring', ['kpi_report', 2.5]);
cue('how did we do|how are we doing|how have we done|how did we perform|how are we performing|how did|how was|how are|how well|how is our|how have|how we did|how we are doing', ['kpi_report', 3]);
cue('how many|how much|number of|count|total|average|avg|mean|median|rate|percentage|percent|%|ratio|trend|trends|breakdown|compare|comparison|vs|versus', ['kpi_report', 1.2]);
cue('what is our|what was our|what were our|what are our|give me our|our|we', ['kpi_report', 0.8]);
cue('report|summary|overview|snapshot|recap', ['kpi_report', 1.2], ['schedule_digest', 0.6]);

// schedule_digest
cue('schedule|scheduled|automate|automatically|automatic|recurring|subscribe|subscription|set up|setup|every|each|going forward|from now on|on a schedule|regularly|periodically|auto post|auto send|auto-post|remind|reminder', ['schedule_digest', 2]);
cue('post|send|drop|push|publish|share|deliver|put|email|mail|message|dm|ping', ['schedule_digest', 1.2]);
cue('digest|digests|briefing|brief|rundown|roundup|newsletter', ['schedule_digest', 2.5]);

// help
cue('help|helping|halp|hepl|hlp', ['help', 4.5]);
cue('what can waybill do|what can the bot do|what can it do|what can waybill|what is waybill for|what exactly can you do|what else can you|can you do for me|what all can you do|what all do you do|things you can do|stuff you can do|what you can do|things can you do|the things you can|what does waybill do|what is waybill|what does this bot do|what does the bot do|what do you do exactly|what does it do|what are you for|what is this bot|what is this thing|what kinds of questions|what kind of questions|what questions can|what questions do you|what sort of questions|what can i ask|what kind of things|what kinds of things|what sort of things|what type of things|what types of things|what things can|what can i ask you|what can i say|what do i say|what should i say|what are you able to|what are you capable of|what are your capabilities|what can this thing do|what can you do|what do you do|what can i ask|what can i do|what should i ask|what are you|who are you|what are you for|what do you support|what can you help|what else can you do|what are your|what things can you|how do you work|how does this work|how does it work|how does this bot work|how do i use|how to use|how can i use|what can this bot do|what does this bot do|what is this bot|what commands|list of commands|what are the commands|show me the commands|what do you know', ['help', 6]);
cue('where do i|where can i', ['help', 1.5]);
cue('how do i|how can i|how to|how would i|how should i|how do we|how can we|can you show me how|show me how|teach me|explain how|is there a way to|can i ask you to|what is the syntax|what syntax', ['help', 3.5]);
cue('difference between|what is the difference|whats the difference|what does otif mean|what does otif stand for|what is otif|stand for|stands for|definition of|define|what does that mean|meaning of', ['help', 5]);
cue('commands|command|usage|instructions|tutorial|guide|manual|docs|documentation|features|capabilities|options|menu|examples|example|faq|getting started|get started|intro|introduction', ['help', 2.5]);
cue('can you|could you|are you able to|do you support|is it possible to', ['help', 0.6]);
cue('thanks for the help|thanks for your help|thank you for the help|thank you for your help|thanks for helping|thank you for helping|thanks for all the help|that helps|that helped|very helpful|helpful', ['help', -5]);
