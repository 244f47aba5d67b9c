import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../bot/config';
import { openConfiguredDatabase } from '../../bot/database';
import { createSilentLogger } from '../../services/logger';
import { uniqueDbName } from '../support/database';

/** The PostgreSQL these machines run on loopback (trust authentication). */
const POSTGRESQL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

describe('the embedded FerretDB on PostgreSQL (HELPLINE_EMBEDDED_POSTGRESQL_URL)', function () {
  this.timeout(60_000);
  let dataDir: string;
  before(() => (dataDir = mkdtempSync(path.join(os.tmpdir(), 'helpline-pg-'))));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps the data in PostgreSQL, not in SQLite files, and reads it back after a restart', async () => {
    const config = loadConfig({
      HELPLINE_DATA_DIR: dataDir,
      HELPLINE_EMBEDDED_DB: 'ferretdb',
      HELPLINE_EMBEDDED_POSTGRESQL_URL: POSTGRESQL_URL,
      MONGODB_DB: uniqueDbName('pg'),
      PATH: process.env.PATH,
    });
    const first = await openConfiguredDatabase(config, createSilentLogger());
    try {
      await first.connection.collection('probe').insertOne({ _id: 'kept' as never, at: new Date() });
    } finally {
      await first.connection.close();
      await first.embedded?.stop();
    }
    const sqliteFiles = readdirSync(path.join(dataDir, 'db')).filter((f) => f.endsWith('.sqlite'));
    assert.deepEqual(sqliteFiles, [], 'no SQLite database file');

    const second = await openConfiguredDatabase(config, createSilentLogger());
    try {
      assert.ok(await second.connection.collection('probe').findOne({ _id: 'kept' as never }));
      await second.connection.dropDatabase();
    } finally {
      await second.connection.close();
      await second.embedded?.stop();
    }
  });
});
