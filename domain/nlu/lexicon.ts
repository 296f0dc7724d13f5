/**
 * Word lists of the offline parser: ordinary English (never "corrected", never a name), chat
 * abbreviations, the targets of typo correction, carriers, units, places and company suffixes.
 */
import type { Unit } from './types';

function words(s: string): Set<string> {
  return new Set(s.split(/\s+/).filter((w) => w !== ''));
}

/**
 * A table looked up by words of a message, without a prototype: "constructor" or "__proto__" in a
 * message must find nothing, not Object's own members (a unit `function Object()`, a NaN month).
 */
export function wordTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/**
 * Ordinary words: a typo is never "corrected" away from one of them, and they do not start or
 * continue a name (customer, place) unless capitalised in the middle of a sentence.
 */
export const COMMON = words(`
a about above across act actually add added adding address after afternoon again against ago agreed ahead
all allow almost alone along already also always am among amount an and another answer any anybody anyone
anything anyway anywhere appear apply approve april are area around arrange arrival arrive arrived arrives
arriving as ask asked asking at august available average avg away back bad bag bags balance bank based basis
be because become been before began begin behind being believe below best better between big bill billed billing
bills bit both box boxes break bring broke broken brought build built business busy but buy by call called calls
came can cancel canceled cancelled cancelling cancellation cannot car care carrier carriers carry case cases
cause certain change changed changes channel charge charged charges chart cheap check checked checking city
claim clean clear client close closed cold come comes coming company complete completed confirm contact contain
container containers cool copy correct cost costs could count country couple course create created credit current
customer customers cut daily damage damaged data date dates day days dear december deliver delivered deliveries
delivering delivery department detail details did didn difference different digest direct discrepancy discrepancies
dispute do does doing done door double down drop dropped drum drums due during each early east easy either else
email end enough enter entered error errors even evening event ever every everyone everything exact exactly example
exception exceptions expect expected expedite expedited express extra fact fail failed fair fall far fast february
few figure figures file fill final finally find fine finish first fix flag flagged flat follow following for
forget form forward found free freight friday from front full funny further get gets getting give given glad go
goes going gone good got great green ground group guess guy had half hand happen happened happening happens
happy hard has have having he head hear held hello help her here hey hi high him his hit hold home hope hot hour
hours how however huge i idea if in include included including info information instead into invoice invoiced
invoices is issue issues it item items its itself january job join joke july june just keep kept kind knew know
known last late later latest least leave left less let letter level like likely line list little live load loaded
loading loads local long look looked looking looks lose lost lot lots low made mail main make makes making
many march mark marked match matter may maybe me mean meant meet message middle might mind minute minutes miss
missed missing moment monday money month monthly months more morning most move moved moving much must my name
near need needed needs never new news next nice night no none normal not note nothing notice november now number
numbers october of off offer office often oh ok okay old on once one only open or order ordered ordering orders
other others our out over overdue own page paid pallet pallets paper part past pay paying people per percent
perhaps period person pick picked pickup piece pieces place placed plan please plus point possible post posted
posting pretty price print priority probably problem problems process pull push put quarter question quick quickly
quite rate rather reach read ready real really reason receive received recent record red regular release remember
report reported reports request required reset rest result return returned review right road roll rolls room round
route run running rush said same saturday save saw say says schedule scheduled second see seem seen send sending
sent september service set setup several shall she ship shipment shipments shipped shipping short should show
showing side since single size small so some someone something sometimes soon sorry sort sound south space speak
special spend spent stand standard start started state status stay still stop store story street stuck such
suggest summary sunday support sure surcharge system take taken talk team tell than thank thanks that the their
them then there these they thing things think third this those though thought through thursday till time times to
today together told tomorrow tonight too took top total touch toward track tracking transit tried trip truck
trucks true try trying tuesday turn twice two type under understand unit units until up update updated updates
upon urgent us use used using usual usually value very via wait waiting want wanted wants warehouse was watch way
we wednesday week weekday weekdays weekend weekly weeks weight well went were west what whatever when where whether
which while white who whole why will with within without won word work worked working works world worse worth
would write wrong year yearly years yes yesterday yet you your yours yourself zero
account accuracy accurate actual added agent alert alerts already anything approx arriving assist audit audits
average bol booked booking bother breakdown bring bucks buddy cancel carton cartons cheers check chicken coffee
collect combined compare completed confirmation cool crate crates customs dashboard deal decent detention
digest doc docs dollar dollars dude estimated eta everybody fees figures fine folks forecast friend fuel
funny haha hmm huh inbound incorrect joke lane lanes lbs lead leads lol lunch mean metrics movie music
okay outbound overbilled overcharge overcharged paste pending performance pounds quote rates reefer remind
rep reply sku skus stats status stuff summary sunny team thanks thx tomorrow tote totes vendor vendors weather
whats wheres yep yeah yo accessorial accessorials ocean air parcel domestic international priority economy
goods stock product products supplies supply parts part equipment materials material towels valves widgets
chairs tables shoes apparel textiles food foods produce frozen steel lumber chemicals paper plastic glass
electronics furniture pipes tiles cement sugar flour rice wine beer water oil coffee tea machinery auto
pets books toys tools rubber cotton resin grain
`);

