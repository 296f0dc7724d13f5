/**
 * The demo world: who ships what, where, with whom. Fixed master data (the same for every seed), so
 * that docs and demos can name it: customers, carriers and their services, lanes between real
 * cities, products, accessorial schedules.
 */

export const MODES = ['truckload', 'ltl', 'parcel', 'ocean', 'air', 'rail'] as const;
export type Mode = (typeof MODES)[number];

export const ACCESSORIAL_CODES = ['DET', 'LFT', 'RES', 'LUMP'] as const;
export type AccessorialCode = (typeof ACCESSORIAL_CODES)[number];

export const ACCESSORIAL_NAMES: Record<AccessorialCode, string> = {
  DET: 'detention',
  LFT: 'liftgate',
  RES: 'residential delivery',
  LUMP: 'lumper',
};

export interface CarrierDef {
  name: string;
  /** Share of shipments delivered by the promised date. */
  onTime: number;
  /** Price level relative to the market (1 = market). */
  priceFactor: number;
  /** Fuel surcharge offset against the mode's usual percentage. */
  fuelOffset: number;
  /** The accessorials the carrier may bill, with the most it may bill per shipment. */
  accessorials: Partial<Record<AccessorialCode, number>>;
  /** How many shipments one invoice usually covers (min, max). */
  invoiceSize: [number, number];
}

export const CARRIERS: readonly CarrierDef[] = [
  { name: 'DHL', onTime: 0.92, priceFactor: 1.04, fuelOffset: 0.5, accessorials: { DET: 250, LFT: 95, LUMP: 300 }, invoiceSize: [1, 3] },
  { name: 'DHL Express', onTime: 0.955, priceFactor: 1.08, fuelOffset: 1, accessorials: { RES: 35 }, invoiceSize: [1, 4] },
  { name: 'FedEx', onTime: 0.95, priceFactor: 1.02, fuelOffset: 0, accessorials: { RES: 5.95, LFT: 110 }, invoiceSize: [3, 10] },
  { name: 'UPS Freight', onTime: 0.935, priceFactor: 1, fuelOffset: -0.5, accessorials: { LFT: 120, RES: 95, DET: 175 }, invoiceSize: [2, 8] },
  { name: 'Maersk', onTime: 0.86, priceFactor: 1, fuelOffset: 0, accessorials: { DET: 450 }, invoiceSize: [1, 2] },
  { name: 'XPO Logistics', onTime: 0.9, priceFactor: 0.97, fuelOffset: 1, accessorials: { LFT: 105, DET: 200, LUMP: 275 }, invoiceSize: [1, 4] },
  { name: 'J.B. Hunt', onTime: 0.925, priceFactor: 1.01, fuelOffset: -1, accessorials: { DET: 225, LUMP: 350 }, invoiceSize: [1, 3] },
  { name: 'Old Dominion', onTime: 0.97, priceFactor: 1.06, fuelOffset: 0.5, accessorials: { LFT: 100, RES: 110, DET: 150 }, invoiceSize: [1, 5] },
];

/** A carrier offers one mode per lane: a contract (rates.csv row) names carrier and lane, not mode. */
export interface Offer {
  carrier: string;
  mode: Mode;
  /** Relative share of the lane's volume. */
  share: number;
}

export interface LaneDef {
  origin: string;
  destination: string;
  /** Road (or rail) miles; for ocean and air lanes only used for pricing tiers. */
  miles: number;
  offers: Offer[];
  /** Cities (hubs, ports, terminals) a shipment passes on the way. */
  via: string[];
  /** Fixed transit norm (ocean, air) instead of the distance rule. */
  transitDays?: number;
  /** Flat rate per container (ocean). */
  oceanRate?: number;
  /** Per-kg rate (air). */
  kgRate?: number;
  international?: boolean;
}

const o = (carrier: string, mode: Mode, share = 1): Offer => ({ carrier, mode, share });

