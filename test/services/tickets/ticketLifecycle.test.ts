import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { DEMO_CONTACTS } from '../../../services/identity';
import type { StaffMember, Ticket, TicketViewer } from '../../../services/tickets';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { completeTicket, testClock, ticketFixture, type TestClock, type TicketFixture } from './fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ann: StaffMember = { id: 'staff-ann', name: 'Ann Support' };

function ok<T extends { kind: string }>(result: T): Extract<T, { kind: 'ok' }> {
  assert.equal(result.kind, 'ok', `expected ok, got ${JSON.stringify(result).slice(0, 200)}`);
  return result as Extract<T, { kind: 'ok' }>;
}

describe('MongoTicketService: after the ticket is opened', () => {
  let connection: Connection;
  let clock: TestClock;
  let fx: TicketFixture;
  let alice: TicketViewer; // Northwind, authorized
  let bob: TicketViewer; // Northwind, authorized
  let nina: TicketViewer; // Northwind, not authorized
  let claire: TicketViewer; // Contoso, authorized
  let keys = 0;

  async function open(overrides: Parameters<typeof completeTicket>[0] = {}): Promise<Ticket> {
    keys += 1;
    return (await fx.tickets.create(completeTicket(overrides), `lifecycle-key-${keys}`)).ticket;
  }

  beforeEach(async () => {
    connection = await openTestDatabase('lifecycle');
    clock = testClock('2026-11-02T10:00:00Z');
    fx = await ticketFixture(connection, clock);
    [alice, bob, nina, claire] = await Promise.all([
      fx.viewer('alice'),
      fx.viewer('bob'),
      fx.viewer('nina'),
      fx.viewer('claire'),
    ]);
  });
  afterEach(async () => await dropTestDatabase(connection));

  describe('getForViewer', () => {
    it('shows a ticket to its requester and to authorized contacts of the same organisation', async () => {
      const ticket = await open();

      assert.equal((await fx.tickets.getForViewer(ticket.number, bob)).kind, 'found');
      assert.equal((await fx.tickets.getForViewer(ticket.number.toLowerCase(), alice)).kind, 'found');
    });

    it('shows a non-authorized contact only the tickets they are copied on', async () => {
      const notCopied = await open();
      const copied = await open({ ccs: [DEMO_CONTACTS.nina.email] });

      assert.equal((await fx.tickets.getForViewer(notCopied.number, nina)).kind, 'not_found');
      assert.equal((await fx.tickets.getForViewer(copied.number, nina)).kind, 'found');
    });

    it('answers for another organisation’s ticket exactly as for a number that does not exist', async () => {
      const ticket = await open();

      const otherOrganisation = await fx.tickets.getForViewer(ticket.number, claire);
      const nonexistent = await fx.tickets.getForViewer('HL-999999', claire);

      assert.deepEqual(otherOrganisation, nonexistent);
      assert.deepEqual(otherOrganisation, { kind: 'not_found' });
    });
  });

  describe('list', () => {
    it('lists mine, where I am copied and my organisation, newest first, never another organisation’s', async () => {
      const first = await open();
      clock.advance(HOUR);
      const second = await open({ ccs: [DEMO_CONTACTS.alice.email] });
      clock.advance(HOUR);
      const byAlice = await open({ requesterContactId: DEMO_CONTACTS.alice.id });
      await open({ requesterContactId: DEMO_CONTACTS.claire.id });

      const mine = await fx.tickets.list({ viewer: bob, scope: 'mine' });
      const ccd = await fx.tickets.list({ viewer: alice, scope: 'cc' });
      const organisation = await fx.tickets.list({ viewer: alice, scope: 'organisation' });

      assert.deepEqual(
        mine.items.map((t) => t.number),
        [second.number, first.number],
      );
      assert.deepEqual(
        ccd.items.map((t) => t.number),
        [second.number],
      );
      assert.deepEqual(
        organisation.items.map((t) => t.number),
        [byAlice.number, second.number, first.number],
      );
      assert.equal(organisation.total, 3);
    });

    it('refuses the organisation list to a non-authorized contact, whose visible list is theirs and their CCs', async () => {
      await open();
      const copied = await open({ ccs: [DEMO_CONTACTS.nina.email] });

      await assert.rejects(
        fx.tickets.list({ viewer: nina, scope: 'organisation' }),
        (e: Error & { code?: string }) => e.code === 'forbidden',
      );
      const visible = await fx.tickets.list({ viewer: nina, scope: 'visible' });

      assert.deepEqual(
        visible.items.map((t) => t.number),
        [copied.number],
      );
    });

    it('filters by status and pages', async () => {
      for (let i = 0; i < 7; i++) {
        await open();
        clock.advance(60_000);
      }
      const resolved = await open();
      ok(await fx.tickets.resolveByCustomer(resolved.number, bob));

      const open7 = await fx.tickets.list({
        viewer: bob,
        scope: 'mine',
        status: ['new', 'open'],
        pageSize: 5,
      });
      const page2 = await fx.tickets.list({
        viewer: bob,
        scope: 'mine',
        status: ['new', 'open'],
        pageSize: 5,
        page: 2,
      });
      const onlyResolved = await fx.tickets.list({ viewer: bob, scope: 'mine', status: ['resolved'] });

      assert.equal(open7.total, 7);
      assert.equal(open7.items.length, 5);
      assert.equal(page2.items.length, 2);
      assert.deepEqual(
        onlyResolved.items.map((t) => t.number),
        [resolved.number],
      );
    });

    it('searches by number and by words (special characters taken literally), within the organisation only', async () => {
      const agents = await open({ subject: 'Agents offline (all sites)' });
      const backup = await open({
        subject: 'Backup job fails nightly',
        module: 'backup',
        productVersion: '7.1.4',
      });
      await open({ requesterContactId: DEMO_CONTACTS.claire.id, subject: 'Agents offline at Contoso' });

      const byNumber = await fx.tickets.list({
        viewer: alice,
        scope: 'visible',
        text: backup.number.toLowerCase(),
      });
      const byWords = await fx.tickets.list({ viewer: alice, scope: 'visible', text: 'offline (all' });
      const regexChars = await fx.tickets.list({ viewer: alice, scope: 'visible', text: '.*' });
      const contosoSearch = await fx.tickets.list({ viewer: claire, scope: 'visible', text: agents.number });

      assert.deepEqual(
        byNumber.items.map((t) => t.number),
        [backup.number],
      );
      assert.deepEqual(
        byWords.items.map((t) => t.number),
        [agents.number],
      );
      assert.equal(regexChars.total, 0);
      assert.equal(contosoSearch.total, 0);
    });
  });

  describe('comments', () => {
    it('adds a customer comment to the timeline, and a reply to a pending ticket reopens work on it', async () => {
      const ticket = await open();
      ok(
        await fx.tickets.changeStatus(ticket.number, ann, 'pending', { note: 'Please send the agent log.' }),
      );
      clock.advance(HOUR);

      const result = ok(
        await fx.tickets.addComment(ticket.number, { kind: 'customer', viewer: bob }, 'Log attached.'),
      );

      assert.equal(result.ticket.status, 'open');
      assert.equal(result.ticket.pendingSince, undefined);
      assert.deepEqual(
        result.ticket.timeline.map((e) => [e.type, e.by.kind, e.data.text ?? e.data.to ?? e.data.status]),
        [
          ['created', 'customer', 'new'],
          ['status_changed', 'staff', 'pending'],
          ['comment', 'customer', 'Log attached.'],
          ['status_changed', 'customer', 'open'],
        ],
      );
    });

    it('hides internal staff comments from customers but not from staff', async () => {
      const ticket = await open();
      ok(
        await fx.tickets.addComment(
          ticket.number,
          { kind: 'staff', staff: ann, visibility: 'internal' },
          'Looks like bug 4411.',
        ),
      );
      ok(
        await fx.tickets.addComment(
          ticket.number,
          { kind: 'staff', staff: ann, visibility: 'public' },
          'We are on it.',
        ),
      );

      const customerView = await fx.tickets.getForViewer(ticket.number, bob);
      const staffView = await fx.tickets.getForStaff(ticket.number, ann);

      assert.equal(customerView.kind, 'found');
      if (customerView.kind !== 'found') return;
      assert.deepEqual(customerView.ticket.timeline.map((e) => e.data.text).filter(Boolean), [
        'We are on it.',
      ]);
      assert.deepEqual(staffView?.timeline.map((e) => e.data.text).filter(Boolean), [
        'Looks like bug 4411.',
        'We are on it.',
      ]);
    });

    it('refuses a customer comment on a resolved ticket (offer to reopen) and any comment on another organisation’s', async () => {
      const ticket = await open();
      ok(await fx.tickets.resolveByCustomer(ticket.number, bob));

      const onResolved = await fx.tickets.addComment(
        ticket.number,
        { kind: 'customer', viewer: bob },
        'One more thing',
      );
      const crossOrg = await fx.tickets.addComment(
        ticket.number,
        { kind: 'customer', viewer: claire },
        'Hello',
      );

      assert.equal(onResolved.kind, 'not_allowed');
      assert.deepEqual(crossOrg, { kind: 'not_found' });
    });

    it('keeps every one of 10 comments added at the same time', async () => {
      const ticket = await open();

      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          fx.tickets.addComment(ticket.number, { kind: 'customer', viewer: bob }, `comment ${i}`),
        ),
      );

      assert.ok(results.every((r) => r.kind === 'ok'));
      const staffView = await fx.tickets.getForStaff(ticket.number, ann);
      const texts =
        staffView?.timeline.filter((e) => e.type === 'comment').map((e) => e.data.text as string) ?? [];
      assert.deepEqual([...texts].sort(), Array.from({ length: 10 }, (_, i) => `comment ${i}`).sort());
    });

    it('refuses an empty comment', async () => {
      const ticket = await open();

      await assert.rejects(
        fx.tickets.addComment(ticket.number, { kind: 'customer', viewer: bob }, '   '),
        (e: Error & { code?: string }) => e.code === 'invalid_input',
      );
    });
  });

  describe('escalation, resolution and reopening', () => {
    it('records an escalation request with its reason, on the ticket and in the audit log', async () => {
      const ticket = await open();

      const result = ok(
        await fx.tickets.requestEscalation(ticket.number, bob, 'Production is down for 300 clients'),
      );

      assert.equal(result.ticket.escalated, true);
      assert.deepEqual(result.ticket.timeline.at(-1)?.data, { reason: 'Production is down for 300 clients' });
      const audit = await fx.audit.list({
        ticketNumber: ticket.number,
        action: 'ticket.escalation_requested',
      });
      assert.equal(audit[0]?.actor.id, DEMO_CONTACTS.bob.id);
    });

    it('resolves a ticket the customer no longer needs help with, once', async () => {
      const ticket = await open();

      const result = ok(await fx.tickets.resolveByCustomer(ticket.number, bob));
      const again = await fx.tickets.resolveByCustomer(ticket.number, bob);

      assert.equal(result.ticket.status, 'resolved');
      assert.equal(result.ticket.resolvedAt?.toISOString(), clock.now.toISOString());
      assert.deepEqual(result.ticket.timeline.at(-1)?.data, {
        from: 'new',
        to: 'resolved',
        reason: 'no_longer_needed',
      });
      assert.equal(again.kind, 'already_resolved');
    });

    it('reopens a ticket resolved 6 days 23 hours ago', async () => {
      const ticket = await open();
      ok(await fx.tickets.resolveByCustomer(ticket.number, bob));
      clock.advance(6 * DAY + 23 * HOUR);

      const result = ok(await fx.tickets.reopen(ticket.number, bob, 'It came back'));

      // Resolved before support picked it up: it is new again, not "in progress".
      assert.equal(result.ticket.status, 'new');
      assert.equal(result.ticket.resolvedAt, undefined);
      assert.ok(
        result.ticket.timeline.some((e) => e.type === 'reopened' && e.data.reason === 'It came back'),
      );
    });

    it('reopens a ticket that support had in progress as in progress', async () => {
      const ticket = await open();
      ok(await fx.tickets.changeStatus(ticket.number, ann, 'open'));
      ok(await fx.tickets.resolveByCustomer(ticket.number, bob));

      const result = ok(await fx.tickets.reopen(ticket.number, bob));

      assert.equal(result.ticket.status, 'open');
      assert.deepEqual(result.ticket.timeline.at(-1)?.data, {
        from: 'resolved',
        to: 'open',
        reason: 'reopened',
      });
    });

    it('does not reopen a ticket resolved 7 days 1 hour ago, and says the window has passed', async () => {
      const ticket = await open();
      const resolvedAt = clock.now;
      ok(await fx.tickets.resolveByCustomer(ticket.number, bob));
      clock.advance(7 * DAY + HOUR);

      const result = await fx.tickets.reopen(ticket.number, bob);

      assert.equal(result.kind, 'reopen_window_passed');
      if (result.kind !== 'reopen_window_passed') return;
      assert.equal(result.resolvedAt?.toISOString(), resolvedAt.toISOString());
      assert.equal(result.ticket.status, 'resolved');
    });

    it('says a ticket that is not resolved cannot be reopened, and a closed one is past the window', async () => {
      const active = await open();
      const closed = await open();
      ok(await fx.tickets.changeStatus(closed.number, ann, 'closed'));

      assert.equal((await fx.tickets.reopen(active.number, bob)).kind, 'not_resolved');
      assert.equal((await fx.tickets.reopen(closed.number, bob)).kind, 'reopen_window_passed');
    });

    it('links a new ticket to an old one', async () => {
      const old = await open();

      const follow = await open({ relatedTicketNumber: old.number.toLowerCase() });

      assert.equal(follow.relatedTicketNumber, old.number);
    });
  });

  describe('staff actions', () => {
    it('changes the status with who and when on the timeline, and clears missing information when taken off hold', async () => {
      const input = completeTicket({ unknownFields: ['serverUrl'] });
      delete input.serverUrl;
      const ticket = (await fx.tickets.create(input, 'staff-onhold')).ticket;
      clock.advance(HOUR);

      const result = ok(
        await fx.tickets.changeStatus(ticket.number, ann, 'open', { note: 'Got the URL by phone.' }),
      );

      assert.equal(result.ticket.status, 'open');
      assert.deepEqual(result.ticket.missingInformation, []);
      const event = result.ticket.timeline.at(-1);
      assert.deepEqual(event?.by, { kind: 'staff', id: 'staff-ann', name: 'Ann Support' });
      assert.equal(event?.at.toISOString(), clock.now.toISOString());
      assert.deepEqual(event?.data, {
        from: 'on_hold',
        to: 'open',
        reason: 'staff',
        note: 'Got the URL by phone.',
      });
    });

    it('treats closed as final', async () => {
      const ticket = await open();
      ok(await fx.tickets.changeStatus(ticket.number, ann, 'closed'));

      const result = await fx.tickets.changeStatus(ticket.number, ann, 'open');

      assert.equal(result.kind, 'not_allowed');
    });

    it('assigns a ticket with an internal timeline event', async () => {
      const ticket = await open();

      const result = ok(await fx.tickets.assign(ticket.number, ann, { id: 'staff-bo', name: 'Bo' }));

      assert.deepEqual(result.ticket.assignee, { id: 'staff-bo', name: 'Bo' });
      const customerView = await fx.tickets.getForViewer(ticket.number, bob);
      assert.ok(
        customerView.kind === 'found' && customerView.ticket.timeline.every((e) => e.type !== 'assigned'),
      );
    });

    it('orders the staff queue by severity, then certified administrators, then age, and audits every read', async () => {
      const oldSev3 = await open({ severity: 3 });
      clock.advance(HOUR);
      const sev2 = await open({ severity: 2 });
      clock.advance(HOUR);
      const certifiedSev3 = await open({ severity: 3, requesterContactId: DEMO_CONTACTS.alice.id });
      const resolved = await open({ severity: 1 });
      ok(await fx.tickets.resolveByCustomer(resolved.number, bob));

      const queue = await fx.tickets.listForStaff({}, ann);
      await fx.tickets.getForStaff(sev2.number, ann);

      assert.deepEqual(
        queue.items.map((t) => t.number),
        [sev2.number, certifiedSev3.number, oldSev3.number],
      );
      const trail = await fx.audit.list({ actorId: 'staff-ann' });
      assert.deepEqual(trail.map((e) => e.action).slice(0, 2), ['ticket.viewed', 'tickets.listed']);
      assert.equal(trail[0]?.ticketNumber, sev2.number);
    });

    it('answers not_found for an action on a number that does not exist', async () => {
      assert.deepEqual(await fx.tickets.changeStatus('HL-424242', ann, 'open'), { kind: 'not_found' });
      assert.equal(await fx.tickets.getForStaff('HL-424242', ann), undefined);
    });
  });

  describe('applyLifecyclePolicy', () => {
    it('reminds a pending customer on days 2 and 5, resolves after 7 days without reply, then closes 7 days later', async () => {
      const ticket = await open();
      ok(await fx.tickets.changeStatus(ticket.number, ann, 'pending'));

      clock.advance(1 * DAY);
      const day1 = await fx.tickets.applyLifecyclePolicy();
      clock.advance(1 * DAY + HOUR);
      const day2 = await fx.tickets.applyLifecyclePolicy();
      const day2again = await fx.tickets.applyLifecyclePolicy();
      clock.advance(3 * DAY);
      const day5 = await fx.tickets.applyLifecyclePolicy();
      clock.advance(2 * DAY);
      const day7 = await fx.tickets.applyLifecyclePolicy();
      clock.advance(7 * DAY);
      const day14 = await fx.tickets.applyLifecyclePolicy();

      assert.deepEqual(
        [day1, day2again].map((r) => r.reminded.length + r.autoResolved.length + r.autoClosed.length),
        [0, 0],
      );
      assert.deepEqual(
        day2.reminded.map((t) => t.remindersSent),
        [1],
      );
      assert.deepEqual(
        day5.reminded.map((t) => t.remindersSent),
        [2],
      );
      assert.deepEqual(
        day7.autoResolved.map((t) => t.status),
        ['resolved'],
      );
      assert.deepEqual(
        day14.autoClosed.map((t) => t.status),
        ['closed'],
      );
      assert.equal((await fx.tickets.reopen(ticket.number, bob)).kind, 'reopen_window_passed');
    });

    it('applies each transition once when two runners overlap', async () => {
      const ticket = await open();
      ok(await fx.tickets.changeStatus(ticket.number, ann, 'pending'));
      clock.advance(2 * DAY);

      const [a, b] = await Promise.all([
        fx.tickets.applyLifecyclePolicy(),
        fx.tickets.applyLifecyclePolicy(),
      ]);

      assert.equal(a.reminded.length + b.reminded.length, 1);
      const staffView = await fx.tickets.getForStaff(ticket.number, ann);
      assert.equal(staffView?.timeline.filter((e) => e.type === 'reminder_sent').length, 1);
    });
  });
});
