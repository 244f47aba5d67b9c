export {
  MongoIdentityService,
  contactInputSchema,
  isCertifiedAdmin,
  organisationInputSchema,
  type AccessRequestInput,
  type ContactInput,
  type IdentityService,
  type KnownContact,
  type MongoIdentityServiceOptions,
  type OrganisationInput,
  type ResolvedIdentity,
  type TeamsUserQuery,
  type TicketRefusalReason,
  type WebUserQuery,
} from './identityService';
export {
  getAccessRequestModel,
  getContactModel,
  getOrganisationModel,
  type AccessRequest,
  type Contact,
  type Organisation,
} from './models';
export {
  DEMO_CERTIFIED_UNTIL,
  DEMO_CONTACTS,
  DEMO_ORGANISATIONS,
  DEMO_TENANTS,
  type DemoContactName,
} from './demo';