export const LANES: readonly LaneDef[] = [
  { origin: 'Chicago', destination: 'Dallas', miles: 925, via: ['St. Louis', 'Tulsa'], offers: [o('J.B. Hunt', 'truckload', 2), o('UPS Freight', 'ltl', 2), o('XPO Logistics', 'ltl')] },
  { origin: 'Memphis', destination: 'Atlanta', miles: 390, via: ['Birmingham'], offers: [o('FedEx', 'parcel', 2), o('Old Dominion', 'ltl', 2)] },
  { origin: 'Houston', destination: 'Denver', miles: 1030, via: ['Dallas', 'Amarillo'], offers: [o('J.B. Hunt', 'truckload', 2), o('XPO Logistics', 'ltl')] },
  { origin: 'Newark', destination: 'Boston', miles: 225, via: ['Hartford'], offers: [o('Old Dominion', 'ltl', 2), o('UPS Freight', 'parcel', 2)] },
  { origin: 'Chicago', destination: 'Atlanta', miles: 715, via: ['Indianapolis', 'Nashville'], offers: [o('DHL', 'truckload', 2), o('FedEx', 'parcel')] },
  { origin: 'Dallas', destination: 'Houston', miles: 240, via: [], offers: [o('Old Dominion', 'ltl'), o('UPS Freight', 'ltl')] },
  { origin: 'Los Angeles', destination: 'Phoenix', miles: 370, via: ['Blythe'], offers: [o('XPO Logistics', 'ltl', 2), o('J.B. Hunt', 'truckload')] },
  { origin: 'Seattle', destination: 'Portland', miles: 175, via: [], offers: [o('FedEx', 'ltl'), o('UPS Freight', 'parcel', 2)] },
  { origin: 'Atlanta', destination: 'Miami', miles: 660, via: ['Jacksonville'], offers: [o('DHL', 'truckload'), o('Old Dominion', 'ltl', 2)] },
  { origin: 'Chicago', destination: 'Detroit', miles: 280, via: [], offers: [o('XPO Logistics', 'ltl', 2), o('DHL', 'truckload')] },
  { origin: 'Memphis', destination: 'Chicago', miles: 530, via: ['St. Louis'], offers: [o('FedEx', 'parcel', 2), o('J.B. Hunt', 'truckload')] },
  { origin: 'Los Angeles', destination: 'Chicago', miles: 2015, via: ['Albuquerque', 'Kansas City'], offers: [o('J.B. Hunt', 'rail', 2), o('DHL', 'truckload')] },
  { origin: 'Denver', destination: 'Salt Lake City', miles: 520, via: ['Grand Junction'], offers: [o('XPO Logistics', 'ltl')] },
  { origin: 'Newark', destination: 'Philadelphia', miles: 85, via: [], offers: [o('UPS Freight', 'parcel'), o('FedEx', 'parcel')] },
  { origin: 'Dallas', destination: 'Chicago', miles: 925, via: ['Tulsa', 'St. Louis'], offers: [o('J.B. Hunt', 'truckload')] },
  { origin: 'Kansas City', destination: 'St. Louis', miles: 250, via: [], offers: [o('Old Dominion', 'ltl')] },
  { origin: 'Charlotte', destination: 'Atlanta', miles: 245, via: [], offers: [o('Old Dominion', 'ltl'), o('FedEx', 'ltl')] },
  { origin: 'Boston', destination: 'Newark', miles: 225, via: ['Hartford'], offers: [o('UPS Freight', 'ltl')] },
  { origin: 'Houston', destination: 'Memphis', miles: 565, via: ['Little Rock'], offers: [o('XPO Logistics', 'ltl'), o('FedEx', 'ltl')] },
  { origin: 'Columbus', destination: 'Chicago', miles: 355, via: ['Indianapolis'], offers: [o('DHL', 'truckload'), o('XPO Logistics', 'ltl')] },
  { origin: 'Louisville', destination: 'Boston', miles: 960, via: ['Philadelphia'], offers: [o('UPS Freight', 'parcel')] },
  { origin: 'Rotterdam', destination: 'Newark', miles: 3650, via: ['Newark'], transitDays: 15, oceanRate: 3150, international: true, offers: [o('Maersk', 'ocean')] },
  { origin: 'Rotterdam', destination: 'Chicago', miles: 4450, via: ['Newark'], transitDays: 22, oceanRate: 4350, international: true, offers: [o('Maersk', 'ocean')] },
  { origin: 'Hamburg', destination: 'Houston', miles: 5300, via: ['Houston'], transitDays: 20, oceanRate: 3650, international: true, offers: [o('Maersk', 'ocean')] },
  { origin: 'Antwerp', destination: 'Savannah', miles: 4300, via: ['Savannah'], transitDays: 16, oceanRate: 3300, international: true, offers: [o('Maersk', 'ocean')] },
  { origin: 'Frankfurt', destination: 'Chicago', miles: 4340, via: ['Chicago'], transitDays: 3, kgRate: 4.15, international: true, offers: [o('DHL Express', 'air')] },
  { origin: 'Amsterdam', destination: 'Atlanta', miles: 4380, via: ['Atlanta'], transitDays: 3, kgRate: 4.35, international: true, offers: [o('DHL', 'air')] },
  { origin: 'Milan', destination: 'Newark', miles: 4030, via: ['Newark'], transitDays: 4, kgRate: 5.2, international: true, offers: [o('DHL Express', 'air')] },
];

