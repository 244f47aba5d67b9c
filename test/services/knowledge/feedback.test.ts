import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { isAppError } from '../../../services/errors';
import { MongoFeedbackStore } from '../../../services/knowledge';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

describe('MongoFeedbackStore', () => {
  let connection: Connection;
  let store: MongoFeedbackStore;
  const now = new Date('2026-02-02T10:00:00Z');

  before(async () => {
    connection = await openTestDatabase('kbfeedback');
    store = new MongoFeedbackStore(connection, () => now);
  });
  after(async () => await dropTestDatabase(connection));

  it('records the query, the articles shown with their ranks and the outcome, stamped by the clock', async () => {
    // Act
    await store.record({
      query: 'agent offline',
      locale: 'en',
      module: 'rmm-agent',
      articles: [
        { key: 'agent-offline', locale: 'en', rank: 1 },
        { key: 'install-agent', locale: 'en', rank: 2 },
      ],
      outcome: 'not_solved',
      conversationId: 'conv-1',
      channel: 'msteams',
    });

    // Assert
    const [saved] = await store.recent(1);
    assert.deepEqual(saved, {
      query: 'agent offline',
      locale: 'en',
      module: 'rmm-agent',
      articles: [
        { key: 'agent-offline', locale: 'en', rank: 1 },
        { key: 'install-agent', locale: 'en', rank: 2 },
      ],
      outcome: 'not_solved',
      conversationId: 'conv-1',
      channel: 'msteams',
      createdAt: now,
    });
  });

  it('records a search that found nothing, with no articles and no module', async () => {
    const feedback = await store.record({
      query: 'xyz',
      locale: 'fr',
      outcome: 'no_results',
      conversationId: 'conv-2',
      channel: 'webchat',
    });
    assert.deepEqual(feedback.articles, []);
    assert.equal((await store.recent(10)).length, 2);
  });

  it('refuses an unknown outcome with a readable reason', async () => {
    await assert.rejects(
      store.record({
        query: 'q',
        locale: 'en',
        outcome: 'maybe' as 'solved',
        conversationId: 'c',
        channel: 'webchat',
      }),
      (error: unknown) =>
        isAppError(error) &&
        error.code === 'invalid_input' &&
        /^Invalid feedback: outcome: /.test(error.message),
    );
  });
});
