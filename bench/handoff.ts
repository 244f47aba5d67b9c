/**
 * bench:handoff — how long a message takes to go from the user to the agent's console and from
 * the agent to the user during a live handoff, against a plain bot turn (message in → reply out)
 * measured the same way in the same process. Both sides poll every 10 ms, as fast clients would.
 * Then what the console page actually waits for: the live-update event (Server-Sent Events, fed
 * from the database every CONSOLE_LIVE_POLL_MS) after the user's message.
 *
 *   npm run bench:handoff -- [--messages 30]
 */
import { parseArgs } from 'node:util';
import { createApp } from '../bot';
import { loadConfig } from '../bot/config';
import { createLogger, createSilentLogger } from '../services/logger';
import { DirectLineTestClient } from '../test/support/app';
import { ConsoleTestClient } from '../test/support/consoleClient';
import { EventStreamClient } from '../test/support/eventStream';
import { openBenchDatabase } from './support';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '30' } } });
const count = Math.max(5, Number.parseInt(values.messages, 10) || 30);
const TOKEN = 'bench-handoff-staff-token-000';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: Math.round(p(sorted, 0.5) * 10) / 10, p95: Math.round(p(sorted, 0.95) * 10) / 10 };
};

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    await sleep(10);
  }
}

async function main(): Promise<void> {
  const out = createLogger({ level: 'info' });
  const db = await openBenchDatabase(process.env);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: db.uri,
    MONGODB_DB: `bench_handoff_${Date.now()}`,
    LOG_LEVEL: 'silent',
    PATH: process.env.PATH,
    STAFF_API_TOKENS: `${TOKEN}:bench:Bench Agent`,
    HANDOFF_HOURS: 'always',
    LIFECYCLE_JOB: 'false',
    DIRECTLINE_TOKENS_PER_MINUTE: '1000',
  });
  const app = await createApp(config, { logger: createSilentLogger() });
  await app.listen();
  try {
    const agent = new ConsoleTestClient(app.url());
    await agent.signIn(TOKEN);
    const user = new DirectLineTestClient(app.url());
    await user.start({
      userToken: await app.userTokens!.sign({
        subject: 'demo-bob',
        email: 'bob@northwind.example',
        name: 'Bob Singh',
      }),
    });
    await user.say('hello');
    await sleep(300);
    await user.poll();

    // Baseline: a plain bot turn, "help" → the bot's answer.
    const baseline: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await user.send({ text: 'help' });
      await until(async () => ((await user.botRepliesAfterSending()).length ? true : undefined));
      baseline.push(performance.now() - started);
    }

    await user.send({ text: 'talk to a person' });
    await sleep(500);
    await user.poll();
    const handoffs = (await agent.get('/handoffs')).json.handoffs as Array<{ id: string }>;
    const id = handoffs[0].id;
    await agent.post(`/handoffs/${id}/accept`);
    await sleep(300);
    await user.poll();

    const toAgent: number[] = [];
    const toUser: number[] = [];
    for (let i = 0; i < count; i++) {
      const text = `user message ${i}`;
      let started = performance.now();
      await user.send({ text });
      await until(async () => {
        const messages = (await agent.get(`/handoffs/${id}`)).json.messages as Array<{ text: string }>;
        return messages.some((m) => m.text === text) ? true : undefined;
      });
      toAgent.push(performance.now() - started);
      const reply = `agent reply ${i}`;
      started = performance.now();
      await agent.post(`/handoffs/${id}/messages`, { text: reply });
      await until(async () =>
        (await user.botRepliesAfterSending()).some((a) => String(a.text).endsWith(reply)) ? true : undefined,
      );
      toUser.push(performance.now() - started);
    }
    // The console's path: the user's message → the live-update event for this conversation.
    const stream = new EventStreamClient();
    await stream.open(`${app.url()}/console/api/events`, { Cookie: agent.cookie });
    await stream.waitFor((e) => e.event === 'ready');
    const toConsoleEvent: number[] = [];
    for (let i = 0; i < count; i++) {
      // Out of step with the feed's reads, as real messages are.
      await sleep(Math.random() * config.desk.livePollMs);
      const seen = stream.events.length;
      const started = performance.now();
      await user.send({ text: `user message for the stream ${i}` });
      await stream.waitFor((e) => stream.events.indexOf(e) >= seen && e.data.includes(id));
      toConsoleEvent.push(performance.now() - started);
    }
    await stream.close();
    const base = summary(baseline);
    const u2a = summary(toAgent);
    const a2u = summary(toUser);
    out.info(
      {
        messages: count,
        baselineTurnMs: base,
        userToAgentMs: u2a,
        agentToUserMs: a2u,
        userToConsoleEventMs: summary(toConsoleEvent),
        livePollMs: config.desk.livePollMs,
        ratioUserToAgentP50: Math.round((u2a.p50 / base.p50) * 100) / 100,
        ratioAgentToUserP50: Math.round((a2u.p50 / base.p50) * 100) / 100,
      },
      'bench:handoff (ratios against a plain bot turn in the same process)',
    );
  } finally {
    await app.connection.dropDatabase().catch(() => undefined);
    await app.stop();
    await db.stop();
  }
}

void main();
