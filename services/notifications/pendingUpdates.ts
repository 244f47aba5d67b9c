import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { driverCollection, isDuplicateKey, modelOn, retryOnDuplicate } from '../db';
import type { TicketUpdate } from './ticketUpdate';

/** Updates a requester has not received yet, shown the next time they write. */
export interface PendingUpdateStore {
  /** Keeps the update for its contact; keeping the same update id twice keeps it once. */
  add(update: TicketUpdate, reason: PendingReason): Promise<void>;
  /** The contact's pending updates, oldest first, removed: two concurrent takes never both get one. */
  take(contactId: string): Promise<TicketUpdate[]>;
  /** The contact's pending updates without removing them. */
  peek(contactId: string): Promise<TicketUpdate[]>;
  /** Marks every contact that has pending updates and no mark (see `MongoPendingUpdateStore`); returns how many. */
  repairMarks(): Promise<number>;
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

/** "This contact may have pending updates": one per contact, looked up by `_id` on each turn. */
interface MarkDocument {
  _id: string;
  /** New at each mark: a take removes the mark only if no update was marked since it looked. */
  token: string;
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

const markSchema = new Schema<MarkDocument>(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
  },
  { collection: 'pending_update_marks', versionKey: false },
);

/** Claims only need to outlive the take that made them. */
const CLAIM_KEEP_MS = 24 * 3_600_000;

/**
 * Pending updates in the database, one document each, and a mark per contact that has some.
 *
 * Why the marks: every turn of a contact asks for its pending updates, and almost always there are
 * none. A query by `contactId` is a scan of the whole collection on FerretDB v1 over SQLite, which
 * looks up by `_id` only (bench:pending: 52–66 ms per query at 1,000 pending updates of other
 * contacts, 278–346 ms at 5,000), and the collection keeps the updates of everyone who has not
 * written since. The mark is found by `_id` (under 1 ms at any size); the scan runs only for a
 * contact whose mark is there.
 *
 * Nothing is missed: an update is stored before its contact is marked, so a take that finds the
 * mark finds the update, or the mark is set after the take looked and stays (the take removes it
 * only if its token is still the one it read). Should a process die between the two writes, or
 * the server apply that removal as read-then-write while a mark lands, `repairMarks` (the
 * retention job) marks the contact again: the update is shown at most one job period late.
 */
export class MongoPendingUpdateStore implements PendingUpdateStore {
  private readonly model: Model<PendingDocument>;
  private readonly claims: Model<ClaimDocument>;
  /** Read on every turn of a contact: plain driver calls (see `driverCollection`). */
  private readonly marks: mongo.Collection<MarkDocument>;
  private readonly clock: () => Date;

  constructor(options: { connection: Connection; clock?: () => Date }) {
    this.model = modelOn(options.connection, 'PendingUpdate', pendingSchema);
    this.claims = modelOn(options.connection, 'PendingUpdateClaim', claimSchema);
    this.marks = driverCollection(modelOn(options.connection, 'PendingUpdateMark', markSchema));
    this.clock = options.clock ?? (() => new Date());
  }

  async add(update: TicketUpdate, reason: PendingReason): Promise<void> {
    try {
      await this.model.create({ _id: update.id, contactId: update.contactId, reason, update, at: update.at });
    } catch (error) {
      // Kept already; the mark is set again below, in case the first add stopped before it.
      if (!isDuplicateKey(error)) throw error;
    }
    await this.mark(update.contactId);
  }

  async peek(contactId: string): Promise<TicketUpdate[]> {
    const docs = await this.model.find({ contactId }).sort({ at: 1 }).lean().exec();
    return docs.map((doc) => revive(doc.update));
  }

  async take(contactId: string): Promise<TicketUpdate[]> {
    const mark = await this.marks.findOne({ _id: contactId });
    if (!mark) return [];
    const taken = await this.takeAll(contactId);
    // Left in place when an update was marked since it was read: the next take gets that one.
    await this.marks.deleteOne({ _id: contactId, token: mark.token });
    return taken;
  }

  async repairMarks(): Promise<number> {
    const contacts = await this.model.distinct('contactId').exec();
    let marked = 0;
    for (const contactId of contacts) {
      if (await this.marks.findOne({ _id: contactId })) continue;
      await this.mark(contactId);
      marked++;
    }
    return marked;
  }

  private async mark(contactId: string): Promise<void> {
    await retryOnDuplicate(() =>
      this.marks.updateOne({ _id: contactId }, { $set: { token: randomUUID() } }, { upsert: true }),
    );
  }

  private async takeAll(contactId: string): Promise<TicketUpdate[]> {
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
