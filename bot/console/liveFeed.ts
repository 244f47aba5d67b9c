import type { Request, Response } from 'express';
import type { Connection } from 'mongoose';
import { getHandoffModel } from '../../services/handoff';
import type { Logger } from '../../services/logger';
import { getTicketModel } from '../../services/tickets';
import type { ConsoleSessions } from './sessions';

/** One change the console is told about: it reloads what it shows when it concerns it. */
export interface ConsoleChange {
  kind: 'ticket' | 'handoff';
  /** The ticket number, or the handoff id. */
  id: string;
  status: string;
  at: string;
}

type Listener = (changes: ConsoleChange[], cursor: number) => void;

export interface ConsoleLiveFeedOptions {
  connection: Connection;
  logger: Logger;
  /** How often the database is read while someone listens. */
  pollMs: number;
  /**
   * How far behind the newest change each read starts again: a write whose `updatedAt` was
   * taken (by another process) just before a later one lands after it; it is still seen.
   */
  lookbackMs?: number;
}

/**
 * The console's change feed, from the database so that it works across Helpline processes: one
 * reader per process, for all its console streams, tails the `updatedAt` of tickets and
 * handoffs with a cursor (the newest `updatedAt` seen). Reads overlap by `lookbackMs`; what was
 * already told is remembered by (id, updatedAt, status or revision) and not told again.
 */
export class ConsoleLiveFeed {
  private readonly listeners = new Set<Listener>();
  private readonly seen = new Map<string, number>();
  private readonly lookbackMs: number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  /** The newest `updatedAt` seen (ms since epoch). */
  cursor = 0;

  constructor(private readonly options: ConsoleLiveFeedOptions) {
    this.lookbackMs = options.lookbackMs ?? 5_000;
    this.log = options.logger.child({ component: 'console-feed' });
  }

  /** Starts reading with the first listener, stops with the last; returns the unsubscribe. */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    if (!this.started) {
      // What is already there is the starting point, not news.
      this.started = this.read(false).catch((error: unknown) => {
        this.log.warn({ err: error }, 'console feed: first read failed');
      });
      this.timer = setInterval(() => {
        if (this.reading) return;
        this.reading = this.read(true)
          .catch((error: unknown) => this.log.warn({ err: error }, 'console feed: read failed'))
          .finally(() => (this.reading = undefined));
      }, this.options.pollMs);
      this.timer.unref();
    }
    await this.started;
    return () => {
      this.listeners.delete(listener);
      if (!this.listeners.size) this.stop();
    };
  }

  /** The changes at or after `cursor` (a stream resuming from its Last-Event-ID). */
  async since(cursor: number): Promise<ConsoleChange[]> {
    return (await this.changesFrom(new Date(cursor))).map((entry) => entry.change);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.started = undefined;
    this.seen.clear();
  }

  private async read(emit: boolean): Promise<void> {
    const entries = await this.changesFrom(new Date(Math.max(0, this.cursor - this.lookbackMs)));
    const fresh: ConsoleChange[] = [];
    for (const entry of entries) {
      if (this.seen.has(entry.key)) continue;
      this.seen.set(entry.key, entry.at);
      this.cursor = Math.max(this.cursor, entry.at);
      fresh.push(entry.change);
    }
    for (const [key, at] of this.seen) {
      if (at < this.cursor - 2 * this.lookbackMs) this.seen.delete(key);
    }
    if (!emit || !fresh.length) return;
    for (const listener of this.listeners) listener(fresh, this.cursor);
  }

  private async changesFrom(from: Date): Promise<Array<{ key: string; at: number; change: ConsoleChange }>> {
    const { connection } = this.options;
    const [tickets, handoffs] = await Promise.all([
      getTicketModel(connection)
        .find({ updatedAt: { $gte: from } }, { number: 1, status: 1, updatedAt: 1 })
        .sort({ updatedAt: 1 })
        .limit(200)
        .lean()
        .exec(),
      getHandoffModel(connection)
        .find({ updatedAt: { $gte: from } }, { status: 1, updatedAt: 1, revision: 1 })
        .sort({ updatedAt: 1 })
        .limit(200)
        .lean()
        .exec(),
    ]);
    const entries = [
      ...tickets.map((t) => ({
        key: `t:${t.number}:${t.updatedAt.getTime()}:${t.status}`,
        at: t.updatedAt.getTime(),
        change: { kind: 'ticket', id: t.number, status: t.status, at: t.updatedAt.toISOString() } as const,
      })),
      ...handoffs
        .filter((h) => h.updatedAt)
        .map((h) => ({
          key: `h:${h._id}:${h.updatedAt!.getTime()}:${h.revision ?? 0}`,
          at: h.updatedAt!.getTime(),
          change: { kind: 'handoff', id: h._id, status: h.status, at: h.updatedAt!.toISOString() } as const,
        })),
    ];
    return entries.sort((a, b) => a.at - b.at);
  }
}

