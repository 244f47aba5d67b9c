/**
 * bench:turns — N concurrent conversations, M messages each, against Helpline (over the local
 * Direct Line and directly on /api/messages) and against a minimal botbuilder echo bot with
 * MemoryStorage as the baseline, in the same run. Prints turns/s and reply latency percentiles, and
 * the ratio ours / baseline on the same /api/messages path. A second echo keeps its state in the
 * same database through Helpline's storage (one read, one write a turn): the floor of any bot
 * whose conversations survive a restart, and its own ratio to the baseline. Every server (each Helpline replica, the
 * echo bot) is a process of its own (bench/turnsProcess.ts); this process only generates the load.
 *
 * Before the load runs, it counts the database operations one turn costs (by command and
 * collection, from the driver's command monitor), for a first message, a plain later message and
 * a knowledge search, each played alone so that nothing else is counted.
 *
 *   npm run bench:turns -- [--conversations 10] [--messages 5] [--replicas 2]
 *                          [--backend sqlite,postgresql] [--postgresql-url postgres://…] [--json]
 *                          [--history 5000]
 *   (several sizes: --conversations 10,100; --profile PREFIX writes a CPU profile of Helpline's runs)
 *
 * With `--replicas 2`, two Helpline processes share the database: /api/messages conversations are
 * spread over them, and each Direct Line conversation holds its WebSocket on one replica while its
 * messages are posted to the next, so every reply crosses replicas through the database. The echo
 * baseline then runs as the same number of processes, each with its own MemoryStorage, its
 * conversations kept on one process as a sticky load balancer would (it cannot share state).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose, { Types, type Connection } from 'mongoose';
import WebSocket from 'ws';
import type { OperationCount } from '../services/db';
import { DEMO_CONTACTS, DEMO_TENANTS } from '../services/identity/demo';
import { openBenchDatabase } from './support';
import type { BenchCommand, BenchReply } from './turnsProcess';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '10' },
    messages: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
    replicas: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'sqlite' },
    'postgresql-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    /**
     * Conversations already held before the runs (default 0: a new database): the documents the
     * warm-up conversations left in the collections that grow with traffic are copied until
     * `botstate` holds this many, so that the figures are those of a database in use.
     */
    history: { type: 'string', default: '0' },
    /** Writes a V8 CPU profile of each Helpline process during each run (Chrome's DevTools opens it). */
    profile: { type: 'string' },
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
  /** Activities the bots sent so far (a turn may send more than one). */
  received = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      req.resume();
      req.on('end', () => {
        this.received++;
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

/** One message on /api/messages, resolved when the HTTP turn has ended and the reply arrived. */
async function sendOne(
  baseUrl: string,
  sink: ReplySink,
  sinkUrl: string,
  conversationId: string,
  id: string,
  text: string,
): Promise<void> {
  const replied = sink.next(conversationId);
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    // A Teams activity from a known contact, so that a turn pays for identity as partners' do.
    body: JSON.stringify({
      type: 'message',
      id,
      channelId: 'msteams',
      serviceUrl: sinkUrl,
      text,
      locale: 'en-US',
      from: {
        id: `29:${DEMO_CONTACTS.alice.aadObjectId}`,
        name: 'Alice',
        aadObjectId: DEMO_CONTACTS.alice.aadObjectId,
      },
      recipient: { id: '28:bot', name: 'Helpline' },
      conversation: { id: conversationId, conversationType: 'personal', tenantId: DEMO_TENANTS.northwind },
      channelData: { tenant: { id: DEMO_TENANTS.northwind } },
    }),
  });
  await res.arrayBuffer();
  await replied;
}

/** The collections that grow with conversations (vendor data, tickets and jobs do not, here). */
const TRAFFIC_COLLECTIONS = [
  'botstate',
  'received_activities',
  'conversation_references',
  'directline_activities',
  'directline_conversations',
  'transcript_lines',
];

/**
 * Copies the documents of the traffic collections (as the warm-up conversations left them) under
 * new `_id`s until `botstate` holds `conversations` documents; returns the counts.
 */
