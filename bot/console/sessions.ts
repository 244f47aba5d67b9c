import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../../services/db';
import type { StaffMember } from '../../services/tickets';

interface SessionDocument {
  /** SHA-256 of the cookie value: the database never holds a usable session id. */
  _id: string;
  staff: StaffMember;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
}

const sessionSchema = new Schema<SessionDocument>(
  {
    _id: { type: String, required: true },
    staff: { type: new Schema({ id: String, name: String }, { _id: false }), required: true },
    csrfToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
  },
  { collection: 'console_sessions', versionKey: false },
);
sessionSchema.index({ lastSeenAt: -1 });

export interface ConsoleSession {
  staff: StaffMember;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Console sessions in the database (any Helpline process serves any agent): created from a
 * staff token, ended at sign-out or after `ttlMs`. They also tell who is on duty.
 */
export class ConsoleSessions {
  private readonly model: Model<SessionDocument>;

  constructor(
    connection: Connection,
    private readonly ttlMs: number,
    private readonly clock: () => Date,
  ) {
    this.model = modelOn(connection, 'ConsoleSession', sessionSchema);
  }

  async create(staff: StaffMember): Promise<{ cookie: string; session: ConsoleSession }> {
    const cookie = randomBytes(32).toString('base64url');
    const now = this.clock();
    const session = {
      staff: { id: staff.id, name: staff.name },
      csrfToken: randomBytes(24).toString('base64url'),
      expiresAt: new Date(now.getTime() + this.ttlMs),
    };
    await this.model.create({ _id: digest(cookie), ...session, createdAt: now, lastSeenAt: now });
    return { cookie, session };
  }

  /** The live session the cookie names; undefined when unknown or expired. Marks the agent as seen. */
  async find(cookie: string | undefined): Promise<ConsoleSession | undefined> {
    if (!cookie || cookie.length > 100) return undefined;
    const id = digest(cookie);
    const doc = await this.model.findById(id).lean().exec();
    const now = this.clock();
    if (!doc || doc.expiresAt.getTime() <= now.getTime()) return undefined;
    // Presence is coarse: one write per half minute per agent at most.
    if (now.getTime() - doc.lastSeenAt.getTime() > 30_000) {
      await this.model.updateOne({ _id: id }, { $set: { lastSeenAt: now } }).exec();
    }
    return { staff: doc.staff, csrfToken: doc.csrfToken, expiresAt: doc.expiresAt };
  }

  async end(cookie: string): Promise<void> {
    await this.model.deleteOne({ _id: digest(cookie) }).exec();
  }

  /** Whether an agent's console was seen within `withinMs` (and their session is still valid). */
  async anyoneOnDuty(withinMs: number): Promise<boolean> {
    const now = this.clock();
    const seen = await this.model
      .findOne({ lastSeenAt: { $gte: new Date(now.getTime() - withinMs) }, expiresAt: { $gt: now } })
      .lean()
      .exec();
    return !!seen;
  }
}

export function sameToken(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(digest(a)), Buffer.from(digest(b)));
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}