/** Chat abbreviations and run-together contractions, to the words they stand for. */
export const ABBREVIATIONS: Record<string, string> = wordTable({
  pls: 'please', plz: 'please', plse: 'please', pleas: 'please', pleae: 'please', plx: 'please',
  thx: 'thanks', thnx: 'thanks', tks: 'thanks', ty: 'thanks', tnx: 'thanks', thanx: 'thanks',
  u: 'you', ur: 'your', r: 'are', ya: 'you',
  yday: 'yesterday', yda: 'yesterday', ystrdy: 'yesterday', yest: 'yesterday', ystd: 'yesterday', yestarday: 'yesterday', yesterdy: 'yesterday',
  tmrw: 'tomorrow', tmr: 'tomorrow', tmw: 'tomorrow', tmrow: 'tomorrow', tomo: 'tomorrow', '2moro': 'tomorrow', '2morrow': 'tomorrow',
  tommorow: 'tomorrow', tomorow: 'tomorrow', tommorrow: 'tomorrow', tmro: 'tomorrow', tomm: 'tomorrow', tomorro: 'tomorrow',
  tdy: 'today', '2day': 'today', tody: 'today', tday: 'today',
  wk: 'week', wks: 'weeks', wkly: 'weekly', mth: 'month', mths: 'months', mnth: 'month', mnths: 'months', mthly: 'monthly',
  yr: 'year', yrs: 'years', hr: 'hour', hrs: 'hours',
  shpt: 'shipment', shpmt: 'shipment', shpmnt: 'shipment', shipmt: 'shipment', shp: 'shipment', shpmts: 'shipments', shpts: 'shipments', shipmts: 'shipments',
  ord: 'order', ords: 'orders', inv: 'invoice', invs: 'invoices', invc: 'invoice', invcs: 'invoices',
  rcvd: 'received', recvd: 'received', dlvd: 'delivered', dlvrd: 'delivered', delv: 'delivery', dlvry: 'delivery', deliv: 'delivery',
  pu: 'pickup', pkup: 'pickup', pku: 'pickup',
  thru: 'through', btwn: 'between', betw: 'between', amt: 'amount', qty: 'quantity', rpt: 'report', rprt: 'report',
  cust: 'customer', acct: 'account', est: 'estimated',
  cxl: 'cancel', cncl: 'cancel', canx: 'cancel', cxld: 'cancelled', cnx: 'cancel', cancl: 'cancel',
  otd: 'ontime', otp: 'ontime', ontime: 'ontime',
  lmk: 'let me know', nvm: 'never mind', idk: "i don't know",
  wat: 'what', wut: 'what', wht: 'what', whre: 'where', wher: 'where', hw: 'how',
  whats: 'what is', wheres: 'where is', hows: 'how is', whos: 'who is', thats: 'that is', wats: 'what is',
  dont: 'do not', cant: 'can not', wont: 'will not', didnt: 'did not', doesnt: 'does not', isnt: 'is not', arent: 'are not',
  hasnt: 'has not', havent: 'have not', wasnt: 'was not', im: 'i am', ive: 'i have', lets: 'let us',
  pkg: 'package', pkgs: 'packages', ctr: 'container', cntr: 'container', cont: 'container',
  eod: 'end of day', eow: 'end of week', eom: 'end of month',
  info: 'information', approx: 'approximately', asap: 'asap', msg: 'message', stats: 'stats',
  kpis: 'kpi', kpi: 'kpi', nums: 'numbers', perf: 'performance', avg: 'average', ave: 'average',
  whr: 'where', stat: 'status', sts: 'status', upd: 'update', updt: 'update',
  sched: 'schedule', schd: 'schedule', freq: 'frequency', mgr: 'manager', dept: 'department',
  disc: 'discrepancy', discrep: 'discrepancy', discreps: 'discrepancies',
  overbilling: 'overbilled', overcharging: 'overcharged', overcharges: 'overcharge',
  shipmnt: 'shipment', shipmnts: 'shipments',
  // typos of short cue words (too short for fuzzy matching)
  lsit: 'list', lits: 'list', shwo: 'show', hsow: 'show', trak: 'track', trck: 'track', wehre: 'where', ordr: 'order', oder: 'order',
  odrer: 'order', staus: 'status', stauts: 'status', satus: 'status', flagg: 'flag', falg: 'flag', flga: 'flag', hlep: 'help', hlp: 'help',
  bok: 'book', bkg: 'booking', ltae: 'late',
});

