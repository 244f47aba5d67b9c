import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../services/audit';
import { isAppError } from '../services/errors';
import { HttpError } from './httpError';
import type { AccessRequest, Contact, IdentityService, Organisation } from '../services/identity';
import type { Logger } from '../services/logger';
import type { StaffMember } from '../services/tickets';

export interface StaffDirectoryApiOptions {
  identities: IdentityService;
  audit: AuditLog;
  logger: Logger;
  /** Tells the requester (and no one else) the outcome of an access request staff decided. */
  onAccessDecided?: (request: AccessRequest) => Promise<void>;
}

const id = z.string().trim().min(1).max(100);
const email = z.string().trim().toLowerCase().pipe(z.email());
const day = z.iso.date('Expected a date written YYYY-MM-DD.');
const locale = z.enum(['en', 'fr']);
const paging = z.object({
  page: z.coerce.number().int().min(1).max(10_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
  organisationId: id.optional(),
});

const organisationFields = {
  name: z.string().trim().min(1).max(200),
  tenantIds: z.array(z.string().trim().min(1).max(100)).max(20),
  emailDomains: z.array(z.string().trim().toLowerCase().min(1).max(200)).max(50),
  accountManager: z.strictObject({ name: z.string().trim().min(1).max(200), email }),
  /** The last day of the support plan; null: no plan. */
  supportPlanUntil: day.nullable(),
  locale,
};
const organisationCreate = z.strictObject({
  id,
  ...organisationFields,
  tenantIds: organisationFields.tenantIds.default([]),
  emailDomains: organisationFields.emailDomains.default([]),
});
const organisationPatch = z.strictObject(organisationFields).partial();

const contactFields = {
  name: z.string().trim().min(1).max(200),
  email,
  aadObjectId: z.string().trim().min(1).max(100).nullable(),
  authorized: z.boolean(),
  certifiedAdminUntil: day.nullable(),
  reachable24x7: z.boolean(),
  locale,
  phone: z.string().trim().min(1).max(50).nullable(),
};
const contactCreate = z.strictObject({
  id: id.optional(),
  organisationId: id,
  ...contactFields,
  aadObjectId: contactFields.aadObjectId.optional(),
  certifiedAdminUntil: contactFields.certifiedAdminUntil.default(null),
  reachable24x7: contactFields.reachable24x7.default(false),
  locale: locale.optional(),
  phone: contactFields.phone.optional(),
});
const contactPatch = z.strictObject(contactFields).partial();
const decisionBody = z.strictObject({ decision: z.enum(['approve', 'decline']) });

/**
 * The directory half of the staff API, for CRM integrations: organisations and contacts (list,
 * read, create, update, deactivate; never delete) and the access requests staff may decide.
 * Mounted by `createStaffApiRouter` behind its bearer authentication and JSON body parser.
 * Every change is audited with the staff member, the record and the fields changed.
 */
export function createStaffDirectoryRouter(options: StaffDirectoryApiOptions): Router {
  const { identities, audit } = options;
  const log = options.logger.child({ component: 'staff-directory-api' });
  const router = Router();

  const record = async (res: Response, action: string, details: Record<string, unknown>): Promise<void> => {
    const staff = res.locals.staff as StaffMember;
    await audit.record({ actor: { kind: 'staff', id: staff.id, name: staff.name }, action, details });
    log.info({ staffId: staff.id, action, ...pickIds(details) }, 'directory changed by staff');
  };

  router.get('/organisations', async (req, res) => {
    const q = parse(paging, req.query, 'query');
    const items = await identities.listOrganisations({
      ...(q.page && { page: q.page }),
      ...(q.pageSize && { pageSize: q.pageSize }),
    });
    res.json({ items: items.map(organisationView) });
  });

  router.get('/organisations/:id', async (req, res) => {
    const org = await identities.getOrganisation(param(req));
    if (!org) throw notFound('organisation');
    res.json({ organisation: organisationView(org) });
  });

  router.post('/organisations', async (req, res) => {
    const body = parse(organisationCreate, req.body, 'body');
    if (await identities.getOrganisation(body.id))
      throw new HttpError(409, 'Conflict', `Organisation ${body.id} already exists; use PATCH to change it.`);
    const org = await identities.saveOrganisation({
      id: body.id,
      name: body.name,
      teamsTenantIds: body.tenantIds,
      emailDomains: body.emailDomains,
      accountManager: body.accountManager,
      supportPlanActive: body.supportPlanUntil !== null,
      supportPlanUntil: body.supportPlanUntil,
      locale: body.locale,
    });
    await record(res, 'organisation.created', { organisationId: org.id, fields: Object.keys(body) });
    res.status(201).json({ organisation: organisationView(org) });
  });

  router.patch('/organisations/:id', async (req, res) => {
    const body = parse(organisationPatch, req.body, 'body');
    const org = await identities.getOrganisation(param(req));
    if (!org) throw notFound('organisation');
    const updated = await identities.saveOrganisation({
      ...organisationInput(org),
      ...(body.name !== undefined && { name: body.name }),
      ...(body.tenantIds !== undefined && { teamsTenantIds: body.tenantIds }),
      ...(body.emailDomains !== undefined && { emailDomains: body.emailDomains }),
      ...(body.accountManager !== undefined && { accountManager: body.accountManager }),
      ...(body.supportPlanUntil !== undefined && {
        supportPlanActive: body.supportPlanUntil !== null,
        supportPlanUntil: body.supportPlanUntil,
      }),
      ...(body.locale !== undefined && { locale: body.locale }),
    });
    await record(res, 'organisation.updated', { organisationId: org.id, fields: Object.keys(body) });
    res.json({ organisation: organisationView(updated) });
  });

  router.post('/organisations/:id/deactivate', async (req, res) => {
    const org = await identities.getOrganisation(param(req));
    if (!org) throw notFound('organisation');
    const updated = org.active
      ? await identities.saveOrganisation({ ...organisationInput(org), active: false })
      : org;
    if (org.active) await record(res, 'organisation.deactivated', { organisationId: org.id });
    res.json({ organisation: organisationView(updated) });
  });

  router.get('/contacts', async (req, res) => {
    const q = parse(paging, req.query, 'query');
    const items = await identities.findContacts({
      ...(q.organisationId && { organisationId: q.organisationId }),
      ...(q.page && { page: q.page }),
      ...(q.pageSize && { pageSize: q.pageSize }),
    });
    res.json({ items: items.map(contactView) });
  });

  router.get('/contacts/:id', async (req, res) => {
    const contact = await identities.getContact(param(req));
    if (!contact) throw notFound('contact');
    res.json({ contact: contactView(contact) });
  });

  router.post('/contacts', async (req, res) => {
    const body = parse(contactCreate, req.body, 'body');
    if (body.id && (await identities.getContact(body.id)))
      throw new HttpError(409, 'Conflict', `Contact ${body.id} already exists; use PATCH to change it.`);
    if (!(await identities.getOrganisation(body.organisationId)))
      throw new HttpError(400, 'BadRequest', `No organisation ${body.organisationId}.`);
    const contact = await identities.saveContact({
      ...(body.id && { id: body.id }),
      organisationId: body.organisationId,
      name: body.name,
      email: body.email,
      ...(body.aadObjectId ? { aadObjectId: body.aadObjectId } : {}),
      ...(body.phone ? { phone: body.phone } : {}),
      authorized: body.authorized,
      certifiedAdminUntil: body.certifiedAdminUntil,
      reachable24x7: body.reachable24x7,
      ...(body.locale && { locale: body.locale }),
    });
    await record(res, 'contact.created', {
      contactId: contact.id,
      organisationId: contact.organisationId,
      fields: Object.keys(body),
    });
    res.status(201).json({ contact: contactView(contact) });
  });

  router.patch('/contacts/:id', async (req, res) => {
    const body = parse(contactPatch, req.body, 'body');
    const contact = await identities.getContact(param(req));
    if (!contact) throw notFound('contact');
    const { aadObjectId, phone, certifiedAdminUntil, ...rest } = body;
    const base = contactInput(contact);
    const updated = await identities.saveContact({
      ...base,
      ...rest,
      ...(certifiedAdminUntil !== undefined && { certifiedAdminUntil }),
      ...(aadObjectId === null ? { aadObjectId: undefined } : aadObjectId ? { aadObjectId } : {}),
      ...(phone === null ? { phone: undefined } : phone ? { phone } : {}),
    });
    await record(res, 'contact.updated', {
      contactId: contact.id,
      organisationId: contact.organisationId,
      fields: Object.keys(body),
    });
    res.json({ contact: contactView(updated) });
  });

  router.post('/contacts/:id/deactivate', async (req, res) => {
    const contact = await identities.getContact(param(req));
    if (!contact) throw notFound('contact');
    const updated = contact.active
      ? await identities.saveContact({ ...contactInput(contact), active: false })
      : contact;
    if (contact.active)
      await record(res, 'contact.deactivated', {
        contactId: contact.id,
        organisationId: contact.organisationId,
      });
    res.json({ contact: contactView(updated) });
  });

  router.get('/access-requests', async (req, res) => {
    const q = parse(
      paging.extend({ status: z.enum(['open', 'granted', 'declined']).optional() }),
      req.query,
      'query',
    );
    const all = await identities.listAccessRequests(q.organisationId);
    res.json({ items: q.status ? all.filter((r) => r.status === q.status) : all });
  });

  router.post('/access-requests/:id/decision', async (req, res) => {
    const body = parse(decisionBody, req.body, 'body');
    const staff = res.locals.staff as StaffMember;
    const result = await identities.decideAccessRequest(
      param(req),
      body.decision === 'approve' ? 'granted' : 'declined',
      { kind: 'staff', id: staff.id, name: staff.name },
    );
    if (result.kind === 'not_found' || result.kind === 'not_allowed') throw notFound('access request');
    if (result.kind === 'already_decided') {
      res.status(409).json({
        error: { code: 'AlreadyDecided', message: `The request was already ${result.request.status}.` },
        request: result.request,
      });
      return;
    }
    await record(res, `access_request.${result.request.status}`, {
      accessRequestId: result.request.id,
      organisationId: result.request.organisationId,
      contactId: result.request.contactId,
    });
    await options
      .onAccessDecided?.(result.request)
      .catch((error: unknown) =>
        log.warn({ err: error, accessRequestId: result.request.id }, 'access request outcome not delivered'),
      );
    res.json({ request: result.request });
  });

  // A conflict the identity service explains (an email already taken) keeps its explanation; the
  // one error handler writes every problem.
  router.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    if (isAppError(error) && error.code === 'conflict')
      next(new HttpError(409, 'Conflict', error.message.replace(/^Identity: /, '')));
    else next(error);
  });

  return router;
}

