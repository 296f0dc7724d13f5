import { performance } from 'node:perf_hooks';

/**
 * How busy this process's main thread has been lately: the share of the last interval (0..1) that
 * the event loop spent running code rather than waiting (Node's event loop utilisation), sampled every
 * `intervalMs` by an unref'd timer. A cheap signal for work that should yield under load.
 */
export function eventLoopLoad(intervalMs = 500): { current(): number; stop(): void } {
  let last = performance.eventLoopUtilization();
  let utilization = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    utilization = performance.eventLoopUtilization(now, last).utilization;
    last = now;
  }, intervalMs);
  timer.unref();
  return { current: () => utilization, stop: () => clearInterval(timer) };
}
