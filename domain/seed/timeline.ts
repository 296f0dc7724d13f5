import { VESSELS, type LaneDef, type Mode } from './catalog';
import type { DayCalendar } from './calendar';
import { stream } from './prng';

export type ShipmentStatus = 'pending' | 'in_transit' | 'delivered' | 'exception' | 'cancelled';

export type IncidentKind = 'customs' | 'damaged' | 'weather' | 'closed' | 'breakdown';

/** What happens to one shipment, as day offsets from today (0 = today, negative = past). */
export interface ShipmentPlan {
  /** Global shipment index: the key of its random streams. */
  index: number;
  lane: LaneDef;
  mode: Mode;
  orderDay: number;
  /** Cancelled on this day (then never shipped). */
  cancelDay: number | null;
  cancelReason: string | null;
  /** Planned pickup; pending while it is after today. */
  shipDay: number;
  promisedDay: number;
  /** Planned arrival (null: never arrives, the incident was not resolved). */
  arrivalDay: number | null;
  incident: { day: number; kind: IncidentKind; resolvedDay: number | null } | null;
  /** Units short at delivery (0: delivered in full). */
  short: number;
  unit: string;
}

export interface Milestone {
  day: number;
  status: ShipmentStatus;
  kind: 'created' | 'picked_up' | 'departed' | 'hub' | 'incident' | 'resumed' | 'out_for_delivery' | 'delivered' | 'cancelled';
  location: string;
  /** Order of events within a day. */
  rank: number;
}

const RANK: Record<Milestone['kind'], number> = {
  created: 0, cancelled: 1, picked_up: 2, departed: 3, hub: 4, incident: 5, resumed: 6, out_for_delivery: 7, delivered: 8,
};

const m = (day: number, status: ShipmentStatus, kind: Milestone['kind'], location: string): Milestone => ({ day, status, kind, location, rank: RANK[kind] });

/** The shipment's history up to today, in order; the last one is its current status. */
export function milestones(plan: ShipmentPlan): Milestone[] {
  const { lane, mode } = plan;
  const out: Milestone[] = [m(plan.orderDay, 'pending', 'created', lane.origin)];
  if (plan.cancelDay !== null) {
    out.push(m(plan.cancelDay, 'cancelled', 'cancelled', lane.origin));
    return out;
  }
  out.push(m(plan.shipDay, 'in_transit', 'picked_up', lane.origin));
  const end = plan.arrivalDay ?? plan.promisedDay;
  // Customs holds a shipment where it arrives in the country: after the port or airport event.
  const customsDay = plan.incident?.kind === 'customs' ? plan.incident.day : Infinity;
  if (mode === 'ocean') {
    out.push(m(Math.min(plan.shipDay + 1, end), 'in_transit', 'departed', lane.origin));
    const port = lane.via[0];
    out.push(m(Math.min(customsDay, Math.max(plan.shipDay + 1, end - (port === lane.destination ? 2 : 6))), 'in_transit', 'hub', port));
  } else if (mode === 'air') {
    out.push(m(Math.min(customsDay, Math.max(plan.shipDay, end - 1)), 'in_transit', 'hub', lane.via[0]));
  } else {
    lane.via.forEach((hub, k) => {
      const day = plan.shipDay + Math.round(((k + 1) * (end - plan.shipDay)) / (lane.via.length + 1));
      out.push(m(Math.min(Math.max(day, plan.shipDay), end), 'in_transit', 'hub', hub));
    });
  }
  if (plan.incident) {
    const at = plan.incident.kind === 'customs' ? lane.via[0] ?? lane.destination : lane.via[0] ?? lane.origin;
    out.push(m(plan.incident.day, 'exception', 'incident', at));
    if (plan.incident.resolvedDay !== null) out.push(m(plan.incident.resolvedDay, 'in_transit', 'resumed', at));
  }
  if (plan.arrivalDay !== null) {
    if (mode !== 'rail') out.push(m(plan.arrivalDay, 'in_transit', 'out_for_delivery', lane.destination));
    out.push(m(plan.arrivalDay, 'delivered', 'delivered', lane.destination));
  }
  // Nothing moves while a shipment is held: hubs planned during an incident do not happen.
  const inc = plan.incident;
  const held = (e: Milestone) =>
    inc !== null && e.kind === 'hub' && (inc.resolvedDay === null ? e.day > inc.day : e.day > inc.day && e.day <= inc.resolvedDay);
  const kept = out.filter((e) => e.day <= 0 && !held(e));
  kept.sort((a, b) => a.day - b.day || a.rank - b.rank);
  return kept;
}

export interface TrackingEventRow {
  /** 'YYYY-MM-DD HH:MM:SS.000 +00:00' (UTC). */
  event_time: string;
  status: ShipmentStatus;
  location: string;
  description: string;
}

