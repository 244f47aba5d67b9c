import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AuditFilter, AuditLog } from '../services/audit';
import type { Logger } from '../services/logger';
import { ticketUpdateFor, type Notifier, type NotifyOutcome } from '../services/notifications';
import {
  TICKET_STATUSES,
  TICKET_TYPES,
  ticketFieldSchemas,
  type StaffMember,
  type StaffTicketQuery,
  type Ticket,
  type TicketService,
} from '../services/tickets';
import { HttpError, httpErrorHandler, jsonBody } from './httpError';

/** Where the lead mounts the router: `app.use(STAFF_API_PATH, createStaffApiRouter(...))`. */
export const STAFF_API_PATH = '/api/staff';

export interface StaffToken {
  token: string;
  staff: StaffMember;
}

export interface StaffApiOptions {
  tickets: TicketService;
  audit: AuditLog;
  /** Tells requesters about status changes and public comments; none when absent. */
  notifier?: Notifier;
  /** Each bearer token names one staff member. An empty list refuses every request. */
  staffTokens: StaffToken[];
  logger: Logger;
  /** The organisations, contacts and access-request routes (staffDirectoryApi.ts), behind the same authentication. */
  directory?: Router;
  /** How long a call waits for its notification before answering (it carries on in the background); 3 s when absent. */
  notifyWaitMs?: number;
}

/** The staff API's errors are the one problem type of the HTTP surface. */
class ApiError extends HttpError {
  constructor(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
    super(status, code, message, {}, extra);
  }
}

/** An optional `Idempotency-Key` header: the same key changes a ticket once. */
const idempotencyHeaderSchema = z.string().trim().min(8).max(200).optional();

const listFromQuery = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) =>
      value === undefined
        ? undefined
        : (Array.isArray(value) ? value : [value])
            .flatMap((part) => part.split(','))
            .map((part) => part.trim())
            .filter(Boolean),
    )
    .pipe(z.array(item).optional());

const singleFromQuery = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (Array.isArray(value) ? value[value.length - 1] : value)?.trim() || undefined);

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'Expected a whole number.')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const isoDate = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'Expected a date such as 2026-11-02T10:00:00Z.')
  .transform((value) => new Date(value));

const ticketQuerySchema = z.object({
  status: listFromQuery(z.enum(TICKET_STATUSES)),
  severity: listFromQuery(integer(1, 4).pipe(ticketFieldSchemas.severity)),
  organisationId: singleFromQuery,
  assigneeId: singleFromQuery,
  type: singleFromQuery.pipe(z.enum(TICKET_TYPES).optional()),
  q: singleFromQuery.pipe(z.string().max(200).optional()),
  page: singleFromQuery.pipe(integer(1, 10_000).optional()),
  pageSize: singleFromQuery.pipe(integer(1, 100).optional()),
});

const auditQuerySchema = z.object({
  ticketNumber: singleFromQuery.transform((v) => v?.toUpperCase()),
  actorId: singleFromQuery,
  actorKind: singleFromQuery.pipe(z.enum(['customer', 'staff', 'system']).optional()),
  action: singleFromQuery,
  from: singleFromQuery.pipe(isoDate.optional()),
  to: singleFromQuery.pipe(isoDate.optional()),
  limit: singleFromQuery.pipe(integer(1, 1000).optional()),
});

const statusBodySchema = z.strictObject({
  status: z.enum(TICKET_STATUSES),
  note: ticketFieldSchemas.comment.optional(),
  missingInformation: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
});

const commentBodySchema = z.strictObject({
  text: ticketFieldSchemas.comment,
  visibility: z.enum(['public', 'internal']),
});

const assignBodySchema = z.strictObject({
  assignee: z.strictObject({
    id: z.string().trim().min(1).max(200),
    name: z.string().trim().min(1).max(200),
  }),
});

const ticketNumberSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,40}$/);

/**
 * The staff API (JSON under `/api/staff`): the ticket queue, one ticket, status changes,
 * comments, assignment and the audit trail. Every ticket read or change is audited by the
 * ticket service; status changes and public comments are sent to the requester.
 */
