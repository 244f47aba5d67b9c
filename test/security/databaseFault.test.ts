import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import type { HelplineApp } from '../../bot';
import { t } from '../../dialogs/texts';
import { connectDatabase, freePort } from '../../services/db';
import { createSilentLogger } from '../../services/logger';
import { getTicketModel, type TicketViewer } from '../../services/tickets';
import { startTestApp, stopTestApp } from '../support/app';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { TeamsTestClient } from '../support/teamsClient';
import { completeTicket, ticketFixture, type TicketFixture } from '../services/tickets/fixtures';

const STAFF_TOKEN = 'fault-staff-token-0123456789';
const INTAKES = 20;
const CUSTOMER_COMMENTS = 15;
const STAFF_COMMENTS = 15;

function findFerretDb(): string | undefined {
  const candidates = [
    process.env.FERRETDB_BIN,
    path.join(os.homedir(), 'go', 'bin', 'ferretdb'),
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'ferretdb')),
  ];
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The database stops answering (SIGSTOP: the process is frozen, its sockets stay open, exactly
 * what a hung server looks like) while intakes and comments arrive concurrently, each retried
 * with its idempotency key until it succeeds, as channels and clients do; then it resumes.
 * Nothing is lost, nothing is written twice, /readyz tells the truth throughout, and a turn
 * that hits the stalled database gets a kind answer.
 */
