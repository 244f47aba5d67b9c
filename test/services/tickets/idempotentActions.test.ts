import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { DEMO_CONTACTS } from '../../../services/identity';
import { getTicketModel, type TicketViewer } from '../../../services/tickets';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { completeTicket, testClock, ticketFixture, type TestClock, type TicketFixture } from './fixtures';

/** Every action on a ticket is safe to receive twice: the same idempotency key writes once. */
describe('MongoTicketService: actions with an idempotency key', () => {
  let connection: Connection;
  let clock: TestClock;
  let fx: TicketFixture;
  let bob: TicketViewer;
  let n = 0;

  before(async () => {
    connection = await openTestDatabase('ticketkeys');
    clock = testClock('2026-11-02T10:00:00Z');
    fx = await ticketFixture(connection, clock);
    bob = await fx.viewer('bob');
  });
  after(async () => await dropTestDatabase(connection));

  const open = async (): Promise<string> =>
    (await fx.tickets.create(completeTicket(), `keys-open-${++n}`)).ticket.number;
  const stored = async (number: string) =>
    (await getTicketModel(connection).findOne({ number }).lean().exec())!;
  const auditCount = async (number: string, action: string): Promise<number> =>
    (await fx.audit.list({ ticketNumber: number, action })).length;

  it('a comment sent twice, and five times at once, with one key is added once', async () => {
    const number = await open();
    const key = { idempotencyKey: 'comment-key-0001' };

    const first = await fx.tickets.addComment(
      number,
      { kind: 'customer', viewer: bob },
      'Still offline.',
      key,
    );
    const again = await Promise.all(
      Array.from({ length: 5 }, () =>
        fx.tickets.addComment(number, { kind: 'customer', viewer: bob }, 'Still offline.', key),
      ),
    );

    assert.equal(first.kind, 'ok');
    assert.ok(again.every((result) => result.kind === 'ok'));
    const comments = (await stored(number)).timeline.filter((event) => event.type === 'comment');
    assert.equal(comments.length, 1);
    assert.equal(await auditCount(number, 'ticket.comment_added'), 1);
  });

  it('two comments with two keys are both added', async () => {
    const number = await open();
    await fx.tickets.addComment(number, { kind: 'customer', viewer: bob }, 'One.', {
      idempotencyKey: 'two-keys-a',
    });
    await fx.tickets.addComment(number, { kind: 'customer', viewer: bob }, 'One.', {
      idempotencyKey: 'two-keys-b',
    });
    assert.equal((await stored(number)).timeline.filter((event) => event.type === 'comment').length, 2);
  });

  it('an escalation request received twice is recorded once', async () => {
    const number = await open();
    const key = { idempotencyKey: 'escalate-key-01' };
    await fx.tickets.requestEscalation(number, bob, 'Production is down.', key);
    const again = await fx.tickets.requestEscalation(number, bob, 'Production is down.', key);
    assert.equal(again.kind, 'ok');
    const events = (await stored(number)).timeline.filter((event) => event.type === 'escalation_requested');
    assert.equal(events.length, 1);
  });

  it('resolve and reopen received twice each change the ticket once and answer ok both times', async () => {
    const number = await open();
    const resolved = await fx.tickets.resolveByCustomer(number, bob, { idempotencyKey: 'resolve-key-01' });
    const resolvedAgain = await fx.tickets.resolveByCustomer(number, bob, {
      idempotencyKey: 'resolve-key-01',
    });
    const reopened = await fx.tickets.reopen(number, bob, undefined, { idempotencyKey: 'reopen-key-001' });
    const reopenedAgain = await fx.tickets.reopen(number, bob, undefined, {
      idempotencyKey: 'reopen-key-001',
    });

    assert.deepEqual(
      [resolved.kind, resolvedAgain.kind, reopened.kind, reopenedAgain.kind],
      ['ok', 'ok', 'ok', 'ok'],
    );
    const ticket = await stored(number);
    // Nobody had worked on it yet: reopening puts it back to New, once.
    assert.equal(ticket.status, 'new');
    assert.equal(ticket.timeline.filter((event) => event.type === 'reopened').length, 1);
    assert.equal(await auditCount(number, 'ticket.resolved'), 1);
    assert.equal(await auditCount(number, 'ticket.reopened'), 1);
  });

  it("a key is the actor's own: another actor's action with the same key is not taken for a repeat", async () => {
    const number = await open();
    await fx.tickets.addComment(number, { kind: 'customer', viewer: bob }, 'Mine.', {
      idempotencyKey: 'shared-key-01',
    });
    const staff = { id: 'staff-ann', name: 'Ann' };
    await fx.tickets.addComment(number, { kind: 'staff', staff, visibility: 'public' }, 'Ours.', {
      idempotencyKey: 'shared-key-01',
    });
    assert.equal((await stored(number)).timeline.filter((event) => event.type === 'comment').length, 2);
  });

  it('an access request received twice with one key is recorded once', async () => {
    const input = {
      contactId: DEMO_CONTACTS.nina.id,
      channel: 'msteams',
      message: 'Please make me an authorized contact.',
      idempotencyKey: 'access-key-0001',
    };
    const first = await fx.identity.recordAccessRequest(input);
    const [second, third] = await Promise.all([
      fx.identity.recordAccessRequest(input),
      fx.identity.recordAccessRequest(input),
    ]);
    assert.equal(second.id, first.id);
    assert.equal(third.id, first.id);
    const all = await fx.identity.listAccessRequests();
    assert.equal(all.filter((request) => request.contactId === DEMO_CONTACTS.nina.id).length, 1);
  });

  it('a billing ticket submitted twice with one key is opened once', async () => {
    const input = {
      requesterContactId: DEMO_CONTACTS.bob.id,
      ccs: [],
      channel: 'webchat' as const,
      topic: 'invoice_copy' as const,
      description: 'Please send me a copy of invoice INV-2026-0042.',
    };
    const [a, b] = await Promise.all([
      fx.tickets.createBilling(input, 'billing-key-0001'),
      fx.tickets.createBilling(input, 'billing-key-0001'),
    ]);
    assert.equal(a.ticket.number, b.ticket.number);
    assert.equal(await getTicketModel(connection).countDocuments({ idempotencyKey: 'billing-key-0001' }), 1);
  });
});
