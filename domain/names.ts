/** lower(trim(name)): how customers, carriers and places are keyed and matched (the *_key columns). */
export function nameKey(s: string): string {
  return s.trim().toLowerCase();
}
