import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import {
  MiniSearchKnowledgeBase,
  MongoArticleStore,
  seedKnowledgeBaseIfEmpty,
  type ArticleInput,
} from '../../../services/knowledge';
import { MongoEmbeddingStore } from '../../../services/knowledge/embeddingStore';
import { HybridKnowledgeBase, reciprocalRankFusion } from '../../../services/knowledge/hybrid';
import { languageModelEmbedder } from '../../../services/llm';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { OpenAiStandIn } from '../../support/openAiStandIn';
import { conceptEmbedding, standInModel } from '../llm/fixtures';

const QUERY = 'the monitor stays completely dark while I take control';

describe('HybridKnowledgeBase', () => {
  let standIn: OpenAiStandIn;
  let connection: Connection;
  let inner: MiniSearchKnowledgeBase;

  function hybrid(): HybridKnowledgeBase {
    const embedder = languageModelEmbedder(standInModel(standIn, connection, { maxRetries: 0 }));
    assert.ok(embedder);
    return new HybridKnowledgeBase({
      inner,
      articles: new MongoArticleStore(connection),
      store: new MongoEmbeddingStore(connection),
      embedder,
      logger: createSilentLogger(),
      minSimilarity: 0.3,
    });
  }

  function embeddedInputs(): number {
    return standIn.embeddingRequests().reduce((n, r) => n + r.inputs.length, 0);
  }

  before(async () => {
    connection = await openTestDatabase('hybrid');
    standIn = new OpenAiStandIn();
    standIn.embedder = conceptEmbedding;
    await standIn.start();
    inner = await MiniSearchKnowledgeBase.open({ connection, logger: createSilentLogger() });
    await seedKnowledgeBaseIfEmpty(inner, createSilentLogger());
  });

  after(async () => {
    await standIn.stop();
    await dropTestDatabase(connection);
  });

  beforeEach(() => standIn.reset());

  it('embeds every article once, and a restarted or other replica reuses the stored vectors', async () => {
    // Act
    const first = await hybrid().sync();
    const firstInputs = embeddedInputs();
    const second = await hybrid().sync();

    // Assert
    assert.equal(first.articles, inner.size());
    assert.equal(first.embedded, inner.size());
    assert.equal(firstInputs, inner.size());
    assert.deepEqual(second, { articles: inner.size(), embedded: 0, missing: 0 });
    assert.equal(embeddedInputs(), firstInputs);
  });

  it('finds by meaning what the words alone miss, fused with the full-text ranking', async () => {
    // Arrange
    const search = hybrid();
    await search.sync();

    // Act
    const plain = await inner.search(QUERY, { locale: 'en' });
    const fused = await search.search(QUERY, { locale: 'en' });

    // Assert
    assert.ok(!plain.some((hit) => hit.key === 'remote-black-screen'));
    assert.ok(fused.some((hit) => hit.key === 'remote-black-screen'));
    // Ranked high by both, the full-text favourite stays ahead.
    assert.equal(fused[0]?.key, plain[0]?.key);
    assert.equal(fused.length, 3);
    assert.ok(fused.every((hit) => hit.locale === 'en'));
    assert.ok(fused[0] && fused[1] && fused[0].score >= fused[1].score);
    assert.equal(standIn.embeddingRequests().at(-1)?.inputs[0], QUERY);
    // The evidence stays on each hit's own scale: similarity for what meaning found.
    const byMeaning = fused.find((hit) => hit.key === 'remote-black-screen');
    assert.ok(byMeaning?.similarity !== undefined && byMeaning.similarity >= 0.3);
    assert.ok((byMeaning.coverage ?? 0) < 0.34, 'its words alone are below the relevance floor');
  });

  it('keeps the user’s language first and honours the module filter', async () => {
    // Arrange
    const search = hybrid();
    await search.sync();

    // Act
    const french = await search.search("l'écran reste noir pendant la prise de contrôle", { locale: 'fr' });
    const backupOnly = await search.search(QUERY, { locale: 'en', module: 'backup', limit: 5 });

    // Assert
    assert.equal(french[0]?.locale, 'fr');
    assert.equal(french[0]?.key, 'remote-black-screen');
    assert.ok(backupOnly.every((hit) => hit.module === 'backup'));
  });

  it('is exactly the full-text search when the query cannot be embedded', async () => {
    // Arrange
    const search = hybrid();
    await search.sync();
    standIn.embeddingsReplies.push({ kind: 'error', status: 500 });

    // Act
    const fused = await search.search(QUERY, { locale: 'en' });
    const plain = await inner.search(QUERY, { locale: 'en' });

    // Assert
    assert.deepEqual(fused, plain);
  });

  it('returns nothing for a query that matches neither by words nor by meaning', async () => {
    // Arrange
    const search = hybrid();
    await search.sync();

    // Act
    const hits = await search.search('zorglub fnarp', { locale: 'en' });

    // Assert
    assert.deepEqual(hits, []);
  });

  it('embeds an article again only when its content changes, and forgets a removed one', async () => {
    // Arrange
    const search = hybrid();
    await search.sync();
    standIn.reset();
    const article: ArticleInput = {
      key: 'remote-dark-viewer',
      locale: 'en',
      title: 'Viewer stays dark',
      summary: 'The viewer window stays dark after connecting.',
      body: 'Change the capture mode of the viewer.',
      module: 'remote-control',
    };

    // Act
    await search.upsert(article);
    await search.upsert(article);
    const afterSame = embeddedInputs();
    await search.upsert({ ...article, body: 'Change the capture mode, then reconnect the viewer.' });
    const afterChange = embeddedInputs();
    const found = await search.search('dark viewer', { locale: 'en', limit: 5 });
    await search.remove(article.key, 'en');
    const gone = await search.search('dark viewer', { locale: 'en', limit: 5 });

    // Assert
    assert.equal(afterSame, 1);
    assert.equal(afterChange, 2);
    assert.ok(found.some((hit) => hit.key === 'remote-dark-viewer'));
    assert.ok(!gone.some((hit) => hit.key === 'remote-dark-viewer'));
  });

  it('catches up with articles written elsewhere, and retries those a failure left without a vector', async () => {
    // Arrange
    const search = hybrid();
    await search.sync();
    standIn.reset();
    const elsewhere = new MongoArticleStore(connection);
    await elsewhere.upsert({
      key: 'backup-dark-console',
      locale: 'en',
      title: 'Backup console shows a blank screen',
      summary: 'The backup console opens on a blank screen.',
      body: 'Clear the browser cache of the backup console.',
      module: 'backup',
    });
    standIn.embeddingsReplies.push({ kind: 'error', status: 503 });

    // Act
    const firstTry = await search.refreshIfChanged();
    const missingAfterFailure = search.embeddedCount;
    const secondTry = await search.refreshIfChanged();
    const thirdTry = await search.refreshIfChanged();

    // Assert
    assert.equal(firstTry, true);
    assert.equal(missingAfterFailure, inner.size() - 1);
    assert.equal(secondTry, true);
    assert.equal(search.embeddedCount, inner.size());
    assert.equal(thirdTry, false);
    await elsewhere.remove('backup-dark-console', 'en');
  });

  it('fuses rankings by reciprocal rank', () => {
    // Act
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['c', 'd', 'a'],
      ],
      60,
    );

    // Assert
    assert.deepEqual(
      fused.map((f) => f.id),
      ['a', 'c', 'b', 'd'],
    );
    assert.ok(Math.abs((fused[0]?.score ?? 0) - (1 / 61 + 1 / 63)) < 1e-12);
  });
});
