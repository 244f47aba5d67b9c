import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { insertNew, readKeys, syncKeys } from '../../../services/directory/writes';
import { getDirectoryKeyModel } from '../../../services/identity/directoryKeys';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

describe('directory bulk writes', function () {
  this.timeout(30_000);
  let connection: Connection;

  beforeEach(async () => {
    connection = await openTestDatabase('dirwrites');
  });
  afterEach(async () => await dropTestDatabase(connection));

  it('inserts every new document and names those another writer stored first, keeping theirs', async () => {
    const keys = getDirectoryKeyModel(connection);
    await keys.collection.insertOne({ _id: 'email:b@x.example' as never, targetId: 'theirs' });

    const lost = await insertNew(keys, [
      { _id: 'email:a@x.example', targetId: 'ours' },
      { _id: 'email:b@x.example', targetId: 'ours' },
      { _id: 'email:c@x.example', targetId: 'ours' },
    ]);

    assert.deepEqual([...lost], [1]);
    assert.deepEqual(Object.fromEntries([...(await readKeys(keys))].sort()), {
      'email:a@x.example': 'ours',
      'email:b@x.example': 'theirs',
      'email:c@x.example': 'ours',
    });
  });

  it('writes only the keys that are missing or lead elsewhere, and takes over a key inserted meanwhile', async () => {
    const keys = getDirectoryKeyModel(connection);
    await keys.collection.insertMany([
      { _id: 'email:same@x.example' as never, targetId: 'ct-1' },
      { _id: 'aad:moved' as never, targetId: 'ct-old' },
    ]);
    const known = await readKeys(keys);
    // Stored by another writer after the import read the keys.
    await keys.collection.insertOne({ _id: 'web:raced' as never, targetId: 'ct-other' });
    const writes: string[] = [];
    const client = connection.getClient();
    const listener = (event: { commandName: string; command: Record<string, unknown> }): void => {
      if (['insert', 'update', 'delete'].includes(event.commandName))
        writes.push(JSON.stringify(event.command));
    };
    client.on('commandStarted', listener);
    try {
      await syncKeys(keys, known, [
        { key: 'email:same@x.example', targetId: 'ct-1' },
        { key: 'aad:moved', targetId: 'ct-1' },
        { key: 'email:new@x.example', targetId: 'ct-2' },
        { key: 'web:raced', targetId: 'ct-2' },
      ]);
    } finally {
      client.off('commandStarted', listener);
    }

    assert.deepEqual(Object.fromEntries([...(await readKeys(keys))].sort()), {
      'aad:moved': 'ct-1',
      'email:new@x.example': 'ct-2',
      'email:same@x.example': 'ct-1',
      'web:raced': 'ct-2',
    });
    assert.equal(known.get('web:raced'), 'ct-2');
    const sent = writes.join('\n');
    assert.ok(!sent.includes('email:same@x.example'), 'an unchanged key is not written');
    assert.ok(!sent.includes('"upsert":true'), `no upsert:\n${sent}`);
  });
});