/** Targets of typo correction (edit distance 1, or 2 for long words). */
export const FUZZY_TARGETS = [
  'shipment', 'shipments', 'shipping', 'invoice', 'invoices', 'order', 'orders', 'cancel', 'cancelled', 'canceled',
  'delivered', 'delivery', 'deliveries', 'deliver', 'tracking', 'track', 'status', 'container', 'containers',
  'pallet', 'pallets', 'carton', 'cartons', 'crates', 'drums', 'schedule', 'scheduled', 'weekly', 'monthly', 'daily',
  'weekdays', 'weekday', 'every', 'report', 'reports', 'digest', 'exceptions', 'exception', 'audit', 'dispute',
  'disputed', 'discrepancies', 'discrepancy', 'overcharged', 'overcharge', 'overbilled', 'freight', 'carrier', 'carriers',
  'customer', 'performance', 'transit', 'average', 'yesterday', 'tomorrow', 'today', 'quarter', 'month', 'week',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march',
  'april', 'august', 'september', 'october', 'november', 'december', 'expedited', 'expedite', 'urgent', 'pickup',
  'create', 'please', 'summary', 'accuracy', 'billing', 'incorrect', 'duplicate', 'surcharge', 'delayed', 'overdue',
  'damaged', 'pending', 'arrived', 'arrive', 'where', 'location', 'update', 'shipped', 'invoiced', 'received',
  'metrics', 'numbers', 'kpis', 'help', 'transit', 'spend', 'spent', 'volume', 'exceptions', 'booking',
  'verify', 'review', 'reconcile', 'discrepencies', 'late', 'stuck', 'channel', 'morning', 'evening', 'afternoon',
  'post', 'send', 'list', 'show', 'flag', 'mark', 'wrong', 'check', 'book', 'enter', 'place', 'ship', 'yesterday',
  'overdue', 'accurate', 'delays', 'delay', 'delayed', 'customers', 'estimated', 'arrival', 'history', 'updates',
  'month', 'months', 'weeks', 'quarterly', 'annual', 'detention', 'cancellation', 'expedite', 'recurring',
];

