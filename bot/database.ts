import path from 'node:path';
import type { Connection } from 'mongoose';
import { connectDatabase, startEmbeddedDatabase, type EmbeddedDatabase } from '../services/db';
import { AppError } from '../services/errors';
import type { Logger } from '../services/logger';
import type { AppConfig } from './config';

export interface OpenDatabase {
  connection: Connection;
  /** The server Helpline started itself, to stop after the connection is closed. */
  embedded?: EmbeddedDatabase | undefined;
}

/**
 * The database as configured: MONGODB_URI when set, else an embedded server under the data
 * folder (FerretDB, then mongodb-memory-server when HELPLINE_EMBEDDED_DB=auto).
 */
export async function openConfiguredDatabase(config: AppConfig, logger: Logger): Promise<OpenDatabase> {
  const { database } = config;
  const timeouts = {
    serverSelectionTimeoutMs: config.timeouts.dbServerSelectionMs,
    socketTimeoutMs: config.timeouts.dbSocketMs,
  };
  if (database.uri) {
    return {
      connection: await connectDatabase({ uri: database.uri, dbName: database.name, logger, ...timeouts }),
    };
  }
  if (database.embedded === 'none') {
    throw new AppError(
      'database_unavailable',
      'MONGODB_URI is not set and HELPLINE_EMBEDDED_DB=none forbids an embedded database.',
    );
  }
  const embedded = await startEmbeddedDatabase({
    dataDir: path.join(database.dataDir, 'db'),
    logger,
    ferretdbBin: database.ferretdbBin,
    searchPath: database.searchPath,
    homeDir: database.homeDir,
    allowInstall: true,
    installScript: database.installScript,
    allowMemoryServer: database.embedded === 'auto',
    postgresqlUrl: database.embeddedPostgresqlUrl,
  });
  try {
    return {
      connection: await connectDatabase({ uri: embedded.uri, dbName: database.name, logger, ...timeouts }),
      embedded,
    };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