/**
 * Lanes a carrier runs without a contract (spot market): shipments on them are billed at a spot
 * price, and the audit has no contract to check them against (no_contract_rate).
 */
export const SPOT_LANES: readonly LaneDef[] = [
  { origin: 'Dallas', destination: 'Denver', miles: 790, via: ['Amarillo'], offers: [o('Old Dominion', 'ltl')] },
  { origin: 'Chicago', destination: 'Memphis', miles: 530, via: ['St. Louis'], offers: [o('XPO Logistics', 'ltl')] },
  { origin: 'Atlanta', destination: 'Newark', miles: 870, via: ['Charlotte', 'Richmond'], offers: [o('J.B. Hunt', 'truckload')] },
  { origin: 'Boston', destination: 'Chicago', miles: 985, via: ['Albany', 'Cleveland'], offers: [o('DHL', 'truckload')] },
];

export interface ProductDef {
  description: string;
  unit: 'pallet' | 'carton' | 'case' | 'box' | 'unit' | 'piece' | 'drum' | 'crate' | 'bag' | 'roll' | 'tote';
  /** Weight of one unit, kg. */
  kg: number;
  sku: string;
}

export interface CustomerDef {
  name: string;
  /** Relative order volume. */
  weight: number;
  /** Lanes, as "Origin>Destination". */
  lanes: string[];
  products: ProductDef[];
  /** The UPS-style shipper account in its parcel tracking numbers. */
  shipper: string;
}

const p = (description: string, unit: ProductDef['unit'], kg: number, sku: string): ProductDef => ({ description, unit, kg, sku });