/** Known carriers (name as people write it; matching ignores case, spaces, dots and hyphens). */
export const CARRIERS: string[] = [
  'DHL', 'DHL Express', 'DHL Freight', 'DHL Global Forwarding', 'DHL eCommerce', 'DHL Supply Chain',
  'FedEx', 'FedEx Freight', 'FedEx Ground', 'FedEx Express', 'Fed Ex', 'UPS', 'UPS Freight', 'UPS Ground', 'UPS Supply Chain',
  'USPS', 'Maersk', 'Maersk Line', 'MSC', 'CMA CGM', 'Hapag-Lloyd', 'Hapag Lloyd', 'COSCO', 'Evergreen', 'Ocean Network Express',
  'ZIM', 'Yang Ming', 'HMM', 'Matson', 'Crowley', 'OOCL', 'Wan Hai', 'XPO', 'XPO Logistics', 'J.B. Hunt', 'JB Hunt', 'JBHunt',
  'Old Dominion', 'ODFL', 'Estes', 'Estes Express', 'Saia', 'YRC', 'YRC Freight', 'ABF', 'ABF Freight', 'R+L Carriers', 'R&L Carriers',
  'R+L', 'R&L', 'Schneider', 'Werner', 'Swift', 'Knight-Swift', 'C.H. Robinson', 'CH Robinson', 'Landstar', 'TQL', 'Total Quality Logistics',
  'Kuehne+Nagel', 'Kuehne Nagel', 'DB Schenker', 'Schenker', 'Expeditors', 'CEVA', 'CEVA Logistics', 'DSV', 'Ryder', 'Penske',
  'Purolator', 'Canada Post', 'OnTrac', 'LSO', 'Southeastern Freight Lines', 'SEFL', 'Central Transport', 'Pitt Ohio', 'AAA Cooper',
  'Averitt', 'Dayton Freight', 'TForce', 'TForce Freight', 'Forward Air', 'Roadrunner', 'Echo', 'Coyote', 'Uber Freight', 'Convoy',
  'Arrive Logistics', 'GLS', 'DPD', 'TNT', 'Aramex', 'Yamato', 'Nippon Express', 'Sinotrans', 'Geodis', 'Bollore', 'Panalpina',
  'Flexport', 'Hub Group', 'Heartland Express', 'Prime Inc', 'Covenant', 'U.S. Xpress', 'US Xpress', 'Marten', 'Holland', 'Reddaway',
  'New Penn', 'Ward Trucking', 'A. Duie Pyle', 'Amazon Freight', 'Amazon Logistics', 'Dachser', 'Royal Mail', 'La Poste', 'PostNL',
];

/** Carrier keys that are also ordinary words: recognised only when capitalised. */
export const CARRIER_CAPITAL_ONLY = new Set(['swift', 'echo', 'coyote', 'convoy', 'prime inc', 'covenant', 'holland', 'marten', 'crowley', 'evergreen', 'matson', 'penske', 'ryder']);

/** Words that make a capitalised name a carrier rather than a customer. */
export const CARRIER_SUFFIXES = words('trucking freight logistics transport transportation lines carriers carrier express shipping haulage cargo forwarding expedited xpress courier couriers lines transit');

/** Words that end a company name (kept inside the name). */
export const COMPANY_SUFFIXES = words(
  'corp corp. corporation inc inc. incorporated llc ltd ltd. limited co co. company industries enterprises group holdings partners foods manufacturing supply supplies systems labs international intl gmbh ag sa bv nv plc pty brands retail stores distribution technologies tech solutions products goods trading imports exports motors pharma pharmaceuticals electronics textiles farms mills works worldwide global america americas usa inc',
);

/** Words allowed inside a place name even though they are ordinary words. */
export const PLACE_WORDS = words(
  'new city fort ft port lake san los las st st. saint santa el la le de del des north south east west upper lower bay beach park springs falls island harbor harbour valley heights rock little grand great mount mt hills river point grove station junction creek falls york jersey hampshire mexico orleans haven bluff',
);

