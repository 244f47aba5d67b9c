import { createHash, randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { z } from 'zod';
import type { Actor, AuditLog } from '../audit';
import type { ProductCatalogue } from '../catalogue';
import {
  isDuplicateKey,
  keyLinkModel,
  keyTarget,
  withDatabaseErrors,
  writeKeyLinks,
  type KeyLinkDocument,
} from '../db';
import { AppError } from '../errors';
import type { IdentityService, KnownContact } from '../identity';
import type { Logger } from '../logger';
import {
  idempotencyKeySchema,
  ticketCreateInputSchema,
  ticketFieldSchemas,
  type BillingTicketInput,
  type TicketCreateInput,
} from './inputs';
import {
  TICKET_STATUSES,
  getTicketModel,
  toTicket,
  type StaffMember,
  type Ticket,
  type TicketSummary,
  type TicketDocument,
  type TicketStatus,
  type TimelineEvent,
  type VersionWarning,
} from './model';
import { TicketNumbering } from './numbering';
import { dueAfter, priorityForSeverity, ticketPolicy, type Severity, type TicketPolicy } from './policy';
import { TicketLock } from './ticketLock';

/** The customer looking at tickets; build it with `viewerFromContact`. */
export interface TicketViewer {
  contactId: string;
  name: string;
  email: string;
  organisationId: string;
  /** Authorized contacts see every ticket of their organisation; others only theirs and those they are copied on. */
  authorized: boolean;
}

export function viewerFromContact(known: KnownContact): TicketViewer {
  return {
    contactId: known.contact.id,
    name: known.contact.name,
    email: known.contact.email,
    organisationId: known.organisation.id,
    authorized: known.contact.authorized,
  };
}

export interface CreateTicketResult {
  ticket: Ticket;
  /** False when the idempotency key had already opened this ticket (a repeat, a retry, a double click). */
  created: boolean;
}

export type CommentAuthor =
  | { kind: 'customer'; viewer: TicketViewer }
  | { kind: 'staff'; staff: StaffMember; visibility: 'public' | 'internal' };

/** Results of actions on a ticket. `not_found` is also the answer for another organisation's ticket. */
export type TicketActionResult<Refusal = never> =
  { kind: 'ok'; ticket: Ticket } | { kind: 'not_found' } | Refusal;

/** The ticket is closed for good (or, for a customer comment, resolved: offer to reopen it). */
export type NotAllowed = { kind: 'not_allowed'; status: TicketStatus; ticket: Ticket };
export type AddCommentResult = TicketActionResult<NotAllowed>;
export type EscalationResult = TicketActionResult<NotAllowed>;
export type ResolveResult = TicketActionResult<{ kind: 'already_resolved'; ticket: Ticket }>;
export type ReopenRefusal =
  | { kind: 'not_resolved'; status: TicketStatus; ticket: Ticket }
  /** Resolved longer ago than the window, or closed: a new ticket linking this number is the way. */
  | { kind: 'reopen_window_passed'; resolvedAt?: Date; ticket: Ticket };
export type ReopenResult = TicketActionResult<ReopenRefusal>;
export type ChangeStatusResult = TicketActionResult<NotAllowed>;
export type AssignResult = TicketActionResult;

/**
 * What makes an action on a ticket safe to receive twice. The same `idempotencyKey` (a channel's
 * redelivery, a retry after a timeout, a double click) changes the ticket once; every later call
 * with it answers `ok` with the ticket as it is, writing nothing.
 */
export interface TicketActionOptions {
  idempotencyKey?: string | undefined;
}

export type TicketListScope = 'mine' | 'cc' | 'organisation' | 'visible';

export interface TicketListQuery {
  viewer: TicketViewer;
  /** mine: opened by the viewer; cc: the viewer is copied; organisation: all of it (authorized contacts only); visible: all the viewer may see. */
  scope: TicketListScope;
  status?: TicketStatus[];
  /** A ticket number (exact) or words searched in subject, description and number. */
  text?: string;
  /** 1-based. */
  page?: number;
  /** 5 when absent, at most 50. */
  pageSize?: number;
}

export interface StaffTicketQuery {
  /** Active statuses (new, open, pending, on_hold) when absent. */
  status?: TicketStatus[];
  organisationId?: string;
  assigneeId?: string;
  severity?: Severity[];
  type?: Ticket['type'];
  text?: string;
  page?: number;
  /** 20 when absent, at most 100. */
  pageSize?: number;
}

export interface TicketPage {
  items: Ticket[];
  total: number;
  page: number;
  pageSize: number;
}

export interface LifecycleRunResult {
  /** Tickets that just got a reminder event: the caller notifies their requesters. */
  reminded: Ticket[];
  /** Pending too long without a customer reply: resolved. */
  autoResolved: Ticket[];
  /** Resolved long enough ago: closed for good. */
  autoClosed: Ticket[];
}

/**
 * Tickets: opening them exactly once, their lifecycle, and who may see them
 * (product.md flows B, C, D and section 3). Every change is a timeline event and an audit event.
 */
export interface TicketService {
  /**
   * Opens a technical or billing ticket. The same `idempotencyKey` (a repeated submit, a retry
   * after a timeout, concurrent double clicks) always returns the same ticket and never opens
   * a second one. Throws AppError `invalid_input`, `forbidden` (the requester may not open
   * tickets), `conflict` (the key belongs to another requester) or `database_unavailable`.
   */
  create(input: TicketCreateInput, idempotencyKey: string): Promise<CreateTicketResult>;
  /** `create` for a billing ticket. */
  createBilling(input: Omit<BillingTicketInput, 'type'>, idempotencyKey: string): Promise<CreateTicketResult>;
  /** The ticket if the viewer may see it (internal events removed); else not_found, exactly as for a number that does not exist. */
  getForViewer(
    number: string,
    viewer: TicketViewer,
  ): Promise<{ kind: 'found'; ticket: Ticket } | { kind: 'not_found' }>;
  /** Newest first. Throws AppError `forbidden` for scope `organisation` when the viewer is not authorized. */
  list(query: TicketListQuery): Promise<TicketPage>;
  addComment(
    number: string,
    author: CommentAuthor,
    text: string,
    options?: TicketActionOptions,
  ): Promise<AddCommentResult>;
  requestEscalation(
    number: string,
    viewer: TicketViewer,
    reason: string,
    options?: TicketActionOptions,
  ): Promise<EscalationResult>;
  /** "I no longer need help". */
  resolveByCustomer(
    number: string,
    viewer: TicketViewer,
    options?: TicketActionOptions,
  ): Promise<ResolveResult>;
  /** Reopens a resolved ticket within the policy's window (7 days by default). */
  reopen(
    number: string,
    viewer: TicketViewer,
    reason?: string,
    options?: TicketActionOptions,
  ): Promise<ReopenResult>;
  changeStatus(
    number: string,
    staff: StaffMember,
    status: TicketStatus,
    options?: { note?: string; missingInformation?: string[] } & TicketActionOptions,
  ): Promise<ChangeStatusResult>;
  assign(number: string, staff: StaffMember, assignee: StaffMember): Promise<AssignResult>;
  /** Staff read of one ticket (full timeline); writes a `ticket.viewed` audit event. */
  getForStaff(number: string, staff: StaffMember): Promise<Ticket | undefined>;
  /** Staff queue: severity, then triage priority, then age. Writes a `tickets.listed` audit event. */
  listForStaff(query: StaffTicketQuery, staff: StaffMember): Promise<TicketPage>;
  /**
   * Stores the staff summary of a ticket (replacing an earlier one); false when there is no such
   * ticket. Not a timeline event: the customer never sees it.
   */
  setSummary(number: string, summary: Omit<TicketSummary, 'at'>): Promise<boolean>;
  /** Told of every ticket `create` opens (not of a repeated create), after it is stored. Must not throw. */
  createdListener?: ((ticket: Ticket) => void) | undefined;
  /** Applies reminders, auto-resolution and auto-closure due at the clock's now. Safe to run concurrently. */
  applyLifecyclePolicy(): Promise<LifecycleRunResult>;
  /** The ticket numbers written in a text ("what about hl-100042?" → ["HL-100042"]). */
  findTicketNumbers(text: string): string[];
  readonly policy: TicketPolicy;
}

export interface MongoTicketServiceOptions {
  connection: Connection;
  logger: Logger;
  identity: IdentityService;
  catalogue: ProductCatalogue;
  audit: AuditLog;
  clock?: () => Date;
  policy?: Partial<TicketPolicy>;
  /** Response targets and business hours from the catalogue, read at each ticket; the policy's when false. */
  scheduleFromCatalogue?: boolean;
  /** How long an action waits for another writer of the same ticket; 10 s when absent. */
  lockWaitMs?: number;
}

const MAX_CREATE_ATTEMPTS = 5;
const ACTIVE_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];
const DAY_MS = 24 * 3_600_000;

