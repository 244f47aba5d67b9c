import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { isAppError } from '../services/errors';
import type { Logger } from '../services/logger';
import type { DirectLineServer } from './directLine/directLineServer';
import { STAFF_API_PATH } from './staffApi';

export interface HttpAppOptions {
  logger: Logger;
  directLine: DirectLineServer;
  projectRoot: string;
  /** Hands a Bot Framework request to the CloudAdapter (token validation included). */
  processBotRequest: (req: Request, res: Response) => Promise<void>;
  /** True when the database answers. */
  ready: () => Promise<boolean>;
  /** The staff API router, mounted at /api/staff. */
  staffApi?: Router | undefined;
  /** The Teams tab page, its API (/api/tab) and ticket links (bot/teams/teamsRoutes.ts). */
  teams?: Router | undefined;
  /** More routes mounted as they are (the agent console, /metrics). */
  routers?: Array<{ path: string; router: Router }> | undefined;
  /** Demo only: lets the page sign in as one of the demo contacts, as the support site would. */
  demoSignIn?: { users: DemoUser[]; sign: (user: DemoUser) => Promise<string> } | undefined;
}

interface DemoUser {
  subject: string;
  name: string;
  email: string;
}

/** The HTTP surface: the Bot Framework endpoint, the local Direct Line, health checks and the page. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const log = options.logger.child({ component: 'http' });

  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  app.post('/api/messages', express.json({ limit: '1mb' }), async (req, res) => {
    await options.processBotRequest(req, res);
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await options.ready();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'database unreachable' });
  });

  const demo = options.demoSignIn;
  if (demo) {
    app.get('/demo/users', (_req, res) => {
      res.json({ users: demo.users.map((u) => ({ subject: u.subject, name: u.name, email: u.email })) });
    });
    app.post('/demo/sign-in', express.json({ limit: '4kb' }), async (req, res) => {
      const subject = (req.body as { subject?: unknown } | undefined)?.subject;
      const user = demo.users.find((u) => u.subject === subject);
      if (!user) {
        res.status(404).json({ error: { code: 'NotFound', message: 'No such demo user.' } });
        return;
      }
      res.json({ userToken: await demo.sign(user), user });
    });
  }

  for (const { path: at, router } of options.routers ?? []) app.use(at, router);
  if (options.staffApi) app.use(STAFF_API_PATH, options.staffApi);
  if (options.teams) app.use(options.teams);
  app.use(options.directLine.router());

  // The Web Chat bundle comes from the installed package: the page works offline, no CDN.
  const webchatBundle = findWebChatBundle();
  app.get('/vendor/webchat.js', (_req, res) => {
    res.sendFile(webchatBundle, { maxAge: '1h' });
  });
  const webDir = path.join(options.projectRoot, 'web');
  app.get('/', (_req, res) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; media-src 'self' blob: data:",
    );
    res.sendFile(path.join(webDir, 'index.html'));
  });
  app.use('/web', express.static(webDir, { index: false, maxAge: '10m' }));

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NotFound', message: 'Not found.' } });
  });
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const e = error as {
      status?: number;
      type?: string;
      expose?: boolean;
      code?: unknown;
      headers?: Record<string, string>;
    };
    // Errors a route throws on purpose (http-errors shape: status, expose, code, message).
    if (e.expose && e.status && e.status >= 400 && e.status < 600 && typeof e.code === 'string') {
      for (const [name, value] of Object.entries(e.headers ?? {})) res.setHeader(name, value);
      res.status(e.status).json({ error: { code: e.code, message: (error as Error).message } });
      return;
    }
    if (isAppError(error) && (error.code === 'database_unavailable' || error.code === 'unavailable')) {
      log.warn({ err: error }, 'request failed: database unavailable');
      res.status(503).json({
        error: { code: 'ServiceUnavailable', message: 'The service is unavailable; try again shortly.' },
      });
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'TooLarge', message: 'The request is too large.' } });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'BadRequest', message: 'The body is not valid JSON.' } });
      return;
    }
    log.error({ err: error }, 'request failed');
    res.status(500).json({ error: { code: 'ServerError', message: 'Something went wrong.' } });
  });
  return app;
}

/** The installed Web Chat bundle (the package exports no file paths, so look where Node would). */
function findWebChatBundle(): string {
  for (const dir of require.resolve.paths('botframework-webchat') ?? []) {
    const candidate = path.join(dir, 'botframework-webchat', 'dist', 'webchat.js');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('botframework-webchat is not installed: run npm install');
}
