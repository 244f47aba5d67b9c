/**
 * Mocha global fixtures: one MongoDB-compatible server for the whole run. MONGODB_URI when
 * set; otherwise an embedded FerretDB in a temporary folder, started exactly as `npm start`
 * starts it. Each suite then uses its own database on it (see support/database.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../services/db';
import { createSilentLogger } from '../services/logger';

let embedded: EmbeddedDatabase | undefined;
let tempDir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.HELPLINE_TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'helpline-test-db-'));
  embedded = await startEmbeddedDatabase({
    dataDir: tempDir,
    logger: createSilentLogger(),
    ferretdbBin: process.env.FERRETDB_BIN,
    searchPath: process.env.PATH ?? '',
    homeDir: os.homedir(),
    allowInstall: true,
    installScript: path.join(__dirname, '..', 'scripts', 'install-ferretdb.sh'),
    allowMemoryServer: true,
  });
  process.env.HELPLINE_TEST_MONGODB_URI = embedded.uri;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await embedded?.stop();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}
