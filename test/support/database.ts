import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../services/db';
import { createSilentLogger } from '../../services/logger';

/** The server the run started (test/hooks.ts). */
export function testDatabaseUri(): string {
  const uri = process.env.HELPLINE_TEST_MONGODB_URI;
  if (!uri) throw new Error('HELPLINE_TEST_MONGODB_URI is not set: run the tests through `npm test`.');
  return uri;
}

/** A fresh database name for one suite, so that suites never see each other's data. */
export function uniqueDbName(label: string): string {
  return `t_${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/** A connection to a database of the suite's own; drop it with `dropTestDatabase`. */
export async function openTestDatabase(label: string): Promise<Connection> {
  return await connectDatabase({
    uri: testDatabaseUri(),
    dbName: uniqueDbName(label),
    logger: createSilentLogger(),
  });
}

export async function dropTestDatabase(connection: Connection): Promise<void> {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
}