const INCIDENT_TEXT: Record<IncidentKind, string> = {
  customs: 'Held at customs',
  damaged: 'Damaged in transit',
  weather: 'Delayed: severe weather',
  closed: 'Delivery attempted, consignee closed',
  breakdown: 'Delayed: equipment breakdown',
};

/** Typical time of day (minutes) of each kind of event. */
const TIME_RANGE: Record<Milestone['kind'], [number, number]> = {
  created: [7 * 60, 11 * 60],
  cancelled: [11 * 60, 16 * 60],
  picked_up: [9 * 60, 17 * 60],
  departed: [5 * 60, 22 * 60],
  hub: [0, 23 * 60],
  incident: [8 * 60, 17 * 60],
  resumed: [8 * 60, 18 * 60],
  out_for_delivery: [5 * 60 + 30, 8 * 60 + 30],
  delivered: [9 * 60, 17 * 60 + 30],
};

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The tracking events of a shipment: its milestones with times, places and the wording carriers
 * use. Deterministic per (seed, shipment index); events of today happen before 08:30 UTC.
 */
export function trackingEvents(seed: number, plan: ShipmentPlan, cal: DayCalendar, list = milestones(plan)): TrackingEventRow[] {
  const rng = stream(seed, 'events', plan.index);
  const vessel = rng.pick(VESSELS);
  const events: TrackingEventRow[] = [];
  let prevDay = NaN;
  let prevMinute = -1;
  for (const ms of list) {
    const [lo, hi] = TIME_RANGE[ms.kind];
    let minute = rng.int(lo, hi);
    if (ms.day === prevDay && minute <= prevMinute + 6) minute = prevMinute + 7 + rng.int(0, 40);
    if (minute > 23 * 60 + 59) minute = Math.min(23 * 60 + 59, prevMinute + 1);
    prevDay = ms.day;
    prevMinute = minute;
    // Today's events have already happened: squeeze them into the small hours.
    const shown = ms.day === 0 ? 30 + Math.floor(minute / 3) : minute;
    const time = `${cal.ymd(ms.day)} ${pad(Math.floor(shown / 60))}:${pad(shown % 60)}:${pad(rng.int(0, 59))}.000 +00:00`;
    events.push({ event_time: time, status: ms.status, location: ms.location, description: describe(ms, plan, vessel) });
  }
  return events;
}

function describe(ms: Milestone, plan: ShipmentPlan, vessel: string): string {
  const { mode, lane } = plan;
  switch (ms.kind) {
    case 'created':
      return mode === 'parcel' ? 'Label created, shipment information received' : mode === 'ocean' ? 'Booking confirmed' : 'Shipment created';
    case 'cancelled':
      return `Cancelled: ${plan.cancelReason ?? 'customer request'}`;
    case 'picked_up':
      switch (mode) {
        case 'ocean': return `Container gated in at ${lane.origin} terminal`;
        case 'air': return `Received at ${lane.origin} airport, departed`;
        case 'rail': return 'Loaded at origin rail ramp';
        case 'ltl': return 'Picked up, arrived at origin terminal';
        case 'truckload': return 'Picked up, driver en route';
        default: return 'Picked up';
      }
    case 'departed':
      return `Loaded on vessel ${vessel}, departed ${lane.origin}`;
    case 'hub':
      switch (mode) {
        case 'ocean': return ms.location === lane.destination ? `Vessel arrived at port of ${ms.location}` : `Discharged at port of ${ms.location}, on rail to ${lane.destination}`;
        case 'air': return plan.incident?.kind === 'customs' ? `Arrived at ${ms.location} airport` : `Arrived at ${ms.location} airport, customs cleared`;
        case 'rail': return `Passed ${ms.location} rail ramp`;
        case 'ltl': return `Arrived at ${ms.location} terminal`;
        case 'parcel': return `Arrived at ${ms.location} sort facility`;
        default: return `In transit, passed ${ms.location}`;
      }
    case 'incident':
      return plan.incident!.kind === 'damaged' && plan.incident!.resolvedDay === null ? 'Damaged in transit, claim filed' : INCIDENT_TEXT[plan.incident!.kind];
    case 'resumed':
      return plan.incident!.kind === 'customs' ? 'Released by customs, back in transit' : 'Back in transit';
    case 'out_for_delivery':
      return mode === 'truckload' ? 'Arriving at consignee' : mode === 'ocean' ? 'Out for delivery by truck' : 'Out for delivery';
    case 'delivered':
      return plan.short > 0 ? `Delivered, ${plan.short} ${plan.unit}${plan.short > 1 ? 's' : ''} short` : 'Delivered, proof of delivery signed';
  }
}
