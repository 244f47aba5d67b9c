/**
 * The one error type of Helpline. `code` is stable and machine-readable, `userMessageKey`
 * names a text in `dialogs/texts` that is safe to show to a user, and `cause` keeps the
 * original error for the logs. Nothing else about an error ever reaches a user.
 */
export type AppErrorCode =
  | 'config_invalid'
  | 'database_unavailable'
  | 'database_not_found'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'invalid_input'
  | 'unavailable'
  | 'internal';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly userMessageKey: string;

  constructor(
    code: AppErrorCode,
    message: string,
    options: { cause?: unknown; userMessageKey?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessageKey = options.userMessageKey ?? 'errors.generic';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** True for the errors a MongoDB driver raises when the server cannot be reached or drops the connection. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (isAppError(error)) return error.code === 'database_unavailable';
  if (!(error instanceof Error)) return false;
  // The database's socket closed under a write: the driver passes Node's own error on unwrapped
  // ("This socket has been ended by the other party", EPIPE), seen when the server went away
  // in the middle of an operation.
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EPIPE' || code === 'ECONNRESET') return true;
  const name = error.name;
  return (
    name === 'MongoServerSelectionError' ||
    name === 'MongoNetworkError' ||
    name === 'MongoNetworkTimeoutError' ||
    name === 'MongoNotConnectedError' ||
    name === 'MongoTopologyClosedError' ||
    name === 'MongoPoolClearedError' ||
    name === 'PoolClearedOnNetworkError' ||
    name === 'MongoWaitQueueTimeoutError' ||
    name === 'MongoOperationTimeoutError' ||
    name === 'MongooseServerSelectionError' ||
    (name === 'MongooseError' &&
      /buffering timed out|not connected|client must be connected/i.test(error.message))
  );
}
