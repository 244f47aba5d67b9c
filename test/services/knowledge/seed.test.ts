import assert from 'node:assert/strict';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { createSilentLogger } from '../../../services/logger';
import { MiniSearchKnowledgeBase, seedKnowledgeBaseIfEmpty } from '../../../services/knowledge';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'kb', 'md');

describe('seedKnowledgeBaseIfEmpty', () => {
  let connection: Connection;

  before(async () => {
    connection = await openTestDatabase('kbseed');
  });
  after(async () => await dropTestDatabase(connection));

  it('imports into an empty knowledge base, indexes it, and leaves a filled one alone', async () => {
    // Arrange
    const knowledgeBase = await MiniSearchKnowledgeBase.open({ connection, logger: createSilentLogger() });

    // Act
    const first = await seedKnowledgeBaseIfEmpty(knowledgeBase, createSilentLogger(), [FIXTURES]);
    const second = await seedKnowledgeBaseIfEmpty(knowledgeBase, createSilentLogger(), [FIXTURES]);

    // Assert
    assert.equal(first?.added, 3);
    assert.equal(second, undefined);
    assert.equal(knowledgeBase.size(), 3);
    assert.equal(
      (await knowledgeBase.search('mise a jour', { locale: 'fr', limit: 1 }))[0]?.key,
      'install-agent',
    );
  });
});
