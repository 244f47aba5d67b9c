import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { activityIdFor, DirectLineStore } from '../../../bot/directLine/store';
import { RateLimiter } from '../../../bot/directLine/directLineServer';
import { DeliveryGuard } from '../../../services/db';
import { createRetentionJob } from '../../../services/jobs';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

const DAY = 86_400_000;

describe('Direct Line retention and rate limits', () => {
  let connection: Connection;
  before(async () => (connection = await openTestDatabase('dlretention')));
  after(async () => await dropTestDatabase(connection));

  it('the retention job deletes expired tokens, old conversations with their activities, and old delivery claims', async () => {
    // Arrange: an old conversation (40 days) and a recent one, each with a token and an activity.
    let now = new Date('2026-11-02T10:00:00Z');
    const clock = (): Date => now;
    const store = new DirectLineStore(connection);
    await store.init();
    const old = await store.createConversation({ now: new Date(now.getTime() - 40 * DAY) });
    const recent = await store.createConversation({ now });
    const oldToken = await store.issueToken(old._id, 3600, new Date(now.getTime() - 40 * DAY));
    for (const conversation of [old, recent])
      await store.append(
        conversation._id,
        (seq) => ({ id: activityIdFor(conversation._id, seq), type: 'message' }),
        now,
      );
    const deliveries = new DeliveryGuard(connection, DAY, clock);
    await deliveries.claim(['api', 'msteams', 'c', 'old-activity']);
    await deliveries.complete(['api', 'msteams', 'c', 'old-activity']);
    now = new Date(now.getTime() + 2 * DAY);
    await deliveries.claim(['api', 'msteams', 'c', 'new-activity']);
    await deliveries.complete(['api', 'msteams', 'c', 'new-activity']);
    const recentToken = await store.issueToken(recent._id, 3600, now);
    const job = createRetentionJob({
      connection,
      logger: createSilentLogger(),
      clock,
      intervalMs: 60_000,
      purges: {
        directLine: async () => await store.purge(clock(), new Date(clock().getTime() - 30 * DAY)),
        deliveries: async () => await deliveries.purge(),
      },
    });

    // Act
    const outcome = await job.runOnce();

    // Assert
    assert.equal(outcome.kind, 'ran');
    assert.equal(await store.getConversation(old._id), undefined);
    assert.ok(await store.getConversation(recent._id));
    assert.equal(await store.conversationForToken(oldToken.token, now), undefined);
    assert.equal(await store.conversationForToken(recentToken.token, now), recent._id);
    assert.equal((await store.activitiesAfter(old._id, 0)).length, 0);
    assert.equal((await store.activitiesAfter(recent._id, 0)).length, 1);
    // The old claim is gone (a redelivery now runs again); the recent one still holds.
    assert.deepEqual(await deliveries.claim(['api', 'msteams', 'c', 'new-activity']), {
      kind: 'repeat',
      answer: undefined,
    });
    assert.deepEqual(await deliveries.claim(['api', 'msteams', 'c', 'old-activity']), { kind: 'first' });
  });

  it('the rate limiter is bounded and forgets the least recently seen client, never an active one', () => {
    const limiter = new RateLimiter(2, 100);
    const t0 = 1_000_000;
    assert.equal(limiter.take('attacker', t0), true);
    assert.equal(limiter.take('attacker', t0), true);
    assert.equal(limiter.take('attacker', t0), false);
    // 10,000 new addresses, the attacker still trying in between: it stays limited.
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`203.0.113.${i}`, t0);
      if (i % 50 === 0) assert.equal(limiter.take('attacker', t0), false, `reset after ${i} clients`);
    }
    assert.ok(limiter.size <= 100);
  });
});
