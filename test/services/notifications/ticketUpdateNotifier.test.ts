import assert from 'node:assert/strict';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationReference,
} from 'botbuilder';
import type { Connection } from 'mongoose';
import { createSilentLogger } from '../../../services/logger';
import {
  MongoConversationReferenceStore,
  MongoPendingUpdateStore,
  TicketUpdateNotifier,
  ticketUpdateFor,
  type ConversationReferenceInput,
  type DeliverFunction,
  type TicketUpdate,
} from '../../../services/notifications';
import { DEMO_CONTACTS } from '../../../services/identity';
import type { StaffMember, Ticket } from '../../../services/tickets';
import { ConnectorStandIn } from '../../support/connectorStandIn';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import {
  completeTicket,
  testClock,
  ticketFixture,
  type TestClock,
  type TicketFixture,
} from '../tickets/fixtures';
import { renderTicketUpdate } from '../../../dialogs/notificationText';

const ann: StaffMember = { id: 'staff-ann', name: 'Ann Support' };

/** What the bot host does: a proactive message through botbuilder's adapter to the reference's serviceUrl. */
function adapterDeliver(): DeliverFunction {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  return async (reference, text) => {
    await adapter.continueConversationAsync(
      '',
      reference as Partial<ConversationReference>,
      async (context) => {
        await context.sendActivity(text);
      },
    );
  };
}

function teamsReference(
  serviceUrl: string,
  conversationId: string,
  locale = 'en-US',
): ConversationReferenceInput {
  return {
    id: conversationId,
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-northwind' },
    user: { id: '29:bob', name: 'Bob Singh', aadObjectId: 'aad-bob' },
    bot: { id: '28:helpline', name: 'Helpline' },
    locale,
    contactId: DEMO_CONTACTS.bob.id,
  };
}

