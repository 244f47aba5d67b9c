import path from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../services/audit';
import type { ProductCatalogue } from '../../services/catalogue';
import { isAppError } from '../../services/errors';
import type { HandoffService } from '../../services/handoff';
import type { Logger } from '../../services/logger';
import { ticketUpdateFor, type Notifier } from '../../services/notifications';
import {
  TICKET_STATUSES,
  ticketFieldSchemas,
  type StaffMember,
  type Ticket,
  type TicketService,
} from '../../services/tickets';
import { bearerAuthenticator, queueItem, type StaffToken } from '../staffApi';
import type { ConsoleStreams } from './liveFeed';
import { sameToken, type ConsoleSession, type ConsoleSessions } from './sessions';

export const CONSOLE_PATH = '/console';
const COOKIE = 'hl_console';

export interface ConsoleRouterOptions {
  projectRoot: string;
  staffTokens: StaffToken[];
  sessions: ConsoleSessions;
  /** The live updates (Server-Sent Events) at /console/api/events. */
  streams: ConsoleStreams;
  tickets: TicketService;
  audit: AuditLog;
  handoffs: HandoffService;
  catalogue: ProductCatalogue;
  notifier?: Notifier | undefined;
  /** Satisfaction answers of one ticket, for the ticket view. */
  satisfactionFor?: ((ticketNumber: string) => Promise<unknown[]>) | undefined;
  /** Figures over a period (item 4). */
  figures?: ((from: Date, to: Date) => Promise<unknown>) | undefined;
  logger: Logger;
  clock: () => Date;
}

