import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import { DEMO_CONTACTS } from '../../services/identity';
import { MongoConversationReferenceStore, MongoPendingUpdateStore } from '../../services/notifications';
import { startTestApp, stopTestApp } from '../support/app';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { completeTicket, ticketFixture } from '../services/tickets/fixtures';

const STAFF_TOKEN = 'staff-token-0123456789abcdef';

/**
 * Ticket notifications as the composed app sends them (bot/index.ts): a proactive message
 * through the adapter to the conversation's connector. A refusal must reach the notifier.
 */
describe('proactive ticket notifications through the app', () => {
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let app: HelplineApp;

  before(async () => {
    serviceUrl = await connector.start();
    app = await startTestApp('proactive', {
      STAFF_API_TOKENS: `${STAFF_TOKEN}:staff-ann:Ann Support`,
      LIFECYCLE_JOB: 'false',
    });
  });
  after(async () => {
    await stopTestApp(app);
    await connector.stop();
  });
  afterEach(() => (connector.failWith = undefined));

  async function ticketInConversation(conversationId: string): Promise<string> {
    const references = new MongoConversationReferenceStore({ connection: app.connection });
    await references.save({
      id: conversationId,
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-northwind' },
      user: { id: '29:bob', aadObjectId: 'aad-bob' },
      bot: { id: '28:helpline' },
      locale: 'en-US',
      contactId: DEMO_CONTACTS.bob.id,
    });
    const fx = await ticketFixture(app.connection, () => new Date());
    const { ticket } = await fx.tickets.create(
      completeTicket({ conversationRefId: conversationId }),
      `proactive-${conversationId}`,
    );
    return ticket.number;
  }

  async function changeStatus(number: string, status: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${app.url()}/api/staff/tickets/${number}/status`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${STAFF_TOKEN}` },
      body: JSON.stringify({ status }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as Record<string, unknown>;
  }

  it('delivers to a conversation whose connector takes it', async () => {
    const number = await ticketInConversation('a:bob-ok');

    const answer = await changeStatus(number, 'open');

    assert.deepEqual(answer.notification, { kind: 'delivered', referenceId: 'a:bob-ok' });
    assert.ok(connector.received.some((r) => r.conversationId === 'a:bob-ok'));
  });

  it('when the connector refuses (403: app removed), reports it failed, marks the reference stale and keeps the update', async () => {
    const number = await ticketInConversation('a:bob-removed');
    connector.failWith = 403;

    const answer = await changeStatus(number, 'open');

    assert.deepEqual(answer.notification, { kind: 'pending', reason: 'stale' });
    const references = new MongoConversationReferenceStore({ connection: app.connection });
    assert.equal((await references.get('a:bob-removed'))?.stale, true);
    const pending = new MongoPendingUpdateStore({ connection: app.connection });
    const kept = await pending.peek(DEMO_CONTACTS.bob.id);
    assert.ok(kept.some((update) => update.ticketNumber === number));
  });
});
