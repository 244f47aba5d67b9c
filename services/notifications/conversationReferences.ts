import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { z } from 'zod';
import { driverCollection, isDuplicateKey, modelOn, retryOnDuplicate } from '../db';
import { AppError } from '../errors';

/**
 * A conversation reference as plain data: what a proactive message needs to reach the
 * conversation (the fields of botbuilder's `ConversationReference`), plus who it belongs to.
 */
export interface ConversationReferenceRecord {
  /** The key tickets keep in `conversationRefId`: the conversation id. */
  id: string;
  channelId: string;
  serviceUrl: string;
  conversation: {
    id: string;
    tenantId?: string;
    conversationType?: string;
    isGroup?: boolean;
    name?: string;
  };
  user: { id: string; name?: string; aadObjectId?: string; role?: string };
  bot: { id: string; name?: string; role?: string };
  /** The conversation's language when known (e.g. `fr-FR`). */
  locale?: string;
  /** The contact signed in on this conversation, when known. */
  contactId?: string;
  /** The last delivery was refused for good (403/404: the user removed the app); set back to false when the user writes again. */
  stale: boolean;
  updatedAt: Date;
}

export type ConversationReferenceInput = Omit<ConversationReferenceRecord, 'stale' | 'updatedAt'>;

/** Where Helpline keeps the conversations it may write to later (product.md flow H). */
export interface ConversationReferenceStore {
  /** Saves or refreshes the reference (a user who writes again is reachable again: `stale` becomes false). */
  save(input: ConversationReferenceInput): Promise<ConversationReferenceRecord>;
  get(id: string): Promise<ConversationReferenceRecord | undefined>;
  /** The contact's most recently updated reference that is not stale. */
  latestForContact(contactId: string): Promise<ConversationReferenceRecord | undefined>;
  markStale(id: string): Promise<void>;
}

const participant = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
  role: z.string().optional(),
});

export const conversationReferenceInputSchema = z.object({
  id: z.string().trim().min(1).max(500),
  channelId: z.string().trim().min(1).max(100),
  serviceUrl: z.string().trim().min(1).max(2000),
  conversation: z.looseObject({
    id: z.string().min(1),
    tenantId: z.string().optional(),
    conversationType: z.string().optional(),
    isGroup: z.boolean().optional(),
    name: z.string().optional(),
  }),
  user: participant,
  bot: participant,
  locale: z.string().trim().min(2).max(20).optional(),
  contactId: z.string().trim().min(1).optional(),
});

interface ReferenceDocument extends Omit<ConversationReferenceRecord, 'id'> {
  _id: string;
}

const referenceSchema = new Schema<ReferenceDocument>(
  {
    _id: { type: String, required: true },
    channelId: { type: String, required: true },
    serviceUrl: { type: String, required: true },
    conversation: { type: Schema.Types.Mixed, required: true },
    user: { type: Schema.Types.Mixed, required: true },
    bot: { type: Schema.Types.Mixed, required: true },
    locale: { type: String },
    contactId: { type: String },
    stale: { type: Boolean, required: true, default: false },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'conversation_references', versionKey: false, minimize: false },
);
referenceSchema.index({ contactId: 1, updatedAt: -1 });

/** The conversation a contact wrote in last, by contact: `referenceId` null when they have none. */
interface LatestDocument {
  _id: string;
  referenceId: string | null;
}

const latestSchema = new Schema<LatestDocument>(
  { _id: { type: String, required: true }, referenceId: { type: String, default: null } },
  { collection: 'conversation_reference_latest', versionKey: false },
);

export function getConversationReferenceModel(connection: Connection): Model<ReferenceDocument> {
  return modelOn(connection, 'ConversationReference', referenceSchema);
}

export interface MongoConversationReferenceStoreOptions {
  connection: Connection;
  clock?: () => Date;
}

/**
 * Conversation references in MongoDB, one document per conversation, and per contact the one they
 * wrote in last (`conversation_reference_latest`, written after the reference). A notification for
 * a contact whose ticket's conversation is gone asks for their latest conversation: by contact, that
 * is a scan of every conversation on FerretDB over SQLite, which looks up by `_id` only
 * (bench:pending: 85 ms at 1,000 conversations, 504 ms at 5,000); through the pointer, two `_id`
 * lookups. When the pointed conversation has gone stale, or for a contact without a pointer yet,
 * the query by contact runs once and the pointer is set from it.
 */
export class MongoConversationReferenceStore implements ConversationReferenceStore {
  private readonly model: Model<ReferenceDocument>;
  private readonly latest: mongo.Collection<LatestDocument>;
  private readonly clock: () => Date;

  constructor(options: MongoConversationReferenceStoreOptions) {
    this.model = getConversationReferenceModel(options.connection);
    this.latest = driverCollection(modelOn(options.connection, 'ConversationReferenceLatest', latestSchema));
    this.clock = options.clock ?? (() => new Date());
  }

  async save(input: ConversationReferenceInput): Promise<ConversationReferenceRecord> {
    const parsed = conversationReferenceInputSchema.safeParse(input);
    if (!parsed.success) {
      throw new AppError(
        'invalid_input',
        `Notifications: invalid conversation reference: ${z.prettifyError(parsed.error)}`,
      );
    }
    const { id, ...fields } = parsed.data;
    const set = { ...stripUndefined(fields), stale: false, updatedAt: this.clock() };
    // Two turns of a new conversation may upsert the same _id together; one then gets a duplicate key.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.model.updateOne({ _id: id }, { $set: set }, { upsert: true }).exec();
        break;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 3) throw error;
      }
    }
    if (set.contactId) await this.point(set.contactId, id);
    return { id, ...set };
  }

  async get(id: string): Promise<ConversationReferenceRecord | undefined> {
    const doc = await this.model.findById(id).lean().exec();
    return doc ? toRecord(doc) : undefined;
  }

  async latestForContact(contactId: string): Promise<ConversationReferenceRecord | undefined> {
    const pointer = await this.latest.findOne({ _id: contactId });
    if (pointer?.referenceId === null) return undefined;
    if (pointer) {
      const pointed = await this.get(pointer.referenceId);
      if (pointed && !pointed.stale && pointed.contactId === contactId) return pointed;
    }
    const doc = await this.model.findOne({ contactId, stale: false }).sort({ updatedAt: -1 }).lean().exec();
    if (doc) await this.point(contactId, doc._id);
    // None: said so for the next time, unless a conversation was saved meanwhile (its pointer wins).
    else if (pointer)
      await this.latest.updateOne(
        { _id: contactId, referenceId: pointer.referenceId },
        { $set: { referenceId: null } },
      );
    else await this.latest.insertOne({ _id: contactId, referenceId: null }).catch(ignoreDuplicate);
    return doc ? toRecord(doc) : undefined;
  }

  private async point(contactId: string, referenceId: string): Promise<void> {
    await retryOnDuplicate(() =>
      this.latest.updateOne({ _id: contactId }, { $set: { referenceId } }, { upsert: true }),
    );
  }

  async markStale(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { stale: true } }).exec();
  }
}

function ignoreDuplicate(error: unknown): void {
  if (!isDuplicateKey(error)) throw error;
}

function toRecord(doc: ReferenceDocument): ConversationReferenceRecord {
  const { _id, ...rest } = doc;
  const record: ConversationReferenceRecord = { id: _id, ...rest, stale: rest.stale === true };
  if (record.locale === null || record.locale === undefined) delete record.locale;
  if (record.contactId === null || record.contactId === undefined) delete record.contactId;
  return record;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
