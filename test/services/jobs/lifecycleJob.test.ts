import assert from 'node:assert/strict';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationReference,
} from 'botbuilder';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../../services/db';
import { createLifecycleJob } from '../../../services/jobs';
import { DEMO_CONTACTS } from '../../../services/identity';
import { createSilentLogger } from '../../../services/logger';
import {
  MongoConversationReferenceStore,
  MongoPendingUpdateStore,
  TicketUpdateNotifier,
  type DeliverFunction,
} from '../../../services/notifications';
import type { StaffMember, Ticket } from '../../../services/tickets';
import { ConnectorStandIn } from '../../support/connectorStandIn';
import { dropTestDatabase, openTestDatabase, testDatabaseUri } from '../../support/database';
import {
  completeTicket,
  testClock,
  ticketFixture,
  type TestClock,
  type TicketFixture,
} from '../tickets/fixtures';
import { renderTicketUpdate } from '../../../dialogs/notificationText';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ann: StaffMember = { id: 'staff-ann', name: 'Ann Support' };

describe('lifecycle job', () => {
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let connection: Connection;
  let clock: TestClock;
  let fx: TicketFixture;
  const extra: Connection[] = [];
  let deliver: DeliverFunction;

  before(async () => {
    serviceUrl = await connector.start();
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    deliver = async (reference, text) =>
      await adapter.continueConversationAsync(
        '',
        reference as Partial<ConversationReference>,
        async (context) => {
          await context.sendActivity(text);
        },
      );
  });
  after(async () => await connector.stop());

  beforeEach(async () => {
    connector.received.length = 0;
    connection = await openTestDatabase('lifecyclejob');
    clock = testClock('2026-11-02T10:00:00Z');
    fx = await ticketFixture(connection, clock);
    await new MongoConversationReferenceStore({ connection, clock }).save({
      id: 'a:bob-conv',
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: 'a:bob-conv', conversationType: 'personal' },
      user: { id: '29:bob' },
      bot: { id: '28:helpline' },
      contactId: DEMO_CONTACTS.bob.id,
    });
  });
  afterEach(async () => {
    for (const other of extra.splice(0)) await other.close();
    await dropTestDatabase(connection);
  });

  /** One Helpline process: its own connection, services and job, on the shared database and clock. */
  async function helplineProcess(holderId: string) {
    const conn = await connectDatabase({
      uri: testDatabaseUri(),
      dbName: connection.name,
      logger: createSilentLogger(),
    });
    extra.push(conn);
    const own = await ticketFixture(conn, clock);
    const notifier = new TicketUpdateNotifier({
      render: renderTicketUpdate,
      references: new MongoConversationReferenceStore({ connection: conn, clock }),
      pending: new MongoPendingUpdateStore({ connection: conn, clock }),
      deliver,
      logger: createSilentLogger(),
    });
    return createLifecycleJob({
      connection: conn,
      logger: createSilentLogger(),
      tickets: own.tickets,
      notifier,
      intervalMs: HOUR,
      clock,
      holderId,
    });
  }

  async function pendingTicket(key: string): Promise<Ticket> {
    const { ticket } = await fx.tickets.create(completeTicket({ conversationRefId: 'a:bob-conv' }), key);
    await fx.tickets.changeStatus(ticket.number, ann, 'pending');
    return ticket;
  }

  it('reminds the requester while pending, resolves after 7 days without reply, closes 7 days later, telling them each time', async () => {
    const ticket = await pendingTicket('lifecycle-job-1');
    const job = await helplineProcess('p1');
    const texts = async (count: number): Promise<string[]> =>
      (await connector.waitFor(count)).map((r) => String(r.activity.text));

    clock.advance(1 * DAY);
    const day1 = await job.runOnce();
    clock.advance(1 * DAY + HOUR);
    const day2 = await job.runOnce();
    clock.advance(3 * DAY);
    const day5 = await job.runOnce();
    clock.advance(2 * DAY);
    const day7 = await job.runOnce();
    clock.advance(7 * DAY);
    const day14 = await job.runOnce();

    const counts = [day1, day2, day5, day7, day14].map((o) => {
      assert.equal(o.kind, 'ran');
      const r = (
        o as {
          result: { reminded: Ticket[]; autoResolved: Ticket[]; autoClosed: Ticket[]; delivered: number };
        }
      ).result;
      return [r.reminded.length, r.autoResolved.length, r.autoClosed.length, r.delivered];
    });
    assert.deepEqual(counts, [
      [0, 0, 0, 0],
      [1, 0, 0, 1],
      [1, 0, 0, 1],
      [0, 1, 0, 1],
      [0, 0, 1, 1],
    ]);
    const received = await texts(4);
    assert.equal(received.length, 4);
    assert.match(received[0] ?? '', new RegExp(`Reminder: ${ticket.number}`));
    assert.match(received[2] ?? '', /was resolved because we had no reply/);
    assert.match(received[3] ?? '', /is now closed/);
    assert.equal((await fx.tickets.getForStaff(ticket.number, ann))?.status, 'closed');
  });

  it('with two processes on one database, each slot runs once and each requester is told once', async () => {
    await pendingTicket('lifecycle-job-2');
    await pendingTicket('lifecycle-job-3');
    const [a, b] = await Promise.all([helplineProcess('a'), helplineProcess('b')]);

    clock.advance(2 * DAY + HOUR);
    const first = await Promise.all([a.runOnce(), b.runOnce()]);
    clock.advance(HOUR);
    const second = await Promise.all([b.runOnce(), a.runOnce()]);

    assert.deepEqual(first.map((o) => o.kind).sort(), ['ran', 'slot_taken']);
    assert.deepEqual(second.map((o) => o.kind).sort(), ['ran', 'slot_taken']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(connector.received.length, 2, 'one reminder per ticket');
  });
});
