import readline from 'node:readline';
import type { ConversationCore } from '../../handlers/core';
import type { Speaker } from '../../domain/conversation/inbound';
import { renderText } from './renderText';

export interface ConsoleSession {
  /** Sends one message and returns the bot's answer as text. */
  say(text: string): Promise<string>;
}

/** One console conversation with the core (also what transcript tests drive). */
export function createConsoleSession(core: ConversationCore, speaker: Speaker, conversationId = `console-${process.pid}`): ConsoleSession {
  let n = 0;
  return {
    async say(text: string): Promise<string> {
      n += 1;
      const replies = await core.handle({
        speaker,
        conversation: { platform: 'console', id: conversationId, name: 'console' },
        text,
        eventKey: `${conversationId}:${n}`,
      });
      return replies.map(renderText).join('\n\n');
    },
  };
}

/**
 * `waybill chat`: interactive on a terminal; with piped stdin one message per line, each answered in
 * turn, exit at end of input. Answers go to stdout; nothing else does.
 */
export async function runConsole(session: ConsoleSession, opts: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; interactive: boolean; greeting?: string }): Promise<void> {
  const rl = readline.createInterface({ input: opts.input, output: opts.interactive ? opts.output : undefined, terminal: opts.interactive });
  const write = (s: string) => opts.output.write(`${s}\n`);
  if (opts.interactive) {
    if (opts.greeting) write(opts.greeting);
    rl.setPrompt('you> ');
    rl.prompt();
  }
  // Lines are answered strictly in order, even when piped input arrives faster than the answers.
  for await (const line of rl) {
    const text = line.trim();
    if (!text) {
      if (opts.interactive) rl.prompt();
      continue;
    }
    if (opts.interactive && /^(exit|quit|\/q)$/i.test(text)) break;
    if (!opts.interactive) write(`> ${text}`);
    const answer = await session.say(text);
    write(opts.interactive ? `\n${answer}\n` : `${answer}\n`);
    if (opts.interactive) rl.prompt();
  }
  rl.close();
}
