import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../db';

/** A customer organisation (a partner) with its support contract. */
export interface Organisation {
  id: string;
  name: string;
  /** Microsoft Entra (Azure AD) tenant ids whose Teams users belong to this organisation. */
  teamsTenantIds: string[];
  accountManager: { name: string; email: string };
  supportPlanActive: boolean;
  /** Email domains of the organisation, lowercase (informative; identity never relies on them). */
  emailDomains: string[];
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
}

export interface OrganisationDocument {
  _id: string;
  name: string;
  teamsTenantIds: string[];
  accountManager: { name: string; email: string };
  supportPlanActive: boolean;
  emailDomains: string[];
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
    emailDomains: { type: [String], default: [] },
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

export function toOrganisation(doc: OrganisationDocument): Organisation {
  return {
    id: doc._id,
    name: doc.name,
    teamsTenantIds: [...(doc.teamsTenantIds ?? [])],
    accountManager: { name: doc.accountManager.name, email: doc.accountManager.email },
    supportPlanActive: doc.supportPlanActive,
    emailDomains: [...(doc.emailDomains ?? [])],
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
  };
}
