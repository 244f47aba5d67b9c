import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { isAppError } from '../../../services/errors';
import { createSilentLogger } from '../../../services/logger';
import {
  getArticleModel,
  MiniSearchKnowledgeBase,
  MongoArticleStore,
  type ArticleInput,
} from '../../../services/knowledge';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

const ARTICLES: ArticleInput[] = [
  {
    key: 'install-agent',
    locale: 'en',
    title: 'Installation of the monitoring agent',
    summary: 'How the agent is installed on a Windows or Linux device.',
    body: '# Installation\n\nThe agent is **installed** from the [partner portal](https://portal.example.com): run the package as an administrator.\n\nError 1603 means a previous version is still there.',
    module: 'rmm-agent',
    tags: ['agent'],
    url: 'https://support.example.com/kb/install-agent',
  },
  {
    key: 'install-agent',
    locale: 'fr',
    title: "Installation de l'agent de supervision",
    summary: "Comment installer l'agent sur un appareil Windows ou Linux.",
    body: "L'agent s'installe depuis le portail partenaire, en tant qu'administrateur.",
    module: 'rmm-agent',
    tags: ['agent'],
  },
  {
    key: 'agent-updates',
    locale: 'fr',
    title: "Mise à jour de l'agent",
    summary: "L'agent se met à jour tout seul chaque nuit.",
    body: 'La **mise à jour** automatique se règle dans la stratégie de l’appareil. Une mise à jour manuelle reste possible.',
    module: 'rmm-agent',
    tags: [],
  },
  {
    key: 'patch-schedule',
    locale: 'en',
    title: 'Scheduling patch deployment',
    summary: 'Choose when approved patches are deployed to devices.',
    body: 'Patches are deployed in the maintenance window of the policy. A reboot may follow the deployment.',
    module: 'patch-management',
    tags: [],
  },
  {
    key: 'backup-restore',
    locale: 'en',
    title: 'Restoring files from a backup',
    summary: 'Bring back files or a whole device from a backup.',
    body: 'Choose **Restore**, then the backup date. The agent must be installed and online for a restore.',
    module: 'backup',
    tags: [],
  },
];

