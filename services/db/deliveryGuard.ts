import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './botStateStorage';
import { withDatabaseErrors } from './guards';
import { modelOn } from './model';

interface DeliveryDocument {
  /** sha256 of the delivery's key (channel, conversation, activity id). */
  _id: string;
  at: Date;
  /** What the first delivery answered with (the Direct Line activity id), when there is one. */
  answer?: string;
}

const deliverySchema = new Schema<DeliveryDocument>(
  { _id: String, at: { type: Date, required: true }, answer: String },
  { collection: 'received_activities', versionKey: false },
);

export type DeliveryClaim =
  | { kind: 'first' }
  /** Received before, within the window: drop it. `answer` is what the first delivery was given. */
  | { kind: 'repeat'; answer?: string | undefined };

/**
 * Drops an activity a channel delivers twice. Bot Framework channels deliver at least once
 * (Teams retries a turn that took too long; a browser resends a message whose answer it did not
 * get), so each activity is claimed by a unique `_id` insert, which is atomic on every
 * MongoDB-compatible server: replicas share the claims, and of two concurrent deliveries exactly
 * one runs. A claim older than the window no longer counts; the retention job deletes those.
 */
export class DeliveryGuard {
  private readonly model: Model<DeliveryDocument>;

  constructor(
    connection: Connection,
    readonly windowMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.model = modelOn(connection, 'ReceivedActivity', deliverySchema);
  }

  /** Claims the delivery named by `parts`; throws AppError('database_unavailable') when the database is away. */
  async claim(parts: string[]): Promise<DeliveryClaim> {
    const id = keyOf(parts);
    const now = this.clock();
    return await withDatabaseErrors('Deliveries', async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await this.model.create({ _id: id, at: now });
          return { kind: 'first' };
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        const seen = await this.model.findById(id).lean().exec();
        if (!seen) continue;
        if (now.getTime() - seen.at.getTime() <= this.windowMs)
          return { kind: 'repeat', answer: seen.answer };
        // An old claim: this is a new delivery of a reused id. Take it over once.
        const taken = await this.model.deleteOne({ _id: id, at: seen.at }).exec();
        if (taken.deletedCount !== 1) return { kind: 'repeat', answer: seen.answer };
      }
      return { kind: 'repeat' };
    });
  }

  /** Keeps what the first delivery was answered with, for the repeats. */
  async remember(parts: string[], answer: string): Promise<void> {
    await this.model.updateOne({ _id: keyOf(parts) }, { $set: { answer } }).exec();
  }

  /** Gives the claim back after the turn failed, so that the channel's retry runs it. Never throws. */
  async release(parts: string[]): Promise<void> {
    await this.model
      .deleteOne({ _id: keyOf(parts) })
      .exec()
      .catch(() => undefined);
  }

  /** Deletes the claims older than the window; returns how many. */
  async purge(): Promise<number> {
    const before = new Date(this.clock().getTime() - this.windowMs);
    const result = await this.model.deleteMany({ at: { $lt: before } }).exec();
    return result.deletedCount;
  }
}

function keyOf(parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
