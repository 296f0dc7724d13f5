import type { Database } from '../db';
import type { Repositories } from '../../domain/repositories';
import type { RepoContext } from './support';
import { createShipmentRepository } from './shipments';
import { createDirectoryRepository } from './directory';
import { createOrderRepository } from './orders';
import { createInvoiceRepository } from './invoices';
import { createFindingRepository } from './findings';
import { createSubscriptionRepository } from './subscriptions';
import { createUserRepository } from './users';
import { createActionLogRepository } from './actionLog';
import { createProcessedEventRepository } from './processedEvents';
import { createConversationStateRepository } from './conversationState';
import { createConversationRefRepository } from './conversationRefs';

export interface RepositoryOptions {
  /** The instant written into timestamps and compared with expiries (default: the real time). */
  now?: () => Date;
}

/** The ports of domain/repositories.ts on one database (SQLite or PostgreSQL). */
export function createRepositories(db: Database, opts: RepositoryOptions = {}): Repositories {
  const ctx: RepoContext = { db, now: opts.now ?? (() => new Date()) };
  return {
    shipments: createShipmentRepository(ctx),
    directory: createDirectoryRepository(ctx),
    orders: createOrderRepository(ctx),
    invoices: createInvoiceRepository(ctx),
    findings: createFindingRepository(ctx),
    subscriptions: createSubscriptionRepository(ctx),
    users: createUserRepository(ctx),
    actionLog: createActionLogRepository(ctx),
    processedEvents: createProcessedEventRepository(ctx),
    conversationState: createConversationStateRepository(ctx),
    conversationRefs: createConversationRefRepository(ctx),
  };
}
