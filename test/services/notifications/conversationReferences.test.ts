import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { OperationCounter } from '../../../services/db';
import { isAppError } from '../../../services/errors';
import {
  MongoConversationReferenceStore,
  type ConversationReferenceInput,
} from '../../../services/notifications';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { testClock, type TestClock } from '../tickets/fixtures';

function reference(
  id: string,
  overrides: Partial<ConversationReferenceInput> = {},
): ConversationReferenceInput {
  return {
    id,
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    conversation: { id, conversationType: 'personal', tenantId: 'tenant-northwind' },
    user: { id: '29:bob', aadObjectId: 'aad-bob' },
    bot: { id: '28:helpline', name: 'Helpline' },
    locale: 'en-GB',
    contactId: 'contact-bob',
    ...overrides,
  };
}

describe('MongoConversationReferenceStore', () => {
  let connection: Connection;
  let clock: TestClock;
  let store: MongoConversationReferenceStore;

  beforeEach(async () => {
    connection = await openTestDatabase('convrefs');
    clock = testClock('2026-11-02T10:00:00Z');
    store = new MongoConversationReferenceStore({ connection, clock });
  });
  afterEach(async () => await dropTestDatabase(connection));

  it('keeps a reference as plain data and drops fields that are not part of one', async () => {
    await store.save({ ...reference('a:1'), activityId: 'act-1' } as ConversationReferenceInput);

    const stored = await store.get('a:1');

    assert.deepEqual(stored, {
      ...reference('a:1'),
      stale: false,
      updatedAt: clock.now,
    });
  });

  it('when saved again after being marked stale, is reachable again', async () => {
    await store.save(reference('a:1'));
    await store.markStale('a:1');
    const stale = await store.get('a:1');
    clock.advance(60_000);
    await store.save(reference('a:1', { serviceUrl: 'https://smba.trafficmanager.net/amer/' }));

    const again = await store.get('a:1');

    assert.equal(stale?.stale, true);
    assert.equal(again?.stale, false);
    assert.equal(again?.serviceUrl, 'https://smba.trafficmanager.net/amer/');
    assert.deepEqual(again?.updatedAt, clock.now);
  });

  it('finds the contact’s newest reference that is not stale', async () => {
    await store.save(reference('a:old'));
    clock.advance(1_000);
    await store.save(reference('a:new'));
    clock.advance(1_000);
    await store.save(reference('a:other', { contactId: 'contact-alice' }));
    const newest = await store.latestForContact('contact-bob');
    await store.markStale('a:new');

    const afterStale = await store.latestForContact('contact-bob');

    assert.equal(newest?.id, 'a:new');
    assert.equal(afterStale?.id, 'a:old');
    assert.equal(await store.latestForContact('contact-nobody'), undefined);
  });

  it('finds the newest by _id lookups, with no query by contact, however many conversations others have', async () => {
    for (let i = 0; i < 100; i++) await store.save(reference(`a:${i}`, { contactId: `contact-${i % 10}` }));
    await store.save(reference('a:bob'));
    await store.latestForContact('contact-nobody');
    const counter = new OperationCounter(connection);
    try {
      const bob = await counter.measure(async () =>
        assert.equal((await store.latestForContact('contact-bob'))?.id, 'a:bob'),
      );
      assert.deepEqual(bob.byKind, {
        'find conversation_reference_latest': 1,
        'find conversation_references': 1,
      });
      const nobody = await counter.measure(async () =>
        assert.equal(await store.latestForContact('contact-nobody'), undefined),
      );
      assert.deepEqual(nobody.byKind, { 'find conversation_reference_latest': 1 });
    } finally {
      counter.detach();
    }
  });

  it('finds a conversation saved before contacts had a pointer, and one saved after "none" was noted', async () => {
    await connection.collection('conversation_references').insertOne({
      _id: 'a:legacy' as never,
      ...reference('a:legacy'),
      stale: false,
      updatedAt: clock.now,
    });
    assert.equal((await store.latestForContact('contact-bob'))?.id, 'a:legacy');
    assert.equal(await store.latestForContact('contact-alice'), undefined);
    await store.save(reference('a:alice', { contactId: 'contact-alice' }));
    assert.equal((await store.latestForContact('contact-alice'))?.id, 'a:alice');
    await store.markStale('a:alice');
    assert.equal(await store.latestForContact('contact-alice'), undefined);
    assert.equal(await store.latestForContact('contact-alice'), undefined);
  });

  it('survives many concurrent first saves of the same conversation', async () => {
    const saves = await Promise.allSettled(Array.from({ length: 10 }, () => store.save(reference('a:race'))));

    assert.deepEqual(
      saves.filter((s) => s.status === 'rejected'),
      [],
    );
    assert.equal((await store.get('a:race'))?.stale, false);
  });

  it('refuses a reference without a service URL or conversation, with invalid_input', async () => {
    await assert.rejects(
      store.save({ ...reference('a:1'), serviceUrl: '' }),
      (error: unknown) =>
        isAppError(error) && error.code === 'invalid_input' && /serviceUrl/.test(error.message),
    );
  });
});
