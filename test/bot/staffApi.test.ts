import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationReference,
} from 'botbuilder';
import express from 'express';
import type { Connection } from 'mongoose';
import { STAFF_API_PATH, createStaffApiRouter } from '../../bot/staffApi';
import type { AuditEvent } from '../../services/audit';
import { DEMO_CONTACTS, DEMO_ORGANISATIONS } from '../../services/identity';
import { createSilentLogger } from '../../services/logger';
import {
  MongoConversationReferenceStore,
  MongoPendingUpdateStore,
  TicketUpdateNotifier,
} from '../../services/notifications';
import type { StaffMember, Ticket } from '../../services/tickets';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { dropTestDatabase, openTestDatabase } from '../support/database';
import {
  completeTicket,
  testClock,
  ticketFixture,
  type TestClock,
  type TicketFixture,
} from '../services/tickets/fixtures';
import { renderTicketUpdate } from '../../dialogs/notificationText';

const HOUR = 3_600_000;
const ann: StaffMember = { id: 'staff-ann', name: 'Ann Support' };
const bo: StaffMember = { id: 'staff-bo', name: 'Bo Lead' };
const ANN_TOKEN = 'ann-token-0123456789abcdef';
const BO_TOKEN = 'bo-token-0123456789abcdef';

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