export const CUSTOMERS: readonly CustomerDef[] = [
  {
    name: 'Acme Corp', weight: 16, shipper: 'A41C07',
    lanes: ['Chicago>Dallas', 'Chicago>Atlanta', 'Chicago>Detroit', 'Memphis>Atlanta', 'Dallas>Houston'],
    products: [p('paper towels', 'pallet', 310, 'AC-1001'), p('toilet paper', 'pallet', 290, 'AC-1002'), p('cleaning supplies', 'case', 14, 'AC-2040'), p('soap dispensers', 'carton', 9, 'AC-3310')],
  },
  {
    name: 'Globex', weight: 12, shipper: 'G10B3X',
    lanes: ['Memphis>Atlanta', 'Houston>Memphis', 'Los Angeles>Phoenix', 'Frankfurt>Chicago', 'Memphis>Chicago'],
    products: [p('network switches', 'carton', 11, 'AB-1234'), p('circuit boards', 'box', 4, 'AB-2210'), p('power supplies', 'carton', 16, 'AB-3075'), p('server racks', 'crate', 140, 'AB-5500')],
  },
  {
    name: 'Initech', weight: 9, shipper: 'IN1T3C',
    lanes: ['Houston>Denver', 'Dallas>Chicago', 'Denver>Salt Lake City', 'Newark>Philadelphia'],
    products: [p('printer paper', 'pallet', 520, 'IT-0100'), p('office chairs', 'carton', 19, 'IT-0420'), p('toner cartridges', 'case', 7, 'IT-0777'), p('industrial solvent', 'drum', 205, 'IT-0900')],
  },
  {
    name: 'Stark Industries', weight: 11, shipper: 'ST4RK1',
    lanes: ['Newark>Boston', 'Rotterdam>Newark', 'Hamburg>Houston', 'Boston>Newark', 'Columbus>Chicago'],
    products: [p('valves', 'crate', 95, 'SI-7001'), p('steel fittings', 'crate', 160, 'SI-7020'), p('hydraulic pumps', 'crate', 230, 'SI-7300'), p('control panels', 'carton', 18, 'SI-7450')],
  },
  {
    name: 'Wayne Enterprises', weight: 10, shipper: 'WAYN3E',
    lanes: ['Chicago>Detroit', 'Los Angeles>Chicago', 'Newark>Boston', 'Rotterdam>Chicago'],
    products: [p('auto parts', 'pallet', 420, 'WE-2100'), p('steel coils', 'piece', 1800, 'WE-2500'), p('LED panels', 'carton', 12, 'WE-2710')],
  },
  {
    name: 'Umbrella Corp', weight: 8, shipper: 'UMBR3L',
    lanes: ['Antwerp>Savannah', 'Charlotte>Atlanta', 'Atlanta>Miami', 'Amsterdam>Atlanta'],
    products: [p('pharmaceuticals', 'carton', 8, 'UC-0451'), p('lab chemicals', 'drum', 190, 'UC-0620'), p('medical gloves', 'case', 11, 'UC-0815')],
  },
  {
    name: 'Hooli', weight: 8, shipper: 'H00L1X',
    lanes: ['Seattle>Portland', 'Los Angeles>Phoenix', 'Louisville>Boston', 'Milan>Newark'],
    products: [p('laptops', 'carton', 6, 'HO-0101'), p('servers', 'crate', 120, 'HO-0202'), p('networking gear', 'box', 5, 'HO-0303')],
  },
  {
    name: 'Soylent Corp', weight: 6, shipper: 'S0YL3N',
    lanes: ['Kansas City>St. Louis', 'Dallas>Houston', 'Houston>Denver'],
    products: [p('canned food', 'pallet', 780, 'SC-1100'), p('food ingredients', 'bag', 25, 'SC-1200'), p('bottled water', 'pallet', 850, 'SC-1300')],
  },
  {
    name: 'Cyberdyne Systems', weight: 5, shipper: 'CYB3RD',
    lanes: ['Columbus>Chicago', 'Los Angeles>Chicago', 'Frankfurt>Chicago'],
    products: [p('robotics parts', 'crate', 85, 'CD-0800'), p('sensors', 'box', 3, 'CD-0101'), p('servo motors', 'carton', 14, 'CD-0300')],
  },
  {
    name: 'Tyrell Corp', weight: 4, shipper: 'TYR3LL',
    lanes: ['Seattle>Portland', 'Rotterdam>Chicago', 'Newark>Philadelphia'],
    products: [p('lab equipment', 'crate', 110, 'TC-0042'), p('glassware', 'case', 10, 'TC-0099')],
  },
  {
    name: 'Wonka Industries', weight: 6, shipper: 'W0NKA1',
    lanes: ['Chicago>Atlanta', 'Memphis>Chicago', 'Atlanta>Miami'],
    products: [p('chocolate', 'case', 12, 'WI-0007'), p('candy', 'carton', 9, 'WI-0011'), p('cocoa beans', 'bag', 60, 'WI-0500')],
  },
  {
    name: 'Vandelay Industries', weight: 5, shipper: 'VAND3L',
    lanes: ['Newark>Boston', 'Hamburg>Houston', 'Charlotte>Atlanta', 'Kansas City>St. Louis'],
    products: [p('latex gloves', 'case', 10, 'VI-1000'), p('latex sheeting', 'roll', 45, 'VI-1100'), p('import goods', 'tote', 22, 'VI-1200')],
  },
];

/** People who key orders in by hand (the rest arrive by EDI). */
export const ORDER_ENTRY_PEOPLE = ['maria.lopez', 'tom.becker', 'priya.natarajan', 'dan.okafor'];

export const CANCEL_REASONS = ['customer changed their mind', 'duplicate order', 'stock not available', 'customer cancelled the PO'];

export const VESSELS = ['Maersk Essen', 'Madrid Maersk', 'Gerd Maersk', 'Maersk Kinloss', 'Mette Maersk', 'Maersk Seletar'];

/** Shipment weight range (kg) a mode moves. */
export const MODE_WEIGHT: Record<Mode, [number, number]> = {
  parcel: [2, 60],
  air: [40, 1200],
  ltl: [120, 4500],
  truckload: [8000, 19500],
  rail: [10000, 20000],
  ocean: [8000, 24000],
};

/** Heaviest unit a mode takes (a pallet does not go by parcel). */
export const MODE_MAX_UNIT_KG: Record<Mode, number> = {
  parcel: 30,
  air: 250,
  ltl: 2000,
  truckload: 2000,
  rail: 2000,
  ocean: 2000,
};

export const laneKey = (origin: string, destination: string): string => `${origin}>${destination}`;