async function fillHistory(connection: Connection, conversations: number): Promise<Record<string, number>> {
  const db = connection.db!;
  const seeds = await db.collection('botstate').countDocuments();
  const copies = Math.ceil(Math.max(0, conversations - seeds) / Math.max(1, seeds));
  const held: Record<string, number> = {};
  for (const name of TRAFFIC_COLLECTIONS) {
    const collection = db.collection<{ _id: unknown; [field: string]: unknown }>(name);
    const docs = await collection.find({}).toArray();
    for (let copy = 0; copy < copies; copy++) {
      const batch = docs.map((doc) => ({
        ...doc,
        _id: typeof doc._id === 'string' ? `${String(doc._id)}~h${copy}` : new Types.ObjectId(),
      }));
      for (let i = 0; i < batch.length; i += 500) await collection.insertMany(batch.slice(i, i + 500));
    }
    held[name] = await collection.countDocuments();
  }
  return held;
}

/** Database operations of one turn of each kind, each the median of a few conversations. */
async function countTurnOperations(
  baseUrl: string,
  sink: ReplySink,
  sinkUrl: string,
  counter: BenchProcess,
): Promise<Record<string, { total: number; byKind: Record<string, number> }>> {
  const kinds: Array<{ kind: string; setup: string[]; text: string }> = [
    { kind: 'first message', setup: [], text: 'hello' },
    { kind: 'plain message', setup: ['hello'], text: 'help' },
    { kind: 'knowledge search', setup: ['hello'], text: 'remote control session shows a black screen' },
  ];
  const result: Record<string, { total: number; byKind: Record<string, number> }> = {};
  for (const { kind, setup, text } of kinds) {
    const samples: Array<{ total: number; byKind: Record<string, number> }> = [];
    for (let i = 0; i < 5; i++) {
      const conversationId = `ops-${kind.replace(/ /g, '-')}-${i}-${Date.now()}`;
      for (const [n, line] of setup.entries())
        await sendOne(baseUrl, sink, sinkUrl, conversationId, `s${n}`, line);
      samples.push(await counter.measure(() => sendOne(baseUrl, sink, sinkUrl, conversationId, 'm', text)));
    }
    samples.sort((a, b) => a.total - b.total);
    result[kind] = samples[Math.floor(samples.length / 2)]!;
  }
  // The same over the local Direct Line (as Web Chat): the post, the turn, and the replies stored.
  for (const { kind, setup, text } of kinds.slice(1)) {
    const samples: Array<{ total: number; byKind: Record<string, number> }> = [];
    for (let i = 0; i < 5; i++) {
      const { token } = (await directLineCall(
        baseUrl,
        'POST',
        '/directline/tokens/generate',
        undefined,
        {},
      )) as {
        token: string;
      };
      const { conversationId } = (await directLineCall(
        baseUrl,
        'POST',
        '/directline/conversations',
        token,
        {},
      )) as {
        conversationId: string;
      };
      const post = async (line: string): Promise<void> => {
        await directLineCall(
          baseUrl,
          'POST',
          `/directline/conversations/${conversationId}/activities`,
          token,
          {
            type: 'message',
            text: line,
            channelData: { clientActivityID: `c${Math.random()}` },
          },
        );
      };
      for (const line of setup) await post(line);
      samples.push(await counter.measure(() => post(text)));
    }
    samples.sort((a, b) => a.total - b.total);
    result[`${kind} (DL)`] = samples[Math.floor(samples.length / 2)]!;
  }
  return result;
}

