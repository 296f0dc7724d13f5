/**
 * The record of digest runs (table digest_runs, unique on subscription + scheduled instant). Claiming
 * a run is how replicas agree on who posts: the first INSERT wins, every later one is refused by the
 * unique index, in any process.
 */
export type DigestRunStatus = 'claimed' | 'posted' | 'failed';

export interface DigestRun {
  subscriptionId: number;
  /** The cron slot (or the moment of a manual run), an instant. */
  scheduledFor: string;
  status: DigestRunStatus;
  runner: string | null;
  postedAt: string | null;
  error: string | null;
}

export interface DigestRunRepository {
  /** True for the one caller that recorded the run first; false when it was already recorded. */
  claim(subscriptionId: number, scheduledFor: Date, runner: string): Promise<boolean>;
  /** Marks a claimed run posted or failed (with the reason). */
  finish(subscriptionId: number, scheduledFor: Date, outcome: { status: 'posted' } | { status: 'failed'; error: string }): Promise<void>;
  /** The runs of a subscription, newest first. */
  list(subscriptionId: number, limit: number): Promise<DigestRun[]>;
}
