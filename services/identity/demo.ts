/**
 * The demo organisations and contacts `seedDemoIdentities()` writes. Tests, the web demo page
 * (its signed user tokens use the `webSubject`s) and the Teams test activities (tenant ids and
 * AAD object ids) refer to them through these constants.
 */
export const DEMO_TENANTS = {
  northwind: 'tenant-northwind',
  contoso: 'tenant-contoso',
  fabrikam: 'tenant-fabrikam',
} as const;

export const DEMO_ORGANISATIONS = {
  northwind: {
    id: 'org-northwind',
    name: 'Northwind IT Services',
    teamsTenantIds: [DEMO_TENANTS.northwind],
    accountManager: { name: 'Morgan Lee', email: 'morgan.lee@vendor.example' },
    supportPlanActive: true,
    emailDomains: ['northwind.example'],
  },
  contoso: {
    id: 'org-contoso',
    name: 'Contoso Managed Services',
    teamsTenantIds: [DEMO_TENANTS.contoso],
    accountManager: { name: 'Camille Durand', email: 'camille.durand@vendor.example' },
    supportPlanActive: true,
    emailDomains: ['contoso.example'],
  },
  /** A customer whose support plan has lapsed: its authorized contacts cannot open tickets. */
  fabrikam: {
    id: 'org-fabrikam',
    name: 'Fabrikam Networks',
    teamsTenantIds: [DEMO_TENANTS.fabrikam],
    accountManager: { name: 'Morgan Lee', email: 'morgan.lee@vendor.example' },
    supportPlanActive: false,
    emailDomains: ['fabrikam.example'],
  },
} as const;

/** Far enough ahead that the demo certified administrators stay certified. */
export const DEMO_CERTIFIED_UNTIL = new Date('2035-12-31T00:00:00.000Z');

export const DEMO_CONTACTS = {
  /** Northwind, authorized, reachable 24×7, certified administrator. */
  alice: {
    id: 'contact-alice',
    organisationId: DEMO_ORGANISATIONS.northwind.id,
    name: 'Alice Martin',
    email: 'alice@northwind.example',
    phone: '+44 20 7946 0001',
    aadObjectId: 'aad-alice',
    webSubject: 'demo-alice',
    authorized: true,
    certifiedAdminUntil: DEMO_CERTIFIED_UNTIL,
    reachable24x7: true,
  },
  /** Northwind, authorized, business hours only, not certified. */
  bob: {
    id: 'contact-bob',
    organisationId: DEMO_ORGANISATIONS.northwind.id,
    name: 'Bob Singh',
    email: 'bob@northwind.example',
    phone: '+44 20 7946 0002',
    aadObjectId: 'aad-bob',
    webSubject: 'demo-bob',
    authorized: true,
    certifiedAdminUntil: null,
    reachable24x7: false,
  },
  /** Northwind, not authorized to open tickets. */
  nina: {
    id: 'contact-nina',
    organisationId: DEMO_ORGANISATIONS.northwind.id,
    name: 'Nina Okafor',
    email: 'nina@northwind.example',
    phone: '+44 20 7946 0003',
    aadObjectId: 'aad-nina',
    webSubject: 'demo-nina',
    authorized: false,
    certifiedAdminUntil: null,
    reachable24x7: false,
  },
  /** Contoso, authorized, certified administrator, business hours only. */
  claire: {
    id: 'contact-claire',
    organisationId: DEMO_ORGANISATIONS.contoso.id,
    name: 'Claire Dubois',
    email: 'claire@contoso.example',
    phone: '+33 1 70 00 00 01',
    aadObjectId: 'aad-claire',
    webSubject: 'demo-claire',
    authorized: true,
    certifiedAdminUntil: DEMO_CERTIFIED_UNTIL,
    reachable24x7: false,
  },
  /** Contoso, authorized, reachable 24×7. */
  david: {
    id: 'contact-david',
    organisationId: DEMO_ORGANISATIONS.contoso.id,
    name: 'David Moreau',
    email: 'david@contoso.example',
    phone: '+33 1 70 00 00 02',
    aadObjectId: 'aad-david',
    webSubject: 'demo-david',
    authorized: true,
    certifiedAdminUntil: null,
    reachable24x7: true,
  },
  /** Contoso, not authorized to open tickets. */
  oscar: {
    id: 'contact-oscar',
    organisationId: DEMO_ORGANISATIONS.contoso.id,
    name: 'Oscar Petit',
    email: 'oscar@contoso.example',
    phone: '+33 1 70 00 00 03',
    aadObjectId: 'aad-oscar',
    webSubject: 'demo-oscar',
    authorized: false,
    certifiedAdminUntil: null,
    reachable24x7: false,
  },
  /** Fabrikam (support plan lapsed), authorized. */
  frank: {
    id: 'contact-frank',
    organisationId: DEMO_ORGANISATIONS.fabrikam.id,
    name: 'Frank Weber',
    email: 'frank@fabrikam.example',
    phone: '+49 30 0000 0001',
    aadObjectId: 'aad-frank',
    webSubject: 'demo-frank',
    authorized: true,
    certifiedAdminUntil: null,
    reachable24x7: false,
  },
} as const;

export type DemoContactName = keyof typeof DEMO_CONTACTS;
