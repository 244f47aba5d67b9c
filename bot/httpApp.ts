import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type Response, type Router } from 'express';
import type { Logger } from '../services/logger';
import type { DirectLineServer } from './directLine/directLineServer';
import { HttpError, httpErrorHandler, jsonBody } from './httpError';
import { STAFF_API_PATH } from './staffApi';

export interface HttpAppOptions {
  logger: Logger;
  directLine: DirectLineServer;
  projectRoot: string;
  /** Hands a Bot Framework request to the CloudAdapter (token validation included). */
  processBotRequest: (req: Request, res: Response) => Promise<void>;
  /** True when the database answers. */
  ready: () => Promise<boolean>;
  /** `/readyz` answers 503 when the database has not answered within this; 2.5 s when absent. */
  readyTimeoutMs?: number;
  /** Which proxies' X-Forwarded-For to believe (express `trust proxy`); none when absent. */
  trustProxy?: boolean | number | string | string[];
  /** The staff API router, mounted at /api/staff. */
  staffApi?: Router | undefined;
  /** The Teams tab page, its API (/api/tab) and ticket links (bot/teams/teamsRoutes.ts). */
  teams?: Router | undefined;
  /** More routes mounted as they are (the agent console, /metrics). */
  routers?: Array<{ path: string; router: Router }> | undefined;
  /**
   * Demo only (no WEB_USER_TOKEN_SECRET configured): lets the page sign in as one of the demo
   * contacts, with a key of this process that signs nothing else.
   */
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
  // Behind a proxy, X-Forwarded-For names the client; only the configured proxies are believed.
  app.set('trust proxy', options.trustProxy ?? false);
  const log = options.logger.child({ component: 'http' });
  const readyTimeoutMs = options.readyTimeoutMs ?? 2_500;

  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  app.post('/api/messages', jsonBody({ limit: 1024 * 1024, maxDepth: 64 }), async (req, res) => {
    await options.processBotRequest(req, res);
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    // A stalled database never answers: not answering in time is the answer.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), readyTimeoutMs)));
    const ok = await Promise.race([options.ready().catch(() => false), late]);
    clearTimeout(timer);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'database unreachable' });
  });

  const demo = options.demoSignIn;
  if (demo) {
    app.get('/demo/users', (_req, res) => {
      res.json({ users: demo.users.map((u) => ({ subject: u.subject, name: u.name, email: u.email })) });
    });
    app.post('/demo/sign-in', jsonBody({ limit: 4096, maxDepth: 4 }), async (req, res) => {
      const subject = (req.body as { subject?: unknown } | undefined)?.subject;
      const user = demo.users.find((u) => u.subject === subject);
      if (!user) throw new HttpError(404, 'NotFound', 'No such demo user.');
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

  app.use(() => {
    throw new HttpError(404, 'NotFound', 'Not found.');
  });
  app.use(httpErrorHandler(log));
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
