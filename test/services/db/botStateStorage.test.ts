import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { MongoBotStorage } from '../../../services/db';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

describe('MongoBotStorage', () => {
  let connection: Connection;
  let storage: MongoBotStorage;

  before(async () => {
    connection = await openTestDatabase('botstate');
    storage = new MongoBotStorage(connection);
  });
  after(async () => await dropTestDatabase(connection));

  it('reads back what it wrote, with a new eTag, and nothing for unknown keys', async () => {
    await storage.write({
      'webchat/conversations/a': { count: 1, nested: { 'dotted.key': true, $dollar: 'x' } },
    });
    const items = await storage.read(['webchat/conversations/a', 'missing']);
    assert.deepEqual(Object.keys(items), ['webchat/conversations/a']);
    const item = items['webchat/conversations/a'] as { count: number; nested: object; eTag: string };
    assert.equal(item.count, 1);
    assert.deepEqual(item.nested, { 'dotted.key': true, $dollar: 'x' });
    assert.match(item.eTag, /^[0-9a-f-]{36}$/);
  });

  it('returns an empty object for no keys', async () => {
    assert.deepEqual(await storage.read([]), {});
  });

  it('accepts a write carrying the current eTag and rejects a stale one', async () => {
    await storage.write({ k1: { v: 1 } });
    const first = (await storage.read(['k1'])).k1 as { v: number; eTag: string };
    await storage.write({ k1: { v: 2, eTag: first.eTag } });
    await assert.rejects(storage.write({ k1: { v: 3, eTag: first.eTag } }), /eTag conflict/);
    const now = (await storage.read(['k1'])).k1 as { v: number };
    assert.equal(now.v, 2);
  });

  it("overwrites whatever is there when the eTag is '*'", async () => {
    await storage.write({ k2: { v: 1 } });
    await storage.write({ k2: { v: 9, eTag: '*' } });
    assert.equal(((await storage.read(['k2'])).k2 as { v: number }).v, 9);
  });

  it('deletes items, and deleting a missing key is not an error', async () => {
    await storage.write({ k3: { v: 1 } });
    await storage.delete(['k3', 'never-there']);
    assert.deepEqual(await storage.read(['k3']), {});
  });

  it('lets exactly one of several concurrent writers with the same eTag win', async () => {
    await storage.write({ race: { v: 0 } });
    const { eTag } = (await storage.read(['race'])).race as { eTag: string };
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => storage.write({ race: { v: i + 1, eTag } })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    const winner = results.findIndex((r) => r.status === 'fulfilled') + 1;
    assert.equal(((await storage.read(['race'])).race as { v: number }).v, winner);
  });
});
