import { randomUUID } from 'node:crypto';
import { Schema, Types, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../db';
import { AppError, isDatabaseUnavailable } from '../errors';
import type { Logger } from '../logger';

/** Who did something: a customer contact, a support staff member, or Helpline itself. */
export interface Actor {
  kind: 'customer' | 'staff' | 'system';
  id: string;
  name: string;
}

/** One line of the audit trail. */
export interface AuditEvent {
  id: string;
  actor: Actor;
  /** A stable verb, e.g. `ticket.created`, `ticket.viewed`, `ticket.status_changed`. */
  action: string;
  ticketNumber?: string;
  at: Date;
  details: Record<string, unknown>;
}

export interface AuditRecordInput {
  actor: Actor;
  action: string;
  ticketNumber?: string;
  details?: Record<string, unknown>;
  /** When the event happened; the log's clock when absent. */
  at?: Date;
  /**
   * Makes recording idempotent: a second record with the same id is ignored. Use it when the
   * same fact may be recorded again after a retry (e.g. `ticket.created:HL-100042`).
   */
  id?: string;
}

export interface AuditFilter {
  ticketNumber?: string;
  actorId?: string;
  actorKind?: Actor['kind'];
  action?: string;
  from?: Date;
  to?: Date;
  /** At most this many events, newest first; 100 when absent, never more than 1000. */
  limit?: number;
}

/**
 * The append-only audit trail of actions on tickets (product.md section 3: every staff
 * action on a ticket is logged with user, date and time).
 */
export interface AuditLog {
  /** Appends an event and returns it; with an `id` already recorded, returns the stored one. */
  record(input: AuditRecordInput): Promise<AuditEvent>;
  /** Events matching the filter, newest first. */
  list(filter?: AuditFilter): Promise<AuditEvent[]>;
}

interface AuditEventDocument {
  _id: string;
  /** Orders events recorded at the same `at` (an ObjectId: time, then a per-process counter). */
  order: string;
  actor: Actor;
  action: string;
  ticketNumber?: string;
  at: Date;
  details: Record<string, unknown>;
}

const actorSchema = new Schema<Actor>(
  {
    kind: { type: String, required: true, enum: ['customer', 'staff', 'system'] },
    id: { type: String, required: true },
    name: { type: String, required: true },
  },
  { _id: false },
);

const auditEventSchema = new Schema<AuditEventDocument>(
  {
    _id: { type: String, required: true },
    order: { type: String, required: true },
    actor: { type: actorSchema, required: true },
    action: { type: String, required: true },
    ticketNumber: { type: String },
    at: { type: Date, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'audit_events', versionKey: false, minimize: false },
);
auditEventSchema.index({ ticketNumber: 1, at: -1, order: -1 });
auditEventSchema.index({ at: -1, order: -1 });

export function getAuditEventModel(connection: Connection): Model<AuditEventDocument> {
  return modelOn(connection, 'AuditEvent', auditEventSchema);
}

export interface MongoAuditLogOptions {
  connection: Connection;
  logger: Logger;
  clock?: () => Date;
}

/** The audit trail in MongoDB; one document per event, never updated. */
export class MongoAuditLog implements AuditLog {
  private readonly model: Model<AuditEventDocument>;
  private readonly log: Logger;
  private readonly clock: () => Date;

  constructor(options: MongoAuditLogOptions) {
    this.model = getAuditEventModel(options.connection);
    this.log = options.logger.child({ component: 'audit' });
    this.clock = options.clock ?? (() => new Date());
  }

  async record(input: AuditRecordInput): Promise<AuditEvent> {
    const doc: AuditEventDocument = {
      _id: input.id ?? randomUUID(),
      order: new Types.ObjectId().toHexString(),
      actor: { kind: input.actor.kind, id: input.actor.id, name: input.actor.name },
      action: input.action,
      at: input.at ?? this.clock(),
      details: input.details ?? {},
      ...(input.ticketNumber === undefined ? {} : { ticketNumber: input.ticketNumber }),
    };
    try {
      await this.model.create(doc);
    } catch (error) {
      if (isDuplicateKey(error) && input.id !== undefined) {
        const stored = await this.wrap(() => this.model.findById(input.id).lean().exec());
        if (stored) return toEvent(stored);
      }
      throw toStorageError(error, 'record an audit event');
    }
    this.log.debug(
      { action: doc.action, ticketNumber: doc.ticketNumber, actorKind: doc.actor.kind },
      'audit event',
    );
    return toEvent(doc);
  }

  async list(filter: AuditFilter = {}): Promise<AuditEvent[]> {
    const query: Record<string, unknown> = {};
    if (filter.ticketNumber !== undefined) query.ticketNumber = filter.ticketNumber;
    if (filter.actorId !== undefined) query['actor.id'] = filter.actorId;
    if (filter.actorKind !== undefined) query['actor.kind'] = filter.actorKind;
    if (filter.action !== undefined) query.action = filter.action;
    if (filter.from !== undefined || filter.to !== undefined) {
      query.at = {
        ...(filter.from === undefined ? {} : { $gte: filter.from }),
        ...(filter.to === undefined ? {} : { $lte: filter.to }),
      };
    }
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const docs = await this.wrap(() =>
      this.model.find(query).sort({ at: -1, order: -1 }).limit(limit).lean().exec(),
    );
    return docs.map(toEvent);
  }

  private async wrap<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toStorageError(error, 'read the audit log');
    }
  }
}

function toEvent(doc: AuditEventDocument): AuditEvent {
  return {
    id: doc._id,
    actor: { kind: doc.actor.kind, id: doc.actor.id, name: doc.actor.name },
    action: doc.action,
    at: doc.at,
    details: doc.details ?? {},
    ...(doc.ticketNumber === undefined || doc.ticketNumber === null
      ? {}
      : { ticketNumber: doc.ticketNumber }),
  };
}

function toStorageError(error: unknown, what: string): unknown {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) {
    return new AppError('database_unavailable', `Audit: cannot ${what}: the database is unreachable.`, {
      cause: error,
      userMessageKey: 'errors.unavailable',
    });
  }
  return error;
}
