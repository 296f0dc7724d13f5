import fs from 'node:fs';
import path from 'node:path';
import type { ConsoleSession } from '../../bot/console/consoleChannel';

/**
 * A conversation transcript: who speaks, what they say, and what the bot's answer must (and must not)
 * contain. Expectations are case-insensitive substrings, or /regular expressions/.
 */
export interface Transcript {
  title: string;
  /** A person from `users` to speak as (default: the console's local operator, role admin). */
  as?: string;
  users?: Array<{ handle: string; role: string; name?: string }>;
  turns: Array<{ user: string; bot?: string[]; not?: string[] }>;
  /** Row-count changes the whole conversation must cause (e.g. {"orders": 1}); unnamed tables: unchecked. */
  writes?: Record<string, number>;
  /** Action-log results this conversation must add, e.g. {"refused": 1}. */
  logged?: Record<string, number>;
}

/** "Now" for transcripts: the demo data is seeded relative to it. */
export const TRANSCRIPT_NOW = '2026-11-24T10:00:00Z';

export const TRANSCRIPT_DIR = path.join(__dirname, 'transcripts');

export function loadTranscripts(): Array<{ file: string; t: Transcript }> {
  return fs
    .readdirSync(TRANSCRIPT_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, t: JSON.parse(fs.readFileSync(path.join(TRANSCRIPT_DIR, file), 'utf8')) as Transcript }));
}

function matches(answer: string, expectation: string): boolean {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(expectation);
  if (re) return new RegExp(re[1], re[2].includes('i') ? re[2] : `${re[2]}i`).test(answer);
  return answer.toLowerCase().includes(expectation.toLowerCase());
}

/** Plays a transcript; returns the failures as readable lines (empty when it passed). */
export async function play(t: Transcript, session: ConsoleSession): Promise<{ failures: string[]; log: string }> {
  const failures: string[] = [];
  const log: string[] = [];
  for (const [i, turn] of t.turns.entries()) {
    const answer = await session.say(turn.user);
    log.push(`> ${turn.user}\n${answer}`);
    for (const e of turn.bot ?? []) if (!matches(answer, e)) failures.push(`turn ${i + 1} ("${turn.user}"): expected ${JSON.stringify(e)}`);
    for (const e of turn.not ?? []) if (matches(answer, e)) failures.push(`turn ${i + 1} ("${turn.user}"): did not expect ${JSON.stringify(e)}`);
  }
  return { failures, log: log.join('\n\n') };
}
