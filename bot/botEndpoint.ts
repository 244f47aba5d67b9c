import { isIP } from 'node:net';
import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { DeliveryGuard } from '../services/db';
import { isDatabaseUnavailable } from '../services/errors';
import type { Logger } from '../services/logger';
import { HttpError } from './httpError';

/** The CloudAdapter, with its `processActivity` reachable, so that its failures are ours to answer. */
export class BotEndpointAdapter extends CloudAdapter {
  async processRequest(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return await this.processActivity(authorization, activity, logic);
  }
}

export interface BotEndpointOptions {
  adapter: BotEndpointAdapter;
  /** Runs one turn. */
  logic: (context: TurnContext) => Promise<void>;
  /** The bot's Microsoft app id; without it, requests cannot be verified. */
  appId: string | undefined;
  /** BOT_ALLOW_ANONYMOUS: without an app id, accept unsigned requests whose serviceUrl is this machine. */
  allowAnonymous: boolean;
  /** Drops an activity delivered twice. */
  deliveries?: DeliveryGuard | undefined;
  logger: Logger;
}

const activitySchema = z
  .object({
    type: z.string().min(1).max(100),
    id: z.string().max(1000).optional(),
    serviceUrl: z.string().max(2000).optional(),
    channelId: z.string().max(200).optional(),
    conversation: z
      .object({ id: z.string().max(1000) })
      .loose()
      .optional(),
  })
  .loose();

/** Activities whose sender waits for an answer in the HTTP response: never dropped as repeats. */
const ANSWERED_IN_RESPONSE = new Set(['invoke', 'typing']);

/**
 * `/api/messages`, the Bot Framework endpoint. With an app id the SDK verifies every request's
 * token: a bad token is 401, and signing keys that cannot be fetched are 503, with nothing of the
 * failure in the body. Without one, unsigned requests are refused (401) unless
 * BOT_ALLOW_ANONYMOUS is set, and then only activities whose serviceUrl is on this machine are
 * taken, so the bot never posts its replies to an address a stranger chose.
 */
export function createBotEndpoint(
  options: BotEndpointOptions,
): (req: Request, res: Response) => Promise<void> {
  const log = options.logger.child({ component: 'bot-endpoint' });
  const anonymous = !options.appId;
  return async (req, res) => {
    if (anonymous && !options.allowAnonymous) {
      throw new HttpError(401, 'Unauthorized', 'A Bot Framework token is required.', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    const parsed = activitySchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, 'BadRequest', 'The body is not an activity.');
    const activity = fixTimestamps(parsed.data);
    if (anonymous && !isLoopbackUrl(activity.serviceUrl)) {
      throw new HttpError(
        403,
        'Forbidden',
        'Without a Bot Framework app id, only activities from this machine are accepted.',
      );
    }
    const delivery =
      options.deliveries && activity.id && !ANSWERED_IN_RESPONSE.has(activity.type)
        ? ['api', activity.channelId ?? '', activity.conversation?.id ?? '', activity.id]
        : undefined;
    let claimed = false;
    if (delivery) {
      try {
        const claim = await options.deliveries!.claim(delivery);
        if (claim.kind === 'repeat') {
          log.info({ activityId: activity.id, channelId: activity.channelId }, 'repeated activity dropped');
          res.status(200).end();
          return;
        }
        if (claim.kind === 'in_flight') {
          // Its first delivery is still being answered (here or on another replica), or its
          // process died: the channel's retry either finds it done or takes it over.
          log.info(
            { activityId: activity.id, channelId: activity.channelId },
            'repeated activity still in flight',
          );
          throw new HttpError(503, 'InFlight', 'This activity is being processed; try again shortly.', {
            'Retry-After': String(claim.retryAfterSeconds),
          });
        }
        claimed = true;
      } catch (error) {
        // The database is away: run the turn anyway, so that the user hears so from the bot
        // (its every write is idempotent on its own) rather than from a failed delivery.
        if (!isDatabaseUnavailable(error)) throw error;
        log.warn({ activityId: activity.id }, 'delivery not claimed: database unavailable');
      }
    }
    const logic = async (context: TurnContext): Promise<void> => {
      try {
        await options.logic(context);
      } catch (error) {
        // The turn failed: the channel's retry (or the user's) must run it again.
        if (claimed) await options.deliveries!.release(delivery!);
        throw error;
      }
    };
    const authorization = req.get('authorization') ?? '';
    let invokeResponse: InvokeResponse | undefined;
    try {
      invokeResponse = await options.adapter.processRequest(
        authorization,
        activity as unknown as Activity,
        logic,
      );
    } catch (error) {
      if (claimed) await options.deliveries!.release(delivery!);
      throw authenticationProblem(error, log);
    }
    if (claimed) await options.deliveries!.complete(delivery!);
    res.status(invokeResponse?.status ?? 200);
    if (invokeResponse?.body !== undefined) res.json(invokeResponse.body);
    else res.end();
  };
}

/** What a failure of `processActivity` (which runs the turn's own errors through onTurnError) tells the caller. */
function authenticationProblem(error: unknown, log: Logger): unknown {
  const status = authenticationStatus(error);
  if (status !== undefined && status >= 400 && status < 500) {
    log.info({ reason: (error as Error).message }, 'Bot Framework token refused');
    return new HttpError(401, 'Unauthorized', 'The Bot Framework token is not valid.', {
      'WWW-Authenticate': 'Bearer',
    });
  }
  if (status !== undefined || isNetworkFailure(error)) {
    // The signing keys (or the OpenID metadata) could not be fetched: not the caller's fault.
    log.warn({ err: error }, 'Bot Framework signing keys unavailable');
    return new HttpError(503, 'ServiceUnavailable', 'The service is unavailable; try again shortly.', {
      'Retry-After': '10',
    });
  }
  return error;
}

/** The status of the connector's AuthenticationError (an Error with a numeric `statusCode`). */
function authenticationStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function isNetworkFailure(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; type?: unknown } | undefined;
  return (
    e?.name === 'FetchError' ||
    e?.type === 'system' ||
    (typeof e?.code === 'string' &&
      /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)$/.test(e.code))
  );
}

/** As the SDK's own `process` does: ISO timestamps become dates, the raw text is kept. */
function fixTimestamps<T extends Record<string, unknown>>(activity: T): T {
  const fixed: Record<string, unknown> = { ...activity };
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const value = fixed[field];
    if (typeof value === 'string') {
      fixed[raw] = value;
      fixed[field] = new Date(value);
    }
  }
  return fixed as T;
}

/** http(s) on 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackUrl(raw: string | undefined): boolean {
  if (!raw || !URL.canParse(raw)) return false;
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
