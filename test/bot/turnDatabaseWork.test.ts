import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import { OperationCounter } from '../../services/db';
import { getConversationReferenceModel } from '../../services/notifications';
import { DEMO_CONTACTS, DEMO_TENANTS, getContactModel } from '../../services/identity';
import { startTestApp, stopTestApp } from '../support/app';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { shown, TeamsTestClient } from '../support/teamsClient';

describe('the database work of one turn', function () {
  this.timeout(60_000);
  let app: HelplineApp;
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let now = new Date('2026-12-02T09:00:00Z');
  let counter: OperationCounter;

  before(async () => {
    serviceUrl = await connector.start();
    app = await startTestApp('turnwork', { BOT_ALLOW_ANONYMOUS: 'true' }, () => now);
    counter = new OperationCounter(app.connection);
  });
  after(async () => {
    counter?.detach();
    await stopTestApp(app);
    await connector.stop();
  });

  function alice(url = serviceUrl): TeamsTestClient {
    const c = DEMO_CONTACTS.alice;
    return new TeamsTestClient(app.url(), connector, url, {
      tenantId: DEMO_TENANTS.northwind,
      aadObjectId: c.aadObjectId,
      name: c.name,
    });
  }

  it('a later message of a known Teams contact reads state, identity and the pending-updates mark by _id, and writes no reference, catalogue check, handoff lookup or transcript line', async () => {
    const client = alice();
    await client.say('hello');
    const ops = (await counter.measure(() => client.say('help'))).sequence;
    for (const collection of [
      'conversation_references',
      'catalogue',
      'directory_keys',
      'handoff_claims',
      'transcript_lines',
    ])
      assert.ok(!ops.some((op) => op.endsWith(` ${collection}`)), `${collection} in ${ops.join(', ')}`);
    assert.deepEqual(ops.filter((op) => op.startsWith('find ')).sort(), [
      'find botstate',
      'find contacts',
      'find organisations',
      // Whether ticket updates wait: the contact's mark, not a query of the updates by contact.
      'find pending_update_marks',
    ]);
    assert.ok(ops.length <= 6, ops.join(', '));
  });

  it('writes the conversation reference again when it changed, and after ten minutes of the same', async () => {
    const client = alice();
    await client.say('hello');
    const references = getConversationReferenceModel(app.connection);
    const first = await references.findById(client.conversationId).lean().exec();
    assert.ok(first);

    now = new Date(now.getTime() + 5 * 60_000);
    await client.say('help');
    assert.equal(
      (await references.findById(client.conversationId).lean().exec())?.updatedAt.getTime(),
      first.updatedAt.getTime(),
    );

    now = new Date(now.getTime() + 6 * 60_000);
    await client.say('help');
    const refreshed = await references.findById(client.conversationId).lean().exec();
    assert.equal(refreshed?.updatedAt.getTime(), now.getTime(), 'refreshed after ten minutes');

    // The same conversation reached through another service URL (Teams moved its region).
    const moved = new ConnectorStandIn();
    const movedUrl = await moved.start();
    try {
      const elsewhere = new TeamsTestClient(
        app.url(),
        moved,
        movedUrl,
        {
          tenantId: DEMO_TENANTS.northwind,
          aadObjectId: DEMO_CONTACTS.alice.aadObjectId,
          name: DEMO_CONTACTS.alice.name,
        },
        'en-US',
        client.conversationId,
      );
      await elsewhere.say('help');
      assert.equal((await references.findById(client.conversationId).lean().exec())?.serviceUrl, movedUrl);
    } finally {
      await moved.stop();
    }
  });

  it('a contact no longer authorized is refused from the next message, whatever the process remembers of them', async () => {
    const client = alice();
    await client.say('hello');
    const contacts = getContactModel(app.connection);
    const contactId = DEMO_CONTACTS.alice.id;
    await contacts.updateOne({ _id: contactId }, { $set: { active: false } }).exec();
    try {
      const replies = shown(await client.say('I want to open a ticket'));
      assert.match(replies, /could not find you among the contacts/);
    } finally {
      await contacts.updateOne({ _id: contactId }, { $set: { active: true } }).exec();
    }
  });
});
