import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { DeliveryGuard } from '../../services/db';
import type { Logger } from '../../services/logger';
import { HttpError, httpErrorHandler, jsonBody } from '../httpError';
import {
  activityIdFor,
  DirectLineStore,
  type DlActivity,
  type DlConversation,
  type VerifiedWebIdentity,
} from './store';
import { StreamCursor } from './streamCursor';

/** The bot as the local channel knows it. */
export const LOCAL_BOT = { id: 'helpline-bot', name: 'Helpline', role: 'bot' } as const;
/** Web chat on the local Direct Line is the `webchat` channel, as it is on Azure Bot Service. */
export const LOCAL_CHANNEL_ID = 'webchat';

export interface DirectLineServerOptions {
  store: DirectLineStore;
  logger: Logger;
  clock: () => Date;
  tokenTtlSeconds: number;
  /** Per client (address as `trust proxy` sees it), for `tokens/generate` and for `tokens/refresh`. */
  tokensPerMinute: number;
  maxBodyBytes: number;
  /** Drops a message resent with a `clientActivityID` already received. */
  deliveries?: DeliveryGuard | undefined;
  /** Runs one activity through the bot (the production CloudAdapter path). */
  deliver: (activity: Record<string, unknown>) => Promise<void>;
  /** Where the bot posts its replies: this server's connector routes, with the per-process secret. */
  serviceUrl: () => string;
  /** The secret path segment that only this process's bot knows. */
  connectorSecret: string;
  /** Verifies a site-signed user token; throws when it is invalid. Undefined when none is configured. */
  verifyUserToken?: ((token: string) => Promise<VerifiedWebIdentity>) | undefined;
  /**
   * How often an open stream looks in the database for activities another replica appended
   * (its replies and notifications), while the conversation is busy and while it is idle.
   */
  tailIntervalMs?: number;
  tailIdleIntervalMs?: number;
  /** Whether other processes share the database (their appends need the tail); always when absent. */
  peers?: () => boolean;
}

const clientActivitySchema = z.object({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().max(20_000).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(20).optional(),
  name: z.string().max(200).optional(),
  value: z.unknown().optional(),
  attachments: z.array(z.record(z.string(), z.unknown())).max(10).optional(),
  entities: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
  channelData: z
    .object({ clientActivityID: z.string().max(200).optional() })
    .loose()
    .optional(),
});

const generateBodySchema = z
  .object({
    user: z
      .object({ name: z.string().max(100).optional() })
      .loose()
      .optional(),
    userToken: z.string().max(4096).optional(),
    locale: z.string().max(20).optional(),
  })
  .loose();

/**
 * A per-client token bucket, bounded: past `maxClients` the least recently seen client is
 * forgotten (a Map keeps insertion order; a client is moved to the end on each request), never
 * the whole table, so a flood of new addresses cannot reset a client that is being limited.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly maxClients = 50_000,
  ) {}

  take(key: string, now: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
    bucket.at = now;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next();
      if (oldest.done) break;
      this.buckets.delete(oldest.value);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }
}

type Listener = (doc: DlActivity) => void;

/**
 * A Direct Line 3.0 compatible endpoint so that the standard Web Chat widget talks to Helpline
 * with no Azure: the token, conversation, activity and stream routes of the real service, plus
 * the Bot Connector routes the bot replies to. User activities are stamped server-side (id,
 * `from`, conversation); nothing the client says about who it is is kept.
 */
export class DirectLineServer {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly generateLimiter: RateLimiter;
  private readonly refreshLimiter: RateLimiter;
  private readonly log: Logger;

  constructor(private readonly options: DirectLineServerOptions) {
    this.generateLimiter = new RateLimiter(options.tokensPerMinute);
    this.refreshLimiter = new RateLimiter(options.tokensPerMinute);
    this.log = options.logger.child({ component: 'directline' });
  }