function param(req: Request): string {
  const value = req.params.id;
  const parsed = id.safeParse(value);
  if (!parsed.success) throw new HttpError(404, 'NotFound', 'Not found.');
  return parsed.data;
}

function parse<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query'): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new HttpError(
      400,
      'BadRequest',
      `Invalid ${where}:\n${z.prettifyError(result.error)}`,
      {},
      {
        issues: result.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
        })),
      },
    );
  }
  return result.data;
}

function notFound(what: string): HttpError {
  return new HttpError(404, 'NotFound', `No such ${what}.`);
}

function pickIds(details: Record<string, unknown>): Record<string, unknown> {
  const { organisationId, contactId, accessRequestId } = details;
  return { organisationId, contactId, accessRequestId };
}

const isoDay = (date: Date | null): string | null => (date ? date.toISOString().slice(0, 10) : null);

function organisationView(org: Organisation): Record<string, unknown> {
  return {
    id: org.id,
    name: org.name,
    tenantIds: org.teamsTenantIds,
    emailDomains: org.emailDomains,
    accountManager: org.accountManager,
    supportPlanUntil: isoDay(org.supportPlanUntil),
    supportPlanActive: org.supportPlanActive,
    ...(org.locale && { locale: org.locale }),
    active: org.active,
  };
}