class ConsoleError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const signInSchema = z.strictObject({ token: z.string().trim().min(1).max(500) });
const commentSchema = z.strictObject({
  text: ticketFieldSchemas.comment,
  visibility: z.enum(['public', 'internal']),
});
const statusSchema = z.strictObject({
  status: z.enum(TICKET_STATUSES),
  note: ticketFieldSchemas.comment.optional(),
});
const messageSchema = z.strictObject({ text: z.string().trim().min(1).max(4000) });
const convertSchema = z.strictObject({
  module: z.string().trim().min(1).max(60),
  severity: z.coerce.number().int().min(1).max(4),
  subject: z.string().trim().max(150).optional(),
});
const queueSchema = z.object({
  status: z.string().max(100).optional(),
  severity: z.string().max(20).optional(),
  q: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional(),
});
const periodSchema = z.object({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

/**
 * The agent console at /console: its page, and its JSON API under /console/api. A staff token
 * is exchanged once for an HTTP-only session cookie; every change also needs the session's CSRF
 * token in `X-CSRF-Token` (and a same-origin `Origin` when the browser sends one).
 */
export function createConsoleRouter(options: ConsoleRouterOptions): Router {
  const log = options.logger.child({ component: 'console' });
  const authenticate = bearerAuthenticator(options.staffTokens);
  const router = Router();
  const webDir = path.join(options.projectRoot, 'web', 'console');

  router.use((_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.get('/', (_req, res) => {
    res.sendFile(path.join(webDir, 'index.html'));
  });
  router.use('/assets', express.static(webDir, { index: false }));

  const api = Router();
  router.use('/api', api);
  api.use(express.json({ limit: '64kb' }));

  api.post('/session', async (req, res) => {
    const body = parse(signInSchema, req.body);
    const staff = authenticate(`Bearer ${body.token}`);
    if (!staff) throw new ConsoleError(401, 'Unauthorized', 'This staff token is not valid.');
    const { cookie, session } = await options.sessions.create(staff);
    const secure = req.secure ? '; Secure' : '';
    const maxAge = Math.floor((session.expiresAt.getTime() - options.clock().getTime()) / 1000);
    res.setHeader(
      'Set-Cookie',
      `${COOKIE}=${cookie}; HttpOnly; SameSite=Strict; Path=${CONSOLE_PATH}; Max-Age=${maxAge}${secure}`,
    );
    log.info({ staffId: staff.id }, 'console sign-in');
    res.json({ staff: session.staff, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  });

  // Everything below needs a session; changes also need the CSRF token.
  api.use(async (req, res, next) => {
    const cookie = readCookie(req.get('cookie'), COOKIE);
    const session = await options.sessions.find(cookie);
    if (!session)
      throw new ConsoleError(401, 'SessionExpired', 'Your session has ended; please sign in again.');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const presented = req.get('x-csrf-token') ?? '';
      const origin = req.get('origin');
      const sameOrigin = !origin || origin === `${req.protocol}://${req.get('host')}`;
      if (!presented || !sameToken(presented, session.csrfToken) || !sameOrigin) {
        log.warn({ staffId: session.staff.id, path: req.path }, 'console change refused: CSRF check failed');
        throw new ConsoleError(
          403,
          'CsrfRefused',
          'This change was refused: reload the console and try again.',
        );
      }
    }
    res.locals.session = session;
    res.locals.cookie = cookie;
    next();
  });

  api.get('/session', (_req, res) => {
    const session = sessionOf(res);
    res.json({ staff: session.staff, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  });
  api.post('/session/end', async (_req, res) => {
    await options.sessions.end(String(res.locals.cookie));
    res.setHeader('Set-Cookie', `${COOKIE}=; HttpOnly; SameSite=Strict; Path=${CONSOLE_PATH}; Max-Age=0`);
    res.json({ ended: true });
  });

  api.get('/events', async (req, res) => {
    const cookie = String(res.locals.cookie);
    const admitted = options.streams.admits(cookie);
    if (admitted === 'session_limit')
      throw new ConsoleError(429, 'TooManyStreams', 'Too many live views are open: close a console tab.');
    if (admitted === 'process_limit')
      throw new ConsoleError(
        503,
        'ServiceUnavailable',
        'Live updates are busy; the console refreshes instead.',
      );
    await options.streams.serve(req, res, cookie);
  });

  api.get('/modules', (_req, res) => {
    res.json({
      modules: options.catalogue.technicalModules().map((m) => ({ id: m.id, name: m.name })),
    });
  });

  api.get('/tickets', async (req, res) => {
    const query = parse(queueSchema, req.query);
    const statuses = (query.status ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s): s is Ticket['status'] => (TICKET_STATUSES as readonly string[]).includes(s));
    const severities = (query.severity ?? '')
      .split(',')
      .map(Number)
      .filter((n): n is 1 | 2 | 3 | 4 => [1, 2, 3, 4].includes(n));
    const page = await options.tickets.listForStaff(
      {
        ...(statuses.length ? { status: statuses } : { status: ['new', 'open', 'pending', 'on_hold'] }),
        ...(severities.length ? { severity: severities } : {}),
        ...(query.q?.trim() ? { text: query.q.trim() } : {}),
        ...(query.page ? { page: query.page } : {}),
        pageSize: 50,
      },
      staffOf(res),
    );
    res.json({ ...page, items: page.items.map(queueItem) });
  });

  api.get('/tickets/:number', async (req, res) => {
    const number = ticketNumber(req);
    const ticket = await options.tickets.getForStaff(number, staffOf(res));
    if (!ticket) throw new ConsoleError(404, 'NotFound', `No ticket ${number}.`);
    const views = await options.audit.list({ ticketNumber: number, action: 'ticket.viewed', limit: 50 });
    const satisfaction = (await options.satisfactionFor?.(number)) ?? [];
    res.json({
      ticket,
      viewers: views.map((v) => ({ name: v.actor.name, id: v.actor.id, at: v.at })),
      satisfaction,
    });
  });

  api.post('/tickets/:number/comments', async (req, res) => {
    const number = ticketNumber(req);
    const body = parse(commentSchema, req.body);
    const result = await options.tickets.addComment(
      number,
      { kind: 'staff', staff: staffOf(res), visibility: body.visibility },
      body.text,
    );
    if (result.kind === 'not_found') throw new ConsoleError(404, 'NotFound', `No ticket ${number}.`);
    if (result.kind === 'not_allowed') throw notAllowed(result.status);
    if (body.visibility === 'public') await notify(result.ticket, 'comment');
    res.status(201).json({ ticket: result.ticket });
  });

  api.post('/tickets/:number/status', async (req, res) => {
    const number = ticketNumber(req);
    const body = parse(statusSchema, req.body);
    const result = await options.tickets.changeStatus(number, staffOf(res), body.status, {
      ...(body.note ? { note: body.note } : {}),
    });
    if (result.kind === 'not_found') throw new ConsoleError(404, 'NotFound', `No ticket ${number}.`);
    if (result.kind === 'not_allowed') throw notAllowed(result.status);
    await notify(result.ticket, 'status_changed');
    res.json({ ticket: result.ticket });
  });

  api.post('/tickets/:number/assign', async (req, res) => {
    const number = ticketNumber(req);
    const staff = staffOf(res);
    const result = await options.tickets.assign(number, staff, staff);
    if (result.kind === 'not_found') throw new ConsoleError(404, 'NotFound', `No ticket ${number}.`);
    res.json({ ticket: result.ticket });
  });

  api.get('/handoffs', async (_req, res) => {
    const since = new Date(options.clock().getTime() - 24 * 3_600_000);
    const handoffs = await options.handoffs.list(since);
    res.json({ handoffs });
  });

  api.get('/handoffs/:id', async (req, res) => {
    const id = handoffId(req);
    const handoff = await options.handoffs.get(id);
    if (!handoff) throw new ConsoleError(404, 'NotFound', 'No such conversation.');
    res.json({ handoff, messages: await options.handoffs.messages(id) });
  });

  api.post('/handoffs/:id/accept', async (req, res) => {
    const result = await options.handoffs.accept(handoffId(req), staffOf(res));
    if (result.kind === 'not_found') throw new ConsoleError(404, 'NotFound', 'No such conversation.');
    if (result.kind === 'taken') {
      throw new ConsoleError(
        409,
        'Taken',
        result.by
          ? `${result.by.name} has already taken this conversation.`
          : 'This conversation is no longer waiting.',
      );
    }
    res.json({ handoff: result.handoff });
  });

  api.post('/handoffs/:id/messages', async (req, res) => {
    const body = parse(messageSchema, req.body);
    const result = await options.handoffs.agentMessage(handoffId(req), staffOf(res), body.text);
    if (result.kind === 'not_found') throw new ConsoleError(404, 'NotFound', 'No such conversation.');
    if (result.kind === 'not_active')
      throw new ConsoleError(409, 'NotActive', 'This conversation is not live.');
    res.status(201).json(result);
  });

  api.post('/handoffs/:id/end', async (req, res) => {
    const result = await options.handoffs.end(handoffId(req), { kind: 'agent', agent: staffOf(res) });
    if (result.kind === 'not_found') throw new ConsoleError(404, 'NotFound', 'No such conversation.');
    if (result.kind === 'already_ended')
      throw new ConsoleError(409, 'Ended', 'This conversation has already ended.');
    res.json({ handoff: result.handoff });
  });

  api.post('/handoffs/:id/ticket', async (req, res) => {
    const body = parse(convertSchema, req.body);
    if (!options.catalogue.get(body.module)?.technical)
      throw new ConsoleError(400, 'BadRequest', 'Unknown module.');
    const result = await options.handoffs.convertToTicket(handoffId(req), staffOf(res), {
      module: body.module,
      severity: body.severity as 1 | 2 | 3 | 4,
      subject: body.subject,
    });
    if (result.kind === 'not_found') throw new ConsoleError(404, 'NotFound', 'No such conversation.');
    if (result.kind === 'no_contact') {
      throw new ConsoleError(
        409,
        'NoContact',
        'This person is not signed in as a customer contact: a ticket cannot be opened for them.',
      );
    }
    res.status(201).json({ handoff: result.handoff, ticketNumber: result.ticketNumber });
  });

  api.get('/figures', async (req, res) => {
    if (!options.figures) throw new ConsoleError(404, 'NotFound', 'Figures are not available.');
    const period = parse(periodSchema, req.query);
    const to = period.to ? new Date(period.to) : options.clock();
    const from = period.from ? new Date(period.from) : new Date(to.getTime() - 30 * 24 * 3_600_000);
    if (from.getTime() >= to.getTime())
      throw new ConsoleError(400, 'BadRequest', '"from" must be before "to".');
    res.json(await options.figures(from, to));
  });

  api.use((_req, _res) => {
    throw new ConsoleError(404, 'NotFound', 'Not found.');
  });
  api.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const answer = toConsoleError(error);
    if (answer.status >= 500) log.error({ err: error }, 'console request failed');
    res.status(answer.status).json({ error: { code: answer.code, message: answer.message } });
  });

  async function notify(ticket: Ticket, type: 'status_changed' | 'comment'): Promise<void> {
    const update = ticketUpdateFor(ticket, type);
    if (!options.notifier || !update) return;
    const sending = options.notifier.notify(update).catch((error: unknown) => {
      log.warn({ err: error, ticketNumber: ticket.number }, 'notification failed');
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([sending, new Promise((resolve) => (timer = setTimeout(resolve, 3_000)))]);
    clearTimeout(timer);
  }

  return router;
}

function sessionOf(res: Response): ConsoleSession {
  return res.locals.session as ConsoleSession;
}

function staffOf(res: Response): StaffMember {
  return sessionOf(res).staff;
}

function ticketNumber(req: Request): string {
  const value = String(req.params.number ?? '');
  if (!/^[A-Za-z0-9-]{1,40}$/.test(value)) throw new ConsoleError(404, 'NotFound', 'No such ticket.');
  return value.toUpperCase();
}

function handoffId(req: Request): string {
  const value = String(req.params.id ?? '');
  if (!/^[0-9a-f-]{36}$/.test(value)) throw new ConsoleError(404, 'NotFound', 'No such conversation.');
  return value;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new ConsoleError(400, 'BadRequest', z.prettifyError(result.error));
  return result.data;
}

function notAllowed(status: string): ConsoleError {
  return new ConsoleError(409, 'NotAllowed', `The ticket is ${status}: it cannot be changed any more.`);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function toConsoleError(error: unknown): ConsoleError {
  if (error instanceof ConsoleError) return error;
  const e = error as { type?: string } | undefined;
  if (e?.type === 'entity.parse.failed')
    return new ConsoleError(400, 'BadRequest', 'The body is not valid JSON.');
  if (e?.type === 'entity.too.large') return new ConsoleError(413, 'TooLarge', 'The request is too large.');
  if (isAppError(error)) {
    if (error.code === 'invalid_input') return new ConsoleError(400, 'BadRequest', error.message);
    if (error.code === 'forbidden')
      return new ConsoleError(409, 'NotAllowed', 'This contact may not open tickets.');
    if (error.code === 'conflict')
      return new ConsoleError(409, 'Conflict', 'Someone else is changing this; try again.');
    if (error.code === 'database_unavailable' || error.code === 'unavailable')
      return new ConsoleError(503, 'ServiceUnavailable', 'The service is unavailable; try again shortly.');
  }
  return new ConsoleError(500, 'ServerError', 'Something went wrong.');
}
