/** Money in the demo data: exact cents. */
export function round2(x: number): number {
  return Math.round(x * 100 + (x >= 0 ? 1e-7 : -1e-7)) / 100;
}

/** Rounds to the nearest 0.50 (how people key accessorial charges). */
export function roundHalf(x: number): number {
  return Math.round(x * 2) / 2;
}
