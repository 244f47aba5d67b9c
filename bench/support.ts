import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ActivityHandler } from 'botbuilder';
import express from 'express';
import { startEmbeddedDatabase } from '../services/db';
import { createLogger, createSilentLogger } from '../services/logger';

/**
 * A database for a benchmark: MONGODB_URI when set, else an embedded FerretDB in a temporary
 * folder, over SQLite or over the PostgreSQL database `postgresqlUrl` names.
 */
export async function openBenchDatabase(
  env: NodeJS.ProcessEnv,
  postgresqlUrl?: string,
): Promise<{ uri: string; stop: () => Promise<void> }> {
  if (env.MONGODB_URI) return { uri: env.MONGODB_URI, stop: () => Promise.resolve() };
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'helpline-bench-'));
  const embedded = await startEmbeddedDatabase({
    dataDir: tempDir,
    logger: env.LOG_LEVEL ? createLogger({ level: env.LOG_LEVEL }) : createSilentLogger(),
    ferretdbBin: env.FERRETDB_BIN,
    searchPath: env.PATH ?? '',
    homeDir: os.homedir(),
    allowInstall: true,
    installScript: path.join(__dirname, '..', 'scripts', 'install-ferretdb.sh'),
    allowMemoryServer: true,
    postgresqlUrl,
  });
  return {
    uri: embedded.uri,
    stop: async () => {
      await embedded.stop();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** A baseline bot on /api/messages, on its own CloudAdapter without credentials, as small as botbuilder allows. */
export async function serveBaselineBot(
  bot: ActivityHandler,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const app = express();
  app.post('/api/messages', express.json(), async (req, res) => {
    await adapter.process(req, res, async (context) => await bot.run(context));
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
