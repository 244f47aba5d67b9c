import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { isDuplicateKey, modelOn } from '../db';
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

export function getConversationReferenceModel(connection: Connection): Model<ReferenceDocument> {
  return modelOn(connection, 'ConversationReference', referenceSchema);
}

export interface MongoConversationReferenceStoreOptions {
  connection: Connection;
  clock?: () => Date;
}

/** Conversation references in MongoDB, one document per conversation. */
export class MongoConversationReferenceStore implements ConversationReferenceStore {
  private readonly model: Model<ReferenceDocument>;
  private readonly clock: () => Date;

  constructor(options: MongoConversationReferenceStoreOptions) {
    this.model = getConversationReferenceModel(options.connection);
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
    return { id, ...set };
  }

  async get(id: string): Promise<ConversationReferenceRecord | undefined> {
    const doc = await this.model.findById(id).lean().exec();
    return doc ? toRecord(doc) : undefined;
  }

  async latestForContact(contactId: string): Promise<ConversationReferenceRecord | undefined> {
    const doc = await this.model.findOne({ contactId, stale: false }).sort({ updatedAt: -1 }).lean().exec();
    return doc ? toRecord(doc) : undefined;
  }

  async markStale(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { stale: true } }).exec();
  }
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
