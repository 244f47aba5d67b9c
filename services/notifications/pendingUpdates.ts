import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../db';
import type { TicketUpdate } from './ticketUpdate';

/** Updates a requester has not received yet, shown the next time they write. */
export interface PendingUpdateStore {
  /** Keeps the update for its contact; keeping the same update id twice keeps it once. */
  add(update: TicketUpdate, reason: PendingReason): Promise<void>;
  /** The contact's pending updates, oldest first, removed: two concurrent takes never both get one. */
  take(contactId: string): Promise<TicketUpdate[]>;
  /** The contact's pending updates without removing them. */
  peek(contactId: string): Promise<TicketUpdate[]>;
}

/** Why an update waits: no conversation to write to, a stale one, or a delivery that failed. */
export type PendingReason = 'no_reference' | 'stale' | 'failed';

interface PendingDocument {
  _id: string;
  contactId: string;
  reason: PendingReason;
  update: TicketUpdate;
  at: Date;
}

interface ClaimDocument {
  _id: string;
  at: Date;
}

const pendingSchema = new Schema<PendingDocument>(
  {
    _id: { type: String, required: true },
    contactId: { type: String, required: true },
    reason: { type: String, required: true },
    update: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'pending_updates', versionKey: false, minimize: false },
);
pendingSchema.index({ contactId: 1, at: 1 });

const claimSchema = new Schema<ClaimDocument>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'pending_update_claims', versionKey: false },
);

/** Claims only need to outlive the take that made them. */
const CLAIM_KEEP_MS = 24 * 3_600_000;

export class MongoPendingUpdateStore implements PendingUpdateStore {
  private readonly model: Model<PendingDocument>;
  private readonly claims: Model<ClaimDocument>;
  private readonly clock: () => Date;

  constructor(options: { connection: Connection; clock?: () => Date }) {
    this.model = modelOn(options.connection, 'PendingUpdate', pendingSchema);
    this.claims = modelOn(options.connection, 'PendingUpdateClaim', claimSchema);
    this.clock = options.clock ?? (() => new Date());
  }

  async add(update: TicketUpdate, reason: PendingReason): Promise<void> {
    try {
      await this.model.create({ _id: update.id, contactId: update.contactId, reason, update, at: update.at });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async peek(contactId: string): Promise<TicketUpdate[]> {
    const docs = await this.model.find({ contactId }).sort({ at: 1 }).lean().exec();
    return docs.map((doc) => revive(doc.update));
  }

  async take(contactId: string): Promise<TicketUpdate[]> {
    const docs = await this.model.find({ contactId }).sort({ at: 1 }).lean().exec();
    if (!docs.length) return [];
    // FerretDB deletes as read-then-write, so two takes could both "delete" one update; the
    // unique claim insert decides which take owns it.
    const now = this.clock();
    const taken: TicketUpdate[] = [];
    for (const doc of docs) {
      try {
        await this.claims.create({ _id: `${doc._id}:${doc.at.getTime()}`, at: now });
      } catch (error) {
        if (isDuplicateKey(error)) continue;
        throw error;
      }
      taken.push(revive(doc.update));
      await this.model.deleteOne({ _id: doc._id }).exec();
    }
    await this.claims
      .deleteMany({ at: { $lt: new Date(now.getTime() - CLAIM_KEEP_MS) } })
      .exec()
      .catch(() => undefined);
    return taken;
  }
}

function revive(update: TicketUpdate): TicketUpdate {
  return { ...update, at: new Date(update.at) };
}
