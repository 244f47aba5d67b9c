import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  describeEvent,
  formatWhen,
  REQUEST_SCOPES,
  REQUEST_STATUS_FILTERS,
  severityText,
  STATUSES_OF_FILTER,
  statusLabel,
} from '../../dialogs/cards/requestCards';
import { catalogue as textsOf, t, type Locale } from '../../dialogs/texts';
import type { ProductCatalogue } from '../../services/catalogue';
import type { IdentityService, KnownContact } from '../../services/identity';
import type { Logger } from '../../services/logger';
import {
  ticketFieldSchemas,
  viewerFromContact,
  type Ticket,
  type TicketService,
  type TicketViewer,
} from '../../services/tickets';
import { HttpError } from './httpError';
import type { RequestReceipts } from './requestReceipts';
import { SsoTokenError, type TeamsSsoVerifier } from './ssoVerifier';

/** Where the tab's JSON API is mounted. */
export const TAB_API_PATH = '/api/tab';

/** Tickets per page of the tab's lists. */
export const TAB_PAGE_SIZE = 10;

export interface TabApiOptions {
  /** Undefined when no SSO client id is configured: every call answers 503 `sso_not_configured`. */
  verifier: TeamsSsoVerifier | undefined;
  identities: IdentityService;
  tickets: TicketService;
  catalogue: ProductCatalogue;
  receipts: RequestReceipts;
  logger: Logger;
}

const locale = z
  .string()
  .optional()
  .transform((value): Locale => (value?.toLowerCase().startsWith('fr') ? 'fr' : 'en'));

const listQuerySchema = z.object({
  scope: z.enum(REQUEST_SCOPES).default('mine'),
  status: z.enum(REQUEST_STATUS_FILTERS).default('all'),
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  locale,
});

const ticketNumberSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,40}$/)
  .transform((value) => value.toUpperCase());

const commentBodySchema = z.strictObject({
  text: ticketFieldSchemas.comment,
  /** Chosen by the tab for each comment it sends: the same id twice adds the comment once. */
  requestId: z.uuid(),
});

/**
 * The "My requests" tab's JSON API. Every call carries the Teams SSO token as a bearer token; it
 * is verified, then mapped to a contact exactly as the bot maps a Teams user (tenant →
 * organisation, AAD object id, else email, → contact). Tickets are read and commented through
 * the ticket service with that viewer, so the tab obeys the chat's isolation rules: another
 * organisation's ticket is answered as a number that does not exist.
 */
