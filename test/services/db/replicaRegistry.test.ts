import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { ReplicaRegistry } from '../../../services/db';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

describe('ReplicaRegistry', () => {
  let connection: Connection;
  before(async () => (connection = await openTestDatabase('replicas')));
  after(async () => await dropTestDatabase(connection));

  it('a process alone knows it is alone; a second one makes both see a peer; a stopped one is gone', async () => {
    const options = { connection, logger: createSilentLogger(), lookMs: 60_000 };
    const a = new ReplicaRegistry(options);
    await a.start();
    assert.equal(a.hasPeers(), false);

    const b = new ReplicaRegistry(options);
    await b.start();
    assert.equal(b.hasPeers(), true, 'b sees a at once');
    await a.look();
    assert.equal(a.hasPeers(), true, 'a sees b at its next look');

    await b.stop();
    await a.look();
    assert.equal(a.hasPeers(), false);
    await a.stop();
  });

  it('a process whose heartbeat stopped (killed) no longer counts after three beats', async () => {
    await connection
      .collection('replicas')
      .insertOne({ _id: 'killed' as never, seenAt: new Date(Date.now() - 60_000) });
    const a = new ReplicaRegistry({ connection, logger: createSilentLogger(), heartbeatMs: 5_000 });
    await a.start();
    assert.equal(a.hasPeers(), false);
    await a.stop();
  });
});