export function createStaffApiRouter(options: StaffApiOptions): Router {
  const log = options.logger.child({ component: 'staff-api' });
  const authenticate = bearerAuthenticator(options.staffTokens);
  const notifyWaitMs = options.notifyWaitMs ?? 3_000;
  const router = Router();

  router.use((req, res, next) => {
    const staff = authenticate(req.get('authorization'));
    if (!staff) {
      next(
        new HttpError(401, 'Unauthorized', 'A valid staff bearer token is required.', {
          'WWW-Authenticate': 'Bearer realm="helpline-staff"',
        }),
      );
      return;
    }
    res.locals.staff = staff;
    next();
  });
  router.use(jsonBody({ limit: 64 * 1024 }));
  if (options.directory) router.use(options.directory);

  router.get('/tickets', async (req, res) => {
    const query = parse(ticketQuerySchema, req.query, 'query');
    const staffQuery: StaffTicketQuery = {
      ...(query.status ? { status: query.status } : {}),
      ...(query.severity ? { severity: query.severity } : {}),
      ...(query.organisationId ? { organisationId: query.organisationId } : {}),
      ...(query.assigneeId ? { assigneeId: query.assigneeId } : {}),
      ...(query.type ? { type: query.type } : {}),
      ...(query.q ? { text: query.q } : {}),
      ...(query.page ? { page: query.page } : {}),
      ...(query.pageSize ? { pageSize: query.pageSize } : {}),
    };
    const page = await options.tickets.listForStaff(staffQuery, staffOf(res));
    res.json({ ...page, items: page.items.map(queueItem) });
  });

  router.get('/tickets/:number', async (req, res) => {
    const number = ticketNumber(req);
    const ticket = await options.tickets.getForStaff(number, staffOf(res));
    if (!ticket) throw notFound(number);
    res.json({ ticket });
  });

  router.post('/tickets/:number/status', async (req, res) => {
    const number = ticketNumber(req);
    const body = parse(statusBodySchema, req.body, 'body');
    const staff = staffOf(res);
    const result = await options.tickets.changeStatus(number, staff, body.status, {
      ...idempotencyKeyOf(req),
      ...(body.note === undefined ? {} : { note: body.note }),
      ...(body.missingInformation === undefined ? {} : { missingInformation: body.missingInformation }),
    });
    if (result.kind === 'not_found') throw notFound(number);
    if (result.kind === 'not_allowed') throw notAllowed(result.status);
    log.info(
      { staffId: staff.id, ticketNumber: result.ticket.number, status: body.status },
      'status changed by staff',
    );
    const notification = await notify(result.ticket, 'status_changed');
    res.json({ ticket: result.ticket, notification });
  });

  router.post('/tickets/:number/comments', async (req, res) => {
    const number = ticketNumber(req);
    const body = parse(commentBodySchema, req.body, 'body');
    const staff = staffOf(res);
    const result = await options.tickets.addComment(
      number,
      { kind: 'staff', staff, visibility: body.visibility },
      body.text,
      idempotencyKeyOf(req),
    );
    if (result.kind === 'not_found') throw notFound(number);
    if (result.kind === 'not_allowed') throw notAllowed(result.status);
    log.info(
      { staffId: staff.id, ticketNumber: result.ticket.number, visibility: body.visibility },
      'comment added by staff',
    );
    const notification = body.visibility === 'public' ? await notify(result.ticket, 'comment') : undefined;
    res.status(201).json({ ticket: result.ticket, ...(notification ? { notification } : {}) });
  });

  router.post('/tickets/:number/assign', async (req, res) => {
    const number = ticketNumber(req);
    const body = parse(assignBodySchema, req.body, 'body');
    const staff = staffOf(res);
    const result = await options.tickets.assign(number, staff, body.assignee);
    if (result.kind === 'not_found') throw notFound(number);
    log.info({ staffId: staff.id, ticketNumber: result.ticket.number }, 'ticket assigned by staff');
    res.json({ ticket: result.ticket });
  });

  router.get('/audit', async (req, res) => {
    const query = parse(auditQuerySchema, req.query, 'query');
    const filter: AuditFilter = {
      ...(query.ticketNumber ? { ticketNumber: query.ticketNumber } : {}),
      ...(query.actorId ? { actorId: query.actorId } : {}),
      ...(query.actorKind ? { actorKind: query.actorKind } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
    };
    const events = await options.audit.list(filter);
    res.json({ events });
  });

  router.use((_req, _res) => {
    throw new ApiError(404, 'NotFound', 'No such staff API route.');
  });

  router.use(httpErrorHandler(log));

  /** Sends the update without ever failing the staff call; waits at most `notifyWaitMs` for the outcome. */
  async function notify(
    ticket: Ticket,
    type: 'status_changed' | 'comment',
  ): Promise<NotifyOutcome | { kind: 'in_progress' } | { kind: 'none' }> {
    const update = ticketUpdateFor(ticket, type);
    if (!options.notifier || !update) return { kind: 'none' };
    const sending = options.notifier.notify(update).catch((error: unknown) => {
      log.warn({ err: error, ticketNumber: ticket.number }, 'notification failed');
      return { kind: 'pending', reason: 'failed' } as const;
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<{ kind: 'in_progress' }>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'in_progress' }), notifyWaitMs);
    });
    try {
      return await Promise.race([sending, waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  return router;
}

/**
 * Finds the staff member a bearer token names. Every configured token is compared, in constant
 * time over equal-length digests, so the answer's timing tells nothing about near misses.
 */
export function bearerAuthenticator(
  tokens: StaffToken[],
): (header: string | undefined) => StaffMember | undefined {
  const known = tokens.map(({ token, staff }) => ({ digest: digest(token), staff }));
  return (header) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match?.[1]) return undefined;
    const presented = digest(match[1]);
    let found: StaffMember | undefined;
    for (const candidate of known) {
      if (timingSafeEqual(candidate.digest, presented) && !found) found = candidate.staff;
    }
    return found ? { id: found.id, name: found.name } : undefined;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function staffOf(res: Response): StaffMember {
  return res.locals.staff as StaffMember;
}

function ticketNumber(req: Request): string {
  const result = ticketNumberSchema.safeParse(req.params.number);
  if (!result.success) throw new ApiError(404, 'NotFound', 'No such ticket.');
  return result.data.toUpperCase();
}

function parse<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query'): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new ApiError(400, 'BadRequest', `Invalid ${where}:\n${z.prettifyError(result.error)}`, {
      issues: result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    });
  }
  return result.data;
}