export function createTabApiRouter(options: TabApiOptions): Router {
  const log = options.logger.child({ component: 'teams-tab-api' });
  const router = Router();

  router.use(async (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.locals.known = await authenticate(req);
    next();
  });
  router.use(express.json({ limit: '16kb' }));

  router.get('/me', (_req, res) => {
    const known = knownOf(res);
    res.json({
      name: known.contact.name,
      email: known.contact.email,
      organisation: known.organisation.name,
      canSeeOrganisation: known.contact.authorized,
    });
  });

  router.get('/tickets', async (req, res) => {
    const query = parse(listQuerySchema, req.query);
    const known = knownOf(res);
    if (query.scope === 'organisation' && !known.contact.authorized) {
      throw new HttpError(
        403,
        'organisation_not_allowed',
        t(query.locale, 'requests.organisationOnlyAuthorized', { organisation: known.organisation.name }),
      );
    }
    const status = STATUSES_OF_FILTER[query.status];
    const page = await options.tickets.list({
      viewer: viewerFromContact(known),
      scope: query.scope,
      ...(status ? { status } : {}),
      ...(query.q ? { text: query.q } : {}),
      page: query.page,
      pageSize: TAB_PAGE_SIZE,
    });
    res.json({
      scope: query.scope,
      status: query.status,
      page: page.page,
      pageSize: page.pageSize,
      total: page.total,
      items: page.items.map((ticket) => listItem(ticket, query.locale)),
    });
  });

  router.get('/tickets/:number', async (req, res) => {
    const lang = parse(z.object({ locale }), req.query).locale;
    const number = ticketNumber(req, lang);
    const found = await options.tickets.getForViewer(number, viewerFromContact(knownOf(res)));
    if (found.kind === 'not_found') throw notFound(number, lang);
    res.json({ ticket: ticketView(found.ticket, lang) });
  });

  router.post('/tickets/:number/comments', async (req, res) => {
    const lang = parse(z.object({ locale }), req.query).locale;
    const number = ticketNumber(req, lang);
    const body = parse(commentBodySchema, req.body);
    const known = knownOf(res);
    const viewer = viewerFromContact(known);
    const claimed = await options.receipts.claim(known.contact.id, body.requestId, `comment:${number}`);
    if (!claimed) {
      // Received before: the comment is (or is being) added once; answer with the ticket as it is.
      res.status(200).json({ ticket: await currentView(number, viewer, lang), repeated: true });
      return;
    }
    let result: Awaited<ReturnType<TicketService['addComment']>>;
    try {
      result = await options.tickets.addComment(number, { kind: 'customer', viewer }, body.text, {
        idempotencyKey: `tab-${known.contact.id}-${body.requestId}`,
      });
    } catch (error) {
      await options.receipts.release(known.contact.id, body.requestId).catch(() => undefined);
      throw error;
    }
    if (result.kind !== 'ok') await options.receipts.release(known.contact.id, body.requestId);
    if (result.kind === 'not_found') throw notFound(number, lang);
    if (result.kind === 'not_allowed') {
      throw new HttpError(
        409,
        'ticket_closed',
        t(lang, 'teams.tab.commentClosed', { number, status: statusLabel(lang, result.status) }),
      );
    }
    log.info({ ticketNumber: number, contactId: known.contact.id }, 'comment added from the Teams tab');
    res.status(201).json({ ticket: ticketView(result.ticket, lang) });
  });

  router.use(() => {
    throw new HttpError(404, 'not_found', 'No such tab API route.');
  });

  async function authenticate(req: Request): Promise<KnownContact> {
    if (!options.verifier) {
      throw new HttpError(503, 'sso_not_configured', t(localeOf(req), 'teams.tab.notConfigured'));
    }
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    let user;
    try {
      user = await options.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof SsoTokenError)) throw error;
      log.info({ reason: error.reason }, 'Teams tab token refused');
      throw new HttpError(401, 'invalid_token', t(localeOf(req), 'teams.tab.signInFailed'), {
        'WWW-Authenticate': `Bearer realm="helpline-tab", error="invalid_token"`,
      });
    }
    const identity = await options.identities.resolveTeamsUser({
      tenantId: user.tenantId,
      aadObjectId: user.aadObjectId,
      email: user.email,
    });
    if (identity.kind !== 'contact') {
      throw new HttpError(403, 'not_a_contact', t(localeOf(req), 'requests.unknownUser'));
    }
    return identity;
  }

  async function currentView(number: string, viewer: TicketViewer, lang: Locale): Promise<object> {
    const found = await options.tickets.getForViewer(number, viewer);
    if (found.kind === 'not_found') throw notFound(number, lang);
    return ticketView(found.ticket, lang);
  }

  function moduleName(ticket: Ticket, lang: Locale): string {
    return options.catalogue.get(ticket.module)?.name[lang] ?? ticket.module;
  }

  function listItem(ticket: Ticket, lang: Locale): object {
    return {
      number: ticket.number,
      subject: ticket.subject,
      status: ticket.status,
      statusLabel: statusLabel(lang, ticket.status),
      severity: severityText(lang, ticket),
      module: moduleName(ticket, lang),
      requester: ticket.requester.name,
      updated: formatWhen(ticket.updatedAt, lang),
    };
  }

  function ticketView(ticket: Ticket, lang: Locale): object {
    const policy = options.tickets.policy;
    return {
      ...listItem(ticket, lang),
      opened: formatWhen(ticket.createdAt, lang),
      description: ticket.description,
      ...(ticket.expectedResult ? { expectedResult: ticket.expectedResult } : {}),
      ccs: ticket.ccs,
      canComment: ticket.status !== 'resolved' && ticket.status !== 'closed',
      events: ticket.timeline
        .filter((event) => event.visibility === 'public')
        .map((event) => ({
          when: formatWhen(event.at, lang),
          // The tab sets it as the text of an element: plain, not markdown.
          text: describeEvent(event, {
            locale: lang,
            autoResolveDays: policy.pendingAutoResolveDays,
            format: 'plain',
          }),
        })),
    };
  }

  return router;
}

/** The tab's own words, both languages, for the page to use once it knows the Teams locale. */
export function tabTexts(): Record<Locale, Record<string, string>> {
  const pick = (lang: Locale): Record<string, string> =>
    Object.fromEntries(
      Object.entries(textsOf(lang)).filter(
        ([key]) => key.startsWith('teams.tab.') || key.startsWith('requests.') || key.startsWith('errors.'),
      ),
    );
  return { en: pick('en'), fr: pick('fr') };
}

function knownOf(res: Response): KnownContact {
  return res.locals.known as KnownContact;
}

function localeOf(req: Request): Locale {
  const value = typeof req.query.locale === 'string' ? req.query.locale : req.get('accept-language');
  return value?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function ticketNumber(req: Request, lang: Locale): string {
  const parsed = ticketNumberSchema.safeParse(req.params.number);
  if (!parsed.success) throw notFound(String(req.params.number).slice(0, 40), lang);
  return parsed.data;
}

function notFound(number: string, lang: Locale): HttpError {
  return new HttpError(404, 'ticket_not_found', t(lang, 'teams.tab.notFound', { number }));
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new HttpError(400, 'invalid_request', `Invalid request:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
