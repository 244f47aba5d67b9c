import assert from 'node:assert/strict';
import type { HelplineApp } from '../../../bot';
import { DEMO_CONTACTS, DEMO_TENANTS } from '../../../services/identity';
import { completeTicket, ticketFixture, type TicketFixture } from '../../services/tickets/fixtures';
import { startTestApp, stopTestApp } from '../../support/app';
import { EntraStandIn, ssoEnv, type SsoTokenOptions } from '../../support/entraStandIn';

type Person = Pick<SsoTokenOptions, 'tenantId' | 'aadObjectId' | 'email' | 'name'>;

function person(name: 'alice' | 'bob' | 'nina' | 'claire'): Person {
  const contact = DEMO_CONTACTS[name];
  const tenantId = name === 'claire' ? DEMO_TENANTS.contoso : DEMO_TENANTS.northwind;
  return { tenantId, aadObjectId: contact.aadObjectId, email: contact.email, name: contact.name };
}

interface TicketItem {
  number: string;
  subject: string;
  statusLabel: string;
}

describe('Teams tab API (/api/tab)', function () {
  this.timeout(60_000);
  const entra = new EntraStandIn();
  let app: HelplineApp;
  let fixture: TicketFixture;
  const numbers: Record<'bob' | 'aliceCcBob' | 'claire' | 'closed', string> = {
    bob: '',
    aliceCcBob: '',
    claire: '',
    closed: '',
  };

  before(async () => {
    await entra.start();
    app = await startTestApp('tab-api', { ...ssoEnv(entra), LIFECYCLE_JOB: 'false' });
    fixture = await ticketFixture(app.connection, () => new Date());
    const create = async (overrides: Parameters<typeof completeTicket>[0], key: string): Promise<string> =>
      (await fixture.tickets.create(completeTicket(overrides), key)).ticket.number;
    numbers.bob = await create({ subject: 'Backup job fails every night' }, 'tab-test-1');
    numbers.aliceCcBob = await create(
      {
        requesterContactId: DEMO_CONTACTS.alice.id,
        subject: 'Patch scan out of date',
        ccs: [DEMO_CONTACTS.bob.email],
      },
      'tab-test-2',
    );
    numbers.claire = await create(
      { requesterContactId: DEMO_CONTACTS.claire.id, subject: 'Contoso secret outage' },
      'tab-test-3',
    );
    numbers.closed = await create({ subject: 'Old remote session problem' }, 'tab-test-4');
    await fixture.tickets.changeStatus(numbers.closed, { id: 'staff-1', name: 'Sam' }, 'closed');
  });
  after(async () => {
    await stopTestApp(app);
    await entra.stop();
  });

  async function call(
    path: string,
    token: string | undefined,
    init: { method?: string; body?: unknown } = {},
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
    const res = await fetch(`${app.url()}/api/tab${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
  }

  const tokenOf = async (who: Person, extra: Partial<SsoTokenOptions> = {}): Promise<string> =>
    await entra.token({ ...who, ...extra });

  it('names the signed-in contact and their organisation', async () => {
    const me = await call('/me', await tokenOf(person('bob')));
    assert.equal(me.status, 200);
    assert.deepEqual(me.json, {
      name: 'Bob Singh',
      email: 'bob@northwind.example',
      organisation: 'Northwind IT Services',
      canSeeOrganisation: true,
    });
  });

  it('lists mine, copied to me and my organisation, never another organisation’s ticket', async () => {
    const token = await tokenOf(person('bob'));
    const list = async (scope: string): Promise<string[]> => {
      const res = await call(`/tickets?scope=${scope}`, token);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      return (res.json.items as TicketItem[]).map((item) => item.number).sort();
    };
    assert.deepEqual(await list('mine'), [numbers.bob, numbers.closed].sort());
    assert.deepEqual(await list('cc'), [numbers.aliceCcBob]);
    const organisation = await list('organisation');
    assert.deepEqual(organisation, [numbers.bob, numbers.aliceCcBob, numbers.closed].sort());
    assert.ok(!organisation.includes(numbers.claire));
  });

  it('filters by status and searches words, in French when asked', async () => {
    const token = await tokenOf(person('bob'));
    const closed = await call('/tickets?scope=mine&status=closed&locale=fr', token);
    assert.deepEqual(
      (closed.json.items as TicketItem[]).map((item) => [item.number, item.statusLabel]),
      [[numbers.closed, 'Fermé']],
    );
    const searched = await call(`/tickets?scope=organisation&q=${encodeURIComponent('patch scan')}`, token);
    assert.deepEqual(
      (searched.json.items as TicketItem[]).map((item) => item.number),
      [numbers.aliceCcBob],
    );
  });

  it('opens a ticket with its timeline, as plain text', async () => {
    const res = await call(`/tickets/${numbers.bob.toLowerCase()}`, await tokenOf(person('bob')));
    assert.equal(res.status, 200);
    const ticket = res.json.ticket as { number: string; subject: string; events: Array<{ text: string }> };
    assert.equal(ticket.number, numbers.bob);
    assert.equal(ticket.subject, 'Backup job fails every night');
    assert.match(ticket.events[0]?.text ?? '', /Bob Singh opened the ticket/);
  });

  it('answers another organisation’s ticket exactly as a number that does not exist', async () => {
    const token = await tokenOf(person('bob'));
    const theirs = await call(`/tickets/${numbers.claire}`, token);
    const missing = await call('/tickets/HL-999999', token);
    assert.equal(theirs.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(
      JSON.stringify(theirs.json).replace(numbers.claire, 'N'),
      JSON.stringify(missing.json).replace('HL-999999', 'N'),
    );
    assert.doesNotMatch(JSON.stringify(theirs.json), /Contoso/);
  });

  it('refuses forged, expired, wrong-audience and wrong-scope tokens with 401 and no data', async () => {
    const bob = person('bob');
    const tokens = {
      forged: await tokenOf(bob, { forged: true }),
      expired: await tokenOf(bob, { expiresIn: -600 }),
      audience: await tokenOf(bob, {
        audience: 'api://elsewhere.example.com/11111111-2222-3333-4444-555555555555',
      }),
      scope: await tokenOf(bob, { scope: 'User.Read' }),
      none: undefined,
    };
    for (const [what, token] of Object.entries(tokens)) {
      const res = await call('/tickets?scope=mine', token);
      assert.equal(res.status, 401, what);
      assert.match(res.headers.get('www-authenticate') ?? '', /Bearer .*invalid_token/, what);
      assert.equal((res.json.error as { code: string }).code, 'invalid_token', what);
      assert.equal(res.json.items, undefined, what);
    }
  });

  it('refuses someone who is not a contact, and the organisation list to a non-authorized contact', async () => {
    const stranger = await call(
      '/me',
      await tokenOf({ ...person('bob'), aadObjectId: 'aad-stranger', email: 'zed@northwind.example' }),
    );
    assert.equal(stranger.status, 403);
    assert.equal((stranger.json.error as { code: string }).code, 'not_a_contact');
    const nina = await tokenOf(person('nina'));
    assert.equal((await call('/tickets?scope=mine', nina)).status, 200);
    const organisation = await call('/tickets?scope=organisation', nina);
    assert.equal(organisation.status, 403);
    assert.equal(organisation.json.items, undefined);
  });

  it('adds a comment once, even when the same request arrives twice', async () => {
    const token = await tokenOf(person('bob'));
    const body = {
      text: 'The job failed again at 02:00; log attached to the portal.',
      requestId: crypto.randomUUID(),
    };
    const first = await call(`/tickets/${numbers.bob}/comments`, token, { method: 'POST', body });
    const again = await call(`/tickets/${numbers.bob}/comments`, token, { method: 'POST', body });
    assert.equal(first.status, 201, JSON.stringify(first.json));
    assert.equal(again.status, 200);
    assert.equal(again.json.repeated, true);
    const stored = await fixture.tickets.getForViewer(numbers.bob, await fixture.viewer('bob'));
    assert.equal(stored.kind, 'found');
    const comments =
      stored.kind === 'found' ? stored.ticket.timeline.filter((e) => e.type === 'comment') : [];
    assert.deepEqual(
      comments.map((e) => e.data.text),
      [body.text],
    );
  });

  it('refuses comments it must not take: another organisation’s ticket, a closed one, an invalid body', async () => {
    const token = await tokenOf(person('bob'));
    const post = async (number: string, body: unknown) =>
      await call(`/tickets/${number}/comments`, token, { method: 'POST', body });
    assert.equal((await post(numbers.claire, { text: 'hello', requestId: crypto.randomUUID() })).status, 404);
    const closed = await post(numbers.closed, { text: 'hello', requestId: crypto.randomUUID() });
    assert.equal(closed.status, 409);
    assert.match((closed.json.error as { message: string }).message, /Closed/);
    assert.equal((await post(numbers.bob, { text: '', requestId: crypto.randomUUID() })).status, 400);
    assert.equal((await post(numbers.bob, { text: 'hi', requestId: 'not-a-uuid' })).status, 400);
    assert.equal(
      (await post(numbers.bob, { text: 'hi', requestId: crypto.randomUUID(), admin: true })).status,
      400,
    );
    const claire = await fixture.tickets.getForViewer(numbers.claire, await fixture.viewer('claire'));
    assert.equal(claire.kind === 'found' && claire.ticket.timeline.some((e) => e.type === 'comment'), false);
  });

  describe('without an SSO client id configured', () => {
    let bare: HelplineApp;
    before(async () => (bare = await startTestApp('tab-api-bare', { LIFECYCLE_JOB: 'false' })));
    after(async () => await stopTestApp(bare));

    it('says plainly that sign-in is not set up (503), and the page still loads', async () => {
      const res = await fetch(`${bare.url()}/api/tab/me`, {
        headers: { Authorization: `Bearer ${await tokenOf(person('bob'))}` },
      });
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'sso_not_configured');
      const page = await fetch(`${bare.url()}/teams/tab`);
      assert.equal(page.status, 200);
      assert.match(
        page.headers.get('content-security-policy') ?? '',
        /frame-ancestors https:\/\/teams\.microsoft\.com/,
      );
    });
  });
});