  /** Routes under /directline (mount the router at the app root). */
  router(): Router {
    const router = express.Router();
    // Direct Line clients may post JSON without a Content-Type; another media type is refused.
    const json = jsonBody({ limit: this.options.maxBodyBytes, allowMissingType: true });
    const o = this.options;
    const limit = (limiter: RateLimiter, req: Request): void => {
      const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      if (!limiter.take(client, o.clock().getTime()))
        throw new HttpError(429, 'TooManyRequests', 'Too many token requests; try again shortly.', {
          'Retry-After': '10',
        });
    };

    router.post('/directline/tokens/generate', json, async (req, res) => {
      limit(this.generateLimiter, req);
      const body = generateBodySchema.safeParse(req.body ?? {});
      if (!body.success) throw new HttpError(400, 'BadArgument', 'The request body is not valid.');
      let identity: VerifiedWebIdentity | undefined;
      if (body.data.userToken) {
        if (!o.verifyUserToken)
          throw new HttpError(400, 'BadArgument', 'Signed user tokens are not enabled on this server.');
        try {
          identity = await o.verifyUserToken(body.data.userToken);
        } catch {
          throw new HttpError(401, 'BadArgument', 'The user token is invalid or expired.');
        }
      }
      const now = o.clock();
      const conversation = await o.store.createConversation({
        userId: identity ? `wu_${identity.subject}` : undefined,
        userName: identity?.name ?? identity?.email,
        identity,
        locale: body.data.locale,
        now,
      });
      const { token, expiresIn } = await o.store.issueToken(conversation._id, o.tokenTtlSeconds, now);
      res.json({ conversationId: conversation._id, token, expires_in: expiresIn });
    });

    router.post('/directline/tokens/refresh', json, async (req, res) => {
      limit(this.refreshLimiter, req);
      const conversationId = await this.authenticate(req);
      const { token, expiresIn } = await o.store.issueToken(conversationId, o.tokenTtlSeconds, o.clock());
      res.json({ conversationId, token, expires_in: expiresIn });
    });

    router.post('/directline/conversations', json, async (req, res) => {
      const conversationId = await this.authenticate(req);
      const conversation = await this.conversationFor(conversationId, conversationId);
      const started = await o.store.markStarted(conversation._id, o.clock());
      res.status(started ? 201 : 200).json(this.conversationBody(req, conversation, this.bearer(req)));
      if (started) this.startConversation(conversation);
    });

    router.get('/directline/conversations/:id', async (req, res) => {
      const tokenConversation = await this.authenticate(req);
      const conversation = await this.conversationFor(String(req.params.id), tokenConversation);
      res.json(this.conversationBody(req, conversation, this.bearer(req)));
    });

    router.get('/directline/conversations/:id/activities', async (req, res) => {
      const tokenConversation = await this.authenticate(req);
      const conversation = await this.conversationFor(String(req.params.id), tokenConversation);
      const watermark = parseWatermark(req.query.watermark);
      const docs = await o.store.activitiesAfter(conversation._id, watermark);
      res.json({
        activities: docs.map(toActivity),
        watermark: String(docs.at(-1)?.seq ?? watermark),
      });
    });

    router.post('/directline/conversations/:id/activities', json, async (req, res) => {
      const tokenConversation = await this.authenticate(req);
      const conversation = await this.conversationFor(String(req.params.id), tokenConversation);
      const parsed = clientActivitySchema.safeParse(req.body);
      if (!parsed.success) throw new HttpError(400, 'BadArgument', 'The activity is not valid.');
      const incoming = parsed.data;
      if (incoming.type === 'typing') {
        res.json({ id: `${conversation._id}|typing` });
        return;
      }
      // A message resent by the client (same clientActivityID) is answered as the first was.
      const clientActivityId = incoming.channelData?.clientActivityID;
      const delivery = clientActivityId ? ['directline', conversation._id, clientActivityId] : undefined;
      let resumed: DlActivity | undefined;
      if (delivery && o.deliveries) {
        const claim = await o.deliveries.claim(delivery);
        if (claim.kind === 'repeat') {
          res.json({ id: claim.answer ?? '' });
          return;
        }
        if (claim.kind === 'in_flight') {
          throw new HttpError(503, 'InFlight', 'This activity is being processed; try again shortly.', {
            'Retry-After': String(claim.retryAfterSeconds),
          });
        }
        // Taken over from a delivery that stored the activity and then failed (or whose process
        // died): the bot gets that same activity, not a second copy of it.
        if (claim.resume) resumed = await o.store.findActivity(conversation._id, claim.resume);
        else if (claim.takenOver && clientActivityId)
          resumed = await o.store.findRecentByClientId(conversation._id, clientActivityId);
      }
      const now = o.clock();
      let doc: DlActivity;
      try {
        doc =
          resumed ??
          (await o.store.append(
            conversation._id,
            (seq) => ({
              type: incoming.type,
              id: activityIdFor(conversation._id, seq),
              timestamp: now.toISOString(),
              channelId: LOCAL_CHANNEL_ID,
              conversation: { id: conversation._id },
              from: { id: conversation.userId, name: conversation.userName, role: 'user' },
              recipient: { ...LOCAL_BOT },
              ...(incoming.text !== undefined && { text: incoming.text }),
              ...(incoming.textFormat && { textFormat: incoming.textFormat }),
              locale: incoming.locale ?? conversation.locale,
              ...(incoming.name && { name: incoming.name }),
              ...(incoming.value !== undefined && { value: incoming.value }),
              ...(incoming.attachments && { attachments: incoming.attachments }),
              ...(incoming.entities && { entities: incoming.entities }),
              channelData: { clientActivityID: incoming.channelData?.clientActivityID },
            }),
            now,
          ));
      } catch (error) {
        if (delivery) await o.deliveries?.release(delivery);
        throw error;
      }
      const activity = toActivity(doc);
      if (!resumed) {
        this.publish(doc);
        if (delivery) await o.deliveries?.remember(delivery, String(activity.id)).catch(() => undefined);
      }
      try {
        await o.deliver({ ...activity, serviceUrl: o.serviceUrl() });
      } catch (error) {
        this.log.error(
          { err: error, conversationId: conversation._id },
          'the bot failed to take an activity',
        );
        // The client's retry (same clientActivityID) runs the turn again on this activity.
        if (delivery) await o.deliveries?.abandon(delivery);
        throw new HttpError(502, 'BotError', 'The bot could not process the activity.');
      }
      if (delivery) await o.deliveries?.complete(delivery);
      res.json({ id: activity.id });
    });

    // The Bot Connector routes the bot replies through; the secret keeps everyone else out.
    const connectorBase = '/directline/connector/:secret/v3/conversations/:id/activities';
    const reply = async (req: Request, res: Response): Promise<void> => {
      if (req.params.secret !== o.connectorSecret) throw new HttpError(403, 'Forbidden', 'Not allowed.');
      const body = z.record(z.string(), z.unknown()).safeParse(req.body);
      if (!body.success) throw new HttpError(400, 'BadArgument', 'The activity is not valid.');
      res.json({ id: await this.appendFromBot(String(req.params.id), body.data) });
    };
    router.post(connectorBase, json, reply);
    router.post(`${connectorBase}/:replyToId`, json, reply);
    router.put(`${connectorBase}/:activityId`, json, async (req, res) => {
      if (req.params.secret !== o.connectorSecret) throw new HttpError(403, 'Forbidden', 'Not allowed.');
      const conversationId = String(req.params.id);
      const id = String(req.params.activityId);
      const existing = await o.store.findActivity(conversationId, id);
      if (!existing) throw new HttpError(404, 'NotFound', 'Unknown activity.');
      const body = z.record(z.string(), z.unknown()).safeParse(req.body);
      if (!body.success) throw new HttpError(400, 'BadArgument', 'The activity is not valid.');
      const updated = {
        ...body.data,
        id,
        conversation: { id: conversationId },
        from: { ...LOCAL_BOT },
      };
      await o.store.replaceActivity(conversationId, id, updated);
      res.json({ id });
    });

    router.use('/directline', (_req: Request, _res: Response, next: NextFunction) => {
      next(new HttpError(404, 'NotFound', 'No such Direct Line route.'));
    });
    router.use(httpErrorHandler(this.log));
    return router;
  }

