import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { OperationCounter } from '../../../services/db';
import { MongoPendingUpdateStore, type TicketUpdate } from '../../../services/notifications';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

function update(id: string, contactId: string, at = new Date('2026-11-02T10:00:00Z')): TicketUpdate {
  return {
    id,
    contactId,
    ticketNumber: 'HL-1001',
    subject: 'Nightly backup job fails',
    locale: 'en',
    kind: 'status_changed',
    status: 'pending',
    at,
  };
}

describe('MongoPendingUpdateStore', function () {
  this.timeout(60_000);
  let connection: Connection;
  let store: MongoPendingUpdateStore;
  let counter: OperationCounter;

  beforeEach(async () => {
    connection = await openTestDatabase('pending');
    store = new MongoPendingUpdateStore({ connection });
    counter = new OperationCounter(connection);
  });
  afterEach(async () => {
    counter.detach();
    await dropTestDatabase(connection);
  });

  it('answers "nothing pending" with one lookup by _id, however many updates other contacts have waiting', async () => {
    for (let i = 0; i < 200; i++) await store.add(update(`u${i}`, `contact-${i % 50}`), 'no_reference');

    const count = await counter.measure(async () => assert.deepEqual(await store.take('contact-quiet'), []));
    assert.deepEqual(count.byKind, { 'find pending_update_marks': 1 });
  });

  it('gives a contact its updates once, oldest first, then goes back to the single lookup', async () => {
    await store.add(update('b', 'contact-bob', new Date('2026-11-02T11:00:00Z')), 'stale');
    await store.add(update('a', 'contact-bob', new Date('2026-11-02T10:00:00Z')), 'no_reference');
    await store.add(update('a', 'contact-bob', new Date('2026-11-02T10:00:00Z')), 'no_reference');
    await store.add(update('x', 'contact-ann'), 'failed');

    assert.deepEqual(
      (await store.take('contact-bob')).map((u) => u.id),
      ['a', 'b'],
    );
    const count = await counter.measure(async () => assert.deepEqual(await store.take('contact-bob'), []));
    assert.equal(count.total, 1, JSON.stringify(count.byKind));
    assert.deepEqual(
      (await store.take('contact-ann')).map((u) => u.id),
      ['x'],
    );
  });

  it('loses no update added while a take runs, and gives none twice', async () => {
    const added: string[] = [];
    const taken: string[] = [];
    const at = (n: number): Date => new Date(Date.UTC(2026, 10, 2, 10, n));
    const client = connection.getClient();
    for (let round = 0; round < 20; round++) {
      // An update waits, so the take finds the mark; another is added the moment the take has sent
      // its read of the updates, so that read misses it and the take then ends after its mark.
      added.push(`w${round}`, `r${round}`);
      await store.add(update(`w${round}`, 'contact-bob', at(2 * round)), 'no_reference');
      let racing: Promise<void> | undefined;
      const onStarted = (event: { commandName: string; command: Record<string, unknown> }): void => {
        if (racing || event.commandName !== 'find' || event.command.find !== 'pending_updates') return;
        racing = store.add(update(`r${round}`, 'contact-bob', at(2 * round + 1)), 'no_reference');
      };
      client.on('commandStarted', onStarted);
      try {
        taken.push(...(await store.take('contact-bob')).map((u) => u.id));
        await racing;
      } finally {
        client.off('commandStarted', onStarted);
      }
    }
    taken.push(...(await store.take('contact-bob')).map((u) => u.id));
    assert.deepEqual([...taken].sort(), [...added].sort());
  });

  it('gives each update to one of two takes that run at once', async () => {
    for (let i = 0; i < 10; i++)
      await store.add(update(`u${i}`, 'contact-bob', new Date(Date.UTC(2026, 10, 2, i))), 'stale');
    const [first, second] = await Promise.all([store.take('contact-bob'), store.take('contact-bob')]);
    assert.deepEqual(
      [...first, ...second].map((u) => u.id).sort(),
      Array.from({ length: 10 }, (_, i) => `u${i}`),
    );
  });

  it('marks again a contact whose update was stored without its mark (a process died between the two writes)', async () => {
    // The update document as `add` writes it first, with the process gone before the mark.
    await connection.collection('pending_updates').insertOne({
      _id: 'orphan' as never,
      contactId: 'contact-bob',
      reason: 'no_reference',
      update: update('orphan', 'contact-bob'),
      at: new Date('2026-11-02T10:00:00Z'),
    });
    await store.add(update('marked', 'contact-ann'), 'no_reference');
    assert.deepEqual(await store.take('contact-bob'), []);

    assert.equal(await store.repairMarks(), 1);
    assert.equal(await store.repairMarks(), 0);
    assert.deepEqual(
      (await store.take('contact-bob')).map((u) => u.id),
      ['orphan'],
    );
    assert.deepEqual(
      (await store.take('contact-ann')).map((u) => u.id),
      ['marked'],
    );
  });
});
