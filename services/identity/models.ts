import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../db';

/** A customer organisation (a partner) with its support contract. */
export interface Organisation {
  id: string;
  name: string;
  /** Microsoft Entra (Azure AD) tenant ids whose Teams users belong to this organisation. */
  teamsTenantIds: string[];
  accountManager: { name: string; email: string };
  /** The plan is in force now: switched on, and not past `supportPlanUntil`. */
  supportPlanActive: boolean;
  /** The last day (inclusive, UTC) of the support plan; null when the plan has no end date (or there is none). */
  supportPlanUntil: Date | null;
  /** Email domains of the organisation, lowercase (informative; identity never relies on them). */
  emailDomains: string[];
  /** Preferred language for messages to the organisation, when known. */
  locale?: string;
  /** A deactivated organisation keeps its data; its contacts cannot open tickets. */
  active: boolean;
}

/** A person at a customer organisation. */
export interface Contact {
  id: string;
  organisationId: string;
  name: string;
  /** Lowercase; unique across all contacts. */
  email: string;
  phone?: string;
  /** The Teams (Entra) AAD object id of the user. */
  aadObjectId?: string;
  /** The `sub` claim of the user token the support site signs for its web chat. */
  webSubject?: string;
  /** Only authorized contacts may open technical tickets. */
  authorized: boolean;
  /** Certified administrator until this date (exclusive); tickets they open get triage priority. */
  certifiedAdminUntil: Date | null;
  /** Reachable around the clock: required for a severity 1 ticket. */
  reachable24x7: boolean;
  locale?: string;
  /** A deactivated contact is never deleted (tickets keep their requester) but is no longer recognised. */
  active: boolean;
}

/** A request by a non-authorized or unknown person to be allowed to open tickets. */
export interface AccessRequest {
  id: string;
  contactId?: string;
  email?: string;
  organisationId?: string;
  channel: string;
  message: string;
  at: Date;
  status: 'open' | 'granted' | 'declined';
  /** Who decided, and when (absent while open). */
  decidedBy?: { kind: 'contact' | 'staff'; id: string; name: string };
  decidedAt?: Date;
}

export interface OrganisationDocument {
  _id: string;
  name: string;
  teamsTenantIds: string[];
  accountManager: { name: string; email: string };
  supportPlanActive: boolean;
  supportPlanUntil?: Date | null;
  emailDomains: string[];
  locale?: string;
  active?: boolean;
}

export interface ContactDocument {
  _id: string;
  organisationId: string;
  name: string;
  email: string;
  phone?: string;
  aadObjectId?: string;
  webSubject?: string;
  authorized: boolean;
  certifiedAdminUntil: Date | null;
  reachable24x7: boolean;
  locale?: string;
  active?: boolean;
}

export interface AccessRequestDocument {
  _id: string;
  contactId?: string;
  email?: string;
  organisationId?: string;
  channel: string;
  message: string;
  at: Date;
  status: 'open' | 'granted' | 'declined';
  decidedBy?: { kind: 'contact' | 'staff'; id: string; name: string };
  decidedAt?: Date;
}

const organisationSchema = new Schema<OrganisationDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    teamsTenantIds: { type: [String], default: [] },
    accountManager: {
      type: new Schema(
        { name: { type: String, required: true }, email: { type: String, required: true } },
        { _id: false },
      ),
      required: true,
    },
    supportPlanActive: { type: Boolean, required: true },
    supportPlanUntil: { type: Date, default: null },
    emailDomains: { type: [String], default: [] },
    locale: { type: String },
    active: { type: Boolean, default: true },
  },
  { collection: 'organisations', versionKey: false },
);
organisationSchema.index({ teamsTenantIds: 1 });

const contactSchema = new Schema<ContactDocument>(
  {
    _id: { type: String, required: true },
    organisationId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    email: { type: String, required: true, lowercase: true, trim: true, unique: true },
    phone: { type: String },
    aadObjectId: { type: String, index: true },
    webSubject: { type: String, index: true },
    authorized: { type: Boolean, required: true },
    certifiedAdminUntil: { type: Date, default: null },
    reachable24x7: { type: Boolean, default: false },
    locale: { type: String },
    active: { type: Boolean, default: true },
  },
  { collection: 'contacts', versionKey: false },
);

const accessRequestSchema = new Schema<AccessRequestDocument>(
  {
    _id: { type: String, required: true },
    contactId: { type: String },
    email: { type: String },
    organisationId: { type: String },
    channel: { type: String, required: true },
    message: { type: String, required: true },
    at: { type: Date, required: true },
    status: { type: String, required: true, enum: ['open', 'granted', 'declined'] },
    decidedBy: { type: Schema.Types.Mixed },
    decidedAt: { type: Date },
  },
  { collection: 'access_requests', versionKey: false },
);
accessRequestSchema.index({ organisationId: 1, at: -1 });

export function getOrganisationModel(connection: Connection): Model<OrganisationDocument> {
  return modelOn(connection, 'Organisation', organisationSchema);
}

export function getContactModel(connection: Connection): Model<ContactDocument> {
  return modelOn(connection, 'Contact', contactSchema);
}

export function getAccessRequestModel(connection: Connection): Model<AccessRequestDocument> {
  return modelOn(connection, 'AccessRequest', accessRequestSchema);
}

const DAY_MS = 24 * 3_600_000;

/** The plan is on, and `now` is not after its last day. */
export function planInForce(
  doc: Pick<OrganisationDocument, 'supportPlanActive' | 'supportPlanUntil'>,
  now: Date,
): boolean {
  if (!doc.supportPlanActive) return false;
  const until = doc.supportPlanUntil ?? null;
  return until === null || now.getTime() < until.getTime() + DAY_MS;
}

export function toOrganisation(doc: OrganisationDocument, now: Date = new Date()): Organisation {
  return {
    id: doc._id,
    name: doc.name,
    teamsTenantIds: [...(doc.teamsTenantIds ?? [])],
    accountManager: { name: doc.accountManager.name, email: doc.accountManager.email },
    supportPlanActive: planInForce(doc, now),
    supportPlanUntil: doc.supportPlanUntil ?? null,
    emailDomains: [...(doc.emailDomains ?? [])],
    ...(doc.locale ? { locale: doc.locale } : {}),
    active: doc.active ?? true,
  };
}

export function toContact(doc: ContactDocument): Contact {
  return {
    id: doc._id,
    organisationId: doc.organisationId,
    name: doc.name,
    email: doc.email,
    ...(doc.phone ? { phone: doc.phone } : {}),
    ...(doc.aadObjectId ? { aadObjectId: doc.aadObjectId } : {}),
    ...(doc.webSubject ? { webSubject: doc.webSubject } : {}),
    authorized: doc.authorized,
    certifiedAdminUntil: doc.certifiedAdminUntil ?? null,
    reachable24x7: doc.reachable24x7 ?? false,
    ...(doc.locale ? { locale: doc.locale } : {}),
    active: doc.active ?? true,
  };
}

export function toAccessRequest(doc: AccessRequestDocument): AccessRequest {
  return {
    id: doc._id,
    ...(doc.contactId ? { contactId: doc.contactId } : {}),
    ...(doc.email ? { email: doc.email } : {}),
    ...(doc.organisationId ? { organisationId: doc.organisationId } : {}),
    channel: doc.channel,
    message: doc.message,
    at: doc.at,
    status: doc.status,
    ...(doc.decidedBy ? { decidedBy: doc.decidedBy } : {}),
    ...(doc.decidedAt ? { decidedAt: doc.decidedAt } : {}),
  };
}
