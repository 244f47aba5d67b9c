import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Connection } from 'mongoose';
import { isAppError } from '../../../services/errors';
import { createSilentLogger } from '../../../services/logger';
import {
  getArticleModel,
  importArticles,
  MiniSearchKnowledgeBase,
  MongoArticleStore,
  type ImportDeps,
} from '../../../services/knowledge';
import { dropTestDatabase, openTestDatabase, testDatabaseUri, uniqueDbName } from '../../support/database';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'kb', 'md');
const PROJECT_ROOT = path.join(__dirname, '..', '..', '..');

function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key: 'reset-password',
    locale: 'en',
    title: 'Resetting a portal password',
    summary: 'What to do when a partner portal password no longer works.',
    body: 'Use **Forgot password** on the sign-in page.',
    module: 'partner-portal',
    tags: ['password'],
    ...overrides,
  };
}

function jsonl(rows: Array<Record<string, unknown> | string>): string {
  return rows.map((row) => (typeof row === 'string' ? row : JSON.stringify(row))).join('\n') + '\n';
}

describe('importArticles', () => {
  let connection: Connection;
  let tempDir: string;
  let now: Date;
  let deps: ImportDeps;

  before(async () => {
    connection = await openTestDatabase('kbimport');
  });
  after(async () => await dropTestDatabase(connection));

  beforeEach(async () => {
    await getArticleModel(connection).deleteMany({});
    tempDir = mkdtempSync(path.join(os.tmpdir(), 'helpline-kb-'));
    now = new Date('2026-03-01T09:00:00Z');
    deps = { writer: new MongoArticleStore(connection, () => now), logger: createSilentLogger() };
  });
  afterEach(() => rmSync(tempDir, { recursive: true, force: true }));

  it('imports every markdown file of a folder, searching sub-folders, with front matter as fields', async () => {
    // Act
    const summary = await importArticles([FIXTURES], deps);

    // Assert
    assert.deepEqual(summary, { added: 3, updated: 0, unchanged: 0, rejected: 0, rejections: [] });
    const store = new MongoArticleStore(connection);
    const article = await store.get('install-agent', 'en');
    assert.equal(article?.title, 'Installation of the monitoring agent');
    assert.equal(article?.module, 'rmm-agent');
    assert.deepEqual(article?.tags, ['agent', 'setup']);
    assert.equal(article?.url, 'https://support.example.com/kb/install-agent');
    assert.equal(article?.updatedAt.toISOString(), '2025-01-15T10:00:00.000Z');
    assert.match(article?.body ?? '', /^# Installation of the monitoring agent/);
    assert.equal((await store.get('install-agent', 'fr'))?.updatedAt.toISOString(), now.toISOString());
  });

  it('changes nothing when run again on the same content, and keeps updatedAt', async () => {
    // Arrange
    await importArticles([FIXTURES], deps);
    now = new Date('2026-04-01T09:00:00Z');

    // Act
    const summary = await importArticles([FIXTURES], deps);

    // Assert
    assert.deepEqual(summary, { added: 0, updated: 0, unchanged: 3, rejected: 0, rejections: [] });
    const article = await new MongoArticleStore(connection).get('install-agent', 'fr');
    assert.equal(article?.updatedAt.toISOString(), '2026-03-01T09:00:00.000Z');
    assert.equal(await getArticleModel(connection).countDocuments({}), 3);
  });

  it('updates an article whose content changed and moves its updatedAt', async () => {
    // Arrange
    const file = path.join(tempDir, 'articles.jsonl');
    writeFileSync(file, jsonl([record()]));
    await importArticles([file], deps);
    writeFileSync(file, jsonl([record({ summary: 'A new summary.' })]));
    now = new Date('2026-05-01T00:00:00Z');

    // Act
    const summary = await importArticles([file], deps);

    // Assert
    assert.equal(summary.updated, 1);
    const article = await new MongoArticleStore(connection).get('reset-password', 'en');
    assert.equal(article?.summary, 'A new summary.');
    assert.equal(article?.updatedAt.toISOString(), '2026-05-01T00:00:00.000Z');
  });

  it('rejects bad records with their line number and the reason, and imports the others', async () => {
    // Arrange
    const file = path.join(tempDir, 'mixed.jsonl');
    writeFileSync(
      file,
      jsonl([
        record(),
        '{"key": "broken",',
        record({ key: 'no-title', title: '' }),
        '',
        record({ key: 'bad-locale', locale: 'de' }),
        record({ key: 'second', locale: 'fr', title: 'Réinitialiser un mot de passe' }),
        record({ summary: 'same key and locale as line 1' }),
        record({ key: 'Bad Key!' }),
        record({ key: 'bad-url', url: 'ftp://example.com' }),
      ]),
    );

    // Act
    const summary = await importArticles([file], deps);

    // Assert
    assert.equal(summary.added, 2);
    assert.equal(summary.rejected, 6);
    const byLine = new Map(summary.rejections.map((r) => [r.line, r.reason]));
    assert.deepEqual([...byLine.keys()], [2, 3, 5, 7, 8, 9]);
    assert.match(byLine.get(2) ?? '', /invalid JSON/);
    assert.match(byLine.get(3) ?? '', /^title: /);
    assert.match(byLine.get(5) ?? '', /^locale: /);
    assert.match(byLine.get(7) ?? '', /duplicate of reset-password \(en\) at .*mixed\.jsonl:1/);
    assert.match(byLine.get(8) ?? '', /^key: must be a slug/);
    assert.match(byLine.get(9) ?? '', /^url: /);
    assert.ok(summary.rejections.every((r) => r.file === file));
  });

  it('reads a JSON array and names the position of a bad item', async () => {
    // Arrange
    const file = path.join(tempDir, 'articles.json');
    writeFileSync(file, JSON.stringify([record(), record({ key: 'x', module: undefined })]));

    // Act
    const summary = await importArticles([file], deps);

    // Assert
    assert.equal(summary.added, 1);
    assert.deepEqual(
      summary.rejections.map((r) => [r.line, r.reason.split(':')[0]]),
      [[2, 'module']],
    );
  });

  it('rejects a markdown file with broken front matter by its file name', async () => {
    // Arrange
    writeFileSync(
      path.join(tempDir, 'ok.md'),
      '---\nkey: ok\nlocale: en\ntitle: T\nsummary: S\nmodule: backup\n---\nBody',
    );
    writeFileSync(path.join(tempDir, 'bad.md'), '---\ntitle: [unclosed\n---\nBody');

    // Act
    const summary = await importArticles([tempDir], deps);

    // Assert
    assert.equal(summary.added, 1);
    assert.equal(summary.rejections.length, 1);
    assert.equal(summary.rejections[0]?.file, path.join(tempDir, 'bad.md'));
    assert.equal(summary.rejections[0]?.line, undefined);
    assert.match(summary.rejections[0]?.reason ?? '', /front matter/);
  });

  it('fails with a clear error, before writing anything, when a source cannot be read', async () => {
    // Arrange
    const good = path.join(tempDir, 'good.jsonl');
    writeFileSync(good, jsonl([record()]));
    const missing = path.join(tempDir, 'missing.jsonl');

    // Act / Assert
    await assert.rejects(importArticles([good, missing], deps), (error: unknown) => {
      assert.ok(isAppError(error));
      assert.equal(error.code, 'invalid_input');
      assert.equal(error.message, `Cannot read ${missing}: no such file or folder`);
      return true;
    });
    assert.equal(await getArticleModel(connection).countDocuments({}), 0);
  });

  it('refuses a file type it does not know', async () => {
    const file = path.join(tempDir, 'articles.csv');
    writeFileSync(file, 'key,title\n');
    await assert.rejects(
      importArticles([file], deps),
      /expected a \.jsonl, \.json or \.md file, or a folder/,
    );
  });

  it('keeps a knowledge base index in step when the knowledge base is the writer', async () => {
    // Arrange
    const knowledgeBase = await MiniSearchKnowledgeBase.open({ connection, logger: createSilentLogger() });
    assert.equal(knowledgeBase.size(), 0);

    // Act
    await importArticles([FIXTURES], { writer: knowledgeBase, logger: createSilentLogger() });

    // Assert
    assert.equal(knowledgeBase.size(), 3);
    const hits = await knowledgeBase.search('restore files', { locale: 'en' });
    assert.equal(hits[0]?.key, 'restore-backup');
  });

  describe('the kb:import command', () => {
    const execFileAsync = promisify(execFile);
    const run = async (
      args: string[],
      dbName: string,
    ): Promise<{ code: number; stdout: string; stderr: string }> => {
      try {
        const { stdout, stderr } = await execFileAsync(
          process.execPath,
          ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'kbImport.ts'), ...args],
          {
            cwd: PROJECT_ROOT,
            env: { PATH: process.env.PATH, MONGODB_URI: testDatabaseUri(), MONGODB_DB: dbName },
          },
        );
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    };

    it('prints the summary and each rejected record with its line, and exits 1 when some were rejected', async () => {
      // Arrange
      const file = path.join(tempDir, 'cli.jsonl');
      writeFileSync(file, jsonl([record(), record({ key: 'no-body', body: '' })]));
      const dbName = uniqueDbName('kbcli');

      // Act
      const result = await run([file], dbName);

      // Assert
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stdout, /Imported: 1 added, 0 updated, 0 unchanged, 1 rejected\./);
      assert.match(
        result.stdout,
        new RegExp(`rejected ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: body: `),
      );
      await connection.useDb(dbName).dropDatabase();
    });

    it('exits 2 with a one-line message and no stack trace when a file cannot be read', async () => {
      // Act
      const result = await run([path.join(tempDir, 'nope.jsonl')], uniqueDbName('kbcli'));

      // Assert
      assert.equal(result.code, 2);
      assert.equal(
        result.stderr.trim(),
        `kb:import: Cannot read ${path.join(tempDir, 'nope.jsonl')}: no such file or folder`,
      );
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    });
  });
});
