/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- the JSON answers are read loosely; each assertion checks the shape it needs */
import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import {
  DEMO_CONTACTS,
  DEMO_ORGANISATIONS,
  DEMO_TENANTS,
  MongoIdentityService,
} from '../../services/identity';
import { createSilentLogger } from '../../services/logger';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../support/app';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { shown, TeamsTestClient } from '../support/teamsClient';

const TOKEN = 'staff-directory-token-0123456789';

describe('staff API: organisations, contacts and access requests', function () {
  this.timeout(60_000);
  let app: HelplineApp;
  const connector = new ConnectorStandIn();
  let serviceUrl: string;

  before(async () => {
    serviceUrl = await connector.start();
    app = await startTestApp('staffdir', {
      STAFF_API_TOKENS: `${TOKEN}:staff-7:Sam Support`,
      DIRECTLINE_TOKENS_PER_MINUTE: '10000',
      // The Teams activities below are posted unsigned.
      BOT_ALLOW_ANONYMOUS: 'true',
    });
  });
  after(async () => {
    await stopTestApp(app);
    await connector.stop();
  });

  async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
    const res = await fetch(`${app.url()}/api/staff${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
        ...(token && { Authorization: `Bearer ${token}` }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  }

  async function audit(action: string): Promise<Array<Record<string, any>>> {
    const res = await call('GET', `/audit?action=${encodeURIComponent(action)}`);
    return res.json.events as Array<Record<string, any>>;
  }

  async function webChat(who: keyof typeof DEMO_CONTACTS) {
    const client = new DirectLineTestClient(app.url());
    const c = DEMO_CONTACTS[who];
    const userToken = await app.userTokens!.sign({ subject: c.webSubject, email: c.email, name: c.name });
    await client.start({ userToken, locale: 'en-US' });
    await client.waitForBot(1);
    return {
      say: async (text: string) => shown(await client.say(text, { locale: 'en-US' })),
      inbox: async () => shown(await client.waitForBot(1)),
    };
  }

  it('refuses every route without a valid staff token', async () => {
    for (const [method, path] of [
      ['GET', '/organisations'],
      ['POST', '/organisations'],
      ['GET', '/contacts/contact-bob'],
      ['PATCH', '/contacts/contact-bob'],
      ['POST', '/access-requests/x/decision'],
    ] as const) {
      assert.equal((await call(method, path, method === 'GET' ? undefined : {}, null)).status, 401);
      assert.equal(
        (await call(method, path, method === 'GET' ? undefined : {}, 'wrong-token-0123456789')).status,
        401,
      );
    }
  });

  it('lists, reads, creates, updates and deactivates organisations, validated and audited', async () => {
    const list = await call('GET', '/organisations');
    assert.equal(list.status, 200);
    assert.ok(list.json.items.some((o: { id: string }) => o.id === DEMO_ORGANISATIONS.northwind.id));

    const bad = await call('POST', '/organisations', {
      id: 'org-new',
      name: '',
      accountManager: { name: 'M', email: 'nope' },
      supportPlanUntil: '2030-13-01',
      locale: 'de',
      extra: 1,
    });
    assert.equal(bad.status, 400);
    const paths = (bad.json.error.issues as Array<{ path: string }>).map((i) => i.path);
    for (const p of ['name', 'accountManager.email', 'supportPlanUntil', 'locale', ''])
      assert.ok(paths.includes(p), `no issue on "${p}": ${paths.join(', ')}`);

    const created = await call('POST', '/organisations', {
      id: 'org-tailspin',
      name: 'Tailspin Toys',
      tenantIds: ['tenant-tailspin'],
      emailDomains: ['tailspin.example'],
      accountManager: { name: 'Morgan Lee', email: 'Morgan.Lee@vendor.example' },
      supportPlanUntil: '2030-12-31',
      locale: 'en',
    });
    assert.equal(created.status, 201);
    assert.equal(created.json.organisation.supportPlanActive, true);
    assert.equal(
      (
        await call('POST', '/organisations', {
          ...created.json.organisation,
          tenantIds: [],
          active: undefined,
        })
      ).status,
      400,
    );
    const again = await call('POST', '/organisations', {
      id: 'org-tailspin',
      name: 'X',
      accountManager: { name: 'M', email: 'm@vendor.example' },
      supportPlanUntil: null,
      locale: 'en',
    });
    assert.equal(again.status, 409);

    const stolenTenant = await call('PATCH', '/organisations/org-tailspin', {
      tenantIds: [DEMO_ORGANISATIONS.contoso.teamsTenantIds[0]],
    });
    assert.equal(stolenTenant.status, 409);

    const lapsed = await call('PATCH', '/organisations/org-tailspin', { supportPlanUntil: '2020-01-31' });
    assert.equal(lapsed.status, 200);
    assert.equal(lapsed.json.organisation.supportPlanActive, false);
    assert.equal((await call('GET', '/organisations/org-tailspin')).json.organisation.name, 'Tailspin Toys');
    assert.equal((await call('GET', '/organisations/org-nowhere')).status, 404);

    const off = await call('POST', '/organisations/org-tailspin/deactivate');
    assert.equal(off.json.organisation.active, false);

    const events = await audit('organisation.updated');
    assert.equal(events[0]?.actor.id, 'staff-7');
    assert.equal(events[0]?.details.organisationId, 'org-tailspin');
    assert.deepEqual(events[0]?.details.fields, ['supportPlanUntil']);
    assert.equal((await audit('organisation.created')).length, 1);
    assert.equal((await audit('organisation.deactivated')).length, 1);
  });

  it('creates, reads, lists, updates and deactivates contacts, validated and audited', async () => {
    const bad = await call('POST', '/contacts', {
      organisationId: 'org-northwind',
      name: 'Z',
      email: 'not-mail',
      authorized: 'yes',
    });
    assert.equal(bad.status, 400);
    const badPaths = (bad.json.error.issues as Array<{ path: string }>).map((i) => i.path);
    for (const p of ['email', 'authorized'])
      assert.ok(badPaths.includes(p), `no issue on "${p}": ${badPaths.join(', ')}`);
    const unknownOrg = await call('POST', '/contacts', {
      organisationId: 'org-nowhere',
      name: 'Z',
      email: 'z@x.example',
      authorized: true,
    });
    assert.equal(unknownOrg.status, 400);
    const taken = await call('POST', '/contacts', {
      organisationId: 'org-contoso',
      name: 'Alice Twin',
      email: DEMO_CONTACTS.alice.email,
      authorized: true,
    });
    assert.equal(taken.status, 409);

    const created = await call('POST', '/contacts', {
      id: 'contact-zoe',
      organisationId: 'org-northwind',
      name: 'Zoé Durand',
      email: 'Zoe@Northwind.example',
      authorized: false,
      locale: 'fr',
    });
    assert.equal(created.status, 201);
    assert.equal(created.json.contact.email, 'zoe@northwind.example');
    assert.equal((await call('GET', '/contacts/contact-zoe')).json.contact.name, 'Zoé Durand');
    const listed = await call('GET', '/contacts?organisationId=org-northwind&pageSize=100');
    assert.ok(listed.json.items.some((c: { id: string }) => c.id === 'contact-zoe'));
    assert.ok(
      listed.json.items.every((c: { organisationId: string }) => c.organisationId === 'org-northwind'),
    );

    const updated = await call('PATCH', '/contacts/contact-zoe', {
      authorized: true,
      certifiedAdminUntil: '2031-01-01',
    });
    assert.equal(updated.json.contact.authorized, true);
    assert.equal(updated.json.contact.certifiedAdminUntil, '2031-01-01');
    assert.equal(
      (await call('PATCH', '/contacts/contact-zoe', { organisationId: 'org-contoso' })).status,
      400,
    );

    const off = await call('POST', '/contacts/contact-zoe/deactivate');
    assert.equal(off.json.contact.active, false);
    // Refused requests change nothing and are not recorded as changes; the one creation is.
    const creations = await audit('contact.created');
    assert.deepEqual(
      creations.map((e): [unknown, unknown] => [e.details.contactId, e.actor.name]),
      [['contact-zoe', 'Sam Support']],
    );
    const events = await audit('contact.updated');
    assert.deepEqual(events[0]?.details.fields, ['authorized', 'certifiedAdminUntil']);
    assert.equal(events[0]?.actor.name, 'Sam Support');
    assert.equal((await audit('contact.deactivated'))[0]?.details.contactId, 'contact-zoe');
  });

  it('a contact deauthorized between two messages cannot open a ticket from the next one; deactivated, is no longer recognised', async () => {
    const bob = await webChat('bob');
    assert.match(await bob.say('I want to open a ticket'), /Let us open a technical ticket/);
    await bob.say('cancel');
    assert.equal(
      (await call('PATCH', `/contacts/${DEMO_CONTACTS.bob.id}`, { authorized: false })).status,
      200,
    );
    assert.match(await bob.say('I want to open a ticket'), /Only authorized contacts of Northwind/);
    await bob.say('no');
    await call('POST', `/contacts/${DEMO_CONTACTS.bob.id}/deactivate`);
    assert.match(await bob.say('I want to open a ticket'), /could not find you among the contacts/);
  });

  it('in Teams too, a contact deauthorized between two messages cannot open a ticket from the next one', async () => {
    const c = DEMO_CONTACTS.david;
    const client = new TeamsTestClient(app.url(), connector, serviceUrl, {
      tenantId: DEMO_TENANTS.contoso,
      aadObjectId: c.aadObjectId,
      name: c.name,
    });
    const say = async (text: string): Promise<string> => shown(await client.say(text));
    assert.match(await say('I want to open a ticket'), /Let us open a technical ticket/);
    await say('cancel');
    assert.equal((await call('PATCH', `/contacts/${c.id}`, { authorized: false })).status, 200);
    assert.match(await say('I want to open a ticket'), /Only authorized contacts of Contoso/);
    await say('no');
    assert.equal((await call('PATCH', `/contacts/${c.id}`, { authorized: true })).status, 200);
    assert.match(await say('I want to open a ticket'), /Let us open a technical ticket/);
  });

  it('lets staff decide an access request once; the requester is told', async () => {
    const oscar = await webChat('oscar');
    await oscar.say('I want to open a ticket');
    await oscar.say('yes');
    const open = await call(
      'GET',
      `/access-requests?organisationId=${DEMO_ORGANISATIONS.contoso.id}&status=open`,
    );
    const request = open.json.items[0] as { id: string };
    assert.ok(request);
    assert.equal(
      (await call('POST', `/access-requests/${request.id}/decision`, { decision: 'maybe' })).status,
      400,
    );
    const decided = await call('POST', `/access-requests/${request.id}/decision`, { decision: 'approve' });
    assert.equal(decided.status, 200);
    assert.equal(decided.json.request.status, 'granted');
    assert.match(await oscar.inbox(), /approved by Sam Support/);
    const twice = await call('POST', `/access-requests/${request.id}/decision`, { decision: 'decline' });
    assert.equal(twice.status, 409);
    assert.equal(twice.json.request.status, 'granted');
    assert.equal((await audit('access_request.granted'))[0]?.details.accessRequestId, request.id);
    assert.match(await oscar.say('I want to open a ticket'), /Let us open a technical ticket/);
  });

  it('matches a Teams user whose AAD object id is unknown by email, and stores the id', async () => {
    const identity = new MongoIdentityService({ connection: app.connection, logger: createSilentLogger() });
    await identity.saveContact({
      id: 'contact-newbie',
      organisationId: 'org-contoso',
      name: 'New Bie',
      email: 'newbie@contoso.example',
      authorized: true,
    });
    const first = await identity.resolveTeamsUser({
      tenantId: 'tenant-contoso',
      aadObjectId: 'aad-newbie',
      email: 'NewBie@contoso.example',
    });
    assert.equal(first.kind, 'contact');
    assert.equal((await identity.getContact('contact-newbie'))?.aadObjectId, 'aad-newbie');
    const next = await identity.resolveTeamsUser({ tenantId: 'tenant-contoso', aadObjectId: 'aad-newbie' });
    assert.equal(next.kind === 'contact' && next.contact.id, 'contact-newbie');
  });
});