type TicketChange = {
  set?: Partial<TicketDocument>;
  unset?: (keyof TicketDocument)[];
  events: Omit<TimelineEvent, 'id' | 'at' | 'by'>[];
  audit: { action: string; details?: Record<string, unknown> };
};

export class MongoTicketService implements TicketService {
  readonly policy: TicketPolicy;
  createdListener: ((ticket: Ticket) => void) | undefined;
  private readonly tickets: Model<TicketDocument>;
  private readonly numbering: TicketNumbering;
  /** The ticket of each number and of each idempotency key (see `ticketKey`). */
  private readonly keys: Model<KeyLinkDocument>;
  private readonly lock: TicketLock;
  private readonly identity: IdentityService;
  private readonly catalogue: ProductCatalogue;
  private readonly audit: AuditLog;
  private readonly log: Logger;
  private readonly clock: () => Date;
  private indexesReady: Promise<void> | undefined;
  private readonly scheduleFromCatalogue: boolean;

  constructor(options: MongoTicketServiceOptions) {
    this.policy = ticketPolicy(options.policy);
    this.scheduleFromCatalogue = options.scheduleFromCatalogue ?? false;
    this.tickets = getTicketModel(options.connection);
    this.numbering = new TicketNumbering(options.connection, this.policy.firstNumber);
    this.keys = keyLinkModel(options.connection, 'TicketKey', 'ticket_keys');
    this.lock = new TicketLock(options.connection, options.lockWaitMs);
    this.identity = options.identity;
    this.catalogue = options.catalogue;
    this.audit = options.audit;
    this.log = options.logger.child({ component: 'tickets' });
    this.clock = options.clock ?? (() => new Date());
  }

