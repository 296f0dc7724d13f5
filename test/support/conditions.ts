/**
 * Waiting on a condition that changes when a fake records something: the fake calls `notify()` after
 * each change, and `waitFor` resolves as soon as the condition holds. The timer is a hang guard only.
 */
export interface Conditions {
  notify(): void;
  waitFor(condition: () => boolean, guardMs: number, onTimeout: () => Error): Promise<void>;
}

export function createConditions(): Conditions {
  const waiters: Array<() => void> = [];
  return {
    notify: () => waiters.slice().forEach((w) => w()),
    waitFor(condition, guardMs, onTimeout) {
      if (condition()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const guard = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(onTimeout());
        }, guardMs);
        const check = () => {
          if (!condition()) return;
          clearTimeout(guard);
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
      });
    },
  };
}
