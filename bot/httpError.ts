import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { isAppError, isDatabaseUnavailable } from '../services/errors';
import type { Logger } from '../services/logger';

/**
 * The one problem type of Helpline's HTTP surface. A route answers a client error by throwing
 * it; the one error handler (`httpErrorHandler`) writes `status` with
 * `{ error: { code, message, ...extra } }`. It follows the `http-errors` shape (`status`,
 * `expose`) that express and its body parsers use.
 */
export class HttpError extends Error {
  readonly expose = true;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Headers the answer must carry, e.g. WWW-Authenticate with a 401, Retry-After with a 429 or 503. */
    readonly headers: Record<string, string> = {},
    /** More fields of the error body (validation issues), safe to show. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof HttpError;
}

/** What the client gets for a client fault that carries no message of ours (a body parser's, the router's). */
const CLIENT_FAULTS: Record<number, [code: string, message: string]> = {
  400: ['BadRequest', 'The request is not valid.'],
  401: ['Unauthorized', 'Authentication is required.'],
  403: ['Forbidden', 'Not allowed.'],
  404: ['NotFound', 'Not found.'],
  405: ['MethodNotAllowed', 'This method is not allowed here.'],
  408: ['RequestTimeout', 'The request took too long to arrive.'],
  413: ['TooLarge', 'The request is too large.'],
  415: ['UnsupportedMediaType', 'The request body must be JSON (application/json), not compressed.'],
  429: ['TooManyRequests', 'Too many requests; try again shortly.'],
  431: ['HeadersTooLarge', 'The request headers are too large.'],
};

/** The database cannot be reached: the client may try again shortly. */
export function serviceUnavailable(): HttpError {
  return new HttpError(503, 'ServiceUnavailable', 'The service is unavailable; try again shortly.', {
    'Retry-After': '5',
  });
}

/**
 * Turns anything a route threw into the problem the client gets, and says whether it was our
 * fault (logged as an error). Internals (messages of errors we did not write for a client, stack
 * traces, driver errors) never reach the body.
 */
export function toHttpError(error: unknown): { problem: HttpError; ourFault: boolean } {
  if (isHttpError(error)) return { problem: error, ourFault: error.status >= 500 && error.status !== 503 };
  if (isAppError(error)) {
    switch (error.code) {
      case 'invalid_input':
        return { problem: new HttpError(400, 'BadRequest', error.message), ourFault: false };
      case 'not_found':
        return { problem: new HttpError(404, 'NotFound', 'Not found.'), ourFault: false };
      case 'forbidden':
        return { problem: new HttpError(403, 'Forbidden', 'Not allowed.'), ourFault: false };
      case 'conflict':
        return {
          problem: new HttpError(409, 'Conflict', 'Someone else is changing this; try again.'),
          ourFault: false,
        };
      case 'database_unavailable':
      case 'unavailable':
        return { problem: serviceUnavailable(), ourFault: false };
      default:
        break;
    }
  }
  if (isDatabaseUnavailable(error)) return { problem: serviceUnavailable(), ourFault: false };
  // Body parsers and the router raise http-errors: a status, and `type` for the body parsers.
  const e = (error ?? {}) as { status?: unknown; statusCode?: unknown; type?: unknown };
  const status =
    typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (e.type === 'entity.parse.failed')
    return { problem: new HttpError(400, 'BadRequest', 'The body is not valid JSON.'), ourFault: false };
  if (status >= 400 && status < 500) {
    const [code, message] = CLIENT_FAULTS[status] ?? CLIENT_FAULTS[400];
    return { problem: new HttpError(status in CLIENT_FAULTS ? status : 400, code, message), ourFault: false };
  }
  return {
    problem: new HttpError(500, 'ServerError', 'Something went wrong; please try again.'),
    ourFault: true,
  };
}

/** Writes a problem (headers included). */
export function sendProblem(res: Response, problem: HttpError): void {
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res
    .status(problem.status)
    .json({ error: { ...problem.extra, code: problem.code, message: problem.message } });
}

/**
 * The one express error handler, shared by the app, the local Direct Line and the staff API:
 * 4xx for what the client got wrong, 503 when the database is away, 500 only for our own faults.
 */
export function httpErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { problem, ourFault } = toHttpError(error);
    if (ourFault) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    else if (problem.status === 503)
      logger.warn({ err: error, path: req.path }, 'request failed: unavailable');
    sendProblem(res, problem);
  };
}

export interface JsonBodyOptions {
  /** Largest body in bytes. */
  limit: number;
  /** Deepest nesting of objects and arrays; 32 when absent. */
  maxDepth?: number;
  /** Parse a body sent without a Content-Type as JSON (clients of the Direct Line protocol do). */
  allowMissingType?: boolean;
}

/**
 * The JSON body parser of every route: size and nesting limits checked on the raw bytes before
 * anything walks the value (a 4,500-deep array overflows the stack of whatever recurses over it),
 * 415 for another media type or an unknown Content-Encoding, 413 past the limit.
 */
export function jsonBody(options: JsonBodyOptions): RequestHandler {
  const maxDepth = options.maxDepth ?? 32;
  const parse = express.json({
    limit: options.limit,
    type: () => true,
    verify: (_req, _res, buffer) => {
      if (nestingDepth(buffer) > maxDepth)
        throw new HttpError(400, 'BadRequest', `The body is nested too deeply (at most ${maxDepth} levels).`);
    },
  });
  return (req, res, next) => {
    if (!hasBody(req)) {
      next();
      return;
    }
    const type = req.headers['content-type'];
    if (
      type === undefined ? !options.allowMissingType : !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)
    ) {
      next(new HttpError(415, 'UnsupportedMediaType', 'The request body must be JSON (application/json).'));
      return;
    }
    parse(req, res, next);
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The deepest nesting of `{`/`[` outside strings, counted on the raw bytes. */
export function nestingDepth(buffer: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < buffer.length; i++) {
    const c = buffer[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}