  async create(input: TicketCreateInput, idempotencyKey: string): Promise<CreateTicketResult> {
    const key = parse(idempotencyKeySchema, idempotencyKey, 'idempotency key');
    const parsed = parse(ticketCreateInputSchema, input, 'ticket');
    return await this.guard(async () => {
      await this.ensureIndexes();
      const existing = await this.findByKey(key, parsed.requesterContactId);
      if (existing) {
        await this.recordCreated(existing);
        return { ticket: existing, created: false };
      }
      const draft = await this.draft(parsed, key);
      for (let attempt = 1; ; attempt++) {
        const sequence = await this.numbering.reserve();
        const doc: TicketDocument = {
          ...draft,
          _id: randomUUID(),
          sequence,
          number: `${this.policy.numberPrefix}${sequence}`,
        };
        // Before the ticket, so that every ticket can be found by its number and its key.
        await writeKeyLinks(this.keys, [
          { key: ticketKey.number(doc.number), targetId: doc._id },
          { key: ticketKey.idempotency(key), targetId: doc._id },
        ]);
        try {
          await this.tickets.create(doc);
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          const winner = await this.findByKeyQuery(key, parsed.requesterContactId);
          if (winner) {
            await this.recordCreated(winner);
            return { ticket: winner, created: false };
          }
          // The unique number index is the last guard: a reserved number should never be taken.
          if (attempt >= MAX_CREATE_ATTEMPTS) throw error;
          this.log.warn(
            { ticketNumber: doc.number },
            'reserved ticket number already taken; reserving another',
          );
          continue;
        }
        const ticket = toTicket(doc);
        await this.recordCreated(ticket);
        this.log.info(
          {
            ticketNumber: ticket.number,
            type: ticket.type,
            severity: ticket.severity,
            status: ticket.status,
            attempts: attempt,
          },
          'ticket created',
        );
        this.tellCreated(ticket);
        return { ticket, created: true };
      }
    });
  }

  async createBilling(
    input: Omit<BillingTicketInput, 'type'>,
    idempotencyKey: string,
  ): Promise<CreateTicketResult> {
    return await this.create({ ...input, type: 'billing' }, idempotencyKey);
  }

  async getForViewer(
    number: string,
    viewer: TicketViewer,
  ): Promise<{ kind: 'found'; ticket: Ticket } | { kind: 'not_found' }> {
    const ticket = await this.load(number);
    if (!ticket || !canView(ticket, viewer)) return { kind: 'not_found' };
    return { kind: 'found', ticket: publicView(ticket) };
  }

  async list(query: TicketListQuery): Promise<TicketPage> {
    const { viewer } = query;
    const clauses: Record<string, unknown>[] = [{ organisationId: viewer.organisationId }];
    switch (query.scope) {
      case 'mine':
        clauses.push({ 'requester.contactId': viewer.contactId });
        break;
      case 'cc':
        clauses.push({ ccs: viewer.email.toLowerCase() });
        break;
      case 'organisation':
        if (!viewer.authorized) {
          throw new AppError(
            'forbidden',
            'Tickets: only authorized contacts may list their organisation’s tickets.',
            {
              userMessageKey: 'errors.forbidden',
            },
          );
        }
        break;
      case 'visible':
        if (!viewer.authorized) {
          clauses.push({
            $or: [{ 'requester.contactId': viewer.contactId }, { ccs: viewer.email.toLowerCase() }],
          });
        }
        break;
    }
    if (query.status?.length) clauses.push({ status: { $in: query.status } });
    const textClause = this.textClause(query.text);
    if (textClause) clauses.push(textClause);
    const pageSize = clamp(query.pageSize ?? 5, 1, 50);
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const filter = { $and: clauses };
    const [docs, total] = await this.guard(() =>
      Promise.all([
        this.tickets
          .find(filter)
          .sort({ createdAt: -1, sequence: -1 })
          .skip((page - 1) * pageSize)
          .limit(pageSize)
          .lean()
          .exec(),
        this.tickets.countDocuments(filter).exec(),
      ]),
    );
    return { items: docs.map((doc) => publicView(toTicket(doc))), total, page, pageSize };
  }

  async addComment(
    number: string,
    author: CommentAuthor,
    text: string,
    options: TicketActionOptions = {},
  ): Promise<AddCommentResult> {
    const comment = parse(ticketFieldSchemas.comment, text, 'comment');
    const key = actionKey(options);
    if (author.kind === 'customer') {
      const actor = customerActor(author.viewer);
      return await this.mutate<NotAllowed>(
        number,
        actor,
        (ticket) => canView(ticket, author.viewer),
        (ticket) => {
          if (ticket.status === 'resolved' || ticket.status === 'closed') {
            return { kind: 'not_allowed', status: ticket.status, ticket };
          }
          const change: TicketChange = {
            events: [{ type: 'comment', visibility: 'public', data: { text: comment } }],
            audit: { action: 'ticket.comment_added', details: { visibility: 'public' } },
          };
          // A reply is what a ticket pending the customer was waiting for.
          if (ticket.status === 'pending') {
            change.set = { status: 'open', remindersSent: 0 };
            change.unset = ['pendingSince'];
            change.events.push(statusEvent('pending', 'open', 'customer_replied'));
          }
          return change;
        },
        key,
      );
    }
    const actor = staffActor(author.staff);
    return await this.mutate<NotAllowed>(
      number,
      actor,
      () => true,
      (ticket) => {
        if (ticket.status === 'closed') return { kind: 'not_allowed', status: ticket.status, ticket };
        return {
          events: [{ type: 'comment', visibility: author.visibility, data: { text: comment } }],
          audit: { action: 'ticket.comment_added', details: { visibility: author.visibility } },
        };
      },
      key,
    );
  }

  async requestEscalation(
    number: string,
    viewer: TicketViewer,
    reason: string,
    options: TicketActionOptions = {},
  ): Promise<EscalationResult> {
    const why = parse(ticketFieldSchemas.reason, reason, 'escalation reason');
    return await this.mutate<NotAllowed>(
      number,
      customerActor(viewer),
      (ticket) => canView(ticket, viewer),
      (ticket) => {
        if (ticket.status === 'resolved' || ticket.status === 'closed') {
          return { kind: 'not_allowed', status: ticket.status, ticket };
        }
        return {
          set: { escalated: true },
          events: [{ type: 'escalation_requested', visibility: 'public', data: { reason: why } }],
          audit: { action: 'ticket.escalation_requested', details: { reason: why } },
        };
      },
      actionKey(options),
    );
  }