function notFound(number: string): ApiError {
  return new ApiError(404, 'NotFound', `No ticket ${number.toUpperCase()}.`);
}

function notAllowed(status: string): ApiError {
  return new ApiError(409, 'NotAllowed', `The ticket is ${status}: it cannot be changed any more.`, {
    status,
  });
}

function idempotencyKeyOf(req: Request): { idempotencyKey?: string } {
  const key = idempotencyHeaderSchema.safeParse(req.get('idempotency-key'));
  if (!key.success) throw new ApiError(400, 'BadRequest', 'Idempotency-Key: 8 to 200 characters.');
  return key.data === undefined ? {} : { idempotencyKey: key.data };
}

/** One line of the queue: what a staff member needs to pick a ticket (the staff API's and the console's). */
export function queueItem(ticket: Ticket): Record<string, unknown> {
  return {
    number: ticket.number,
    type: ticket.type,
    subject: ticket.subject,
    status: ticket.status,
    severity: ticket.severity,
    priority: ticket.priority,
    triagePriority: ticket.triagePriority,
    escalated: ticket.escalated,
    module: ticket.module,
    organisationId: ticket.organisationId,
    organisationName: ticket.organisationName,
    requester: ticket.requester,
    ...(ticket.assignee ? { assignee: ticket.assignee } : {}),
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    expectedFirstResponse: ticket.expectedFirstResponse,
  };
}
