import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { driverCollection, isDuplicateKey, modelOn } from '../../services/db';

/** A web user whose identity the host site vouched for with a signed token. */
export interface VerifiedWebIdentity {
  subject: string;
  email?: string | undefined;
  name?: string | undefined;
}

export interface DlConversation {
  _id: string;
  userId: string;
  userName: string;
  identity?: VerifiedWebIdentity | undefined;
  locale?: string | undefined;
  startedAt?: Date | undefined;
  createdAt: Date;
}

interface DlToken {
  _id: string; // sha256 of the token: a leaked database does not leak live tokens
  conversationId: string;
  expiresAt: Date;
  createdAt: Date;
}

export interface DlActivity {
  _id: string;
  conversationId: string;
  seq: number;
  activity: string; // JSON: activities carry keys MongoDB-compatible servers may refuse
  createdAt: Date;
}

const conversationSchema = new Schema<DlConversation>(
  {
    _id: String,
    userId: { type: String, required: true },
    userName: { type: String, required: true },
    identity: {
      type: new Schema({ subject: String, email: String, name: String }, { _id: false }),
      required: false,
    },
    locale: String,
    startedAt: Date,
    createdAt: { type: Date, required: true },
  },
  { collection: 'directline_conversations', versionKey: false },
);

const tokenSchema = new Schema<DlToken>(
  {
    _id: String,
    conversationId: { type: String, required: true, index: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'directline_tokens', versionKey: false },
);

const activitySchema = new Schema<DlActivity>(
  {
    _id: String,
    conversationId: { type: String, required: true },
    seq: { type: Number, required: true },
    activity: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'directline_activities', versionKey: false },
);
// No other index: the `_id` (`conversation|seq`) is both the unique watermark and the lookup key.

const startSchema = new Schema<{ _id: string; at: Date }>(
  { _id: String, at: { type: Date, required: true } },
  { collection: 'directline_starts', versionKey: false },
);

/** An activity's id: its conversation and its watermark, so that it is found by `_id` alone. */
export function activityIdFor(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Direct Line conversations, tokens and activities in MongoDB, so that a restart loses nothing
 * and two replicas can serve the same conversation. The watermark is a per-conversation sequence
 * number made unique by an index; writes within one process are queued per conversation so that
 * the index only has to settle races between replicas.
 */
export class DirectLineStore {
  private readonly conversations: Model<DlConversation>;
  private readonly tokens: Model<DlToken>;
  private readonly activities: Model<DlActivity>;
  private readonly starts: Model<{ _id: string; at: Date }>;
  private readonly queues = new Map<string, Promise<unknown>>();
  // Conversations and tokens never change once written, so each process may keep them; the
  // last watermark is only a hint (the unique index settles it), so replicas stay correct.
  private readonly conversationCache = new BoundedCache<string, DlConversation>(10_000);
  private readonly tokenCache = new BoundedCache<string, { conversationId: string; expiresAt: Date }>(20_000);
  private readonly lastSeq = new BoundedCache<string, number>(10_000);

  constructor(connection: Connection) {
    this.conversations = modelOn(connection, 'DirectLineConversation', conversationSchema);
    this.tokens = modelOn(connection, 'DirectLineToken', tokenSchema);
    this.activities = modelOn(connection, 'DirectLineActivity', activitySchema);
    this.starts = modelOn(connection, 'DirectLineStart', startSchema);
  }

  async init(): Promise<void> {
    await Promise.all([this.conversations.init(), this.tokens.init(), this.activities.init()]);
  }

  async createConversation(input: {
    userId?: string | undefined;
    userName?: string | undefined;
    identity?: VerifiedWebIdentity | undefined;
    locale?: string | undefined;
    now: Date;
  }): Promise<DlConversation> {
    const conversation: DlConversation = {
      _id: randomUUID(),
      userId: input.userId ?? `dl_${randomBytes(9).toString('base64url')}`,
      userName: input.userName ?? 'You',
      identity: input.identity,
      locale: input.locale,
      createdAt: input.now,
    };
    await this.conversations.create(conversation);
    return conversation;
  }

  async getConversation(id: string): Promise<DlConversation | undefined> {
    const cached = this.conversationCache.get(id);
    if (cached) return cached;
    const found = (await this.conversations.findById(id).lean().exec()) ?? undefined;
    if (found) this.conversationCache.set(id, found);
    return found;
  }

  /** Marks the conversation started; true only for the call that started it (unique claim). */
  async markStarted(id: string, now: Date): Promise<boolean> {
    try {
      await this.starts.create({ _id: id, at: now });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    await this.conversations.updateOne({ _id: id }, { $set: { startedAt: now } }).exec();
    return true;
  }

  async issueToken(
    conversationId: string,
    ttlSeconds: number,
    now: Date,
  ): Promise<{ token: string; expiresIn: number }> {
    const token = newToken();
    await this.tokens.create({
      _id: hashToken(token),
      conversationId,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      createdAt: now,
    });
    return { token, expiresIn: ttlSeconds };
  }

  /** The conversation a live token opens, or undefined for an unknown or expired token. */
  async conversationForToken(token: string, now: Date): Promise<string | undefined> {
    const hash = hashToken(token);
    const doc = this.tokenCache.get(hash) ?? (await this.tokens.findById(hash).lean().exec()) ?? undefined;
    if (!doc || doc.expiresAt.getTime() <= now.getTime()) return undefined;
    this.tokenCache.set(hash, { conversationId: doc.conversationId, expiresAt: doc.expiresAt });
    return doc.conversationId;
  }

  /** Appends an activity, giving it the conversation's next watermark. */
  async append(
    conversationId: string,
    build: (seq: number) => Record<string, unknown>,
    now: Date,
  ): Promise<DlActivity> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.appendNow(conversationId, build, now));
    this.queues.set(conversationId, next);
    try {
      return await next;
    } finally {
      if (this.queues.get(conversationId) === next) this.queues.delete(conversationId);
    }
  }

  private async appendNow(
    conversationId: string,
    build: (seq: number) => Record<string, unknown>,
    now: Date,
  ): Promise<DlActivity> {
    for (let attempt = 0; ; attempt++) {
      const hint = attempt === 0 ? this.lastSeq.get(conversationId) : undefined;
      const seq = (hint ?? (await this.lastSeqOf(conversationId))) + 1;
      const activity = build(seq);
      const doc: DlActivity = {
        _id: String(activity.id),
        conversationId,
        seq,
        activity: JSON.stringify(activity),
        createdAt: now,
      };
      try {
        // Straight to the driver: the document is built here, whole, and mongoose's casting and
        // validation of it cost more CPU than the insert (one or more per message).
        await driverCollection(this.activities).insertOne(doc);
        this.lastSeq.set(conversationId, seq);
        return doc;
      } catch (error) {
        // Another replica took this watermark first: read again and take the next one.
        if (!isDuplicateKey(error) || attempt >= 20) throw error;
      }
    }
  }

  /**
   * The activities after `watermark`, read one by one by their ids (`conversation|seq`): an
   * `_id` lookup is answered from the primary key on every MongoDB-compatible server, where a
   * query on other fields scans the whole collection on FerretDB. Conversations are short, so
   * this is a handful of lookups, and a poll with nothing new is one.
   */
  async activitiesAfter(conversationId: string, watermark: number, limit = 500): Promise<DlActivity[]> {
    const found: DlActivity[] = [];
    for (let seq = watermark + 1; found.length < limit; seq++) {
      const doc = await driverCollection(this.activities).findOne({
        _id: activityIdFor(conversationId, seq),
      });
      if (!doc) break;
      found.push(doc);
    }
    return found;
  }

  /** The conversation's last watermark, found by `_id` lookups in growing strides, then halving. */
  private async lastSeqOf(conversationId: string): Promise<number> {
    const exists = async (seq: number): Promise<boolean> =>
      !!(await this.activities.exists({ _id: activityIdFor(conversationId, seq) }).exec());
    let low = 0;
    let high = 1;
    while (await exists(high)) {
      low = high;
      high *= 2;
    }
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await exists(mid)) low = mid;
      else high = mid;
    }
    return low;
  }

  /**
   * Deletes tokens past their expiry, and conversations created before `conversationsBefore`
   * with their activities, start claims and tokens. Returns the counts. Run by the retention
   * job; scans by date, which is fine in the background.
   */
  async purge(
    now: Date,
    conversationsBefore: Date,
  ): Promise<{ tokens: number; conversations: number; activities: number }> {
    const tokens = await this.tokens.deleteMany({ expiresAt: { $lte: now } }).exec();
    let conversations = 0;
    let activities = 0;
    for (;;) {
      const old = await this.conversations
        .find({ createdAt: { $lt: conversationsBefore } }, { _id: 1 })
        .limit(500)
        .lean()
        .exec();
      if (!old.length) break;
      const ids = old.map((doc) => doc._id);
      activities += (await this.activities.deleteMany({ conversationId: { $in: ids } }).exec()).deletedCount;
      await this.starts.deleteMany({ _id: { $in: ids } }).exec();
      await this.tokens.deleteMany({ conversationId: { $in: ids } }).exec();
      conversations += (await this.conversations.deleteMany({ _id: { $in: ids } }).exec()).deletedCount;
      for (const id of ids) {
        this.conversationCache.delete(id);
        this.lastSeq.delete(id);
      }
    }
    this.tokenCache.clearExpired(now);
    return { tokens: tokens.deletedCount, conversations, activities };
  }

  /**
   * The user's activity with this `clientActivityID` among the conversation's last `depth`: for a
   * delivery taken over from a process that stored it and died before saying so.
   */
  async findRecentByClientId(
    conversationId: string,
    clientActivityId: string,
    depth = 20,
  ): Promise<DlActivity | undefined> {
    const last = await this.lastSeqOf(conversationId);
    for (let seq = last; seq > 0 && seq > last - depth; seq--) {
      const doc = await driverCollection(this.activities).findOne({
        _id: activityIdFor(conversationId, seq),
      });
      if (!doc) continue;
      const activity = JSON.parse(doc.activity) as { channelData?: { clientActivityID?: unknown } };
      if (activity.channelData?.clientActivityID === clientActivityId) return doc;
    }
    return undefined;
  }

  async findActivity(conversationId: string, id: string): Promise<DlActivity | undefined> {
    const doc = (await this.activities.findById(id).lean().exec()) ?? undefined;
    return doc?.conversationId === conversationId ? doc : undefined;
  }

  async replaceActivity(
    conversationId: string,
    id: string,
    activity: Record<string, unknown>,
  ): Promise<boolean> {
    const result = await this.activities
      .updateOne({ _id: id, conversationId }, { $set: { activity: JSON.stringify(activity) } })
      .exec();
    return result.matchedCount === 1;
  }
}

/** A map that forgets its oldest entries past `max`. */
class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  /** Forgets the entries whose `expiresAt` has passed. */
  clearExpired(now: Date): void {
    for (const [key, value] of this.map) {
      const expiresAt = (value as { expiresAt?: unknown }).expiresAt;
      if (expiresAt instanceof Date && expiresAt.getTime() <= now.getTime()) this.map.delete(key);
    }
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }
}