export interface ConsoleStreamsOptions {
  feed: ConsoleLiveFeed;
  sessions: ConsoleSessions;
  logger: Logger;
  /** Open streams one session may have in this process (tabs); more are refused with 429. */
  perSession: number;
  /** Open streams in this process, all sessions together. */
  total: number;
  /** A comment line this often keeps proxies from closing an idle stream; the session is checked then too. */
  keepAliveMs: number;
}

/**
 * The console's Server-Sent Events streams (`GET /console/api/events`). Each `change` event's id
 * is the feed cursor, so a browser reconnecting with `Last-Event-ID` is first sent what changed
 * since. The session is checked at every keep-alive (which also keeps the agent on duty); when
 * it has ended the stream says so (`session-ended`) and closes.
 */
export class ConsoleStreams {
  private readonly perSession = new Map<string, number>();
  private readonly open = new Set<Response>();
  private readonly log: Logger;

  constructor(private readonly options: ConsoleStreamsOptions) {
    this.log = options.logger.child({ component: 'console-stream' });
  }

  /** Whether one more stream may open for this session now. */
  admits(cookie: string): 'ok' | 'session_limit' | 'process_limit' {
    if (this.open.size >= this.options.total) return 'process_limit';
    return (this.perSession.get(cookie) ?? 0) >= this.options.perSession ? 'session_limit' : 'ok';
  }

  async serve(req: Request, res: Response, cookie: string): Promise<void> {
    this.perSession.set(cookie, (this.perSession.get(cookie) ?? 0) + 1);
    this.open.add(res);
    let unsubscribe: (() => void) | undefined;
    let closed = false;
    const keepAlive = setInterval(() => {
      void this.keepAlive(res, cookie, cleanUp);
    }, this.options.keepAliveMs);
    keepAlive.unref();
    const cleanUp = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(keepAlive);
      unsubscribe?.();
      this.open.delete(res);
      const left = (this.perSession.get(cookie) ?? 1) - 1;
      if (left > 0) this.perSession.set(cookie, left);
      else this.perSession.delete(cookie);
    };
    req.on('close', cleanUp);
    res.on('close', cleanUp);

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    const send = (changes: ConsoleChange[], cursor: number): void => {
      if (closed || res.writableEnded || res.destroyed) return;
      for (const change of changes)
        res.write(`id: ${cursor}\nevent: change\ndata: ${JSON.stringify(change)}\n\n`);
    };
    try {
      unsubscribe = await this.options.feed.subscribe(send);
      if (closed) {
        unsubscribe();
        return;
      }
      const resumeFrom = Number(req.get('last-event-id'));
      if (Number.isSafeInteger(resumeFrom) && resumeFrom > 0) {
        const missed = await this.options.feed.since(resumeFrom);
        send(missed, Math.max(resumeFrom, this.options.feed.cursor));
      }
      if (!closed) res.write(`id: ${this.options.feed.cursor}\nevent: ready\ndata: {}\n\n`);
    } catch (error) {
      this.log.warn({ err: error }, 'console stream could not start');
      res.end();
      cleanUp();
    }
  }

  /** Ends every stream (shutdown). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
    this.perSession.clear();
  }

  private async keepAlive(res: Response, cookie: string, cleanUp: () => void): Promise<void> {
    if (res.writableEnded || res.destroyed) return cleanUp();
    res.write(': keep-alive\n\n');
    // A database hiccup is not the end of a session: only a session known to be gone ends the stream.
    const session = await this.options.sessions.find(cookie).catch(() => 'unknown' as const);
    if (session || res.writableEnded || res.destroyed) return;
    res.write('event: session-ended\ndata: {}\n\n');
    res.end();
    cleanUp();
  }
}
