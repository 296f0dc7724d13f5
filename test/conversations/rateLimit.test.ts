import { createRateLimiter } from '../../domain/rateLimit';

describe('per-person rate limit', () => {
  it('allows `limit` events in any window and refuses the next, per key', () => {
    const l = createRateLimiter(3, 60_000);
    expect([0, 1_000, 2_000].map((t) => l.take('dana', t))).toEqual([true, true, true]);
    expect(l.take('dana', 3_000)).toBe(false);
    expect(l.take('olga', 3_000)).toBe(true); // someone else is not affected
    // The first event leaves the window at 60,000 ms: 57 s to wait at 3 s.
    expect(l.retryAfter('dana', 3_000)).toBe(57);
    expect(l.take('dana', 60_001)).toBe(true);
    expect(l.take('dana', 60_002)).toBe(false); // 1,000 and 2,000 are still in the window
  });

  it('0 means no limit', () => {
    const l = createRateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(l.take('x', 0)).toBe(true);
    expect(l.retryAfter('x', 0)).toBe(0);
  });
});
