import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import {
  DEMO_CONTACTS,
  DEMO_ORGANISATIONS,
  DEMO_TENANTS,
  MongoIdentityService,
  getContactModel,
  getOrganisationModel,
  type ResolvedIdentity,
} from '../../../services/identity';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

function asContact(identity: ResolvedIdentity) {
  assert.equal(identity.kind, 'contact');
  if (identity.kind !== 'contact') throw new Error('unreachable');
  return identity;
}

describe('MongoIdentityService', () => {
  let connection: Connection;
  let identity: MongoIdentityService;
  const now = new Date('2026-11-02T10:00:00Z');

  before(async () => {
    connection = await openTestDatabase('identity');
    identity = new MongoIdentityService({ connection, logger: createSilentLogger(), clock: () => now });
    await identity.seedDemoIdentities();
  });
  after(async () => await dropTestDatabase(connection));

  describe('seedDemoIdentities', () => {
    it('is idempotent, also when run concurrently, and keeps changes made since', async () => {
      await identity.saveContact({ ...DEMO_CONTACTS.bob, phone: '+44 20 0000 9999' });

      await Promise.all([
        identity.seedDemoIdentities(),
        identity.seedDemoIdentities(),
        identity.seedDemoIdentities(),
      ]);

      assert.equal(
        await getOrganisationModel(connection).countDocuments().exec(),
        Object.keys(DEMO_ORGANISATIONS).length,
      );
      assert.equal(
        await getContactModel(connection).countDocuments().exec(),
        Object.keys(DEMO_CONTACTS).length,
      );
      assert.equal((await identity.getContact(DEMO_CONTACTS.bob.id))?.phone, '+44 20 0000 9999');
    });

    it('gives each demo organisation authorized and non-authorized contacts, a 24x7 one and a certified administrator', async () => {
      for (const org of [DEMO_ORGANISATIONS.northwind, DEMO_ORGANISATIONS.contoso]) {
        const contacts = await identity.listContacts(org.id);
        assert.ok(contacts.some((c) => c.authorized));
        assert.ok(contacts.some((c) => !c.authorized));
        assert.ok(contacts.some((c) => c.authorized && c.reachable24x7));
        assert.ok(contacts.some((c) => c.authorized && c.certifiedAdminUntil && c.certifiedAdminUntil > now));
      }
    });
  });

  describe('resolveTeamsUser', () => {
    it('resolves an authorized contact by tenant and AAD object id', async () => {
      const result = asContact(
        await identity.resolveTeamsUser({
          tenantId: DEMO_TENANTS.northwind,
          aadObjectId: DEMO_CONTACTS.alice.aadObjectId,
        }),
      );

      assert.equal(result.contact.id, DEMO_CONTACTS.alice.id);
      assert.equal(result.organisation.name, 'Northwind IT Services');
      assert.equal(result.canOpenTickets, true);
      assert.equal(result.reason, undefined);
      assert.equal(result.certifiedAdmin, true);
      assert.equal(result.contact.reachable24x7, true);
    });

    it('falls back to the email within the tenant’s organisation when the contact has no AAD id yet', async () => {
      await identity.saveContact({
        id: 'contact-paul',
        organisationId: DEMO_ORGANISATIONS.contoso.id,
        name: 'Paul',
        email: 'paul@contoso.example',
        authorized: true,
      });

      const result = asContact(
        await identity.resolveTeamsUser({
          tenantId: DEMO_TENANTS.contoso,
          aadObjectId: 'aad-paul',
          email: 'Paul@Contoso.example',
        }),
      );

      assert.equal(result.contact.id, 'contact-paul');
    });

    it('does not resolve a contact of another organisation, by AAD id or by email', async () => {
      const byAad = await identity.resolveTeamsUser({
        tenantId: DEMO_TENANTS.contoso,
        aadObjectId: DEMO_CONTACTS.alice.aadObjectId,
      });
      const byEmail = await identity.resolveTeamsUser({
        tenantId: DEMO_TENANTS.contoso,
        aadObjectId: 'aad-x',
        email: DEMO_CONTACTS.alice.email,
      });

      assert.deepEqual(byAad, { kind: 'unknown' });
      assert.deepEqual(byEmail, { kind: 'unknown', email: DEMO_CONTACTS.alice.email });
    });

    it('does not trust an email whose contact is bound to a different AAD id', async () => {
      const result = await identity.resolveTeamsUser({
        tenantId: DEMO_TENANTS.northwind,
        aadObjectId: 'aad-impostor',
        email: DEMO_CONTACTS.alice.email,
      });

      assert.equal(result.kind, 'unknown');
    });

    it('answers unknown for a tenant of no customer, and anonymous without tenant or AAD id', async () => {
      assert.deepEqual(
        await identity.resolveTeamsUser({
          tenantId: 'tenant-stranger',
          aadObjectId: 'aad-1',
          email: 'x@y.example',
        }),
        {
          kind: 'unknown',
          email: 'x@y.example',
        },
      );
      assert.deepEqual(await identity.resolveTeamsUser({ aadObjectId: 'aad-alice' }), { kind: 'anonymous' });
      assert.deepEqual(await identity.resolveTeamsUser({ tenantId: DEMO_TENANTS.northwind }), {
        kind: 'anonymous',
      });
    });

    it('says a non-authorized contact may not open tickets, and why', async () => {
      const result = asContact(
        await identity.resolveTeamsUser({
          tenantId: DEMO_TENANTS.contoso,
          aadObjectId: DEMO_CONTACTS.oscar.aadObjectId,
        }),
      );

      assert.equal(result.canOpenTickets, false);
      assert.equal(result.reason, 'not_authorized');
    });

    it('says an authorized contact of an organisation without a support plan may not open tickets', async () => {
      const result = asContact(
        await identity.resolveTeamsUser({
          tenantId: DEMO_TENANTS.fabrikam,
          aadObjectId: DEMO_CONTACTS.frank.aadObjectId,
        }),
      );

      assert.equal(result.canOpenTickets, false);
      assert.equal(result.reason, 'no_support_plan');
    });
  });

  describe('resolveWebUser', () => {
    it('is anonymous without a verified subject, whatever email is claimed', async () => {
      assert.deepEqual(await identity.resolveWebUser({}), { kind: 'anonymous' });
      assert.deepEqual(await identity.resolveWebUser({ email: DEMO_CONTACTS.alice.email }), {
        kind: 'anonymous',
      });
    });

    it('resolves a contact by the token subject, then by the token email unless bound to another subject', async () => {
      const bySubject = asContact(
        await identity.resolveWebUser({ subject: 'demo-bob', email: 'other@northwind.example' }),
      );
      await identity.saveContact({
        id: 'contact-rita',
        organisationId: DEMO_ORGANISATIONS.contoso.id,
        name: 'Rita',
        email: 'rita@contoso.example',
        authorized: true,
      });
      const byEmail = asContact(
        await identity.resolveWebUser({ subject: 'site-user-77', email: 'RITA@contoso.example' }),
      );
      const boundElsewhere = await identity.resolveWebUser({
        subject: 'site-user-78',
        email: DEMO_CONTACTS.david.email,
      });

      assert.equal(bySubject.contact.id, DEMO_CONTACTS.bob.id);
      assert.equal(bySubject.certifiedAdmin, false);
      assert.equal(byEmail.contact.id, 'contact-rita');
      assert.equal(boundElsewhere.kind, 'unknown');
    });

    it('answers unknown for a signed-in visitor who is no contact', async () => {
      assert.deepEqual(
        await identity.resolveWebUser({ subject: 'site-user-1', email: 'Visitor@Example.com' }),
        {
          kind: 'unknown',
          email: 'visitor@example.com',
        },
      );
    });

    it('treats a certified administrator whose certification has expired as not certified', async () => {
      await identity.saveContact({
        ...DEMO_CONTACTS.claire,
        certifiedAdminUntil: new Date('2026-11-01T00:00:00Z'),
      });

      const result = asContact(await identity.resolveWebUser({ subject: 'demo-claire' }));

      assert.equal(result.certifiedAdmin, false);
      await identity.saveContact({ ...DEMO_CONTACTS.claire });
    });
  });

  describe('contacts and organisations', () => {
    it('stores emails in lowercase and refuses a second contact with the same email', async () => {
      const saved = await identity.saveContact({
        organisationId: DEMO_ORGANISATIONS.northwind.id,
        name: 'Eve New',
        email: '  Eve@Northwind.Example ',
        authorized: true,
      });

      assert.equal(saved.email, 'eve@northwind.example');
      await assert.rejects(
        identity.saveContact({
          organisationId: DEMO_ORGANISATIONS.contoso.id,
          name: 'Eve Twin',
          email: 'EVE@northwind.example',
          authorized: false,
        }),
        (error: Error & { code?: string }) => error.code === 'conflict',
      );
    });

    it('rejects invalid contacts and contacts of unknown organisations with invalid_input', async () => {
      await assert.rejects(
        identity.saveContact({
          organisationId: DEMO_ORGANISATIONS.northwind.id,
          name: 'X',
          email: 'not-an-email',
          authorized: true,
        }),
        (error: Error & { code?: string }) => error.code === 'invalid_input',
      );
      await assert.rejects(
        identity.saveContact({
          organisationId: 'org-nope',
          name: 'X',
          email: 'x@nope.example',
          authorized: true,
        }),
        (error: Error & { code?: string }) => error.code === 'invalid_input',
      );
    });

    it('lets an organisation change a contact’s authorization', async () => {
      await identity.saveContact({ ...DEMO_CONTACTS.nina, authorized: true });

      const result = asContact(await identity.resolveWebUser({ subject: 'demo-nina' }));

      assert.equal(result.canOpenTickets, true);
      await identity.saveContact({ ...DEMO_CONTACTS.nina });
    });
  });

  describe('recordAccessRequest', () => {
    it('records a request from a contact with the contact’s organisation and email', async () => {
      const request = await identity.recordAccessRequest({
        contactId: DEMO_CONTACTS.nina.id,
        channel: 'msteams',
        message: 'Please let me open tickets.',
      });

      assert.equal(request.organisationId, DEMO_ORGANISATIONS.northwind.id);
      assert.equal(request.email, DEMO_CONTACTS.nina.email);
      assert.equal(request.status, 'open');
      assert.equal(request.at.toISOString(), now.toISOString());
      const listed = await identity.listAccessRequests(DEMO_ORGANISATIONS.northwind.id);
      assert.deepEqual(
        listed.map((r) => r.id),
        [request.id],
      );
    });

    it('records a request from an unknown person by email, and refuses one with neither contact nor email', async () => {
      const request = await identity.recordAccessRequest({
        email: 'New@Partner.example',
        channel: 'webchat',
        message: 'Hello',
      });

      assert.equal(request.email, 'new@partner.example');
      assert.equal(request.organisationId, undefined);
      await assert.rejects(
        identity.recordAccessRequest({ channel: 'webchat', message: 'Hello' }),
        (error: Error & { code?: string }) => error.code === 'invalid_input',
      );
    });
  });
});