describe('staff API', () => {
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let connection: Connection;
  let clock: TestClock;
  let fx: TicketFixture;
  let references: MongoConversationReferenceStore;
  let pending: MongoPendingUpdateStore;
  let server: Server;
  let baseUrl: string;
  let keys = 0;

  before(async () => (serviceUrl = await connector.start()));
  after(async () => await connector.stop());

  beforeEach(async () => {
    connector.received.length = 0;
    connector.failWith = undefined;
    connection = await openTestDatabase('staffapi');
    clock = testClock('2026-11-02T10:00:00Z');
    fx = await ticketFixture(connection, clock);
    references = new MongoConversationReferenceStore({ connection, clock });
    pending = new MongoPendingUpdateStore({ connection, clock });
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const notifier = new TicketUpdateNotifier({
      render: renderTicketUpdate,
      references,
      pending,
      logger: createSilentLogger(),
      deliver: async (reference, text) =>
        await adapter.continueConversationAsync(
          '',
          reference as Partial<ConversationReference>,
          async (context) => {
            await context.sendActivity(text);
          },
        ),
    });
    const app = express();
    app.use(
      STAFF_API_PATH,
      createStaffApiRouter({
        tickets: fx.tickets,
        audit: fx.audit,
        notifier,
        staffTokens: [
          { token: ANN_TOKEN, staff: ann },
          { token: BO_TOKEN, staff: bo },
        ],
        logger: createSilentLogger(),
        notifyWaitMs: 500,
      }),
    );
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${STAFF_API_PATH}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await dropTestDatabase(connection);
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = ANN_TOKEN,
  ): Promise<Answer> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token !== null ? { Authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  async function open(overrides: Parameters<typeof completeTicket>[0] = {}): Promise<Ticket> {
    keys += 1;
    return (await fx.tickets.create(completeTicket(overrides), `staff-api-key-${keys}`)).ticket;
  }

  async function openInConversation(): Promise<Ticket> {
    await references.save({
      id: 'a:bob-conv',
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: 'a:bob-conv', conversationType: 'personal', tenantId: 'tenant-northwind' },
      user: { id: '29:bob', aadObjectId: 'aad-bob' },
      bot: { id: '28:helpline' },
      locale: 'en-US',
      contactId: DEMO_CONTACTS.bob.id,
    });
    return await open({ conversationRefId: 'a:bob-conv' });
  }

  const numbers = (answer: Answer): string[] =>
    (answer.json.items as Array<{ number: string }>).map((t) => t.number);
  const ticketOf = (answer: Answer): Ticket => answer.json.ticket as Ticket;

  describe('authentication', () => {
    it('answers 401 with a JSON error and a Bearer challenge when the token is missing, wrong or not a bearer token', async () => {
      const ticket = await open();

      const answers = [
        await call('GET', '/tickets', undefined, null),
        await call('GET', '/tickets', undefined, 'not-a-staff-token'),
        await call('GET', `/tickets/${ticket.number}`, undefined, `${ANN_TOKEN}x`),
        await call('POST', `/tickets/${ticket.number}/status`, { status: 'open' }, ''),
      ];

      for (const answer of answers) {
        assert.equal(answer.status, 401);
        assert.equal((answer.json.error as { code: string }).code, 'Unauthorized');
        assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer /);
      }
      assert.deepEqual(await fx.audit.list({ actorKind: 'staff' }), []);
      assert.equal((await fx.tickets.getForStaff(ticket.number, ann))?.status, 'new');
    });

    it('takes the staff member from the token', async () => {
      const ticket = await open();

      await call('GET', `/tickets/${ticket.number}`, undefined, BO_TOKEN);

      const [viewed] = await fx.audit.list({ ticketNumber: ticket.number, action: 'ticket.viewed' });
      assert.deepEqual(viewed?.actor, { kind: 'staff', id: bo.id, name: bo.name });
    });
  });

  describe('validation', () => {
    it('answers 400 with readable zod issues for a bad body, and changes nothing', async () => {
      const ticket = await open();

      const badStatus = await call('POST', `/tickets/${ticket.number}/status`, { status: 'done' });
      const noVisibility = await call('POST', `/tickets/${ticket.number}/comments`, { text: 'Hello' });
      const emptyText = await call('POST', `/tickets/${ticket.number}/comments`, {
        text: '  ',
        visibility: 'public',
      });
      const extraField = await call('POST', `/tickets/${ticket.number}/assign`, {
        assignee: { id: 'x', name: 'X' },
        force: true,
      });
      const notJson = await call('POST', `/tickets/${ticket.number}/status`, '{"status":');
      const badQuery = await call('GET', '/tickets?severity=7&status=nope');

      for (const answer of [badStatus, noVisibility, emptyText, extraField, notJson, badQuery]) {
        assert.equal(answer.status, 400, JSON.stringify(answer.json));
        assert.equal((answer.json.error as { code: string }).code, 'BadRequest');
      }
      const error = badStatus.json.error as {
        message: string;
        issues: Array<{ path: string; message: string }>;
      };
      assert.match(error.message, /status/);
      assert.equal(error.issues[0]?.path, 'status');
      assert.equal(
        (noVisibility.json.error as { issues: Array<{ path: string }> }).issues[0]?.path,
        'visibility',
      );
      assert.equal((badQuery.json.error as { issues: unknown[] }).issues.length, 2);
      assert.equal((await fx.tickets.getForStaff(ticket.number, ann))?.timeline.length, 1);
    });

    it('answers 404 for a ticket that does not exist, on reads and on changes', async () => {
      const answers = [
        await call('GET', '/tickets/HL-999999'),
        await call('POST', '/tickets/HL-999999/status', { status: 'open' }),
        await call('POST', '/tickets/HL-999999/comments', { text: 'Hello', visibility: 'public' }),
        await call('POST', '/tickets/HL-999999/assign', { assignee: bo }),
        await call('GET', '/tickets/not%20a%20number'),
      ];

      assert.deepEqual(
        answers.map((a) => a.status),
        [404, 404, 404, 404, 404],
      );
    });
  });

  describe('GET /tickets', () => {
    it('lists the active queue by severity, then certified administrators, then age', async () => {
      const oldSev3 = await open({ severity: 3 });
      clock.advance(HOUR);
      const bobSev2 = await open({ severity: 2 });
      clock.advance(HOUR);
      const aliceSev2 = await open({ severity: 2, requesterContactId: DEMO_CONTACTS.alice.id });
      clock.advance(HOUR);
      const newerBobSev2 = await open({ severity: 2 });
      const sev1 = await open({ severity: 1, requesterContactId: DEMO_CONTACTS.alice.id });
      const resolved = await open({ severity: 1 });
      await fx.tickets.changeStatus(resolved.number, ann, 'resolved');

      const answer = await call('GET', '/tickets');

      assert.equal(answer.status, 200);
      assert.deepEqual(numbers(answer), [
        sev1.number,
        aliceSev2.number,
        bobSev2.number,
        newerBobSev2.number,
        oldSev3.number,
      ]);
      assert.equal(answer.json.total, 5);
      const first = (answer.json.items as Array<Record<string, unknown>>)[0];
      assert.equal(first?.triagePriority, true);
      assert.equal(first?.description, undefined, 'queue items are summaries');
    });

    it('filters by status, severity, organisation, type and text, and pages', async () => {
      const agents = await open({ severity: 2, subject: 'Agents offline after update' });
      const backup = await open({
        severity: 3,
        module: 'backup',
        subject: 'Backup job fails nightly',
        devices: [{ serialNumber: 'SN-9', deviceNumber: 'D-9' }],
      });
      const contoso = await open({ requesterContactId: DEMO_CONTACTS.claire.id, severity: 4 });
      const billing = await fx.tickets.createBilling(
        {
          requesterContactId: DEMO_CONTACTS.bob.id,
          channel: 'msteams',
          description: 'Please send a copy of invoice INV-2026-001.',
          topic: 'invoice_copy',
        },
        'staff-api-billing-1',
      );
      await fx.tickets.changeStatus(backup.number, ann, 'pending');

      const pendingOnly = await call('GET', '/tickets?status=pending');
      const severities = await call('GET', '/tickets?severity=2,4');
      const byOrganisation = await call('GET', `/tickets?organisationId=${DEMO_ORGANISATIONS.contoso.id}`);
      const billingOnly = await call('GET', '/tickets?type=billing');
      const search = await call('GET', `/tickets?q=${encodeURIComponent('backup job')}`);
      const byNumber = await call('GET', `/tickets?q=${agents.number.toLowerCase()}`);
      const page2 = await call('GET', '/tickets?pageSize=2&page=2');

      assert.deepEqual(numbers(pendingOnly), [backup.number]);
      assert.deepEqual(new Set(numbers(severities)), new Set([agents.number, contoso.number]));
      assert.deepEqual(numbers(byOrganisation), [contoso.number]);
      assert.deepEqual(numbers(billingOnly), [billing.ticket.number]);
      assert.deepEqual(numbers(search), [backup.number]);
      assert.deepEqual(numbers(byNumber), [agents.number]);
      assert.equal(page2.json.page, 2);
      assert.equal(page2.json.total, 4);
      assert.equal(numbers(page2).length, 2);
    });

    it('writes a tickets.listed audit event naming the staff member and the query', async () => {
      await open();

      await call('GET', '/tickets?severity=2');

      const [listed] = await fx.audit.list({ action: 'tickets.listed' });
      assert.equal(listed?.actor.id, ann.id);
      assert.deepEqual((listed?.details.query as { severity: number[] }).severity, [2]);
    });
  });

  describe('GET /tickets/:number', () => {
    it('returns the full ticket with internal events and audits the read', async () => {
      const ticket = await open();
      await fx.tickets.addComment(
        ticket.number,
        { kind: 'staff', staff: bo, visibility: 'internal' },
        'Check relay 3',
      );

      const answer = await call('GET', `/tickets/${ticket.number.toLowerCase()}`);

      assert.equal(answer.status, 200);
      assert.equal(ticketOf(answer).number, ticket.number);
      assert.ok(ticketOf(answer).timeline.some((e) => e.visibility === 'internal'));
      const [viewed] = await fx.audit.list({ ticketNumber: ticket.number, action: 'ticket.viewed' });
      assert.equal(viewed?.actor.id, ann.id);
    });
  });

  describe('POST /tickets/:number/status', () => {
    it('changes the status with a note, tells the requester in their conversation, and audits it', async () => {
      const ticket = await openInConversation();

      const answer = await call('POST', `/tickets/${ticket.number}/status`, {
        status: 'pending',
        note: 'Please send us the agent log.',
      });

      assert.equal(answer.status, 200);
      assert.equal(ticketOf(answer).status, 'pending');
      assert.deepEqual(answer.json.notification, { kind: 'delivered', referenceId: 'a:bob-conv' });
      const [received] = await connector.waitFor(1);
      assert.match(String(received?.activity.text), new RegExp(`${ticket.number}.*waiting for your reply`));
      assert.match(unescapeMarkdown(String(received?.activity.text)), /Please send us the agent log\./);
      const [changed] = await fx.audit.list({ ticketNumber: ticket.number, action: 'ticket.status_changed' });
      assert.equal(changed?.actor.id, ann.id);
      assert.deepEqual(changed?.details, {
        from: 'new',
        to: 'pending',
        note: 'Please send us the agent log.',
      });
    });

    it('puts a ticket on hold with the missing information', async () => {
      const ticket = await open();

      const answer = await call('POST', `/tickets/${ticket.number}/status`, {
        status: 'on_hold',
        missingInformation: ['server logs'],
      });

      assert.equal(ticketOf(answer).status, 'on_hold');
      assert.deepEqual(ticketOf(answer).missingInformation, ['server logs']);
      assert.deepEqual(answer.json.notification, { kind: 'pending', reason: 'no_reference' });
    });

    it('when the requester removed the app (403), still succeeds and keeps the update pending', async () => {
      const ticket = await openInConversation();
      connector.failWith = 403;

      const answer = await call('POST', `/tickets/${ticket.number}/status`, { status: 'resolved' });

      assert.equal(answer.status, 200);
      assert.equal(ticketOf(answer).status, 'resolved');
      assert.deepEqual(answer.json.notification, { kind: 'pending', reason: 'stale' });
      assert.equal((await references.get('a:bob-conv'))?.stale, true);
      assert.equal((await pending.peek(DEMO_CONTACTS.bob.id)).length, 1);
    });

    it('when the connector is slow to fail (500, retried), answers without waiting for the notification', async () => {
      const ticket = await openInConversation();
      connector.failWith = 500;

      const answer = await call('POST', `/tickets/${ticket.number}/status`, { status: 'open' });

      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json.notification, { kind: 'in_progress' });
      // The delivery carries on in the background and ends as a pending update.
      const deadline = Date.now() + 15_000;
      while ((await pending.peek(DEMO_CONTACTS.bob.id)).length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal((await pending.peek(DEMO_CONTACTS.bob.id)).length, 1);
    });

    it('refuses to change a closed ticket with 409', async () => {
      const ticket = await open();
      await fx.tickets.changeStatus(ticket.number, ann, 'closed');

      const answer = await call('POST', `/tickets/${ticket.number}/status`, { status: 'open' });

      assert.equal(answer.status, 409);
      assert.deepEqual(answer.json.error, {
        code: 'NotAllowed',
        message: 'The ticket is closed: it cannot be changed any more.',
        status: 'closed',
      });
    });
  });

  describe('POST /tickets/:number/comments', () => {
    it('adds a public comment and tells the requester', async () => {
      const ticket = await openInConversation();

      const answer = await call('POST', `/tickets/${ticket.number}/comments`, {
        text: 'Version 9.5.3 fixes this; please update.',
        visibility: 'public',
      });

      assert.equal(answer.status, 201);
      const comment = ticketOf(answer).timeline.at(-1);
      assert.equal(comment?.type, 'comment');
      assert.equal(comment?.visibility, 'public');
      assert.equal((answer.json.notification as { kind: string }).kind, 'delivered');
      const [received] = await connector.waitFor(1);
      assert.match(
        unescapeMarkdown(String(received?.activity.text)),
        /Ann Support replied on .*Version 9\.5\.3 fixes this/s,
      );
    });

    it('adds an internal comment without telling the requester, and the customer never sees it', async () => {
      const ticket = await openInConversation();

      const answer = await call('POST', `/tickets/${ticket.number}/comments`, {
        text: 'Relay 3 is flaky',
        visibility: 'internal',
      });

      assert.equal(answer.status, 201);
      assert.equal(answer.json.notification, undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(connector.received.length, 0);
      const seen = await fx.tickets.getForViewer(ticket.number, await fx.viewer('bob'));
      assert.ok(seen.kind === 'found');
      assert.ok(seen.ticket.timeline.every((e) => e.visibility === 'public'));
      const [audited] = await fx.audit.list({ ticketNumber: ticket.number, action: 'ticket.comment_added' });
      assert.deepEqual(audited?.details, { visibility: 'internal' });
    });
  });

  describe('POST /tickets/:number/assign', () => {
    it('assigns the ticket and audits who assigned it to whom', async () => {
      const ticket = await open();

      const answer = await call('POST', `/tickets/${ticket.number}/assign`, { assignee: bo });

      assert.equal(answer.status, 200);
      assert.deepEqual(ticketOf(answer).assignee, bo);
      const [assigned] = await fx.audit.list({ ticketNumber: ticket.number, action: 'ticket.assigned' });
      assert.equal(assigned?.actor.id, ann.id);
      assert.deepEqual(assigned?.details, { assignee: bo });
      const queue = await call('GET', `/tickets?assigneeId=${bo.id}`);
      assert.deepEqual(numbers(queue), [ticket.number]);
    });
  });

  describe('GET /audit', () => {
    it('lists the trail of every staff read and change, newest first, with filters', async () => {
      const ticket = await open();
      const other = await open();
      clock.advance(1_000);
      await call('GET', `/tickets/${ticket.number}`);
      clock.advance(1_000);
      await call('POST', `/tickets/${ticket.number}/status`, { status: 'open' });
      clock.advance(1_000);
      await call(
        'POST',
        `/tickets/${ticket.number}/comments`,
        { text: 'On it.', visibility: 'public' },
        BO_TOKEN,
      );
      clock.advance(1_000);
      await call('POST', `/tickets/${ticket.number}/assign`, { assignee: bo });
      clock.advance(1_000);
      await call('GET', `/tickets/${other.number}`, undefined, BO_TOKEN);

      const forTicket = await call('GET', `/audit?ticketNumber=${ticket.number.toLowerCase()}`);
      const byBo = await call('GET', `/audit?actorId=${bo.id}`);
      const since = await call(
        'GET',
        `/audit?actorKind=staff&from=${encodeURIComponent(new Date(clock.now.getTime() - 1_500).toISOString())}`,
      );
      const badDate = await call('GET', '/audit?from=yesterday');

      const actions = (answer: Answer): string[] => (answer.json.events as AuditEvent[]).map((e) => e.action);
      assert.deepEqual(actions(forTicket), [
        'ticket.assigned',
        'ticket.comment_added',
        'ticket.status_changed',
        'ticket.viewed',
        'ticket.created',
      ]);
      const staffEvents = (forTicket.json.events as AuditEvent[]).filter((e) => e.actor.kind === 'staff');
      assert.ok(staffEvents.every((e) => typeof e.at === 'string' && e.ticketNumber === ticket.number));
      assert.deepEqual(actions(byBo), ['ticket.viewed', 'ticket.comment_added']);
      assert.deepEqual(actions(since), ['ticket.viewed', 'ticket.assigned']);
      assert.equal(badDate.status, 400);
    });
  });
});

/** The text a markdown renderer shows for an escaped string. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}