describe('TicketUpdateNotifier', () => {
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let connection: Connection;
  let clock: TestClock;
  let fx: TicketFixture;
  let references: MongoConversationReferenceStore;
  let pending: MongoPendingUpdateStore;
  let notifier: TicketUpdateNotifier;
  let keys = 0;

  before(async () => (serviceUrl = await connector.start()));
  after(async () => await connector.stop());

  beforeEach(async () => {
    connector.received.length = 0;
    connector.failWith = undefined;
    connection = await openTestDatabase('notifier');
    clock = testClock('2026-11-02T10:00:00Z');
    fx = await ticketFixture(connection, clock);
    references = new MongoConversationReferenceStore({ connection, clock });
    pending = new MongoPendingUpdateStore({ connection, clock });
    notifier = new TicketUpdateNotifier({
      render: renderTicketUpdate,
      references,
      pending,
      deliver: adapterDeliver(),
      logger: createSilentLogger(),
    });
  });
  afterEach(async () => await dropTestDatabase(connection));

  async function openTicket(
    conversationRefId: string | undefined,
    locale: 'en' | 'fr' = 'en',
  ): Promise<Ticket> {
    keys += 1;
    const input = completeTicket({ locale, ...(conversationRefId ? { conversationRefId } : {}) });
    return (await fx.tickets.create(input, `notifier-key-${keys}`)).ticket;
  }

  async function statusUpdate(
    ticket: Ticket,
    status: 'pending' | 'resolved' | 'on_hold',
    note?: string,
  ): Promise<TicketUpdate> {
    const result = await fx.tickets.changeStatus(ticket.number, ann, status, note ? { note } : {});
    assert.equal(result.kind, 'ok');
    const update = ticketUpdateFor((result as { ticket: Ticket }).ticket, 'status_changed');
    assert.ok(update);
    return update;
  }

  it('delivers a status change into the conversation the ticket was opened in, through the Bot Connector', async () => {
    await references.save(teamsReference(serviceUrl, 'a:conv-bob'));
    const ticket = await openTicket('a:conv-bob');
    const update = await statusUpdate(ticket, 'pending', 'Could you send the agent log?');

    const outcome = await notifier.notify(update);

    assert.deepEqual(outcome, { kind: 'delivered', referenceId: 'a:conv-bob' });
    const [received] = await connector.waitFor(1);
    assert.equal(received?.conversationId, 'a:conv-bob');
    const text = String(received?.activity.text);
    assert.match(text, new RegExp(ticket.number));
    assert.match(text, /waiting for your reply/);
    assert.match(text, /Could you send the agent log\?/);
    assert.deepEqual(await pending.peek(DEMO_CONTACTS.bob.id), []);
  });

  it('delivers a public staff comment in the ticket’s language and never an internal one', async () => {
    await references.save(teamsReference(serviceUrl, 'a:conv-fr', 'fr-FR'));
    const ticket = await openTicket('a:conv-fr', 'fr');
    await fx.tickets.addComment(
      ticket.number,
      { kind: 'staff', staff: ann, visibility: 'internal' },
      'Internal: check relay 3',
    );
    const afterInternal = await fx.tickets.getForStaff(ticket.number, ann);
    const internalOnly = ticketUpdateFor(afterInternal!, 'comment');
    const commented = await fx.tickets.addComment(
      ticket.number,
      { kind: 'staff', staff: ann, visibility: 'public' },
      'Le correctif 9.5.3 règle ce problème.',
    );
    const update = ticketUpdateFor((commented as { ticket: Ticket }).ticket, 'comment');

    assert.equal(internalOnly, undefined);
    assert.ok(update);
    await notifier.notify(update);
    const [received] = await connector.waitFor(1);
    assert.match(String(received?.activity.text), /Ann Support a répondu sur HL-\d+/);
    // Staff text arrives escaped for markdown: what the user reads is the text as typed.
    assert.match(unescapeMarkdown(String(received?.activity.text)), /Le correctif 9\.5\.3/);
  });

  it('when the user removed the app (403), marks the reference stale, keeps the update pending and does not throw', async () => {
    await references.save(teamsReference(serviceUrl, 'a:conv-gone'));
    const ticket = await openTicket('a:conv-gone');
    const update = await statusUpdate(ticket, 'resolved');
    connector.failWith = 403;

    const outcome = await notifier.notify(update);

    assert.deepEqual(outcome, { kind: 'pending', reason: 'stale' });
    assert.equal((await references.get('a:conv-gone'))?.stale, true);
    assert.deepEqual(
      (await pending.peek(DEMO_CONTACTS.bob.id)).map((u) => u.id),
      [update.id],
    );
  });

  it('does not try a stale conversation again, and delivers once the user writes again (reference saved anew)', async () => {
    await references.save(teamsReference(serviceUrl, 'a:conv-back'));
    const ticket = await openTicket('a:conv-back');
    connector.failWith = 404;
    await notifier.notify(await statusUpdate(ticket, 'pending'));
    connector.failWith = undefined;

    const whileStale = await notifier.notify(await statusUpdate(ticket, 'on_hold'));
    const requestsWhileStale = connector.received.length;
    await references.save(teamsReference(serviceUrl, 'a:conv-back'));
    const afterReturn = await notifier.notify(await statusUpdate(ticket, 'resolved'));

    assert.deepEqual(whileStale, { kind: 'pending', reason: 'stale' });
    assert.equal(requestsWhileStale, 0);
    assert.equal(afterReturn.kind, 'delivered');
    assert.equal((await connector.waitFor(1)).length, 1);
  });

  it('when the connector fails otherwise (500), keeps the update pending without marking the reference stale', async () => {
    await references.save(teamsReference(serviceUrl, 'a:conv-500'));
    const ticket = await openTicket('a:conv-500');
    connector.failWith = 500;

    const outcome = await notifier.notify(await statusUpdate(ticket, 'pending'));

    assert.deepEqual(outcome, { kind: 'pending', reason: 'failed' });
    assert.equal((await references.get('a:conv-500'))?.stale, false);
  });

  it('without a stored conversation, keeps the update for the next time the user writes; each pending update is taken once', async () => {
    const ticket = await openTicket(undefined);
    const first = await statusUpdate(ticket, 'pending');
    clock.advance(60_000);
    const second = await statusUpdate(ticket, 'resolved');

    const outcomes = [
      await notifier.notify(first),
      await notifier.notify(second),
      await notifier.notify(second),
    ];
    const [takeA, takeB] = await Promise.all([
      notifier.takePending(DEMO_CONTACTS.bob.id),
      notifier.takePending(DEMO_CONTACTS.bob.id),
    ]);
    const takeAgain = await notifier.takePending(DEMO_CONTACTS.bob.id);

    assert.deepEqual(
      outcomes.map((o) => o.kind),
      ['pending', 'pending', 'pending'],
    );
    const taken = [...takeA, ...takeB].sort((x, y) => x.at.getTime() - y.at.getTime());
    assert.deepEqual(
      taken.map((u) => u.id),
      [first.id, second.id],
    );
    assert.ok(taken[0]?.at instanceof Date);
    assert.deepEqual(takeAgain, []);
  });

  it('when the ticket’s conversation is stale, uses the requester’s newer conversation', async () => {
    await references.save(teamsReference(serviceUrl, 'a:conv-old'));
    await references.markStale('a:conv-old');
    clock.advance(1_000);
    await references.save(teamsReference(serviceUrl, 'a:conv-new'));
    const ticket = await openTicket('a:conv-old');

    const outcome = await notifier.notify(await statusUpdate(ticket, 'pending'));

    assert.deepEqual(outcome, { kind: 'delivered', referenceId: 'a:conv-new' });
    assert.equal((await connector.waitFor(1))[0]?.conversationId, 'a:conv-new');
  });

  it('when delivery hangs, gives up after the timeout and keeps the update pending', async () => {
    const slow = new TicketUpdateNotifier({
      render: renderTicketUpdate,
      references,
      pending,
      deliver: () => new Promise<void>(() => undefined),
      logger: createSilentLogger(),
      deliveryTimeoutMs: 200,
    });
    await references.save(teamsReference(serviceUrl, 'a:conv-slow'));
    const ticket = await openTicket('a:conv-slow');

    const started = Date.now();
    const outcome = await slow.notify(await statusUpdate(ticket, 'pending'));

    assert.deepEqual(outcome, { kind: 'pending', reason: 'failed' });
    assert.ok(Date.now() - started < 2_000);
  });
});

/** The text a markdown renderer shows for an escaped string. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}
