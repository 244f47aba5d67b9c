import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import type { Ticket } from '../../../services/tickets';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { completeTicket, testClock, ticketFixture, type TicketFixture } from './fixtures';

describe('MongoTicketService: the staff summary', () => {
  let connection: Connection;
  let fx: TicketFixture;
  const ann = { id: 'staff-ann', name: 'Ann Support' };

  before(async () => {
    connection = await openTestDatabase('ticketsummary');
    fx = await ticketFixture(connection, testClock('2026-11-02T10:00:00Z'));
  });
  after(async () => await dropTestDatabase(connection));

  it('tells the listener of a ticket opened, once, and not of a repeated create', async () => {
    const told: Ticket[] = [];
    fx.tickets.createdListener = (ticket) => told.push(ticket);

    const first = await fx.tickets.create(completeTicket(), 'summary-key-1');
    const again = await fx.tickets.create(completeTicket(), 'summary-key-1');

    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.deepEqual(
      told.map((t) => t.number),
      [first.ticket.number],
    );
    fx.tickets.createdListener = undefined;
  });

  it('a listener that throws does not cost the ticket', async () => {
    fx.tickets.createdListener = () => {
      throw new Error('listener broke');
    };
    const result = await fx.tickets.create(completeTicket(), 'summary-key-2');
    assert.equal(result.created, true);
    fx.tickets.createdListener = undefined;
  });

  it('is shown to staff and never to the customer', async () => {
    const { ticket } = await fx.tickets.create(completeTicket(), 'summary-key-3');

    const stored = await fx.tickets.setSummary(ticket.number, {
      problem: 'All agents offline since the update.',
      status: 'Restarting the agent did not help; severity 2 ticket opened.',
    });

    assert.equal(stored, true);
    const staffView = await fx.tickets.getForStaff(ticket.number, ann);
    assert.equal(staffView?.summary?.problem, 'All agents offline since the update.');
    assert.ok(staffView?.summary?.at instanceof Date);
    const customerView = await fx.tickets.getForViewer(ticket.number, await fx.viewer('bob'));
    assert.equal(customerView.kind, 'found');
    assert.equal(customerView.kind === 'found' && 'summary' in customerView.ticket, false);
    const listed = await fx.tickets.list({ viewer: await fx.viewer('bob'), scope: 'mine' });
    assert.ok(listed.items.every((item) => !('summary' in item)));
    assert.equal(await fx.tickets.setSummary('HL-999999', { problem: 'x', status: 'y' }), false);
  });
});