describe('a stalled database during concurrent intakes and comments (fault test)', function () {
  this.timeout(300_000);
  const binary = findFerretDb();
  const connector = new ConnectorStandIn();
  let server: ChildProcess | undefined;
  let dir: string | undefined;
  let app: HelplineApp;
  let connection: Connection;
  let fx: TicketFixture;
  let bob: TicketViewer;

  before(async function () {
    if (!binary) this.skip();
    dir = mkdtempSync(path.join(os.tmpdir(), 'helpline-fault-'));
    const port = await freePort();
    server = spawn(
      binary,
      [
        `--listen-addr=127.0.0.1:${port}`,
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/?_pragma=journal_mode(wal)&_pragma=synchronous(normal)`,
        `--state-dir=${dir}`,
        '--telemetry=disable',
        '--debug-addr=-',
        '--log-level=error',
      ],
      { stdio: 'ignore' },
    );
    while (!(await canConnect(port))) await sleep(100);
    const uri = `mongodb://127.0.0.1:${port}/`;
    const serviceUrl = await connector.start();
    app = await startTestApp('fault', {
      MONGODB_URI: uri,
      MONGODB_DB: 'fault',
      STAFF_API_TOKENS: `${STAFF_TOKEN}:staff-ann:Ann Support`,
      BOT_ALLOW_ANONYMOUS: 'true',
      DB_SOCKET_TIMEOUT_SECONDS: '2',
      DB_SERVER_SELECTION_TIMEOUT_SECONDS: '2',
      LIFECYCLE_JOB: 'false',
    });
    connection = await connectDatabase({
      uri,
      dbName: 'fault',
      logger: createSilentLogger(),
      socketTimeoutMs: 2_000,
      serverSelectionTimeoutMs: 2_000,
    });
    fx = await ticketFixture(connection, () => new Date());
    bob = await fx.viewer('bob');
    teams = new TeamsTestClient(app.url(), connector, serviceUrl, {
      tenantId: 'tenant-northwind',
      aadObjectId: 'aad-bob',
      name: 'Bob Singh',
    });
  });
  let teams: TeamsTestClient;

  after(async () => {
    if (server?.pid) {
      process.kill(server.pid, 'SIGCONT');
    }
    await connection?.close().catch(() => undefined);
    if (app) await stopTestApp(app);
    server?.kill('SIGKILL');
    await connector.stop();
    if (dir) {
      spawnSync('chmod', ['-R', 'u+w', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Runs `operation` until it succeeds, as a channel redelivers; counts the attempts. */
  async function untilDone<T>(operation: () => Promise<T>, attempts: { n: number }): Promise<T> {
    for (;;) {
      attempts.n += 1;
      try {
        return await operation();
      } catch {
        await sleep(250);
      }
    }
  }

  it('loses nothing, writes nothing twice, and /readyz is honest', async () => {
    // Arrange: tickets to comment on, opened while the database is well.
    const targets: string[] = [];
    for (let i = 0; i < 5; i++)
      targets.push((await fx.tickets.create(completeTicket(), `fault-target-${i}`)).ticket.number);
    const attempts = { n: 0 };
    const staffComment = async (number: string, text: string, key: string): Promise<void> => {
      const res = await fetch(`${app.url()}/api/staff/tickets/${number}/comments`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${STAFF_TOKEN}`,
          'Idempotency-Key': key,
        },
        body: JSON.stringify({ text, visibility: 'public' }),
      });
      const body = await res.text();
      assert.doesNotMatch(body, /at .*\.(ts|js):\d+|Mongo/, 'no internals in an answer');
      if (res.status !== 201) throw new Error(`staff comment answered ${res.status}`);
    };

    // Act: everything at once; the database freezes shortly after the start, then resumes.
    const work: Array<Promise<unknown>> = [];
    for (let i = 0; i < INTAKES; i++) {
      work.push(
        untilDone(
          () => fx.tickets.create(completeTicket({ subject: `Fault intake ${i}` }), `fault-intake-${i}`),
          attempts,
        ).then(() =>
          // Delivered once more after it succeeded: the channel never got the answer (and the
          // repeat too is retried while the database is away).
          untilDone(
            () => fx.tickets.create(completeTicket({ subject: `Fault intake ${i}` }), `fault-intake-${i}`),
            attempts,
          ),
        ),
      );
    }
    for (let i = 0; i < CUSTOMER_COMMENTS; i++) {
      const number = targets[i % targets.length];
      const send = () =>
        fx.tickets.addComment(number, { kind: 'customer', viewer: bob }, `Customer comment ${i}`, {
          idempotencyKey: `fault-customer-${i}`,
        });
      work.push(untilDone(send, attempts).then(() => untilDone(send, attempts)));
    }
    for (let i = 0; i < STAFF_COMMENTS; i++) {
      const number = targets[i % targets.length];
      const send = () => staffComment(number, `Staff comment ${i}`, `fault-staff-${i}`);
      work.push(untilDone(send, attempts).then(() => untilDone(send, attempts)));
    }

    const readyz: Array<{ phase: 'paused' | 'resumed'; status: number }> = [];
    const probe = async (phase: 'paused' | 'resumed'): Promise<number> => {
      const res = await fetch(`${app.url()}/readyz`);
      await res.arrayBuffer();
      readyz.push({ phase, status: res.status });
      return res.status;
    };
    await sleep(200);
    process.kill(server!.pid!, 'SIGSTOP');
    let kindAnswer: string | undefined;
    try {
      await sleep(300);
      // A Teams turn that meets the stalled database is told so, kindly.
      const replies = await teams.say('show my requests');
      kindAnswer = (replies.at(-1) as { text?: string } | undefined)?.text;
      for (let i = 0; i < 6; i++) {
        await probe('paused');
        await sleep(500);
      }
    } finally {
      process.kill(server!.pid!, 'SIGCONT');
    }
    while ((await probe('resumed')) !== 200) await sleep(500);
    await Promise.all(work);

    // Assert
    const tickets = getTicketModel(connection);
    const all = await tickets.find({}).lean().exec();
    const intakes = all.filter((doc) => doc.idempotencyKey.startsWith('fault-intake-'));
    const comments = all.flatMap((doc) => doc.timeline.filter((event) => event.type === 'comment'));
    const texts = comments.map((event) => String(event.data.text));
    const duplicates = texts.length - new Set(texts).size;
    const figures = {
      intakesSent: INTAKES,
      commentsSent: CUSTOMER_COMMENTS + STAFF_COMMENTS,
      attempts: attempts.n,
      redeliveriesAfterSuccess: INTAKES + CUSTOMER_COMMENTS + STAFF_COMMENTS,
      ticketsStored: intakes.length,
      commentsStored: comments.length,
      duplicates,
      readyzWhilePaused: readyz.filter((r) => r.phase === 'paused').map((r) => r.status),
      readyzAfterResume: readyz.filter((r) => r.phase === 'resumed').map((r) => r.status),
    };
    process.stdout.write(`\n  fault test figures: ${JSON.stringify(figures)}\n`);

    assert.equal(intakes.length, INTAKES, 'every intake stored once');
    assert.equal(new Set(intakes.map((doc) => doc.number)).size, INTAKES);
    for (let i = 0; i < INTAKES; i++)
      assert.equal(intakes.filter((doc) => doc.subject === `Fault intake ${i}`).length, 1, `intake ${i}`);
    assert.equal(comments.length, CUSTOMER_COMMENTS + STAFF_COMMENTS, 'every comment stored once');
    assert.equal(duplicates, 0);
    assert.ok(
      figures.readyzWhilePaused.every((status) => status === 503),
      JSON.stringify(readyz),
    );
    assert.equal(figures.readyzAfterResume.at(-1), 200);
    assert.equal(kindAnswer, t('en', 'errors.unavailable'));
  });
});

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