async function directLineCall(
  baseUrl: string,
  method: string,
  url: string,
  token?: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token && { Authorization: `Bearer ${token}` }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Conversations straight on /api/messages, as Azure Bot Service or Teams would send them. */
async function runApiMessages(
  baseUrls: string[],
  sink: ReplySink,
  sinkUrl: string,
  conversations: number,
  label: string,
  messages = messagesPerConversation,
): Promise<Figures> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: conversations }, async (_, c) => {
      const conversationId = `${label}-${c}-${Date.now()}`;
      const baseUrl = baseUrls[c % baseUrls.length];
      for (let m = 0; m < messages; m++) {
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
async function runDirectLine(
  baseUrls: string[],
  conversations: number,
  messages = messagesPerConversation,
): Promise<Figures> {
  const latencies: number[] = [];
  const call = directLineCall;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: conversations }, async (_, c) => {
      // The socket's replica, and the one the messages are posted to (the same with one replica).
      const home = baseUrls[c % baseUrls.length];
      const postTo = baseUrls[(c + 1) % baseUrls.length];
      const { token } = (await call(home, 'POST', '/directline/tokens/generate', undefined, {})) as {
        token: string;
      };
      const { conversationId, streamUrl } = (await call(
        home,
        'POST',
        '/directline/conversations',
        token,
        {},
      )) as {
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
        for (let m = 0; m < messages; m++) {
          const t0 = performance.now();
          const { id } = (await call(
            postTo,
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

/**
 * A server process of the bench (bench/turnsProcess.ts), forked with an IPC channel: it tells its
 * URL when it listens, and counts database operations or profiles its CPU on request.
 */
class BenchProcess {
  private readonly replies: BenchReply[] = [];
  private readonly waiting: Array<(reply: BenchReply) => void> = [];
  url = '';

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: BenchReply) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(reply);
      else this.replies.push(reply);
    });
    child.on('exit', (code) => {
      for (const waiter of this.waiting.splice(0))
        waiter({ kind: 'failed', message: `the bench process ended (exit code ${code})` });
    });
  }

  static async start(role: 'helpline' | 'echo' | 'echo-db', env: NodeJS.ProcessEnv): Promise<BenchProcess> {
    const child = fork(path.join(__dirname, 'turnsProcess.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env, BENCH_ROLE: role },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const started = new BenchProcess(child);
    const ready = await started.next();
    if (ready.kind !== 'ready')
      throw new Error(`the ${role} process did not start: ${JSON.stringify(ready)}`);
    started.url = ready.url;
    return started;
  }

  private next(): Promise<BenchReply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private async ask<K extends BenchReply['kind']>(
    command: BenchCommand,
    kind: K,
  ): Promise<Extract<BenchReply, { kind: K }>> {
    this.child.send(command);
    const reply = await this.next();
    if (reply.kind !== kind) throw new Error(`bench process: ${JSON.stringify(reply)} to ${command.kind}`);
    return reply as Extract<BenchReply, { kind: K }>;
  }

  /** The database operations this process sent while `run` ran. */
  async measure(run: () => Promise<unknown>): Promise<OperationCount> {
    await this.ask({ kind: 'count-start' }, 'counting');
    try {
      await run();
    } finally {
      this.child.send({ kind: 'count-stop' } satisfies BenchCommand);
    }
    const reply = await this.next();
    if (reply.kind !== 'counted') throw new Error(`bench process: ${JSON.stringify(reply)} to count-stop`);
    return reply.count;
  }

  /** CPU time (user and system) this process has used so far, in milliseconds. */
  async cpuMs(): Promise<number> {
    return (await this.ask({ kind: 'cpu' }, 'cpu')).micros / 1000;
  }

  async profileStart(): Promise<void> {
    await this.ask({ kind: 'profile-start' }, 'profiled');
  }

  async profileStop(file: string): Promise<void> {
    await this.ask({ kind: 'profile-stop', file }, 'profiled');
    process.stdout.write(`  (CPU profile written to ${file})\n`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ kind: 'stop' } satisfies BenchCommand);
    await exited;
  }
}

/**
 * Runs `work` and returns its result with the CPU time the processes used meanwhile, per turn,
 * and that of the database server when it is ours to read (the embedded FerretDB).
 */
async function timed<T>(
  processes: BenchProcess[],
  turns: number,
  work: () => Promise<T>,
  databaseCpuMs?: () => number | undefined,
): Promise<[T, number, number | undefined]> {
  const cpu = async (): Promise<number> =>
    (await Promise.all(processes.map((p) => p.cpuMs()))).reduce((a, b) => a + b, 0);
  const perTurn = (ms: number): number => Math.round((ms / turns) * 100) / 100;
  const before = await cpu();
  const databaseBefore = databaseCpuMs?.();
  const result = await work();
  const databaseAfter = databaseCpuMs?.();
  const database =
    databaseBefore !== undefined && databaseAfter !== undefined
      ? perTurn(databaseAfter - databaseBefore)
      : undefined;
  return [result, perTurn((await cpu()) - before), database];
}

/** Runs `work` while each process writes a V8 CPU profile when `prefix` is set. */
async function profiled<T>(
  processes: BenchProcess[],
  prefix: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!prefix) return await work();
  await Promise.all(processes.map((p) => p.profileStart()));
  try {
    return await work();
  } finally {
    await Promise.all(
      processes.map((p, i) => p.profileStop(`${prefix}${processes.length > 1 ? `-r${i}` : ''}.cpuprofile`)),
    );
  }
}

interface BackendRun {
  backend: string;
  replicas: number;
  operations: Awaited<ReturnType<typeof countTurnOperations>>;
  runs: Array<Record<string, unknown>>;
}

/** One backend: its database, `replicas` Helpline processes on it, the counts and the load runs. */
async function runBackend(backend: string, replicas: number): Promise<BackendRun> {
  const env = process.env;
  const database = await openBenchDatabase(
    env,
    backend === 'postgresql' ? values['postgresql-url'] : undefined,
  );
  const dbName = `bench_${Date.now()}`;
  const serverEnv = { MONGODB_URI: database.uri, MONGODB_DB: dbName };
  const apps: BenchProcess[] = [];
  const echoes: BenchProcess[] = [];
  const databaseEchoes: BenchProcess[] = [];
  let connection: Connection | undefined;
  const sink = new ReplySink();
  const sinkUrl = await sink.start();
  const runs: Array<Record<string, unknown>> = [];
  try {
    // One after the other: the first creates the indexes and imports the demo data.
    for (let r = 0; r < replicas; r++) apps.push(await BenchProcess.start('helpline', serverEnv));
    for (let r = 0; r < replicas; r++) echoes.push(await BenchProcess.start('echo', {}));
    for (let r = 0; r < replicas; r++)
      databaseEchoes.push(
        await BenchProcess.start('echo-db', { ...serverEnv, MONGODB_DB: `${dbName}_echo` }),
      );
    connection = await mongoose.createConnection(database.uri, { dbName }).asPromise();
    const urls = apps.map((app) => app.url);
    const baselineUrls = echoes.map((echo) => echo.url);
    const databaseEchoUrls = databaseEchoes.map((echo) => echo.url);
    // Warm-up: JIT, connection pools, index creation.
    for (const url of urls) await runApiMessages([url], sink, sinkUrl, 2, 'warm-ours');
    for (const url of baselineUrls) await runApiMessages([url], sink, sinkUrl, 2, 'warm-base');
    for (const url of databaseEchoUrls) await runApiMessages([url], sink, sinkUrl, 2, 'warm-floor');
    await runDirectLine(urls, 2);
    const history = Number.parseInt(values.history, 10) || 0;
    if (history > 0) {
      const held = await fillHistory(connection, history);
      if (!values.json)
        process.stdout.write(
          `\n[${backend}] history: ${Object.entries(held)
            .map(([name, n]) => `${name} ${n}`)
            .join(', ')} documents\n`,
        );
    }
    const operations = await countTurnOperations(urls[0], sink, sinkUrl, apps[0]);
    if (!values.json) {
      process.stdout.write(
        `\n[${backend}, ${replicas} replica(s)] database operations per turn (median of 5)\n`,
      );
      for (const [kind, { total, byKind }] of Object.entries(operations)) {
        const detail = Object.entries(byKind)
          .map(([name, n]) => `${name} ×${n}`)
          .join(', ');
        process.stdout.write(`  ${kind.padEnd(17)}: ${total} — ${detail}\n`);
      }
    }
    for (const conversations of sizes) {
      // Warm-up at this concurrency (one message each, not counted): connections in the pools of
      // both sides, as a server under steady traffic has them. The measured conversations are new.
      await runApiMessages(baselineUrls, sink, sinkUrl, conversations, `warm-base${conversations}`, 1);
      await runApiMessages(urls, sink, sinkUrl, conversations, `warm-ours${conversations}`, 1);
      await runApiMessages(databaseEchoUrls, sink, sinkUrl, conversations, `warm-floor${conversations}`, 1);
      await runDirectLine(urls, conversations, 1);
      const turns = conversations * messagesPerConversation;
      let sent = sink.received;
      const [base, baseCpu] = await timed(echoes, turns, () =>
        runApiMessages(baselineUrls, sink, sinkUrl, conversations, `base${conversations}`),
      );
      const baseActivities = (sink.received - sent) / turns;
      // The floor of any bot whose state is in the database: the echo on Helpline's own storage.
      const [floor, floorCpu, floorDatabaseCpu] = await timed(
        databaseEchoes,
        turns,
        () => runApiMessages(databaseEchoUrls, sink, sinkUrl, conversations, `floor${conversations}`),
        database.cpuMs,
      );
      sent = sink.received;
      const [ours, ourCpu, ourDatabaseCpu] = await timed(
        apps,
        turns,
        () =>
          profiled(apps, values.profile && `${values.profile}-${backend}-${conversations}`, () =>
            runApiMessages(urls, sink, sinkUrl, conversations, `ours${conversations}`),
          ),
        database.cpuMs,
      );
      const ourActivities = (sink.received - sent) / turns;
      const [directLine, directLineCpu, directLineDatabaseCpu] = await timed(
        apps,
        turns,
        () =>
          profiled(apps, values.profile && `${values.profile}-${backend}-${conversations}-directline`, () =>
            runDirectLine(urls, conversations),
          ),
        database.cpuMs,
      );
      const ratio = Math.round((ours.turnsPerSec / base.turnsPerSec) * 1000) / 1000;
      const floorRatio = Math.round((floor.turnsPerSec / base.turnsPerSec) * 1000) / 1000;
      runs.push({
        concurrency: conversations,
        messages: messagesPerConversation,
        ours: {
          ...ours,
          activitiesPerTurn: ourActivities,
          cpuMsPerTurn: ourCpu,
          databaseCpuMsPerTurn: ourDatabaseCpu,
        },
        baseline: { ...base, activitiesPerTurn: baseActivities, cpuMsPerTurn: baseCpu },
        ratio,
        databaseEcho: { ...floor, cpuMsPerTurn: floorCpu, databaseCpuMsPerTurn: floorDatabaseCpu },
        databaseEchoRatio: floorRatio,
        directLine: {
          ...directLine,
          cpuMsPerTurn: directLineCpu,
          databaseCpuMsPerTurn: directLineDatabaseCpu,
        },
      });
      if (!values.json) {
        const across = replicas > 1 ? ` (spread over ${replicas} replicas)` : '';
        const streamed = replicas > 1 ? ' (socket on one replica, posts to the next)' : '';
        process.stdout.write(
          [
            `\n[${backend}] ${conversations} concurrent conversations × ${messagesPerConversation} messages`,
            `  Helpline /api/messages${across}: ${ours.turnsPerSec} turns/s, p50 ${ours.p50Ms} ms, p95 ${ours.p95Ms} ms, p99 ${ours.p99Ms} ms, ${ourActivities} activities sent and ${ourCpu} ms of CPU per turn${inDatabase(ourDatabaseCpu)}`,
            `  Helpline Direct Line${streamed}: ${directLine.turnsPerSec} turns/s, p50 ${directLine.p50Ms} ms, p95 ${directLine.p95Ms} ms, p99 ${directLine.p99Ms} ms, ${directLineCpu} ms of CPU per turn${inDatabase(directLineDatabaseCpu)}`,
            `  echo bot (baseline)${replicas > 1 ? ` ×${replicas}` : ''}: ${base.turnsPerSec} turns/s, p50 ${base.p50Ms} ms, p95 ${base.p95Ms} ms, p99 ${base.p99Ms} ms, ${baseActivities} activities sent and ${baseCpu} ms of CPU per turn`,
            `  echo bot, state in the database${replicas > 1 ? ` ×${replicas}` : ''}: ${floor.turnsPerSec} turns/s, p50 ${floor.p50Ms} ms, p95 ${floor.p95Ms} ms, p99 ${floor.p99Ms} ms, ${floorCpu} ms of CPU per turn${inDatabase(floorDatabaseCpu)}`,
            `  ratio ours/baseline (turns/s): ${ratio} (the echo with its state in the database: ${floorRatio})`,
            '',
          ].join('\n'),
        );
      }
    }
    return { backend, replicas, operations, runs };
  } finally {
    await sink.stop();
    for (const server of [...echoes, ...databaseEchoes, ...apps]) await server.stop();
    await connection?.dropDatabase().catch(() => undefined);
    await connection
      ?.useDb(`${dbName}_echo`)
      .dropDatabase()
      .catch(() => undefined);
    await connection?.close();
    await database.stop();
  }
}

/** ' (+ N ms in FerretDB)' when the database server's CPU could be read. */
function inDatabase(ms: number | undefined): string {
  return ms === undefined ? '' : ` (+ ${ms} ms in FerretDB)`;
}

async function main(): Promise<void> {
  const replicas = Math.max(1, Number.parseInt(values.replicas, 10) || 1);
  const results: BackendRun[] = [];
  for (const backend of values.backend.split(',')) {
    if (backend !== 'sqlite' && backend !== 'postgresql') throw new Error(`unknown backend ${backend}`);
    results.push(await runBackend(backend, replicas));
  }
  if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:turns failed: ${(error as Error).message}\n`);
  process.exit(1);
});