/** US states and other short region codes that may follow a city after a comma ("Dallas, TX"). */
export const REGION_CODES = words(
  'al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc on qc bc ab mb sk ns nb uk nl de be fr cn us usa',
);
export const REGION_NAMES = words(
  'alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming ontario quebec germany netherlands china mexico canada france spain italy japan india poland belgium',
);

/** Units of `items`, with plurals and abbreviations. */
export const UNIT_WORDS: Record<string, Unit> = wordTable({
  pallet: 'pallet', pallets: 'pallet', plt: 'pallet', plts: 'pallet', pl: 'pallet', skid: 'pallet', skids: 'pallet', pallette: 'pallet', pallettes: 'pallet', palette: 'pallet', palettes: 'pallet', palet: 'pallet', palets: 'pallet', pallete: 'pallet', palletes: 'pallet', pallts: 'pallet', pllts: 'pallet',
  carton: 'carton', cartons: 'carton', ctn: 'carton', ctns: 'carton', crtn: 'carton', crtns: 'carton', cartns: 'carton', catons: 'carton',
  case: 'case', cases: 'case', cs: 'case', cse: 'case',
  box: 'box', boxes: 'box', bx: 'box', bxs: 'box', boxs: 'box',
  unit: 'unit', units: 'unit',
  piece: 'piece', pieces: 'piece', pc: 'piece', pcs: 'piece', pce: 'piece', pces: 'piece', peices: 'piece', peice: 'piece',
  drum: 'drum', drums: 'drum', drm: 'drum', drms: 'drum',
  crate: 'crate', crates: 'crate', crt: 'crate', crts: 'crate',
  bag: 'bag', bags: 'bag', bg: 'bag', bgs: 'bag', sack: 'bag', sacks: 'bag',
  roll: 'roll', rolls: 'roll', rl: 'roll', rls: 'roll',
  container: 'container', containers: 'container', ctr: 'container', ctrs: 'container', cntr: 'container', cntrs: 'container',
  tote: 'tote', totes: 'tote',
});

export const NUMBER_WORDS: Record<string, number> = wordTable({
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, sixty: 60, hundred: 100, dozen: 12, a: 1, an: 1, single: 1, couple: 2,
});

export const WEEKDAYS: Record<string, number> = wordTable({
  monday: 1, mon: 1, mondays: 1, tuesday: 2, tue: 2, tues: 2, tuesdays: 2, wednesday: 3, wed: 3, weds: 3, wednesdays: 3,
  thursday: 4, thu: 4, thur: 4, thurs: 4, thursdays: 4, friday: 5, fri: 5, fridays: 5, saturday: 6, sat: 6, saturdays: 6,
  sunday: 0, sun: 0, sundays: 0, wensday: 3, wendsday: 3, wednsday: 3, wedensday: 3, thrusday: 4, thursay: 4, tuseday: 2,
  teusday: 2, firday: 5, fryday: 5, munday: 1, mondy: 1, fridy: 5, satruday: 6,
});
/** Abbreviated weekday forms that are also ordinary words: need a capital or a date context. */
export const WEEKDAY_AMBIGUOUS = new Set(['mon', 'sat', 'sun', 'wed', 'tue', 'thu', 'fri']);

export const MONTHS: Record<string, number> = wordTable({
  january: 1, jan: 1, february: 2, feb: 2, febuary: 2, feburary: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12, janurary: 1, januray: 1, septmber: 9, ocotber: 10, novmber: 11, decmber: 12, agust: 8,
});
/** Month words that are also ordinary words ("may", "march", "jan" as a name...). */
export const MONTH_AMBIGUOUS = new Set(['may', 'march', 'mar', 'jan', 'jun', 'aug', 'sep', 'oct', 'nov', 'dec', 'apr', 'feb', 'jul', 'sept']);
