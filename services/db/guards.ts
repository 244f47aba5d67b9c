import { AppError, isDatabaseUnavailable } from '../errors';
import { isDuplicateKey } from './botStateStorage';

/**
 * Runs a database operation and turns a driver's "cannot reach the server" into the one
 * AppError every caller handles (`database_unavailable`, kind user message); other errors pass.
 */
export async function withDatabaseErrors<T>(area: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof AppError || !isDatabaseUnavailable(error)) throw error;
    throw new AppError('database_unavailable', `${area}: the database is unreachable.`, {
      cause: error,
      userMessageKey: 'errors.unavailable',
    });
  }
}

/** Concurrent upserts of one new `_id` can race to insert it; the loser retries as an update. */
export async function retryOnDuplicate<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= attempts) throw error;
    }
  }
}
