import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { DeliveryGuard } from '../../../services/db';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

describe('DeliveryGuard', () => {
  let connection: Connection;
  let now = new Date('2026-12-02T09:00:00Z');
  const clock = (): Date => now;
  const later = (ms: number): void => {
    now = new Date(now.getTime() + ms);
  };
  before(async () => (connection = await openTestDatabase('deliveryguard')));
  after(async () => await dropTestDatabase(connection));

  it('of two deliveries at once, runs one; a repeat after the turn ran is dropped with its answer', async () => {
    const guard = new DeliveryGuard(connection, 86_400_000, clock, 60_000);
    const key = ['directline', 'conv-1', 'client-1'];
    const claims = await Promise.all([guard.claim(key), guard.claim(key)]);
    assert.deepEqual(claims.map((c) => c.kind).sort(), ['first', 'in_flight']);
    await guard.remember(key, 'conv-1|3');
    await guard.complete(key);
    assert.deepEqual(await guard.claim(key), { kind: 'repeat', answer: 'conv-1|3' });
  });

  it('asks a repeat to come back while the first may still be running, and lets it take over once that turn is lost', async () => {
    const guard = new DeliveryGuard(connection, 86_400_000, clock, 60_000);
    const key = ['api', 'msteams', 'conv-2', 'activity-1'];
    assert.equal((await guard.claim(key)).kind, 'first');
    await guard.remember(key, 'conv-2|7');

    later(10_000);
    assert.deepEqual(await guard.claim(key), { kind: 'in_flight', retryAfterSeconds: 50 });

    // Its process died: no `complete` ever comes.
    later(55_000);
    assert.deepEqual(await guard.claim(key), { kind: 'first', takenOver: true, resume: 'conv-2|7' });
    assert.equal((await guard.claim(key)).kind, 'in_flight', 'the takeover holds the claim in turn');
  });

  it('after a failed turn, the next repeat takes over at once (abandon), or runs afresh (release)', async () => {
    const guard = new DeliveryGuard(connection, 86_400_000, clock, 60_000);
    const stored = ['directline', 'conv-3', 'client-3'];
    await guard.claim(stored);
    await guard.remember(stored, 'conv-3|1');
    await guard.abandon(stored);
    assert.deepEqual(await guard.claim(stored), { kind: 'first', takenOver: true, resume: 'conv-3|1' });

    const nothing = ['api', 'msteams', 'conv-3', 'activity-3'];
    await guard.claim(nothing);
    await guard.release(nothing);
    assert.deepEqual(await guard.claim(nothing), { kind: 'first' });
  });

  it('a completed claim is never abandoned, and a reused id after the window runs again', async () => {
    const guard = new DeliveryGuard(connection, 60 * 60_000, clock, 60_000);
    const key = ['api', 'msteams', 'conv-4', 'activity-4'];
    await guard.claim(key);
    await guard.complete(key);
    await guard.abandon(key);
    assert.equal((await guard.claim(key)).kind, 'repeat');
    later(2 * 60 * 60_000);
    assert.deepEqual(await guard.claim(key), { kind: 'first' });
  });
});