  /**
   * A bot activity for one of these conversations: stored with the conversation's next watermark
   * and sent to its open streams. Returns its id. The Bot Connector routes above call it for
   * activities that come over HTTP (another process, a notification); the local channel's adapter
   * calls it directly for the replies of a turn running here (bot/directLine/localChannelAdapter.ts).
   */
  async appendFromBot(conversationId: string, activity: Record<string, unknown>): Promise<string> {
    const o = this.options;
    if (!(await o.store.getConversation(conversationId)))
      throw new HttpError(404, 'NotFound', 'Unknown conversation.');
    const now = o.clock();
    const doc = await o.store.append(
      conversationId,
      (seq) => ({
        ...activity,
        id: activityIdFor(conversationId, seq),
        timestamp: now.toISOString(),
        channelId: LOCAL_CHANNEL_ID,
        conversation: { id: conversationId },
        from: { ...LOCAL_BOT },
        serviceUrl: undefined,
      }),
      now,
    );
    this.publish(doc);
    return String(toActivity(doc).id);
  }

  /**
   * Handles the HTTP upgrade for `streamUrl`; returns false for other paths. Never throws: the
   * request line and path come from anyone, before any token is checked, and an exception here
   * would take the whole process down (there is no express around an upgrade).
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    let conversationId: string;
    let token: string | undefined;
    let watermark: number;
    try {
      if (!URL.canParse(req.url ?? '/', 'http://localhost')) return false;
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = /^\/directline\/conversations\/([^/]+)\/stream$/.exec(url.pathname);
      if (!match?.[1]) return false;
      conversationId = decodeURIComponent(match[1]);
      token = url.searchParams.get('t') ?? bearerFrom(req.headers.authorization);
      watermark = parseWatermark(url.searchParams.get('watermark'));
    } catch {
      // A malformed percent-encoding: no conversation has that id.
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return true;
    }
    socket.on('error', () => socket.destroy());
    void (async () => {
      const allowed = token
        ? await this.options.store.conversationForToken(token, this.options.clock())
        : undefined;
      if (allowed !== conversationId) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        void this.stream(ws, conversationId, watermark);
      });
    })().catch((error: unknown) => {
      this.log.warn({ err: error }, 'stream upgrade failed');
      socket.destroy();
    });
    return true;
  }

  /** Closes every stream; used on shutdown. */
  close(): void {
    for (const ws of this.wss.clients) ws.close(1001, 'server shutting down');
    this.wss.close();
  }

