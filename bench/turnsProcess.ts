/**
 * One server process of bench:turns, forked by bench/turns.ts with an IPC channel:
 * `BENCH_ROLE=helpline` runs a Helpline replica on the database of the parent's environment
 * (MONGODB_URI, MONGODB_DB), `BENCH_ROLE=echo` the echo baseline, `BENCH_ROLE=echo-db` the same echo with its state in that database. It tells the parent its URL, then
 * answers the parent's messages: count database operations (the driver's command monitor, in this
 * process where the commands are sent), CPU time used so far, CPU profile, stop.
 *
 * Every server of the bench is a process of its own, so that no server shares an event loop with
 * the load generator or with another server: the figures are those of processes behind a load
 * balancer, and the baseline is measured the same way.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { ActivityHandler, ConversationState, MemoryStorage, type Storage } from 'botbuilder';
import { createApp, type HelplineApp } from '../bot';
import { loadConfig } from '../bot/config';
import { connectDatabase, MongoBotStorage, OperationCounter, type OperationCount } from '../services/db';
import { createLogger, createSilentLogger } from '../services/logger';
import { serveBaselineBot } from './support';

/** What the parent sends. */
export type BenchCommand =
  | { kind: 'count-start' }
  | { kind: 'count-stop' }
  | { kind: 'profile-start' }
  | { kind: 'profile-stop'; file: string }
  | { kind: 'cpu' }
  | { kind: 'stop' };

/** What this process answers. */
export type BenchReply =
  | { kind: 'ready'; url: string }
  | { kind: 'counting' }
  | { kind: 'counted'; count: OperationCount }
  | { kind: 'profiled' }
  | { kind: 'cpu'; micros: number }
  | { kind: 'failed'; message: string };

/**
 * The yardstick: the smallest useful botbuilder bot, an echo whose state is in `storage`:
 * MemoryStorage for the baseline, or Helpline's own MongoBotStorage on the bench's database for
 * the floor of any bot that keeps its conversations in the database (one read and one write a turn).
 */
async function startEchoBaseline(storage: Storage): Promise<{ url: string; stop: () => Promise<void> }> {
  const conversationState = new ConversationState(storage);
  const count = conversationState.createProperty<number>('count');
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const n = (await count.get(context, 0)) + 1;
    await count.set(context, n);
    await context.sendActivity(`Echo ${n}: ${context.activity.text}`);
    await conversationState.saveChanges(context);
    await next();
  });
  return await serveBaselineBot(bot);
}

/** The echo with its state in the database of the parent's environment (MONGODB_URI, MONGODB_DB). */
async function startDatabaseEcho(): Promise<{ url: string; stop: () => Promise<void> }> {
  const connection = await connectDatabase({
    uri: process.env.MONGODB_URI ?? '',
    dbName: process.env.MONGODB_DB ?? 'bench',
    logger: createSilentLogger(),
  });
  const echo = await startEchoBaseline(new MongoBotStorage(connection));
  return {
    url: echo.url,
    stop: async () => {
      await echo.stop();
      await connection.close();
    },
  };
}

async function startHelpline(): Promise<{ app: HelplineApp; url: string; stop: () => Promise<void> }> {
  const env = process.env;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: env.MONGODB_URI,
    MONGODB_DB: env.MONGODB_DB,
    LOG_LEVEL: 'silent',
    DIRECTLINE_TOKENS_PER_MINUTE: '10000',
    LIFECYCLE_JOB: 'false',
    BOT_ALLOW_ANONYMOUS: 'true',
    // Set it in the bench's environment to compare limits.
    BOT_MAX_CONCURRENT_TURNS: env.BOT_MAX_CONCURRENT_TURNS,
    PATH: env.PATH,
  });
  const app = await createApp(config, {
    logger: env.LOG_LEVEL ? createLogger({ level: env.LOG_LEVEL }) : createSilentLogger(),
  });
  await app.listen();
  return { app, url: app.url(), stop: () => app.stop() };
}

function send(reply: BenchReply): void {
  process.send?.(reply);
}

function inspectorPost(session: Session, method: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

async function main(): Promise<void> {
  const role = process.env.BENCH_ROLE;
  if (role !== 'helpline' && role !== 'echo' && role !== 'echo-db')
    throw new Error(`BENCH_ROLE must be helpline, echo or echo-db`);
  const helpline = role === 'helpline' ? await startHelpline() : undefined;
  const server =
    helpline ??
    (role === 'echo-db' ? await startDatabaseEcho() : await startEchoBaseline(new MemoryStorage()));
  const counter = helpline && new OperationCounter(helpline.app.connection);
  let endCount: (() => void) | undefined;
  let session: Session | undefined;

  process.on('message', (command: BenchCommand) => {
    void (async () => {
      switch (command.kind) {
        case 'count-start': {
          if (!counter) throw new Error('the echo baseline has no database');
          const ended = new Promise<void>((resolve) => (endCount = resolve));
          void counter.measure(() => ended).then((count) => send({ kind: 'counted', count }));
          send({ kind: 'counting' });
          break;
        }
        case 'count-stop':
          endCount?.();
          endCount = undefined;
          break;
        case 'profile-start':
          session = new Session();
          session.connect();
          await inspectorPost(session, 'Profiler.enable');
          await inspectorPost(session, 'Profiler.start');
          send({ kind: 'profiled' });
          break;
        case 'profile-stop': {
          if (!session) throw new Error('no profile was started');
          const { profile } = (await inspectorPost(session, 'Profiler.stop')) as { profile: unknown };
          writeFileSync(command.file, JSON.stringify(profile));
          session.disconnect();
          session = undefined;
          send({ kind: 'profiled' });
          break;
        }
        case 'cpu': {
          const { user, system } = process.cpuUsage();
          send({ kind: 'cpu', micros: user + system });
          break;
        }
        case 'stop':
          counter?.detach();
          await server.stop();
          process.exit(0);
      }
    })().catch((error: unknown) => send({ kind: 'failed', message: (error as Error).message }));
  });
  // The parent is gone: nothing else would stop this process.
  process.on('disconnect', () => process.exit(0));
  send({ kind: 'ready', url: server.url });
}

main().catch((error: unknown) => {
  send({ kind: 'failed', message: (error as Error).message });
  process.exit(1);
});
