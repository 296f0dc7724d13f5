import type { AuditEngine } from '../domain/audit/types';
import type { Clock } from '../domain/clock';
import type { ConversationRef, Speaker } from '../domain/conversation/inbound';
import type { Reply } from '../domain/conversation/reply';
import type { KpiEngine } from '../domain/kpi/types';
import type { Logger } from '../domain/logger';
import type { Frame, ParseOptions } from '../domain/nlu/types';
import type { Recognizer } from '../domain/nlu/recognizer';
import type { ActionResult, Repositories } from '../domain/repositories';
import type { Role } from '../domain/roles';
import type { DialogState } from './state';

/** What the handlers need from the outside, injected by the composition root. */
export interface HandlerDeps {
  repos: Repositories;
  kpi: KpiEngine;
  audit: AuditEngine;
  recognizer: Recognizer;
  clock: Clock;
  logger: Logger;
  /** The role of people not yet known to `waybill users`. */
  defaultRole: Role;
  /** Messages a person may send per minute on Slack and Teams (0: no limit). */
  ratePerMinute?: number;
}

/** The person behind a message, as far as permissions and the log are concerned. */
export interface Person {
  /** "slack:U024BE7LH (Dana)": how the action log names them. */
  key: string;
  name: string;
  role: Role;
  /** True when the role came from `waybill users` (or is the local operator), false for the default role. */
  known: boolean;
}

/** One turn of a conversation as a handler sees it. */
export interface Turn {
  deps: HandlerDeps;
  person: Person;
  speaker: Speaker;
  conversation: ConversationRef;
  /** The dialog state before this turn (never null: an empty state is `{}`). */
  state: DialogState;
  /** For entity extraction inside dialogs. */
  parseOptions: ParseOptions;
  today: string;
}

/** What the action log records for a turn (the core fills in who, where and when). */
export interface LogNote {
  action: string;
  result: ActionResult;
  frame?: unknown;
  detail?: string;
}

export interface HandlerResult {
  replies: Reply[];
  /** The state after this turn; undefined leaves it as it was. */
  state?: DialogState;
  /** Writes, refusals and errors are logged; plain reads may log too (result ok). */
  log?: LogNote;
}

export type FrameHandler = (frame: Frame, turn: Turn) => Promise<HandlerResult>;
