import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { isDuplicateKey } from './botStateStorage';
import { withDatabaseErrors } from './guards';
import { driverCollection, modelOn } from './model';

interface DeliveryDocument {
  /** sha256 of the delivery's key (channel, conversation, activity id). */
  _id: string;
  at: Date;
  /** What the first delivery answered with (the Direct Line activity id), when there is one. */
  answer?: string;
  /** The turn ran to its end. Until then the claim is in flight: its process may still be working on it, or may have died. */
  done?: boolean;
}

const deliverySchema = new Schema<DeliveryDocument>(
  { _id: String, at: { type: Date, required: true }, answer: String, done: Boolean },
  { collection: 'received_activities', versionKey: false },
);

export type DeliveryClaim =
  /**
   * Never seen (or seen and abandoned): run it. On a takeover, `takenOver` is set and `resume` is
   * what the abandoned delivery had recorded storing, when it got that far.
   */
  | { kind: 'first'; takenOver?: true; resume?: string | undefined }
  /** Received before and its turn ran, within the window: drop it. `answer` is what the first delivery was given. */
  | { kind: 'repeat'; answer?: string | undefined }
  /** Received before and its turn may still be running: the sender should try again shortly. */
  | { kind: 'in_flight'; retryAfterSeconds: number };

/**
 * Drops an activity a channel delivers twice, and never loses one. Bot Framework channels
 * deliver at least once (Teams retries a turn that took too long; a browser resends a message
 * whose answer it did not get), so each activity is claimed by a unique `_id` insert, which is
 * atomic on every MongoDB-compatible server: replicas share the claims, and of two concurrent
 * deliveries exactly one runs.
 *
 * A claim is done once its turn ran. A repeat of a claim still in flight is asked to come back
 * (its turn may be running on another replica); once in flight for longer than any turn lasts
 * (`inFlightMs`), its process is taken for dead (killed, out of memory) and the repeat takes the
 * claim over and runs the turn, which every state change makes safe to run twice. A claim older
 * than the window no longer counts; the retention job deletes those.
 */
export class DeliveryGuard {
  private readonly model: Model<DeliveryDocument>;
  /** The claim and its completion run on every turn: plain driver calls (see `driverCollection`). */
  private readonly claims: mongo.Collection<DeliveryDocument>;

  constructor(
    connection: Connection,
    readonly windowMs: number,
    private readonly clock: () => Date = () => new Date(),
    /** Longer than any turn runs (timeouts bound them): 60 s when absent. */
    readonly inFlightMs = 60_000,
  ) {
    this.model = modelOn(connection, 'ReceivedActivity', deliverySchema);
    this.claims = driverCollection(this.model);
  }

  /** Claims the delivery named by `parts`; throws AppError('database_unavailable') when the database is away. */
  async claim(parts: string[]): Promise<DeliveryClaim> {
    const id = keyOf(parts);
    const now = this.clock();
    return await withDatabaseErrors('Deliveries', async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        let resume: string | undefined;
        let abandoned = false;
        try {
          await this.claims.insertOne({ _id: id, at: now });
          return { kind: 'first' };
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        const seen = await this.claims.findOne({ _id: id });
        if (!seen) continue;
        const age = now.getTime() - seen.at.getTime();
        if (seen.done) {
          if (age <= this.windowMs) return { kind: 'repeat', answer: seen.answer };
          // An old claim: this is a new delivery of a reused id.
        } else if (age < this.inFlightMs) {
          return {
            kind: 'in_flight',
            retryAfterSeconds: Math.max(1, Math.ceil((this.inFlightMs - age) / 1000)),
          };
        } else {
          // Abandoned mid-turn: run it here, going on from what the first delivery stored.
          abandoned = true;
          resume = seen.answer;
        }
        // Take it over once: of two deliveries doing so together, one deletes and inserts first.
        const taken = await this.model.deleteOne({ _id: id, at: seen.at }).exec();
        if (taken.deletedCount !== 1) continue;
        try {
          await this.model.create({ _id: id, at: now, ...(resume !== undefined && { answer: resume }) });
          if (!abandoned) return { kind: 'first' };
          return resume === undefined
            ? { kind: 'first', takenOver: true }
            : { kind: 'first', takenOver: true, resume };
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
      return { kind: 'in_flight', retryAfterSeconds: 1 };
    });
  }

  /** Keeps what the first delivery was answered with, for the repeats (and for a takeover). */
  async remember(parts: string[], answer: string): Promise<void> {
    await this.model.updateOne({ _id: keyOf(parts) }, { $set: { answer } }).exec();
  }

  /** The turn ran: repeats are dropped from now on. Never throws (a claim left in flight is taken over later). */
  async complete(parts: string[]): Promise<void> {
    await this.claims.updateOne({ _id: keyOf(parts) }, { $set: { done: true } }).catch(() => undefined);
  }

  /**
   * The turn failed after the delivery stored something (the Direct Line activity): the next
   * repeat takes the claim over at once and goes on from there. Never throws.
   */
  async abandon(parts: string[]): Promise<void> {
    await this.model
      .updateOne({ _id: keyOf(parts), done: { $ne: true } }, { $set: { at: new Date(0) } })
      .exec()
      .catch(() => undefined);
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
