/**
 * bench:turns — N concurrent conversations, M messages each, against Helpline (over the local
 * Direct Line and directly on /api/messages) and, in the same process, against a minimal
 * botbuilder echo bot with MemoryStorage as the baseline. Prints turns/s and reply latency
 * percentiles, and the ratio ours / baseline on the same /api/messages path.
 *
 *   npm run bench:turns -- [--conversations 10] [--messages 5] [--json]
 *   (several sizes: --conversations 10,100)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { ActivityHandler, ConversationState, MemoryStorage } from 'botbuilder';
import WebSocket from 'ws';
import { createApp } from '../bot';
import { loadConfig } from '../bot/config';
import { createLogger, createSilentLogger } from '../services/logger';
import { openBenchDatabase, serveBaselineBot } from './support';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '10' },
    messages: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const sizes = values.conversations
  .split(',')
  .map((v) => Number.parseInt(v, 10))
  .filter((n) => n > 0);
const messagesPerConversation = Math.max(1, Number.parseInt(values.messages, 10) || 5);
const PROBLEMS = [
  'my agent shows offline since this morning',
  'remote control session shows a black screen',
  'patches stay pending on several servers',
  'the backup job failed with a VSS error',
  'SNMP device is not discovered',
];

interface Figures {
  turnsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function figures(latencies: number[], elapsedMs: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    turnsPerSec: round(latencies.length / (elapsedMs / 1000)),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
  };
}

/** A Bot Connector stand-in that resolves a waiter when a reply for a conversation arrives. */
class ReplySink {
  private readonly waiters = new Map<string, () => void>();
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"id":"r"}');
        const id = match?.[1] ? decodeURIComponent(match[1]) : '';
        const waiter = this.waiters.get(id);
        if (waiter) {
          this.waiters.delete(id);
          waiter();
        }
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  next(conversationId: string): Promise<void> {
    return new Promise((resolve) => this.waiters.set(conversationId, resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Conversations straight on /api/messages, as Azure Bot Service or Teams would send them. */
async function runApiMessages(
  baseUrl: string,
  sink: ReplySink,
  sinkUrl: string,
  conversations: number,
  label: string,
): Promise<Figures> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: conversations }, async (_, c) => {
      const conversationId = `${label}-${c}-${Date.now()}`;
      for (let m = 0; m < messagesPerConversation; m++) {
        const replied = sink.next(conversationId);
        const t0 = performance.now();
        const res = await fetch(`${baseUrl}/api/messages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `${conversationId}-${m}`,
            channelId: 'emulator',
            serviceUrl: sinkUrl,
            text: PROBLEMS[(c + m) % PROBLEMS.length],
            locale: 'en-US',
            from: { id: `user-${c}`, name: 'Bench user' },
            recipient: { id: 'bot', name: 'Bot' },
            conversation: { id: conversationId },
          }),
        });
        await res.arrayBuffer();
        await replied;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return figures(latencies, performance.now() - started);
}

/**
 * Conversations over the local Direct Line, as the Web Chat widget holds them: activities are
 * posted over HTTP and the bot's replies arrive on the WebSocket stream (Web Chat's default).
 */
async function runDirectLine(baseUrl: string, conversations: number): Promise<Figures> {
  const latencies: number[] = [];
  const call = async (
    method: string,
    url: string,
    token?: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token && { Authorization: `Bearer ${token}` }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: conversations }, async (_, c) => {
      const { token } = (await call('POST', '/directline/tokens/generate', undefined, {})) as {
        token: string;
      };
      const { conversationId, streamUrl } = (await call('POST', '/directline/conversations', token, {})) as {
        conversationId: string;
        streamUrl: string;
      };
      const ws = new WebSocket(streamUrl.replace('//localhost', '//127.0.0.1'));
      const waiters = new Map<string, () => void>();
      const arrived = new Set<string>();
      ws.on('message', (data: Buffer) => {
        const { activities } = JSON.parse(data.toString()) as {
          activities: Array<{ replyToId?: string; from: { role?: string } }>;
        };
        for (const activity of activities) {
          if (activity.from.role !== 'bot' || !activity.replyToId) continue;
          arrived.add(activity.replyToId);
          waiters.get(activity.replyToId)?.();
        }
      });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      try {
        for (let m = 0; m < messagesPerConversation; m++) {
          const t0 = performance.now();
          const { id } = (await call(
            'POST',
            `/directline/conversations/${conversationId}/activities`,
            token,
            {
              type: 'message',
              text: PROBLEMS[(c + m) % PROBLEMS.length],
            },
          )) as { id: string };
          if (!arrived.has(id)) await new Promise<void>((resolve) => waiters.set(id, resolve));
          latencies.push(performance.now() - t0);
        }
      } finally {
        ws.close();
      }
    }),
  );
  return figures(latencies, performance.now() - started);
}

/** The yardstick: the smallest useful botbuilder bot, an echo with MemoryStorage state. */
async function startEchoBaseline(): Promise<{ url: string; stop: () => Promise<void> }> {
  const conversationState = new ConversationState(new MemoryStorage());
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

async function main(): Promise<void> {
  const env = process.env;
  const database = await openBenchDatabase(env);
  const uri = database.uri;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: uri,
    MONGODB_DB: `bench_${Date.now()}`,
    LOG_LEVEL: 'silent',
    DIRECTLINE_TOKENS_PER_MINUTE: '10000',
    LIFECYCLE_JOB: 'false',
    BOT_ALLOW_ANONYMOUS: 'true',
    PATH: env.PATH,
  });
  const app = await createApp(config, {
    logger: env.LOG_LEVEL ? createLogger({ level: env.LOG_LEVEL }) : createSilentLogger(),
  });
  await app.listen();
  const baseline = await startEchoBaseline();
  const sink = new ReplySink();
  const sinkUrl = await sink.start();

  const results: Array<Record<string, unknown>> = [];
  try {
    // Warm-up: JIT, connection pools, index creation.
    await runApiMessages(app.url(), sink, sinkUrl, 2, 'warm-ours');
    await runApiMessages(baseline.url, sink, sinkUrl, 2, 'warm-base');
    for (const conversations of sizes) {
      const base = await runApiMessages(baseline.url, sink, sinkUrl, conversations, `base${conversations}`);
      const ours = await runApiMessages(app.url(), sink, sinkUrl, conversations, `ours${conversations}`);
      const directLine = await runDirectLine(app.url(), conversations);
      const ratio = Math.round((ours.turnsPerSec / base.turnsPerSec) * 1000) / 1000;
      results.push({
        concurrency: conversations,
        messages: messagesPerConversation,
        ours,
        baseline: base,
        ratio,
        directLine,
      });
      if (!values.json || sizes.length > 1) {
        process.stdout.write(
          [
            `\n${conversations} concurrent conversations × ${messagesPerConversation} messages`,
            `  Helpline /api/messages : ${ours.turnsPerSec} turns/s, p50 ${ours.p50Ms} ms, p95 ${ours.p95Ms} ms, p99 ${ours.p99Ms} ms`,
            `  Helpline Direct Line   : ${directLine.turnsPerSec} turns/s, p50 ${directLine.p50Ms} ms, p95 ${directLine.p95Ms} ms, p99 ${directLine.p99Ms} ms`,
            `  echo bot (baseline)    : ${base.turnsPerSec} turns/s, p50 ${base.p50Ms} ms, p95 ${base.p95Ms} ms, p99 ${base.p99Ms} ms`,
            `  ratio ours/baseline (turns/s): ${ratio}`,
            '',
          ].join('\n'),
        );
      }
    }
  } finally {
    await sink.stop();
    await baseline.stop();
    await app.connection.dropDatabase().catch(() => undefined);
    await app.stop();
    await database.stop();
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results.length === 1 ? results[0] : results)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:turns failed: ${(error as Error).message}\n`);
  process.exit(1);
});