  async resolveByCustomer(
    number: string,
    viewer: TicketViewer,
    options: TicketActionOptions = {},
  ): Promise<ResolveResult> {
    return await this.mutate<{ kind: 'already_resolved'; ticket: Ticket }>(
      number,
      customerActor(viewer),
      (ticket) => canView(ticket, viewer),
      (ticket, now) => {
        if (ticket.status === 'resolved' || ticket.status === 'closed')
          return { kind: 'already_resolved', ticket };
        return {
          set: { status: 'resolved', resolvedAt: now },
          unset: ['pendingSince'],
          events: [statusEvent(ticket.status, 'resolved', 'no_longer_needed')],
          audit: { action: 'ticket.resolved', details: { from: ticket.status, reason: 'no_longer_needed' } },
        };
      },
      actionKey(options),
    );
  }

  async reopen(
    number: string,
    viewer: TicketViewer,
    reason?: string,
    options: TicketActionOptions = {},
  ): Promise<ReopenResult> {
    const why = reason === undefined ? undefined : parse(ticketFieldSchemas.reason, reason, 'reopen reason');
    return await this.mutate<ReopenRefusal>(
      number,
      customerActor(viewer),
      (ticket) => canView(ticket, viewer),
      (ticket, now) => {
        if (ticket.status === 'closed') {
          return {
            kind: 'reopen_window_passed',
            ...(ticket.resolvedAt ? { resolvedAt: ticket.resolvedAt } : {}),
            ticket,
          };
        }
        if (ticket.status !== 'resolved') return { kind: 'not_resolved', status: ticket.status, ticket };
        const resolvedAt = ticket.resolvedAt ?? ticket.updatedAt;
        if (now.getTime() - resolvedAt.getTime() > this.policy.reopenWindowDays * DAY_MS) {
          return { kind: 'reopen_window_passed', resolvedAt, ticket };
        }
        // Back to where it was: a ticket resolved before support picked it up is new again.
        const back = statusBeforeResolution(ticket) === 'new' ? 'new' : 'open';
        return {
          set: { status: back },
          unset: ['resolvedAt'],
          events: [
            { type: 'reopened', visibility: 'public', data: why === undefined ? {} : { reason: why } },
            statusEvent('resolved', back, 'reopened'),
          ],
          audit: { action: 'ticket.reopened', details: why === undefined ? {} : { reason: why } },
        };
      },
      actionKey(options),
    );
  }

  async changeStatus(
    number: string,
    staff: StaffMember,
    status: TicketStatus,
    options: { note?: string; missingInformation?: string[] } & TicketActionOptions = {},
  ): Promise<ChangeStatusResult> {
    const next = parse(z.enum(['new', 'open', 'pending', 'on_hold', 'resolved', 'closed']), status, 'status');
    const note =
      options.note === undefined ? undefined : parse(ticketFieldSchemas.comment, options.note, 'note');
    return await this.mutate<NotAllowed>(
      number,
      staffActor(staff),
      () => true,
      (ticket, now) => {
        if (ticket.status === 'closed') return { kind: 'not_allowed', status: ticket.status, ticket };
        return this.statusChange(ticket, next, now, {
          reason: 'staff',
          ...(note === undefined ? {} : { note }),
          ...(options.missingInformation ? { missingInformation: options.missingInformation } : {}),
        });
      },
      actionKey(options),
    );
  }

  async assign(number: string, staff: StaffMember, assignee: StaffMember): Promise<AssignResult> {
    return await this.mutate<never>(
      number,
      staffActor(staff),
      () => true,
      () => ({
        set: { assignee: { id: assignee.id, name: assignee.name } },
        events: [
          {
            type: 'assigned',
            visibility: 'internal',
            data: { assignee: { id: assignee.id, name: assignee.name } },
          },
        ],
        audit: { action: 'ticket.assigned', details: { assignee: { id: assignee.id, name: assignee.name } } },
      }),
    );
  }

  async getForStaff(number: string, staff: StaffMember): Promise<Ticket | undefined> {
    const ticket = await this.load(number);
    await this.guard(() =>
      this.audit.record({
        actor: staffActor(staff),
        action: 'ticket.viewed',
        ...(ticket ? { ticketNumber: ticket.number } : {}),
        details: ticket ? {} : { requested: number, found: false },
      }),
    );
    return ticket;
  }

  async listForStaff(query: StaffTicketQuery, staff: StaffMember): Promise<TicketPage> {
    const clauses: Record<string, unknown>[] = [
      { status: { $in: query.status?.length ? query.status : ACTIVE_STATUSES } },
    ];
    if (query.organisationId !== undefined) clauses.push({ organisationId: query.organisationId });
    if (query.assigneeId !== undefined) clauses.push({ 'assignee.id': query.assigneeId });
    if (query.severity?.length) clauses.push({ severity: { $in: query.severity } });
    if (query.type !== undefined) clauses.push({ type: query.type });
    const textClause = this.textClause(query.text);
    if (textClause) clauses.push(textClause);
    const pageSize = clamp(query.pageSize ?? 20, 1, 100);
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const filter = { $and: clauses };
    const [docs, total] = await this.guard(() =>
      Promise.all([
        this.tickets
          .find(filter)
          .sort({ severity: 1, triagePriority: -1, createdAt: 1, sequence: 1 })
          .skip((page - 1) * pageSize)
          .limit(pageSize)
          .lean()
          .exec(),
        this.tickets.countDocuments(filter).exec(),
      ]),
    );
    await this.guard(() =>
      this.audit.record({
        actor: staffActor(staff),
        action: 'tickets.listed',
        details: { query: { ...query }, returned: docs.map((doc) => doc.number) },
      }),
    );
    return { items: docs.map(toTicket), total, page, pageSize };
  }

