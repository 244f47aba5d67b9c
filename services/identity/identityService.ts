import { createHash, randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { isDuplicateKey, modelOn, retryOnDuplicate, withDatabaseErrors } from '../db';
import { DEMO_DIRECTORY_FILES, DirectoryImporter } from '../directory';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import {
  contactKeys,
  directoryKey,
  getDirectoryKeyModel,
  writeKeys,
  type DirectoryKeyDocument,
} from './directoryKeys';
import {
  getAccessRequestModel,
  getContactModel,
  getOrganisationModel,
  toAccessRequest,
  toContact,
  toOrganisation,
  type AccessRequest,
  type AccessRequestDocument,
  type Contact,
  type ContactDocument,
  type Organisation,
  type OrganisationDocument,
} from './models';

/** Why a known contact may not open a technical ticket. */
export type TicketRefusalReason = 'not_authorized' | 'no_support_plan';

/** A user matched to a contact of a customer organisation. */
/** Directory key hints kept per process (a few MB at most). */
const MAX_KEY_HINTS = 50_000;

export interface KnownContact {
  kind: 'contact';
  contact: Contact;
  organisation: Organisation;
  /** Authorized contact of an organisation whose support plan is active. */
  canOpenTickets: boolean;
  /** Set exactly when `canOpenTickets` is false. */
  reason?: TicketRefusalReason;
  /** Certified administrator at the moment of resolution (the service's clock). */
  certifiedAdmin: boolean;
}

/**
 * Who is talking, as plain data (safe to keep in conversation state):
 * - `anonymous`: no identity at all (web chat without a signed user token);
 * - `unknown`: identified (signed token, Teams user) but not a contact of any customer;
 * - `contact`: a contact of a customer organisation.
 */
export type ResolvedIdentity = { kind: 'anonymous' } | { kind: 'unknown'; email?: string } | KnownContact;

export interface TeamsUserQuery {
  tenantId?: string | undefined;
  aadObjectId?: string | undefined;
  /** From the activity or the Teams roster, when present. */
  email?: string | undefined;
}

export interface WebUserQuery {
  /** The `sub` claim of a verified user token; absent for an anonymous visitor. */
  subject?: string | undefined;
  /** The `email` claim of the same verified token. */
  email?: string | undefined;
}

export interface AccessRequestInput {
  contactId?: string | undefined;
  email?: string | undefined;
  organisationId?: string | undefined;
  channel: string;
  message: string;
  /** The same key (a redelivery, a double click) records the request once and returns it again. */
  idempotencyKey?: string | undefined;
}

export const organisationInputSchema = z.object({
  id: z.string().trim().min(1).max(100).optional(),
  name: z.string().trim().min(1).max(200),
  teamsTenantIds: z.array(z.string().trim().min(1)).default([]),
  accountManager: z.object({
    name: z.string().trim().min(1),
    email: z.email().transform((e) => e.toLowerCase()),
  }),
  supportPlanActive: z.boolean(),
  supportPlanUntil: z.coerce.date().nullable().default(null),
  emailDomains: z.array(z.string().trim().toLowerCase().min(1)).default([]),
  locale: z.string().trim().min(2).max(10).optional(),
  active: z.boolean().default(true),
});
export type OrganisationInput = z.input<typeof organisationInputSchema>;

export const contactInputSchema = z.object({
  id: z.string().trim().min(1).max(100).optional(),
  organisationId: z.string().trim().min(1),
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().toLowerCase().pipe(z.email()),
  phone: z.string().trim().min(1).max(50).optional(),
  aadObjectId: z.string().trim().min(1).optional(),
  webSubject: z.string().trim().min(1).optional(),
  authorized: z.boolean(),
  certifiedAdminUntil: z.coerce.date().nullable().default(null),
  reachable24x7: z.boolean().default(false),
  locale: z.string().trim().min(2).max(10).optional(),
  active: z.boolean().default(true),
});
export type ContactInput = z.input<typeof contactInputSchema>;

const accessRequestInputSchema = z
  .object({
    contactId: z.string().trim().min(1).optional(),
    email: z.string().trim().toLowerCase().pipe(z.email()).optional(),
    organisationId: z.string().trim().min(1).optional(),
    channel: z.string().trim().min(1).max(50),
    message: z.string().trim().min(1).max(2000),
    idempotencyKey: z.string().trim().min(8).max(1000).optional(),
  })
  .refine((value) => value.contactId !== undefined || value.email !== undefined, {
    message: 'An access request needs a contact id or an email.',
  });

/**
 * Organisations, their contacts, and who may open tickets (product.md sections 2 and 3).
 * Identity comes only from verified sources: the Teams tenant and AAD object id of an
 * activity the adapter authenticated, or the claims of a user token the site signed.
 */
export interface IdentityService {
  /** Teams: the tenant must belong to the organisation; match by AAD object id, else by email within that organisation. */
  resolveTeamsUser(query: TeamsUserQuery): Promise<ResolvedIdentity>;
  /** Web chat: match by the token's subject, else by its email. No subject means anonymous. */
  resolveWebUser(query: WebUserQuery): Promise<ResolvedIdentity>;
  /** The contact and its organisation in the same shape as a resolution; undefined when either is missing. */
  getKnownContact(contactId: string): Promise<KnownContact | undefined>;
  getOrganisation(id: string): Promise<Organisation | undefined>;
  getContact(id: string): Promise<Contact | undefined>;
  listContacts(organisationId: string): Promise<Contact[]>;
  /** Creates or replaces an organisation (validated); returns it. */
  saveOrganisation(input: OrganisationInput): Promise<Organisation>;
  /** Creates or replaces a contact (validated; email lowercase and unique); returns it. */
  saveContact(input: ContactInput): Promise<Contact>;
  /** Records that someone asked to be allowed to open tickets; organisation taken from the contact when absent. */
  recordAccessRequest(input: AccessRequestInput): Promise<AccessRequest>;
  /** Like `recordAccessRequest`, but a contact with a request still open gets that one back (`created: false`). */
  requestAccess(input: AccessRequestInput): Promise<{ request: AccessRequest; created: boolean }>;
  listAccessRequests(organisationId?: string): Promise<AccessRequest[]>;
  getAccessRequest(id: string): Promise<AccessRequest | undefined>;
  /**
   * Grants or declines a request, once: the first decision wins (a unique insert), a later one
   * gets `already_decided` with it. Granting makes the contact authorized. A contact may decide
   * only as an active, authorized contact of the request's organisation.
   */
  decideAccessRequest(id: string, decision: AccessDecision, by: AccessDecider): Promise<AccessDecisionResult>;
  /** The organisation's active authorized contacts (who are told about access requests). */
  authorizedContacts(organisationId: string): Promise<Contact[]>;
  listOrganisations(query?: { page?: number; pageSize?: number }): Promise<Organisation[]>;
  /** Contacts, all or of one organisation, by id; inactive ones included. */
  findContacts(query?: { organisationId?: string; page?: number; pageSize?: number }): Promise<Contact[]>;
  /** Writes the demo organisations and contacts (the demo directory files) when missing; leaves existing ones as they are. */
  seedDemoIdentities(): Promise<void>;
}

export type AccessDecision = 'granted' | 'declined';
export interface AccessDecider {
  kind: 'contact' | 'staff';
  id: string;
  name: string;
}
export type AccessDecisionResult =
  | { kind: 'decided'; request: AccessRequest }
  | { kind: 'already_decided'; request: AccessRequest }
  | { kind: 'not_found' }
  | { kind: 'not_allowed' };

interface AccessDecisionDocument {
  _id: string;
  status: AccessDecision;
  by: AccessDecider;
  at: Date;
}

const accessDecisionSchema = new Schema<AccessDecisionDocument>(
  {
    _id: { type: String, required: true },
    status: { type: String, required: true },
    by: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'access_request_decisions', versionKey: false },
);

export interface MongoIdentityServiceOptions {
  connection: Connection;
  logger: Logger;
  clock?: () => Date;
  /** Loads the demo directory files (the directory importer, in insert-only mode). */
  seedDemo?: () => Promise<void>;
}

export function isCertifiedAdmin(contact: Pick<Contact, 'certifiedAdminUntil'>, now: Date): boolean {
  return contact.certifiedAdminUntil !== null && contact.certifiedAdminUntil.getTime() > now.getTime();
}

/** Told after an access request is created, and after its first decision; failures are logged, never thrown. */
export interface AccessRequestListener {
  requested(request: AccessRequest): Promise<void>;
  decided(request: AccessRequest): Promise<void>;
}

export class MongoIdentityService implements IdentityService {
  /** Set by the host once its notifier exists (authorized contacts and requesters are told). */
  accessListener: AccessRequestListener | undefined;
  private readonly organisations: Model<OrganisationDocument>;
  private readonly contacts: Model<ContactDocument>;
  private readonly accessRequests: Model<AccessRequestDocument>;
  private readonly keys: Model<DirectoryKeyDocument>;
  private readonly decisions: Model<AccessDecisionDocument>;
  private readonly seedDemo: () => Promise<void>;
  private readonly log: Logger;
  private readonly clock: () => Date;
  /**
   * Where each directory key last pointed (key → document id), so that a returning user costs one
   * `_id` read instead of two. Only a hint: the document read is checked against the key's meaning
   * every time, and a miss falls back to the key itself.
   */
  private readonly keyTargets = new Map<string, string>();
  private indexesReady: Promise<void> | undefined;

  constructor(options: MongoIdentityServiceOptions) {
    this.organisations = getOrganisationModel(options.connection);
    this.contacts = getContactModel(options.connection);
    this.accessRequests = getAccessRequestModel(options.connection);
    this.keys = getDirectoryKeyModel(options.connection);
    this.decisions = modelOn(options.connection, 'AccessDecision', accessDecisionSchema);
    this.seedDemo =
      options.seedDemo ??
      (async () => {
        await new DirectoryImporter(options.connection, options.logger).importFiles(DEMO_DIRECTORY_FILES, {
          insertOnly: true,
        });
      });
    this.log = options.logger.child({ component: 'identity' });
    this.clock = options.clock ?? (() => new Date());
  }

  async resolveTeamsUser(query: TeamsUserQuery): Promise<ResolvedIdentity> {
    const email = normaliseEmail(query.email);
    const aadObjectId = query.aadObjectId;
    if (!query.tenantId || !aadObjectId) return { kind: 'anonymous' };
    const tenantId = query.tenantId;
    return await this.guard(async () => {
      // Both lookups at once: a returning user is two `_id` reads in one round trip of latency.
      const [orgDoc, byAad] = await Promise.all([
        this.byKey(this.organisations, directoryKey.tenant(tenantId), (o) =>
          o.teamsTenantIds.includes(tenantId),
        ),
        this.byKey(this.contacts, directoryKey.aad(aadObjectId), (c) => c.aadObjectId === aadObjectId),
      ]);
      if (!orgDoc) return unknown(email);
      let contactDoc = byAad?.organisationId === orgDoc._id ? byAad : null;
      if (!contactDoc && email) {
        contactDoc = await this.byKey(
          this.contacts,
          directoryKey.email(email),
          (c) => c.email === email && c.organisationId === orgDoc._id,
        );
        // An email match is only trusted while the contact has no other AAD object id bound.
        if (contactDoc?.aadObjectId && contactDoc.aadObjectId !== aadObjectId) contactDoc = null;
        if (contactDoc && (contactDoc.active ?? true)) {
          // Matched by email: remember the AAD object id, so that the next message is found by it.
          await this.contacts.updateOne({ _id: contactDoc._id }, { $set: { aadObjectId } }).exec();
          await writeKeys(this.keys, [{ key: directoryKey.aad(aadObjectId), targetId: contactDoc._id }]);
          contactDoc = { ...contactDoc, aadObjectId };
          this.log.info({ contactId: contactDoc._id }, 'Teams user matched by email; AAD object id stored');
        }
      }
      if (!contactDoc || !(contactDoc.active ?? true)) return unknown(email);
      return this.known(toContact(contactDoc), this.toOrg(orgDoc));
    });
  }

  async resolveWebUser(query: WebUserQuery): Promise<ResolvedIdentity> {
    const email = normaliseEmail(query.email);
    const subject = query.subject;
    if (!subject) return { kind: 'anonymous' };
    return await this.guard(async () => {
      let contactDoc = await this.byKey(
        this.contacts,
        directoryKey.web(subject),
        (c) => c.webSubject === subject,
      );
      if (!contactDoc && email) {
        contactDoc = await this.byKey(this.contacts, directoryKey.email(email), (c) => c.email === email);
        if (contactDoc?.webSubject && contactDoc.webSubject !== subject) contactDoc = null;
      }
      if (!contactDoc || !(contactDoc.active ?? true)) return unknown(email);
      const orgDoc = await this.organisations.findById(contactDoc.organisationId).lean().exec();
      if (!orgDoc) return unknown(email);
      return this.known(toContact(contactDoc), this.toOrg(orgDoc));
    });
  }

  async getKnownContact(contactId: string): Promise<KnownContact | undefined> {
    return await this.guard(async () => {
      const contactDoc = await this.contacts.findById(contactId).lean().exec();
      if (!contactDoc) return undefined;
      const orgDoc = await this.organisations.findById(contactDoc.organisationId).lean().exec();
      if (!orgDoc) return undefined;
      return this.known(toContact(contactDoc), this.toOrg(orgDoc));
    });
  }

  async getOrganisation(id: string): Promise<Organisation | undefined> {
    const doc = await this.guard(() => this.organisations.findById(id).lean().exec());
    return doc ? this.toOrg(doc) : undefined;
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const doc = await this.guard(() => this.contacts.findById(id).lean().exec());
    return doc ? toContact(doc) : undefined;
  }

  async listContacts(organisationId: string): Promise<Contact[]> {
    const docs = await this.guard(() =>
      this.contacts.find({ organisationId }).sort({ name: 1 }).lean().exec(),
    );
    return docs.map(toContact);
  }

  async saveOrganisation(input: OrganisationInput): Promise<Organisation> {
    const parsed = parseInput(organisationInputSchema, input, 'organisation');
    const { id, ...rest } = parsed;
    const doc: OrganisationDocument = { _id: id ?? randomUUID(), ...rest };
    await this.guard(async () => {
      for (const tenantId of doc.teamsTenantIds) {
        const owner = await this.keys.findById(directoryKey.tenant(tenantId)).lean().exec();
        if (owner && owner.targetId !== doc._id) {
          const other = await this.organisations.findById(owner.targetId).lean().exec();
          if (other?.teamsTenantIds.includes(tenantId))
            throw new AppError(
              'conflict',
              `Identity: the tenant ${tenantId} belongs to another organisation.`,
            );
        }
      }
      await retryOnDuplicate(() =>
        this.organisations.replaceOne({ _id: doc._id }, doc, { upsert: true }).exec(),
      );
      await writeKeys(
        this.keys,
        doc.teamsTenantIds.map((t) => ({ key: directoryKey.tenant(t), targetId: doc._id })),
      );
    });
    return this.toOrg(doc);
  }

  async saveContact(input: ContactInput): Promise<Contact> {
    const parsed = parseInput(contactInputSchema, input, 'contact');
    const { id, ...rest } = parsed;
    const doc: ContactDocument = { _id: id ?? randomUUID(), ...rest };
    const organisation = await this.getOrganisation(doc.organisationId);
    if (!organisation)
      throw new AppError('invalid_input', `Identity: no organisation "${doc.organisationId}".`);
    await this.guard(async () => {
      await this.ensureContactIndexes();
      const sameEmail = await this.byKey(
        this.contacts,
        directoryKey.email(doc.email),
        (c) => c.email === doc.email && c._id !== doc._id,
      );
      if (sameEmail) throw emailTaken(doc.email);
      try {
        await retryOnDuplicate(() =>
          this.contacts.replaceOne({ _id: doc._id }, doc, { upsert: true }).exec(),
        );
      } catch (error) {
        if (isDuplicateKey(error)) throw emailTaken(doc.email);
        throw error;
      }
      await writeKeys(
        this.keys,
        contactKeys(doc).map((key) => ({ key, targetId: doc._id })),
      );
    });
    return toContact(doc);
  }

  async recordAccessRequest(input: AccessRequestInput): Promise<AccessRequest> {
    return (await this.requestAccess(input)).request;
  }

  async requestAccess(input: AccessRequestInput): Promise<{ request: AccessRequest; created: boolean }> {
    const parsed = parseInput(accessRequestInputSchema, input, 'access request');
    let organisationId = parsed.organisationId;
    let email = parsed.email;
    if (parsed.contactId !== undefined) {
      const contact = await this.getContact(parsed.contactId);
      if (!contact) throw new AppError('invalid_input', `Identity: no contact "${parsed.contactId}".`);
      organisationId ??= contact.organisationId;
      email ??= contact.email;
    }
    const doc: AccessRequestDocument = {
      // With a key, the `_id` is made from it: the unique insert records the request once.
      _id:
        parsed.idempotencyKey === undefined
          ? randomUUID()
          : `ar-${createHash('sha256').update(parsed.idempotencyKey).digest('hex').slice(0, 40)}`,
      ...(parsed.contactId === undefined ? {} : { contactId: parsed.contactId }),
      ...(email === undefined ? {} : { email }),
      ...(organisationId === undefined ? {} : { organisationId }),
      channel: parsed.channel,
      message: parsed.message,
      at: this.clock(),
      status: 'open',
    };
    // One open request per person: a unique key claims the slot before the request is written.
    const pendingKey = `access-open:${parsed.contactId ?? `email:${email ?? ''}`}`;
    return await this.guard(async () => {
      // The same request delivered again (a retry, a redelivered activity): the one already recorded.
      if (parsed.idempotencyKey !== undefined) {
        const same = await this.accessRequests.findById(doc._id).lean().exec();
        if (same) return { request: toAccessRequest(same), created: false };
      }
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await this.keys.create({ _id: pendingKey, targetId: doc._id });
          await this.accessRequests.create(doc);
          this.log.info({ accessRequestId: doc._id, organisationId }, 'access request recorded');
          const request = toAccessRequest(doc);
          await this.tell((l) => l.requested(request));
          return { request, created: true };
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        const claim = await this.keys.findById(pendingKey).lean().exec();
        const existing = claim ? await this.accessRequests.findById(claim.targetId).lean().exec() : null;
        if (existing?.status === 'open') return { request: toAccessRequest(existing), created: false };
        // The claim outlived its request (decided, or its writer failed): free the slot and try again.
        if (claim) await this.keys.deleteOne({ _id: pendingKey, targetId: claim.targetId }).exec();
      }
      throw new AppError('conflict', 'Identity: the access request could not be recorded; try again.');
    });
  }

  async getAccessRequest(id: string): Promise<AccessRequest | undefined> {
    const doc = await this.guard(() => this.accessRequests.findById(id).lean().exec());
    return doc ? toAccessRequest(doc) : undefined;
  }

  async decideAccessRequest(
    id: string,
    decision: AccessDecision,
    by: AccessDecider,
  ): Promise<AccessDecisionResult> {
    return await this.guard(async () => {
      const request = await this.accessRequests.findById(id).lean().exec();
      if (!request) return { kind: 'not_found' };
      if (by.kind === 'contact') {
        const decider = await this.contacts.findById(by.id).lean().exec();
        if (
          !decider ||
          !decider.authorized ||
          !(decider.active ?? true) ||
          decider.organisationId !== request.organisationId ||
          decider._id === request.contactId
        )
          return { kind: 'not_allowed' };
      }
      let first = true;
      let stored: AccessDecisionDocument = { _id: id, status: decision, by, at: this.clock() };
      try {
        await this.decisions.create(stored);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        first = false;
        stored = (await this.decisions.findById(id).lean().exec()) ?? stored;
      }
      // Applied again on a repeat: a decision whose effects were cut short gets them now.
      if (stored.status === 'granted' && request.contactId)
        await this.contacts.updateOne({ _id: request.contactId }, { $set: { authorized: true } }).exec();
      const update = { status: stored.status, decidedBy: stored.by, decidedAt: stored.at };
      await this.accessRequests.updateOne({ _id: id }, { $set: update }).exec();
      const pendingKey = `access-open:${request.contactId ?? `email:${request.email ?? ''}`}`;
      await this.keys.deleteOne({ _id: pendingKey, targetId: id }).exec();
      if (first)
        this.log.info({ accessRequestId: id, status: stored.status, by: by.kind }, 'access request decided');
      const result = toAccessRequest({ ...request, ...update });
      if (first) await this.tell((l) => l.decided(result));
      return first ? { kind: 'decided', request: result } : { kind: 'already_decided', request: result };
    });
  }

  async authorizedContacts(organisationId: string): Promise<Contact[]> {
    // A rare call (an access request): a filtered read of the organisation's contacts is fine here.
    const docs = await this.guard(() =>
      this.contacts.find({ organisationId, authorized: true }).sort({ name: 1 }).lean().exec(),
    );
    return docs.filter((d) => d.active ?? true).map(toContact);
  }

  async listOrganisations(query: { page?: number; pageSize?: number } = {}): Promise<Organisation[]> {
    const size = query.pageSize ?? 50;
    const docs = await this.guard(() =>
      this.organisations
        .find()
        .sort({ _id: 1 })
        .skip(((query.page ?? 1) - 1) * size)
        .limit(size)
        .lean()
        .exec(),
    );
    return docs.map((d) => this.toOrg(d));
  }

  async findContacts(
    query: { organisationId?: string; page?: number; pageSize?: number } = {},
  ): Promise<Contact[]> {
    const size = query.pageSize ?? 50;
    const filter = query.organisationId === undefined ? {} : { organisationId: query.organisationId };
    const docs = await this.guard(() =>
      this.contacts
        .find(filter)
        .sort({ _id: 1 })
        .skip(((query.page ?? 1) - 1) * size)
        .limit(size)
        .lean()
        .exec(),
    );
    return docs.map(toContact);
  }

  async listAccessRequests(organisationId?: string): Promise<AccessRequest[]> {
    const filter = organisationId === undefined ? {} : { organisationId };
    const docs = await this.guard(() => this.accessRequests.find(filter).sort({ at: -1 }).lean().exec());
    return docs.map(toAccessRequest);
  }

  async seedDemoIdentities(): Promise<void> {
    await this.guard(async () => {
      await this.ensureContactIndexes();
      await this.seedDemo();
    });
    this.log.info('demo identities seeded');
  }

  /** The document a key leads to, if it still carries the value (`matches`). */
  private async byKey<D extends { _id: string }>(
    model: Model<D>,
    key: string,
    matches: (doc: D) => boolean,
  ): Promise<D | null> {
    const hinted = this.keyTargets.get(key);
    if (hinted !== undefined) {
      const doc = (await model.findById(hinted).lean().exec()) as D | null;
      // An inactive match may have handed its key on to another document: ask the key.
      if (doc && matches(doc) && (doc as { active?: boolean }).active !== false) return doc;
      this.keyTargets.delete(key);
    }
    const entry = await this.keys.findById(key).lean().exec();
    if (!entry) return null;
    const doc = (await model.findById(entry.targetId).lean().exec()) as D | null;
    if (!doc || !matches(doc)) return null;
    this.keyTargets.delete(key);
    this.keyTargets.set(key, doc._id);
    if (this.keyTargets.size > MAX_KEY_HINTS) this.keyTargets.delete(this.keyTargets.keys().next().value!);
    return doc;
  }

  private async tell(call: (listener: AccessRequestListener) => Promise<void>): Promise<void> {
    if (!this.accessListener) return;
    try {
      await call(this.accessListener);
    } catch (error) {
      this.log.warn({ err: error }, 'access request notification failed');
    }
  }

  private toOrg(doc: OrganisationDocument): Organisation {
    return toOrganisation(doc, this.clock());
  }

  /** The unique email index must exist before the first contact is written to a fresh database. */
  private async ensureContactIndexes(): Promise<void> {
    this.indexesReady ??= this.contacts.ensureIndexes().catch((error: unknown) => {
      this.indexesReady = undefined;
      throw error;
    });
    await this.indexesReady;
  }

  private known(contact: Contact, organisation: Organisation): KnownContact {
    const reason: TicketRefusalReason | undefined = !contact.authorized
      ? 'not_authorized'
      : !organisation.supportPlanActive || !organisation.active
        ? 'no_support_plan'
        : undefined;
    return {
      kind: 'contact',
      contact,
      organisation,
      canOpenTickets: reason === undefined,
      ...(reason === undefined ? {} : { reason }),
      certifiedAdmin: isCertifiedAdmin(contact, this.clock()),
    };
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    return await withDatabaseErrors('Identity', operation);
  }
}

function unknown(email: string | undefined): ResolvedIdentity {
  return email === undefined ? { kind: 'unknown' } : { kind: 'unknown', email };
}

function normaliseEmail(email: string | undefined): string | undefined {
  const trimmed = email?.trim().toLowerCase();
  return trimmed ? trimmed : undefined;
}

function emailTaken(email: string): AppError {
  return new AppError('conflict', `Identity: another contact already uses the email ${email}.`);
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('invalid_input', `Identity: invalid ${what}: ${z.prettifyError(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}
