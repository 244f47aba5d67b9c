import mongoose, { type Connection } from 'mongoose';
import { AppError } from '../errors';
import type { Logger } from '../logger';

export interface DatabaseOptions {
  uri: string;
  /** The database name; overrides any name in the URI. */
  dbName: string;
  /** How long an operation waits for a reachable server before failing; 5 s when absent. */
  serverSelectionTimeoutMs?: number;
  /**
   * How long an operation waits for the server's answer before failing; 10 s when absent. A
   * stalled server (paused, overloaded, a half-open connection) keeps the socket open and never
   * answers: without this a turn would wait for it forever.
   */
  socketTimeoutMs?: number;
  logger: Logger;
}

/**
 * Opens a mongoose connection of its own (never the global one), so that a test run or a
 * benchmark can hold several. Fails with a readable AppError when the server is unreachable.
 */
export async function connectDatabase(options: DatabaseOptions): Promise<Connection> {
  const log = options.logger.child({ component: 'db' });
  const connection = mongoose.createConnection(options.uri, {
    dbName: options.dbName,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000,
    socketTimeoutMS: options.socketTimeoutMs ?? 10_000,
    connectTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000,
    // Operations fail at once while disconnected instead of queueing: a user waiting on a
    // turn gets a kind answer quickly, and nothing is half-applied later.
    bufferCommands: false,
    autoIndex: true,
    autoCreate: true,
    // Command timings for /metrics (bot/console/metricsRoutes.ts); events nobody listens to cost nothing.
    monitorCommands: true,
  });
  connection.on('disconnected', () => log.warn('database disconnected'));
  connection.on('reconnected', () => log.info('database reconnected'));
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close(true).catch(() => undefined);
    throw new AppError(
      'database_unavailable',
      `Cannot reach the database at ${redactUri(options.uri)}: ${(error as Error).message}`,
      {
        cause: error,
        userMessageKey: 'errors.unavailable',
      },
    );
  }
  log.info({ dbName: options.dbName }, 'database connected');
  return connection;
}

/** True when the database answers a ping within the selection timeout. */
export async function pingDatabase(connection: Connection): Promise<boolean> {
  try {
    const db = connection.db;
    if (!db) return false;
    await db.command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}

/** The URI without credentials, for logs and messages. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