function contactView(contact: Contact): Record<string, unknown> {
  return {
    id: contact.id,
    organisationId: contact.organisationId,
    name: contact.name,
    email: contact.email,
    ...(contact.aadObjectId && { aadObjectId: contact.aadObjectId }),
    ...(contact.phone && { phone: contact.phone }),
    authorized: contact.authorized,
    certifiedAdminUntil: isoDay(contact.certifiedAdminUntil),
    reachable24x7: contact.reachable24x7,
    ...(contact.locale && { locale: contact.locale }),
    active: contact.active,
  };
}

function organisationInput(org: Organisation) {
  return {
    id: org.id,
    name: org.name,
    teamsTenantIds: org.teamsTenantIds,
    accountManager: org.accountManager,
    // The stored switch: a plan past its end date is still "on" until the date changes.
    supportPlanActive: org.supportPlanActive || org.supportPlanUntil !== null,
    supportPlanUntil: org.supportPlanUntil,
    emailDomains: org.emailDomains,
    ...(org.locale ? { locale: org.locale } : {}),
    active: org.active,
  };
}

function contactInput(contact: Contact) {
  return {
    id: contact.id,
    organisationId: contact.organisationId,
    name: contact.name,
    email: contact.email,
    ...(contact.phone && { phone: contact.phone }),
    ...(contact.aadObjectId && { aadObjectId: contact.aadObjectId }),
    ...(contact.webSubject && { webSubject: contact.webSubject }),
    authorized: contact.authorized,
    certifiedAdminUntil: contact.certifiedAdminUntil,
    reachable24x7: contact.reachable24x7,
    ...(contact.locale ? { locale: contact.locale } : {}),
    active: contact.active,
  };
}
