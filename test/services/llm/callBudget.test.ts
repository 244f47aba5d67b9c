import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { MongoCallBudget, type BudgetVerdict } from '../../../services/llm';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

describe('MongoCallBudget', () => {
  let connection: Connection;
  let now: Date;
  const clock = (): Date => now;

  before(async () => {
    connection = await openTestDatabase('llmbudget');
  });

  after(async () => {
    await dropTestDatabase(connection);
  });

  beforeEach(async () => {
    now = new Date('2026-03-10T09:00:00Z');
    await connection.collection('llm_call_slots').deleteMany({});
  });

  function budget(perConversation: number, perDay: number): MongoCallBudget {
    return new MongoCallBudget({ connection, logger: createSilentLogger(), perConversation, perDay, clock });
  }

  function count(verdicts: BudgetVerdict[], verdict: BudgetVerdict): number {
    return verdicts.filter((v) => v === verdict).length;
  }

  it('allows exactly the daily number of calls when they arrive all at once', async () => {
    // Arrange
    const shared = budget(1000, 7);

    // Act
    const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) => shared.take(`c${i}`)));

    // Assert
    assert.equal(count(verdicts, 'ok'), 7);
    assert.equal(count(verdicts, 'daily_budget'), 13);
  });

  it('holds the limit across replicas that each start counting from nothing', async () => {
    // Arrange: three processes, each with its own cursor, on one database.
    const replicas = [budget(1000, 10), budget(1000, 10), budget(1000, 10)];
    await replicas[0]?.take('warm-up');

    // Act
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => replicas[i % 3]?.take(`c${i}`) ?? Promise.resolve('ok' as const)),
    );

    // Assert
    assert.equal(count(verdicts, 'ok'), 9);
  });

  it('limits each conversation on its own, and a conversation refused costs the day nothing', async () => {
    // Arrange
    const limits = budget(2, 100);

    // Act
    const first = [await limits.take('a'), await limits.take('a'), await limits.take('a')];
    const other = await limits.take('b');
    const dayUsed = await connection
      .collection<{ _id: string }>('llm_call_slots')
      .countDocuments({ _id: { $regex: /^d\|/ } });

    // Assert
    assert.deepEqual(first, ['ok', 'ok', 'conversation_budget']);
    assert.equal(other, 'ok');
    assert.equal(dayUsed, 3);
  });

  it('finds the next free slot when another replica took many before it', async () => {
    // Arrange
    const busy = budget(1000, 50);
    for (let i = 0; i < 20; i++) await busy.take(undefined);
    const late = budget(1000, 50);

    // Act
    const verdict = await late.take(undefined);
    const slots = await connection.collection('llm_call_slots').countDocuments({});

    // Assert
    assert.equal(verdict, 'ok');
    assert.equal(slots, 21);
  });

  it('starts a new day with a fresh budget and deletes the earlier days', async () => {
    // Arrange
    const limits = budget(1, 1);
    assert.equal(await limits.take('a'), 'ok');
    assert.equal(await limits.take('a'), 'conversation_budget');

    // Act
    now = new Date('2026-03-11T00:00:01Z');
    const nextDay = await limits.take('a');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const days = await connection.collection('llm_call_slots').distinct('day');

    // Assert
    assert.equal(nextDay, 'ok');
    assert.deepEqual(days, ['2026-03-11']);
  });
});