describe('MiniSearchKnowledgeBase', () => {
  let connection: Connection;
  let knowledgeBase: MiniSearchKnowledgeBase;

  before(async () => {
    connection = await openTestDatabase('kbsearch');
    const store = new MongoArticleStore(connection);
    for (const article of ARTICLES) await store.upsert(article);
    knowledgeBase = await MiniSearchKnowledgeBase.open({ connection, logger: createSilentLogger() });
  });
  after(async () => await dropTestDatabase(connection));

  it('builds its index from the articles already in the database', () => {
    assert.equal(knowledgeBase.size(), ARTICLES.length);
  });

  describe('language', () => {
    it("returns the article in the user's language when both exist", async () => {
      const hits = await knowledgeBase.search('installation agent', { locale: 'fr', limit: 1 });
      assert.deepEqual(
        hits.map((h) => [h.key, h.locale]),
        [['install-agent', 'fr']],
      );
    });

    it('lists all matches in the user language before any in the other, never both translations of one article', async () => {
      const hits = await knowledgeBase.search('agent', { locale: 'fr', limit: 10 });
      const locales = hits.map((h) => h.locale);
      assert.deepEqual(locales.slice(0, 2), ['fr', 'fr']);
      assert.ok(locales.slice(2).every((l) => l === 'en'));
      assert.equal(new Set(hits.map((h) => h.key)).size, hits.length);
      assert.ok(hits.some((h) => h.key === 'backup-restore' && h.locale === 'en'));
    });

    it('falls back to the other language when the user language has nothing', async () => {
      const hits = await knowledgeBase.search('patch deployment', { locale: 'fr' });
      assert.equal(hits[0]?.key, 'patch-schedule');
      assert.equal(hits[0]?.locale, 'en');
    });
  });

  describe('analysis', () => {
    it('matches words typed without accents: "mise a jour" finds "mise à jour"', async () => {
      const hits = await knowledgeBase.search('mise a jour', { locale: 'fr', limit: 1 });
      assert.equal(hits[0]?.key, 'agent-updates');
    });

    it('matches other forms of a word: "installing" finds "installation" and "installed"', async () => {
      const hits = await knowledgeBase.search('installing', { locale: 'en', limit: 1 });
      assert.equal(hits[0]?.key, 'install-agent');
      assert.equal(hits[0]?.locale, 'en');
    });

    it('matches French word forms: "installer" finds "installation" and "s\'installe"', async () => {
      const hits = await knowledgeBase.search('installer', { locale: 'fr', limit: 1 });
      assert.equal(hits[0]?.key, 'install-agent');
    });

    it('forgives a typo and matches a prefix', async () => {
      assert.equal(
        (await knowledgeBase.search('schedulling patchs', { locale: 'en', limit: 1 }))[0]?.key,
        'patch-schedule',
      );
      assert.equal(
        (await knowledgeBase.search('restor', { locale: 'en', limit: 1 }))[0]?.key,
        'backup-restore',
      );
    });

    it('ranks a title match above a body match', async () => {
      const hits = await knowledgeBase.search('restore', { locale: 'en', limit: 5 });
      assert.equal(hits[0]?.key, 'backup-restore');
    });
  });

  describe('options', () => {
    it('keeps only the articles of the requested module', async () => {
      const hits = await knowledgeBase.search('agent installed', {
        locale: 'en',
        module: 'backup',
        limit: 10,
      });
      assert.deepEqual(
        hits.map((h) => h.key),
        ['backup-restore'],
      );
    });

    it('returns at most `limit` hits, 3 by default', async () => {
      assert.equal((await knowledgeBase.search('agent', { locale: 'en' })).length, 3);
      assert.equal((await knowledgeBase.search('agent', { locale: 'en', limit: 1 })).length, 1);
    });
  });

  describe('queries', () => {
    for (const query of ['', '   ', '**', '<br/>', '<p></p> ` `', 'the of and']) {
      it(`returns nothing for ${JSON.stringify(query)}`, async () => {
        assert.deepEqual(await knowledgeBase.search(query, { locale: 'en' }), []);
      });
    }

    it('answers a very long query quickly, using its first words', async () => {
      // Arrange
      const query =
        'restore backup ' + Array.from({ length: 20_000 }, (_, i) => `word${i} lorem ipsum`).join(' ');

      // Act
      const hits = await knowledgeBase.search(query, { locale: 'en' });

      // Assert
      assert.equal(hits[0]?.key, 'backup-restore');
    });

    it('ignores markdown and HTML in the query', async () => {
      const hits = await knowledgeBase.search(
        '<script>alert("install")</script> **Restore** my [files](https://x.example/agent) `backup`',
        { locale: 'en', limit: 1 },
      );
      assert.equal(hits[0]?.key, 'backup-restore');
      assert.equal((await knowledgeBase.search('<div class="agent"></div>', { locale: 'en' })).length, 0);
    });
  });

  describe('hits', () => {
    it('carries the article fields and a plain-text snippet with the words that matched', async () => {
      const [hit] = await knowledgeBase.search('installed administrator', { locale: 'en', limit: 1 });
      assert.ok(hit);
      assert.equal(hit.key, 'install-agent');
      assert.equal(hit.title, 'Installation of the monitoring agent');
      assert.equal(hit.summary, 'How the agent is installed on a Windows or Linux device.');
      assert.equal(hit.url, 'https://support.example.com/kb/install-agent');
      assert.equal(hit.module, 'rmm-agent');
      assert.ok(hit.score > 0);
      assert.equal(
        hit.snippet,
        'The agent is installed from the partner portal: run the package as an administrator.',
      );
      assert.deepEqual(hit.terms, ['installed', 'administrator']);
    });

    it('names matched words as written in the snippet, accents included', async () => {
      const [hit] = await knowledgeBase.search('mise a jour automatique', { locale: 'fr', limit: 1 });
      assert.match(hit?.snippet ?? '', /^La mise à jour automatique/);
      assert.deepEqual(hit?.terms, ['mise', 'jour', 'automatique']);
    });
  });

  describe('keeping the index in step', () => {
    it('finds a new article as soon as it is upserted, and in a knowledge base opened later', async () => {
      // Act
      const outcome = await knowledgeBase.upsert({
        key: 'billing-portal',
        locale: 'en',
        title: 'Downloading an invoice',
        summary: 'Where invoices are in the portal.',
        body: 'Open **Billing**, then Invoices.',
        module: 'billing',
      });

      // Assert
      assert.equal(outcome, 'added');
      assert.equal(
        (await knowledgeBase.search('invoice', { locale: 'en', limit: 1 }))[0]?.key,
        'billing-portal',
      );
      const reopened = await MiniSearchKnowledgeBase.open({ connection, logger: createSilentLogger() });
      assert.equal((await reopened.search('invoice', { locale: 'en', limit: 1 }))[0]?.key, 'billing-portal');
    });

    it('searches the new content of an updated article, not the old one', async () => {
      // Arrange
      const original = ARTICLES[3];

      // Act
      const outcome = await knowledgeBase.upsert({ ...original, title: 'Planning reboots after updates' });

      // Assert
      assert.equal(outcome, 'updated');
      assert.equal(
        (await knowledgeBase.search('planning reboots', { locale: 'en', limit: 1 }))[0]?.key,
        'patch-schedule',
      );
      const hits = await knowledgeBase.search('scheduling', { locale: 'en', limit: 5 });
      assert.ok(!hits.some((h) => h.key === 'patch-schedule'));
      assert.equal(knowledgeBase.size(), ARTICLES.length + 1);
    });

    it('reports an unchanged article as unchanged', async () => {
      assert.equal(await knowledgeBase.upsert(ARTICLES[0]), 'unchanged');
    });

    it('drops a removed article from the database and the search', async () => {
      // Act
      const removed = await knowledgeBase.remove('billing-portal', 'en');

      // Assert
      assert.equal(removed, true);
      assert.deepEqual(await knowledgeBase.search('invoice', { locale: 'en' }), []);
      assert.equal(await knowledgeBase.get('billing-portal', 'en'), undefined);
      assert.equal(await knowledgeBase.remove('billing-portal', 'en'), false);
    });

    it('refuses an invalid article and leaves the index as it was', async () => {
      const before = knowledgeBase.size();
      await assert.rejects(
        knowledgeBase.upsert({ ...ARTICLES[0], key: 'new-one', title: '' }),
        (error: unknown) =>
          isAppError(error) && error.code === 'invalid_input' && /title/.test(error.message),
      );
      assert.equal(knowledgeBase.size(), before);
    });

    it('lets one of two concurrent creations of the same article win, the other seeing it', async () => {
      // Arrange
      const article: ArticleInput = {
        key: 'race',
        locale: 'en',
        title: 'Race',
        summary: 'Race',
        body: 'Race',
        module: 'backup',
      };

      // Act
      const outcomes = await Promise.all(Array.from({ length: 6 }, () => knowledgeBase.upsert(article)));

      // Assert
      assert.equal(outcomes.filter((o) => o === 'added').length, 1);
      assert.ok(outcomes.every((o) => o === 'added' || o === 'unchanged'));
      assert.equal(await getArticleModel(connection).countDocuments({ key: 'race', locale: 'en' }), 1);
    });
  });
});
