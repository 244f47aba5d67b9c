/**
 * An HTTP answer a route gives by throwing: the application's error handler writes `status` with
 * `{ error: { code, message } }`. It follows the `http-errors` shape (`status`, `expose`) that
 * express and its body parsers use, so any error handler that knows that shape renders it.
 */
export class HttpError extends Error {
  readonly expose = true;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Headers the answer must carry, e.g. WWW-Authenticate with a 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof HttpError;
}
