type Rng = () => number;
import type { DataSample } from './loadData';

/**
 * The questions of the load benchmark, as people type them, about real ids and names of the data
 * (a sample read from the database first), with some misses: ids that do not exist and a name nobody
 * knows. Each question says which kind it is, so latencies are reported per kind too.
 */
export type QuestionKind = 'track' | 'list' | 'kpi';
export interface Question {
  kind: QuestionKind;
  text: string;
}

export type Mix = Record<QuestionKind, number>;

/** "track=50,list=30,kpi=20" -> weights. */
export function parseMix(s: string): Mix {
  const mix: Mix = { track: 0, list: 0, kpi: 0 };
  for (const part of s.split(',')) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (!(k in mix) || !/^\d+(\.\d+)?$/.test(v ?? '')) throw new Error(`--mix: "${part}" is not kind=weight (kinds: track, list, kpi)`);
    mix[k as QuestionKind] = Number(v);
  }
  if (mix.track + mix.list + mix.kpi <= 0) throw new Error('--mix: the weights add up to nothing');
  return mix;
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
/** By weight: [[value, weight], ...]. */
function weighted<T>(r: Rng, xs: ReadonlyArray<readonly [T, number]>): T {
  let x = r() * xs.reduce((n, [, w]) => n + w, 0);
  for (const [v, w] of xs) if ((x -= w) < 0) return v;
  return xs[xs.length - 1][0];
}

/** How people shorten names: "Acme" for Acme Corp, "XPO" for XPO Logistics, sometimes the full name. */
const shortName = (r: Rng, name: string) => (r() < 0.5 ? name.split(' ')[0] : name);

export function createQuestions(sample: DataSample, r: Rng) {
  const pad7 = (n: number) => String(n).padStart(7, '0');
  // Past the last shipment, and orders/POs past the last one: ids that look right and do not exist.
  const missingShipment = () => `SHP-${pad7(sample.shipments + 1 + Math.floor(r() * 5_000_000))}`;
  const missingOrder = () => `ORD-${900000 + Math.floor(r() * 99_999)}`;

  function track(): string {
    if (r() < 0.12) {
      return r() < 0.7
        ? pick(r, ['where is ', 'where is ', 'status of ', 'track ']) + missingShipment()
        : `where's order ${missingOrder()}?`;
    }
    return weighted<() => string>(r, [
      [() => `${pick(r, ['where is ', 'where is ', 'status of ', 'track ', 'any update on ', 'eta for '])}${pick(r, sample.shipmentIds)}${pick(r, ['', '', '?'])}`, 70],
      [() => `${pick(r, ["where's order ", 'status of order ', 'where is order '])}${pick(r, sample.orderIds)}${pick(r, ['', '?'])}`, 15],
      [() => `${pick(r, ['where is ', 'track '])}${pick(r, sample.poNumbers)}`, 15],
    ])();
  }

  function list(): string {
    const customer = () => shortName(r, pick(r, sample.customers));
    const carrier = () => shortName(r, pick(r, sample.carriers));
    const lane = () => pick(r, sample.lanes);
    const when = () => weighted(r, [['', 45], [' this week', 20], [' yesterday', 10], [' last week', 15], [' today', 10]] as const);
    if (r() < 0.02) return `late shipments for ${pick(r, ['Acme Widgets', 'Globular', 'Initek Systems'])}`;
    return weighted<() => string>(r, [
      [() => `late shipments for ${customer()}${when()}`, 20],
      [() => `delayed shipments for ${customer()}${when()}`, 8],
      [() => `late ${carrier()} shipments${when()}`, 8],
      [() => `what's in transit for ${customer()}?`, 10],
      [() => `in transit to ${lane().destination}`, 8],
      [() => `shipments from ${lane().origin} in transit`, 6],
      [() => {
        const l = lane();
        return `show me late shipments from ${l.origin} to ${l.destination}${when()}`;
      }, 10],
      [() => `exceptions for ${carrier()}${when()}`, 8],
      [() => `delivered shipments for ${customer()} ${pick(r, ['yesterday', 'today', 'this week'])}`, 12],
      [() => `late shipments to ${lane().destination} today`, 5],
      [() => `pending shipments for ${customer()}`, 5],
    ])();
  }

  function kpi(): string {
    const customer = () => shortName(r, pick(r, sample.customers));
    const carrier = () => shortName(r, pick(r, sample.carriers));
    const period = () => weighted(r, [['yesterday', 30], ['this week', 15], ['last week', 20], ['last month', 20], ['last 30 days', 10], ['last 7 days', 5]] as const);
    return weighted<() => string>(r, [
      [() => `on-time rate ${period()}`, 14],
      [() => `how did we do ${pick(r, ['yesterday', 'last week'])}?`, 8],
      [() => `how are we doing this week?`, 4],
      [() => `KPIs ${period()}`, 6],
      [() => `OTIF ${period()} for ${carrier()}`, 14],
      [() => `OTIF for ${carrier()} ${period()}`, 6],
      [() => `on-time rate ${period()} for ${customer()}`, 12],
      [() => `freight spend ${period()} for ${customer()}`, 8],
      [() => `invoice accuracy ${period()}`, 5],
      [() => `avg transit days ${period()} for ${carrier()}`, 5],
      [() => {
        const l = pick(r, sample.lanes);
        return `what was our on-time rate on ${l.origin} to ${l.destination} ${period()}?`;
      }, 8],
      [() => `shipment count ${period()} for ${customer()}`, 5],
      [() => `exception count ${period()}`, 5],
    ])();
  }

  return {
    next(mix: Mix): Question {
      const kind = weighted<QuestionKind>(r, [['track', mix.track], ['list', mix.list], ['kpi', mix.kpi]]);
      return { kind, text: kind === 'track' ? track() : kind === 'list' ? list() : kpi() };
    },
  };
}