  /** The targets and hours in force now: the catalogue's (it may have changed since start) or the policy's. */
  private schedule(): Pick<TicketPolicy, 'firstResponse' | 'billingFirstResponse' | 'businessHours'> {
    return this.scheduleFromCatalogue ? this.catalogue.schedule() : this.policy;
  }

  async applyLifecyclePolicy(): Promise<LifecycleRunResult> {
    const now = this.clock();
    const result: LifecycleRunResult = { reminded: [], autoResolved: [], autoClosed: [] };
    const system: Actor = { kind: 'system', id: 'lifecycle', name: 'Helpline' };
    const resolveBefore = new Date(now.getTime() - this.policy.pendingAutoResolveDays * DAY_MS);
    const closeBefore = new Date(now.getTime() - this.policy.resolvedAutoCloseDays * DAY_MS);

    const pending = await this.guard(() =>
      this.tickets.find({ status: 'pending' }, { number: 1 }).lean().exec(),
    );
    for (const { number } of pending) {
      const outcome = await this.mutate<{ kind: 'skip' }>(
        number,
        system,
        () => true,
        (ticket, at) => {
          if (ticket.status !== 'pending' || !ticket.pendingSince) return { kind: 'skip' as const };
          if (ticket.pendingSince.getTime() <= resolveBefore.getTime()) {
            return {
              set: { status: 'resolved', resolvedAt: at, remindersSent: 0 },
              unset: ['pendingSince'],
              events: [statusEvent('pending', 'resolved', 'no_customer_reply')],
              audit: { action: 'ticket.resolved', details: { from: 'pending', reason: 'no_customer_reply' } },
            };
          }
          const elapsedDays = (at.getTime() - ticket.pendingSince.getTime()) / DAY_MS;
          const due = this.policy.pendingReminderDays.filter((day) => elapsedDays >= day).length;
          if (due <= ticket.remindersSent) return { kind: 'skip' as const };
          return {
            set: { remindersSent: due },
            events: [{ type: 'reminder_sent', visibility: 'public', data: { reminder: due } }],
            audit: { action: 'ticket.reminder_sent', details: { reminder: due } },
          };
        },
      );
      if (outcome.kind !== 'ok') continue;
      if (outcome.ticket.status === 'resolved') result.autoResolved.push(outcome.ticket);
      else result.reminded.push(outcome.ticket);
    }

    const resolved = await this.guard(() =>
      this.tickets
        .find({ status: 'resolved', resolvedAt: { $lte: closeBefore } }, { number: 1 })
        .lean()
        .exec(),
    );
    for (const { number } of resolved) {
      const outcome = await this.mutate<{ kind: 'skip' }>(
        number,
        system,
        () => true,
        (ticket, at) => {
          if (
            ticket.status !== 'resolved' ||
            !ticket.resolvedAt ||
            ticket.resolvedAt.getTime() > closeBefore.getTime()
          ) {
            return { kind: 'skip' as const };
          }
          return {
            set: { status: 'closed', closedAt: at },
            events: [statusEvent('resolved', 'closed', 'reopen_window_passed')],
            audit: { action: 'ticket.closed', details: { reason: 'reopen_window_passed' } },
          };
        },
      );
      if (outcome.kind === 'ok') result.autoClosed.push(outcome.ticket);
    }
    return result;
  }

  findTicketNumbers(text: string): string[] {
    const prefix = this.policy.numberPrefix;
    const pattern = new RegExp(`(?<![A-Za-z0-9])${escapeRegex(prefix)}\\s?(\\d{4,})(?!\\d)`, 'gi');
    const found = new Set<string>();
    for (const match of text.matchAll(pattern)) found.add(`${prefix.toUpperCase()}${match[1]}`);
    return [...found];
  }

  private statusChange(
    ticket: Ticket,
    next: TicketStatus,
    now: Date,
    details: { reason: string; note?: string; missingInformation?: string[] },
  ): TicketChange {
    const set: Partial<TicketDocument> = { status: next };
    const unset: (keyof TicketDocument)[] = [];
    if (next === 'resolved') set.resolvedAt = now;
    if (next === 'closed') set.closedAt = now;
    if (next !== 'resolved' && next !== 'closed' && ticket.resolvedAt) unset.push('resolvedAt');
    if (next === 'pending' && ticket.status !== 'pending') {
      set.pendingSince = now;
      set.remindersSent = 0;
    }
    if (next !== 'pending') unset.push('pendingSince');
    if (details.missingInformation) set.missingInformation = details.missingInformation;
    else if (next !== 'on_hold' && ticket.status === 'on_hold') set.missingInformation = [];
    return {
      set,
      unset,
      events: [statusEvent(ticket.status, next, details.reason, details.note)],
      audit: {
        action: 'ticket.status_changed',
        details: { from: ticket.status, to: next, ...(details.note ? { note: details.note } : {}) },
      },
    };
  }

