import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { hasIdIndexFix, startEmbeddedDatabase } from '../../../services/db';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

/** The plan FerretDB reports for a find, or undefined when the server is not FerretDB. */
async function ferretDbPlan(
  connection: Connection,
  filter: Record<string, unknown>,
): Promise<string | undefined> {
  const explained = (await connection.db!.collection('docs').find(filter).explain()) as {
    serverInfo?: { ferretdbVersion?: string };
    queryPlanner?: { Plan?: string[] };
  };
  if (!explained.serverInfo?.ferretdbVersion) return undefined;
  return (explained.queryPlanner?.Plan ?? []).join('\n');
}

/**
 * FerretDB v1 over SQLite indexed `_id` under one expression and looked it up under another, so
 * every `_id` lookup, update and delete scanned its whole table (scripts/install-ferretdb.sh).
 * Helpline's own build fixes that; these check the server the tests run on is that build, and that
 * an unfixed binary found first is passed over for a fixed one.
 */
describe('FerretDB `_id` lookups use the `_id` index', function () {
  this.timeout(60_000);
  let connection: Connection;
  before(async () => {
    connection = await openTestDatabase('idindex');
    await connection
      .db!.collection('docs')
      .insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `doc-${i}` as unknown as never, n: i })));
  });
  after(async () => await dropTestDatabase(connection));

  it('answers a find by string `_id` from the index, not by scanning the table', async function () {
    const plan = await ferretDbPlan(connection, { _id: 'doc-42' });
    if (plan === undefined) this.skip(); // a real MongoDB: IDHACK, nothing to check
    if (!/SQLITE|SCAN|SEARCH/i.test(plan)) this.skip(); // FerretDB over PostgreSQL plans differently
    assert.match(plan, /SEARCH \S+ USING INDEX \S+__id_/, plan);
    assert.doesNotMatch(plan, /\bSCAN\b/, plan);
    // And the answer is the right one, for a hit and for a miss.
    const docs = connection.db!.collection('docs');
    assert.equal((await docs.findOne({ _id: 'doc-42' as unknown as never }))?.n, 42);
    assert.equal(await docs.findOne({ _id: 'doc-420' as unknown as never }), null);
    const updated = await docs.updateOne({ _id: 'doc-7' as unknown as never }, { $set: { n: 700 } });
    assert.equal(updated.modifiedCount, 1);
    assert.equal((await docs.findOne({ _id: 'doc-7' as unknown as never }))?.n, 700);
    assert.equal((await docs.deleteOne({ _id: 'doc-8' as unknown as never })).deletedCount, 1);
    assert.equal(await docs.countDocuments({}), 49);
  });

  it('passes over an unfixed FerretDB on PATH for the fixed build in ~/go/bin', async function () {
    const root = mkdtempSync(path.join(os.tmpdir(), 'helpline-idindex-'));
    try {
      const fixed = path.join(os.homedir(), 'go', 'bin', 'ferretdb');
      if (!hasIdIndexFix(fixed)) this.skip(); // the run uses MONGODB_URI or another FerretDB
      // An older build on PATH: the same server, but it reports no fix (as a plain build does).
      const onPath = path.join(root, 'path');
      mkdirSync(onPath);
      writeFileSync(
        path.join(onPath, 'ferretdb'),
        `#!/bin/sh\nif [ "$1" = --version ]; then echo "version: v1.24.2"; echo "package: unknown"; exit 0; fi\nexec "${fixed}" "$@"\n`,
      );
      chmodSync(path.join(onPath, 'ferretdb'), 0o755);
      const home = path.join(root, 'home');
      mkdirSync(path.join(home, 'go', 'bin'), { recursive: true });
      symlinkSync(fixed, path.join(home, 'go', 'bin', 'ferretdb'));
      assert.equal(hasIdIndexFix(path.join(onPath, 'ferretdb')), false);

      const database = await startEmbeddedDatabase({
        dataDir: path.join(root, 'data'),
        logger: createSilentLogger(),
        searchPath: `${onPath}${path.delimiter}${process.env.PATH ?? ''}`,
        homeDir: home,
        allowInstall: false,
        installScript: '/nonexistent',
        allowMemoryServer: false,
      });
      await database.stop();
      assert.equal(database.binary, path.join(home, 'go', 'bin', 'ferretdb'));

      // With no fixed build anywhere and nothing to build with, the unfixed one still serves.
      const fallback = await startEmbeddedDatabase({
        dataDir: path.join(root, 'data2'),
        logger: createSilentLogger(),
        searchPath: `${onPath}${path.delimiter}${process.env.PATH ?? ''}`,
        homeDir: path.join(root, 'nohome'),
        allowInstall: false,
        installScript: '/nonexistent',
        allowMemoryServer: false,
      });
      await fallback.stop();
      assert.equal(fallback.binary, path.join(onPath, 'ferretdb'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
