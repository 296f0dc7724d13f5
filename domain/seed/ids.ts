/** The shapes of the references people quote: orders, POs, shipments, parcels, containers, invoices. */

export const orderId = (n: number): string => `ORD-${n}`;
export const poNumber = (n: number): string => `PO-${n}`;
export const shpId = (n: number): string => `SHP-${String(n).padStart(6, '0')}`;
export const invoiceNumber = (year: string, n: number): string => `INV-${year}-${String(n).padStart(5, '0')}`;

/** UPS-style 1Z tracking number: 1Z + 6-char shipper + 2-digit service + 7-digit package + check digit. */
export function upsTrackingNumber(shipper: string, service: number, pkg: number): string {
  const body = `${shipper}${String(service).padStart(2, '0')}${String(pkg % 10_000_000).padStart(7, '0')}`;
  let odd = 0;
  let even = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const v = c >= 48 && c <= 57 ? c - 48 : (c - 63) % 10;
    if (i % 2 === 0) odd += v;
    else even += v;
  }
  const check = (10 - ((odd + 2 * even) % 10)) % 10;
  return `1Z${body}${check}`;
}

const CONTAINER_LETTERS: Record<string, number> = (() => {
  const m: Record<string, number> = {};
  let v = 10;
  for (let c = 65; c <= 90; c++) {
    if (v % 11 === 0) v++;
    m[String.fromCharCode(c)] = v++;
  }
  return m;
})();

/** ISO 6346 container number: 4-letter owner code + 6-digit serial + check digit. */
export function containerNumber(owner: string, serial: number): string {
  const body = `${owner}${String(serial % 1_000_000).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    const v = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : CONTAINER_LETTERS[ch];
    sum += v * 2 ** i;
  }
  return `${body}${(sum % 11) % 10}`;
}