  /**
   * Applies one change to a ticket under its lock: `decide` sees the current ticket and
   * returns either a change (saved, with its timeline and audit events) or a refusal.
   *
   * With an idempotency key, the change's first timeline event takes an id derived from the
   * key, in the same single-document update as the change itself (atomic on every
   * MongoDB-compatible server, unlike a separate "done" marker), and the key is looked for under
   * the ticket's lock (a unique insert) before deciding: a repeat finds it and writes nothing,
   * even when the first attempt's answer was lost to a timeout after the write.
   */
  private async mutate<R extends { kind: string }>(
    number: string,
    actor: Actor,
    mayAccess: (ticket: Ticket) => boolean,
    decide: (ticket: Ticket, now: Date) => TicketChange | R,
    key?: string,
  ): Promise<{ kind: 'ok'; ticket: Ticket } | { kind: 'not_found' } | R> {
    const normalised = number.trim().toUpperCase();
    return await this.guard(async () => {
      const id = (await this.findByNumber(number))?.id;
      if (!id) return { kind: 'not_found' as const };
      return await this.lock.withLock(normalised, async () => {
        const current = await this.loadById(id);
        if (!current || !mayAccess(current)) return { kind: 'not_found' as const };
        const keyedEventId = key === undefined ? undefined : eventIdForKey(key, actor);
        const done = keyedEventId ? current.timeline.find((event) => event.id === keyedEventId) : undefined;
        if (done) {
          this.log.info({ ticketNumber: current.number, type: done.type }, 'repeated ticket action ignored');
          return { kind: 'ok' as const, ticket: actor.kind === 'customer' ? publicView(current) : current };
        }
        const now = this.clock();
        const decision = decide(current, now);
        if (!('events' in decision)) return hide(decision, actor);
        const events: TimelineEvent[] = decision.events.map((event, i) => ({
          ...event,
          id: i === 0 && keyedEventId ? keyedEventId : randomUUID(),
          at: now,
          by: actor,
        }));
        const update: Record<string, unknown> = {
          $set: { ...decision.set, timeline: [...current.timeline, ...events], updatedAt: now },
        };
        const unset = (decision.unset ?? []).filter((field) => !(decision.set && field in decision.set));
        if (unset.length) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
        await this.tickets.updateOne({ _id: current.id }, update).exec();
        await this.audit.record({
          ...(keyedEventId ? { id: `${decision.audit.action}:${keyedEventId}` } : {}),
          actor,
          action: decision.audit.action,
          ticketNumber: current.number,
          at: now,
          details: decision.audit.details ?? {},
        });
        const updated = await this.loadById(id);
        if (!updated) return { kind: 'not_found' as const };
        return { kind: 'ok' as const, ticket: actor.kind === 'customer' ? publicView(updated) : updated };
      });
    });
  }

  private async draft(
    input: z.output<typeof ticketCreateInputSchema>,
    idempotencyKey: string,
  ): Promise<Omit<TicketDocument, '_id' | 'number' | 'sequence'>> {
    const now = this.clock();
    const requester = await this.identity.getKnownContact(input.requesterContactId);
    if (!requester) {
      throw new AppError(
        'forbidden',
        `Tickets: no contact "${input.requesterContactId}" to open a ticket for.`,
        {
          userMessageKey: 'errors.forbidden',
        },
      );
    }
    if (input.type === 'technical' && !requester.canOpenTickets) {
      throw new AppError(
        'forbidden',
        `Tickets: the contact may not open technical tickets (${requester.reason}).`,
        {
          userMessageKey: 'errors.forbidden',
        },
      );
    }
    const requesterEmail = requester.contact.email.toLowerCase();
    const ccs = [
      ...new Set([
        requester.organisation.accountManager.email.toLowerCase(),
        ...input.ccs.map((cc) => cc.toLowerCase()),
      ]),
    ].filter((cc) => cc !== requesterEmail);
    const actor: Actor = { kind: 'customer', id: requester.contact.id, name: requester.contact.name };
    const common = {
      requester: { contactId: requester.contact.id, name: requester.contact.name, email: requesterEmail },
      organisationId: requester.organisation.id,
      organisationName: requester.organisation.name,
      ccs,
      channel: input.channel,
      ...(input.conversationRefId === undefined ? {} : { conversationRefId: input.conversationRefId }),
      ...(input.locale === undefined ? {} : { locale: input.locale }),
      idempotencyKey,
      createdAt: now,
      updatedAt: now,
      remindersSent: 0,
      triagePriority: requester.certifiedAdmin,
    };

    if (input.type === 'billing') {
      const subject = input.subject ?? truncate(input.description, 80);
      return {
        ...common,
        type: 'billing',
        subject,
        description: input.description,
        severity: 3,
        priority: priorityForSeverity(3),
        module: 'billing',
        billing: {
          topic: input.topic,
          ...(input.invoiceNumber === undefined ? {} : { invoiceNumber: input.invoiceNumber }),
          ...(input.amount === undefined ? {} : { amount: input.amount }),
          ...(input.currency === undefined ? {} : { currency: input.currency }),
        },
        articlesTried: [],
        status: 'new',
        missingInformation: [],
        expectedFirstResponse: dueAfter(
          now,
          this.schedule().billingFirstResponse,
          this.schedule().businessHours,
        ),
        escalated: false,
        timeline: [createdEvent(now, actor, { status: 'new', type: 'billing' })],
      };
    }

    const mod = this.catalogue.get(input.module);
    if (!mod || !mod.technical)
      throw invalid(`module: "${input.module}" is not a technical module of the catalogue.`);
    let missing: string[] = [...input.unknownFields];
    let devices = input.devices;
    if (!mod.hasDevices) {
      devices ??= [];
      missing = missing.filter((field) => field !== 'devices');
    } else if (devices !== undefined && devices.length === 0) {
      throw invalid(
        `devices: the module ${mod.id} runs on devices; give at least one example or mark it unknown.`,
      );
    } else if (devices === undefined && !missing.includes('devices')) {
      throw invalid('devices: required (or listed in unknownFields).');
    }
    let versionWarning: VersionWarning | undefined;
    if (input.productVersion !== undefined) {
      if (!mod.versionPattern.test(input.productVersion)) {
        throw invalid(
          `productVersion: "${input.productVersion}" is not in the format ${mod.versionFormat.en}.`,
        );
      }
      const support = this.catalogue.versionSupport(mod.id, input.productVersion, now);
      if (support.status !== 'supported')
        versionWarning = { status: support.status, supportedVersions: support.supported };
    }
    const severity = input.severity;
    const status: TicketStatus = missing.length ? 'on_hold' : 'new';
    const escalated = severity === 1 && this.policy.autoEscalateSeverity1;
    const timeline: TimelineEvent[] = [
      createdEvent(now, actor, {
        status,
        severity,
        ...(missing.length ? { missingInformation: missing } : {}),
      }),
    ];
    if (escalated) {
      timeline.push({
        id: randomUUID(),
        type: 'escalated',
        at: now,
        by: { kind: 'system', id: 'policy', name: 'Helpline' },
        visibility: 'public',
        data: { reason: 'severity_1' },
      });
    }
    return {
      ...common,
      type: 'technical',
      subject: input.subject,
      description: input.description,
      ...(input.expectedResult === undefined ? {} : { expectedResult: input.expectedResult }),
      severity,
      priority: priorityForSeverity(severity),
      module: mod.id,
      ...(input.serverUrl === undefined ? {} : { serverUrl: input.serverUrl }),
      ...(input.stepsToReproduce === undefined ? {} : { stepsToReproduce: input.stepsToReproduce }),
      ...(devices === undefined ? {} : { devices }),
      ...(input.productVersion === undefined ? {} : { productVersion: input.productVersion }),
      ...(versionWarning === undefined ? {} : { versionWarning }),
      ...(input.relatedTicketNumber === undefined
        ? {}
        : { relatedTicketNumber: input.relatedTicketNumber.toUpperCase() }),
      articlesTried: input.articlesTried,
      status,
      missingInformation: missing,
      expectedFirstResponse: dueAfter(
        now,
        this.schedule().firstResponse[severity],
        this.schedule().businessHours,
      ),
      escalated,
      timeline,
    };
  }

