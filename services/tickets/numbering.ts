import type { Connection, Model } from 'mongoose';
import { isDuplicateKey } from '../db';
import { getCounterModel, getTicketModel, type TicketDocument } from './model';

const COUNTER_ID = 'ticket';

/**
 * Hands out candidate ticket sequence numbers. The `$inc` upsert on a counter is the fast
 * path and is exact on MongoDB; on FerretDB it is read-then-write and hands the same number
 * to concurrent callers (and can even move backwards). Correctness therefore rests on the
 * unique index on `tickets.number`: a caller whose insert collides calls `catchUp()` and asks
 * again, so no ticket is lost and no number is given twice; only numbers may be skipped.
 */
export class TicketNumbering {
  private readonly counters: Model<{ _id: string; seq: number }>;
  private readonly tickets: Model<TicketDocument>;

  constructor(
    connection: Connection,
    private readonly firstNumber: number,
  ) {
    this.counters = getCounterModel(connection);
    this.tickets = getTicketModel(connection);
  }

  /** A candidate sequence number (not yet reserved: the ticket insert reserves it). */
  async next(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const counter = await this.counters
          .findOneAndUpdate(
            { _id: COUNTER_ID },
            { $inc: { seq: 1 } },
            { upsert: true, returnDocument: 'after' },
          )
          .lean()
          .exec();
        return this.firstNumber - 1 + (counter?.seq ?? 1);
      } catch (error) {
        // Two first-ever upserts can race to insert the counter; the loser increments it.
        if (!isDuplicateKey(error) || attempt >= 5) throw error;
      }
    }
  }

  /** After a collision: moves the counter past the highest number actually issued. */
  async catchUp(): Promise<void> {
    const highest = await this.tickets.findOne({}, { sequence: 1 }).sort({ sequence: -1 }).lean().exec();
    if (!highest) return;
    const seq = highest.sequence - this.firstNumber + 1;
    try {
      await this.counters.updateOne({ _id: COUNTER_ID }, { $max: { seq } }, { upsert: true }).exec();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}
