import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { isDuplicateKey } from '../db';
import { AppError } from '../errors';
import { getTicketLockModel } from './model';

/** A lock left by a process that died while holding it is void after this. */
const ABANDONED_LOCK_MS = 30_000;

/**
 * One writer at a time per ticket. FerretDB applies an update as read-then-write, so two
 * concurrent `$push`es to one ticket can lose one; a unique `_id` insert is atomic on every
 * MongoDB-compatible server, so a writer first inserts the lock document for the ticket.
 * Uses the wall clock (not the service's injectable clock): lock age is about real time.
 */
export class TicketLock {
  private readonly model: Model<{ _id: string; owner: string; at: Date }>;

  constructor(
    connection: Connection,
    private readonly waitMs = 10_000,
  ) {
    this.model = getTicketLockModel(connection);
  }

  async withLock<T>(ticketNumber: string, operation: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    await this.acquire(ticketNumber, owner);
    try {
      return await operation();
    } finally {
      await this.model
        .deleteOne({ _id: ticketNumber, owner })
        .exec()
        .catch(() => undefined);
    }
  }

  private async acquire(ticketNumber: string, owner: string): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.model.create({ _id: ticketNumber, owner, at: new Date() });
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      await this.model
        .deleteOne({ _id: ticketNumber, at: { $lt: new Date(Date.now() - ABANDONED_LOCK_MS) } })
        .exec();
      if (Date.now() > deadline) {
        throw new AppError(
          'conflict',
          `Tickets: ${ticketNumber} is being changed by someone else; try again.`,
          {
            userMessageKey: 'errors.busy',
          },
        );
      }
      await sleep(Math.min(5 + attempt * 5, 50) * Math.random() + 2);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