  /**
   * Exactly-once rests on the unique indexes on `number` and `idempotencyKey`; on a fresh
   * database the first creates must not run before they exist. Retried after a failure.
   */
  private async ensureIndexes(): Promise<void> {
    this.indexesReady ??= this.tickets.ensureIndexes().catch((error: unknown) => {
      this.indexesReady = undefined;
      throw error;
    });
    await this.indexesReady;
  }

  /**
   * The ticket opened with `key`, by `_id` through the key's link. Without one, nothing was
   * opened with the key since links exist; a ticket opened with it before is caught by the unique
   * key index when inserting, and `findByKeyQuery` finds it then.
   */
  private async findByKey(key: string, requesterContactId: string): Promise<Ticket | undefined> {
    const ticketId = await keyTarget(this.keys, ticketKey.idempotency(key));
    const linked = ticketId ? await this.loadById(ticketId) : undefined;
    if (!linked || linked.idempotencyKey !== key) return undefined;
    return this.ownedBy(linked, requesterContactId);
  }

  /** The ticket opened with `key`, by a query on the key (after the unique index refused an insert). */
  private async findByKeyQuery(key: string, requesterContactId: string): Promise<Ticket | undefined> {
    const doc = await this.tickets.findOne({ idempotencyKey: key }).lean().exec();
    if (!doc) return undefined;
    await writeKeyLinks(this.keys, [{ key: ticketKey.idempotency(key), targetId: doc._id }]);
    return this.ownedBy(toTicket(doc), requesterContactId);
  }

  private ownedBy(ticket: Ticket, requesterContactId: string): Ticket {
    if (ticket.requester.contactId !== requesterContactId) {
      throw new AppError('conflict', 'Tickets: this idempotency key was used by another requester.');
    }
    return ticket;
  }

  /** Idempotent, so that a create retried after a failure between insert and audit completes the trail. */
  private async recordCreated(ticket: Ticket): Promise<void> {
    const created = ticket.timeline.find((event) => event.type === 'created');
    await this.audit.record({
      id: `ticket.created:${ticket.number}`,
      actor: created?.by ?? { kind: 'customer', id: ticket.requester.contactId, name: ticket.requester.name },
      action: 'ticket.created',
      ticketNumber: ticket.number,
      at: ticket.createdAt,
      details: {
        type: ticket.type,
        severity: ticket.severity,
        status: ticket.status,
        channel: ticket.channel,
      },
    });
  }

  async setSummary(number: string, summary: Omit<TicketSummary, 'at'>): Promise<boolean> {
    const { problem, status } = summary;
    const result = await this.guard(async () => {
      const id = (await this.findByNumber(number))?.id;
      if (!id) return { matchedCount: 0 };
      return await this.tickets
        .updateOne({ _id: id }, { $set: { summary: { problem, status, at: this.clock() } } })
        .exec();
    });
    return result.matchedCount > 0;
  }

  /** The listener's work is its own: a failure there is not the ticket's. */
  private tellCreated(ticket: Ticket): void {
    try {
      this.createdListener?.(ticket);
    } catch (error) {
      this.log.warn({ err: error, ticketNumber: ticket.number }, 'ticket-created listener failed');
    }
  }

