import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Middleware, TurnContext } from 'botbuilder';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import type { MetricsRegistry } from '../../services/figures';
import { bearerAuthenticator, type StaffToken } from '../staffApi';
import { sameToken } from './sessions';

/** Counts turns, their latency and failures (the turn error handler still answers the user). */
export function turnMetrics(registry: MetricsRegistry): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const labels = {
        channel: context.activity.channelId ?? 'unknown',
        type: context.activity.type ?? 'unknown',
      };
      const started = process.hrtime.bigint();
      registry.turns.inc(labels);
      try {
        await next();
      } catch (error) {
        registry.turnErrors.inc({ channel: labels.channel });
        throw error;
      } finally {
        registry.turnSeconds.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
    },
  };
}

/** Times every HTTP request that reaches the routes mounted after it, by area (first path segment). */
export function httpMetrics(registry: MetricsRegistry): Router {
  const router = Router();
  router.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const area = /^\/([a-z-]+)/i.exec(req.originalUrl)?.[1] ?? 'root';
      registry.httpSeconds.observe(
        { method: req.method, area, status: `${Math.floor(res.statusCode / 100)}xx` },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  });
  return router;
}

/** Database command timings from the driver's command monitoring. */
export function watchDatabase(registry: MetricsRegistry, connection: Connection): void {
  // The connection is opened with `monitorCommands` (services/db/connection.ts).
  const client = connection.getClient() as unknown as {
    on(event: string, listener: (e: { commandName: string; duration: number }) => void): void;
  };
  client.on('commandSucceeded', (e) =>
    registry.dbSeconds.observe({ command: e.commandName, outcome: 'ok' }, e.duration / 1000),
  );
  client.on('commandFailed', (e) =>
    registry.dbSeconds.observe({ command: e.commandName, outcome: 'failed' }, e.duration / 1000),
  );
}

/** GET /metrics in Prometheus text format, behind its own bearer token; absent without one. */
export function createMetricsRouter(registry: MetricsRegistry, token: string | undefined): Router {
  const router = Router();
  router.get('/', (req, res) => {
    if (!token) {
      res.status(404).json({ error: { code: 'NotFound', message: 'Not found.' } });
      return;
    }
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!presented || !sameToken(presented, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="helpline-metrics"');
      res
        .status(401)
        .json({ error: { code: 'Unauthorized', message: 'A valid metrics token is required.' } });
      return;
    }
    res.type('text/plain; version=0.0.4; charset=utf-8').send(registry.render());
  });
  return router;
}

const periodSchema = z.object({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

/** GET /api/staff/figures?from=&to=: the figures as JSON, with a staff bearer token. */
export function createStaffFiguresRouter(
  staffTokens: StaffToken[],
  figures: (from: Date, to: Date) => Promise<unknown>,
  clock: () => Date,
): Router {
  const authenticate = bearerAuthenticator(staffTokens);
  const router = Router();
  router.get('/', async (req, res) => {
    if (!authenticate(req.get('authorization'))) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="helpline-staff"');
      res
        .status(401)
        .json({ error: { code: 'Unauthorized', message: 'A valid staff bearer token is required.' } });
      return;
    }
    const period = periodSchema.safeParse(req.query);
    if (!period.success) {
      res.status(400).json({ error: { code: 'BadRequest', message: z.prettifyError(period.error) } });
      return;
    }
    const to = period.data.to ? new Date(period.data.to) : clock();
    const from = period.data.from ? new Date(period.data.from) : new Date(to.getTime() - 30 * 24 * 3_600_000);
    if (from.getTime() >= to.getTime()) {
      res.status(400).json({ error: { code: 'BadRequest', message: '"from" must be before "to".' } });
      return;
    }
    res.json(await figures(from, to));
  });
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    res.status(500).json({ error: { code: 'ServerError', message: 'Something went wrong.' } });
  });
  return router;
}