  private async stream(ws: WebSocket, conversationId: string, watermark: number): Promise<void> {
    const cursor = new StreamCursor({
      from: watermark,
      readAfter: (after) => this.options.store.activitiesAfter(conversationId, after),
      emit: (docs, sent) => {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(JSON.stringify({ activities: docs.map(toActivity), watermark: String(sent) }));
      },
      activeIntervalMs: this.options.tailIntervalMs ?? 250,
      idleIntervalMs: this.options.tailIdleIntervalMs ?? 2_000,
      ...(this.options.peers && { peers: this.options.peers }),
      onError: (error) => this.log.warn({ err: error, conversationId }, 'could not read the stream tail'),
    });
    const listener: Listener = (doc) => cursor.offer(doc);
    this.subscribe(conversationId, listener);
    const heartbeat = setInterval(() => ws.readyState === ws.OPEN && ws.ping(), 30_000);
    ws.on('close', () => {
      clearInterval(heartbeat);
      cursor.close();
      this.unsubscribe(conversationId, listener);
    });
    ws.on('error', () => ws.terminate());
    try {
      await cursor.start();
    } catch (error) {
      this.log.warn({ err: error, conversationId }, 'could not send the stream backlog');
      cursor.close();
      ws.close(1011, 'try again');
    }
  }

  private subscribe(conversationId: string, listener: Listener): void {
    const set = this.listeners.get(conversationId) ?? new Set();
    set.add(listener);
    this.listeners.set(conversationId, set);
  }

  private unsubscribe(conversationId: string, listener: Listener): void {
    const set = this.listeners.get(conversationId);
    set?.delete(listener);
    if (set && !set.size) this.listeners.delete(conversationId);
  }

  private publish(doc: DlActivity): void {
    for (const listener of this.listeners.get(doc.conversationId) ?? []) listener(doc);
  }

  private startConversation(conversation: DlConversation): void {
    const activity = {
      type: 'conversationUpdate',
      id: `${conversation._id}|start`,
      timestamp: this.options.clock().toISOString(),
      channelId: LOCAL_CHANNEL_ID,
      serviceUrl: this.options.serviceUrl(),
      conversation: { id: conversation._id },
      from: { id: conversation.userId, name: conversation.userName, role: 'user' },
      recipient: { ...LOCAL_BOT },
      ...(conversation.locale && { locale: conversation.locale }),
      membersAdded: [
        { ...LOCAL_BOT },
        { id: conversation.userId, name: conversation.userName, role: 'user' },
      ],
    };
    this.options.deliver(activity).catch((error: unknown) => {
      this.log.error({ err: error, conversationId: conversation._id }, 'the welcome could not be delivered');
    });
  }

  private bearer(req: Request): string | undefined {
    return bearerFrom(req.headers.authorization);
  }

  private async authenticate(req: Request): Promise<string> {
    const token = this.bearer(req);
    if (!token) throw new HttpError(401, 'Unauthorized', 'A Direct Line token is required.');
    const conversationId = await this.options.store.conversationForToken(token, this.options.clock());
    if (!conversationId) throw new HttpError(403, 'Forbidden', 'The token is invalid or expired.');
    return conversationId;
  }

  /** The conversation at `id`, which the caller's token must open. */
  private async conversationFor(id: string, tokenConversation: string): Promise<DlConversation> {
    const conversation = await this.options.store.getConversation(id);
    if (!conversation) throw new HttpError(404, 'NotFound', 'Unknown conversation.');
    if (conversation._id !== tokenConversation)
      throw new HttpError(403, 'Forbidden', 'The token does not open this conversation.');
    return conversation;
  }

  private conversationBody(
    req: Request,
    conversation: DlConversation,
    token: string | undefined,
  ): Record<string, unknown> {
    const host = req.get('host') ?? 'localhost';
    const scheme = req.protocol === 'https' ? 'wss' : 'ws';
    const streamUrl = `${scheme}://${host}/directline/conversations/${encodeURIComponent(conversation._id)}/stream?t=${encodeURIComponent(token ?? '')}`;
    return { conversationId: conversation._id, token, expires_in: this.options.tokenTtlSeconds, streamUrl };
  }
}

function bearerFrom(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function parseWatermark(value: unknown): number {
  const n = typeof value === 'string' ? Number.parseInt(value, 10) : NaN;
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function toActivity(doc: DlActivity): Record<string, unknown> {
  return JSON.parse(doc.activity) as Record<string, unknown>;
}
