import assert from 'node:assert/strict';
import mongoose, { type Connection } from 'mongoose';
import WebSocket from 'ws';
import { WebUserTokens } from '../../bot/webUserToken';
import { DEMO_CONTACTS } from '../../services/identity';
import { LIFECYCLE_JOB_NAME } from '../../services/jobs/lifecycleJob';
import { DirectLineTestClient, openLeedsTicket, postStaffComment } from '../support/app';
import { testDatabaseUri, uniqueDbName } from '../support/database';
import { startReplica, stopReplica, type ReplicaProcess } from '../support/replicaProcess';

const SECRET = 'two-processes-test-secret-0123456789abcdef';
const STAFF_TOKEN = 'two-processes-staff-token-0123456789';

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

/** The slots of a lease job each process says it ran, from its JSON log lines. */
function slotsRan(replica: ReplicaProcess, job: string): string[] {
  return replica
    .output()
    .split('\n')
    .flatMap((line) => {
      if (!line.startsWith('{')) return [];
      const entry = JSON.parse(line) as { job?: string; msg?: string; slot?: string };
      return entry.job === job && entry.msg === 'job ran' && entry.slot ? [entry.slot] : [];
    });
}

/**
 * Two real Helpline processes (`npm start`'s entry point, each an OS process) on one database,
 * as behind a load balancer without sticky sessions.
 */
describe('two Helpline processes on one database (OS processes)', function () {
  this.timeout(180_000);
  let a: ReplicaProcess;
  let b: ReplicaProcess;
  let db: Connection;
  const dbName = uniqueDbName('twoproc');

  before(async () => {
    const shared = {
      MONGODB_URI: testDatabaseUri(),
      MONGODB_DB: dbName,
      WEB_USER_TOKEN_SECRET: SECRET,
      STAFF_API_TOKENS: `${STAFF_TOKEN}:staff-ann:Ann Support`,
      DIRECTLINE_TOKENS_PER_MINUTE: '1000',
      LIFECYCLE_JOB: 'true',
      LIFECYCLE_INTERVAL_SECONDS: '10',
      // The lease job says which slot it ran at debug level.
      LOG_LEVEL: 'debug',
    };
    // One after the other: the first creates the indexes and loads the demo data.
    a = await startReplica(shared);
    b = await startReplica(shared);
    db = await mongoose.createConnection(testDatabaseUri(), { dbName }).asPromise();
  });
  after(async () => {
    await Promise.all([stopReplica(a), stopReplica(b)]);
    await db?.dropDatabase().catch(() => undefined);
    await db?.close();
  });

  it('a Web Chat socket on process A receives the ticket notification process B sent, once', async () => {
    const alice = DEMO_CONTACTS.alice;
    const userToken = await new WebUserTokens(SECRET).sign({
      subject: alice.webSubject,
      email: alice.email,
      name: alice.name,
    });
    const onA = new DirectLineTestClient(a.url);
    await onA.start({ userToken });
    const ws = new WebSocket(
      `${a.url.replace('http', 'ws')}/directline/conversations/${onA.conversationId}/stream?t=${onA.token}`,
    );
    const streamed: Array<{ text?: string }> = [];
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text) streamed.push(...(JSON.parse(text) as { activities: Array<{ text?: string }> }).activities);
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      await onA.waitForBot(1);
      const number = await openLeedsTicket(onA);
      assert.ok(number, 'the ticket is open');

      // Support answers through process B.
      await postStaffComment(
        b.url,
        STAFF_TOKEN,
        number,
        'Please restart the Windows Update service and retry.',
      );
      const notified = (): Array<{ text?: string }> =>
        streamed.filter((x) => /restart the Windows Update service/.test(x.text ?? ''));
      await until(() => notified().length > 0, 20_000);
      // Anything sent twice would have arrived by now.
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(notified().length, 1, 'the notification B sent reached the socket held by A, once');
      assert.match(notified()[0]?.text ?? '', new RegExp(number));
    } finally {
      ws.close();
    }
  });

  it('the lifecycle job runs each slot in one process only', async () => {
    const leases = db.collection<{ _id: string; name: string; holder: string }>('job_leases');
    // Slots are 10 s long: wait for two of them.
    await until(async () => (await leases.countDocuments({ name: LIFECYCLE_JOB_NAME })) >= 2, 40_000);
    const docs = await leases.find({ name: LIFECYCLE_JOB_NAME }).toArray();
    assert.ok(docs.length >= 2, `two slots ran (${docs.length})`);
    // Wait for both processes to have tried the newest slot, then compare what each says it ran.
    await new Promise((r) => setTimeout(r, 2500));
    const byA = slotsRan(a, LIFECYCLE_JOB_NAME);
    const byB = slotsRan(b, LIFECYCLE_JOB_NAME);
    const both = byA.filter((slot) => byB.includes(slot));
    assert.deepEqual(both, [], 'no slot ran in both processes');
    assert.equal(new Set(byA).size, byA.length, 'A ran no slot twice');
    assert.equal(new Set(byB).size, byB.length, 'B ran no slot twice');
    assert.ok(byA.length + byB.length >= 2, `the runs are in the logs (A ${byA.length}, B ${byB.length})`);
  });
});