  private async load(number: string): Promise<Ticket | undefined> {
    return await this.guard(async () => await this.findByNumber(number));
  }

  private async loadById(id: string): Promise<Ticket | undefined> {
    const doc = await this.tickets.findOne({ _id: id }).lean().exec();
    return doc ? toTicket(doc) : undefined;
  }

  /**
   * The ticket numbered `number`, by `_id` through its number's link (see `ticketKey`). A number
   * without a link, or whose link leads elsewhere (a create that lost to another after linking),
   * is looked up by `number`, and linked when found.
   */
  private async findByNumber(number: string): Promise<Ticket | undefined> {
    const normalised = number.trim().toUpperCase();
    const ticketId = await keyTarget(this.keys, ticketKey.number(normalised));
    const linked = ticketId ? await this.loadById(ticketId) : undefined;
    if (linked?.number === normalised) return linked;
    const doc = await this.tickets.findOne({ number: normalised }).lean().exec();
    if (!doc) return undefined;
    await writeKeyLinks(this.keys, [{ key: ticketKey.number(normalised), targetId: doc._id }]);
    return toTicket(doc);
  }

  private textClause(text: string | undefined): Record<string, unknown> | undefined {
    const trimmed = text?.trim();
    if (!trimmed) return undefined;
    const numbers = this.findTicketNumbers(trimmed);
    if (numbers.length === 1 && numbers[0] && trimmed.length <= numbers[0].length + 1)
      return { number: numbers[0] };
    const pattern = { $regex: escapeRegex(trimmed), $options: 'i' };
    return { $or: [{ subject: pattern }, { description: pattern }, { number: pattern }] };
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    return await withDatabaseErrors('Tickets', operation);
  }
}

function actionKey(options: TicketActionOptions): string | undefined {
  return options.idempotencyKey === undefined
    ? undefined
    : parse(idempotencyKeySchema, options.idempotencyKey, 'idempotency key');
}

/** The timeline event id a keyed action gets: the key, the actor's and nothing else. */
function eventIdForKey(key: string, actor: Actor): string {
  return `k-${createHash('sha256').update(`${actor.kind}:${actor.id}:${key}`).digest('hex').slice(0, 32)}`;
}

/** Same organisation, and the requester, a CC, or an authorized contact. */
function canView(ticket: Ticket, viewer: TicketViewer): boolean {
  if (ticket.organisationId !== viewer.organisationId) return false;
  return (
    viewer.authorized ||
    ticket.requester.contactId === viewer.contactId ||
    ticket.ccs.includes(viewer.email.toLowerCase())
  );
}

function publicView(ticket: Ticket): Ticket {
  // The staff summary is written for the engineer, like an internal note.
  const shown: Ticket = {
    ...ticket,
    timeline: ticket.timeline.filter((event) => event.visibility === 'public'),
  };
  delete shown.summary;
  return shown;
}

/** Refusals carry the ticket as the actor may see it. */
function hide<R extends { kind: string }>(refusal: R, actor: Actor): R {
  const withTicket = refusal as R & { ticket?: Ticket };
  if (actor.kind !== 'customer' || !withTicket.ticket) return refusal;
  return { ...refusal, ticket: publicView(withTicket.ticket) };
}

function customerActor(viewer: TicketViewer): Actor {
  return { kind: 'customer', id: viewer.contactId, name: viewer.name };
}

function staffActor(staff: StaffMember): Actor {
  return { kind: 'staff', id: staff.id, name: staff.name };
}

function statusEvent(
  from: TicketStatus,
  to: TicketStatus,
  reason: string,
  note?: string,
): Omit<TimelineEvent, 'id' | 'at' | 'by'> {
  return {
    type: 'status_changed',
    visibility: 'public',
    data: { from, to, reason, ...(note ? { note } : {}) },
  };
}

function createdEvent(at: Date, by: Actor, data: Record<string, unknown>): TimelineEvent {
  return { id: randomUUID(), type: 'created', at, by, visibility: 'public', data };
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('invalid_input', `Tickets: invalid ${what}: ${z.prettifyError(result.error)}`, {
      cause: result.error,
      userMessageKey: 'errors.invalid_input',
    });
  }
  return result.data;
}

function invalid(message: string): AppError {
  return new AppError('invalid_input', `Tickets: invalid ticket: ${message}`, {
    userMessageKey: 'errors.invalid_input',
  });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1).trimEnd()}…`;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(Math.floor(value), min), max);
}

/** The status a resolved ticket had just before it was resolved, from its timeline. */
function statusBeforeResolution(ticket: Ticket): TicketStatus | undefined {
  for (let i = ticket.timeline.length - 1; i >= 0; i -= 1) {
    const event = ticket.timeline[i];
    if (event?.type === 'status_changed' && event.data.to === 'resolved') {
      const from = event.data.from;
      return typeof from === 'string' && (TICKET_STATUSES as readonly string[]).includes(from)
        ? (from as TicketStatus)
        : undefined;
    }
  }
  return undefined;
}

/**
 * The keys a ticket is found by (`ticket_keys`, see `KeyLinkDocument`): its number and the
 * idempotency key it was opened with. Every action on a ticket starts from its number and every
 * submit from its key, and FerretDB v1 over SQLite looks documents up by a string `_id` only: a
 * query by `number` scans every ticket (bench:tickets: 134 ms at 1,000 tickets, 813 ms at 5,000),
 * and so does a numeric `_id` (the number reservations). The keys are written before the ticket;
 * a ticket opened before they existed is found by a query once, and its key written then.
 */
const ticketKey = {
  number: (number: string): string => `number:${number}`,
  idempotency: (key: string): string => `key:${key}`,
};
