import assert from 'node:assert/strict';
import type { Connection, mongo } from 'mongoose';
import type { StaffMember, TicketViewer } from '../../../services/tickets';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { completeTicket, testClock, ticketFixture, type TestClock, type TicketFixture } from './fixtures';

const ann: StaffMember = { id: 'staff-ann', name: 'Ann Support' };

/**
 * A ticket is found by its number through its number's link, by `_id`: FerretDB over SQLite
 * answers a query by any other field by scanning the whole collection.
 */
describe('MongoTicketService: finding a ticket by its number', () => {
  let connection: Connection;
  let clock: TestClock;
  let fx: TicketFixture;
  let bob: TicketViewer;
  let n = 0;
  /** The filters of the `tickets` reads and writes sent while `run` ran. */
  let filters: Array<Record<string, unknown>> = [];

  const listener = (event: mongo.CommandStartedEvent): void => {
    const command = event.command as Record<string, unknown>;
    if (command.find === 'tickets') filters.push(command.filter as Record<string, unknown>);
    if (command.update === 'tickets')
      for (const u of command.updates as Array<{ q: Record<string, unknown> }>) filters.push(u.q);
  };
  const watched = async <T>(run: () => Promise<T>): Promise<T> => {
    filters = [];
    connection.getClient().on('commandStarted', listener);
    try {
      return await run();
    } finally {
      connection.getClient().off('commandStarted', listener);
    }
  };
  const byNumber = (): Array<Record<string, unknown>> => filters.filter((f) => 'number' in f);
  const byKey = (): Array<Record<string, unknown>> => filters.filter((f) => 'idempotencyKey' in f);

  before(async () => {
    connection = await openTestDatabase('ticketlookup');
    clock = testClock('2026-11-02T10:00:00Z');
    fx = await ticketFixture(connection, clock);
    bob = await fx.viewer('bob');
  });
  after(async () => await dropTestDatabase(connection));

  const open = async (): Promise<string> =>
    (await fx.tickets.create(completeTicket(), `lookup-open-${++n}`)).ticket.number;

  it('reads, comments on and changes a ticket with lookups by _id only, never a query by number', async () => {
    const number = await open();
    await open();

    const found = await watched(() => fx.tickets.getForViewer(number, bob));
    assert.equal(found.kind === 'found' && found.ticket.number, number);
    const commented = await watched(async () => {
      const result = await fx.tickets.addComment(number, { kind: 'customer', viewer: bob }, 'Still offline.');
      return result;
    });
    assert.equal(commented.kind, 'ok');
    assert.deepEqual(byNumber(), []);
    const changed = await watched(() =>
      fx.tickets.changeStatus(number, ann, 'pending', { note: 'Logs, please.' }),
    );
    assert.equal(changed.kind, 'ok');
    assert.deepEqual(byNumber(), []);
    assert.ok(filters.length > 0 && filters.every((f) => '_id' in f), JSON.stringify(filters));
    assert.equal((await fx.tickets.getForStaff(number.toLowerCase(), ann))?.status, 'pending');
  });

  it('finds a ticket opened before numbers were linked, once by number, then by _id', async () => {
    const number = await open();
    await connection.collection('ticket_keys').deleteOne({ _id: `number:${number}` as never });

    await watched(() => fx.tickets.getForViewer(number, bob));
    assert.equal(byNumber().length, 1, 'looked up by number once');
    const found = await watched(() => fx.tickets.getForViewer(number, bob));
    assert.equal(found.kind === 'found' && found.ticket.number, number);
    assert.deepEqual(byNumber(), [], 'the link now leads to the ticket');
  });

  it('says not found for a number never given, another prefix or no number at all', async () => {
    await open();
    for (const number of ['HL-99999999', 'XX-1001', 'HL-', 'hello'])
      assert.equal((await fx.tickets.getForViewer(number, bob)).kind, 'not_found', number);
    assert.equal(
      (await fx.tickets.addComment('HL-99999999', { kind: 'customer', viewer: bob }, 'Hi')).kind,
      'not_found',
    );
  });

  it('answers a repeated submit with its ticket through the key, with no query on the key', async () => {
    const first = await fx.tickets.create(completeTicket(), 'lookup-repeat-1');
    const again = await watched(() => fx.tickets.create(completeTicket(), 'lookup-repeat-1'));
    assert.equal(again.created, false);
    assert.equal(again.ticket.number, first.ticket.number);
    assert.deepEqual(byKey(), []);
    const fresh = await watched(() => fx.tickets.create(completeTicket(), 'lookup-repeat-2'));
    assert.equal(fresh.created, true);
    assert.deepEqual(byKey(), [], 'a new key is not looked for by a query either');
  });

  it('answers a repeat of a submit made before keys were linked with the same ticket, and links it', async () => {
    const first = await fx.tickets.create(completeTicket(), 'lookup-old-key');
    await connection.collection('ticket_keys').deleteOne({ _id: 'key:lookup-old-key' as never });

    const again = await fx.tickets.create(completeTicket(), 'lookup-old-key');
    assert.equal(again.created, false);
    assert.equal(again.ticket.number, first.ticket.number);
    const once = await watched(() => fx.tickets.create(completeTicket(), 'lookup-old-key'));
    assert.equal(once.ticket.number, first.ticket.number);
    assert.deepEqual(byKey(), [], 'linked by the repeat');
    assert.equal(
      await connection.collection('tickets').countDocuments({ idempotencyKey: 'lookup-old-key' }),
      1,
    );
  });
});
