import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../../services/db';
import { MongoLeaseJob, getJobLeaseModel, type LeaseRunOutcome } from '../../../services/jobs';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase, testDatabaseUri } from '../../support/database';
import { testClock, type TestClock } from '../tickets/fixtures';

const INTERVAL = 60_000;

/** A second process's connection to the same database. */
async function secondConnection(first: Connection): Promise<Connection> {
  return await connectDatabase({ uri: testDatabaseUri(), dbName: first.name, logger: createSilentLogger() });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('MongoLeaseJob', () => {
  let connection: Connection;
  const others: Connection[] = [];
  let clock: TestClock;

  beforeEach(async () => {
    connection = await openTestDatabase('leasejob');
    clock = testClock('2026-11-02T10:00:00Z');
  });
  afterEach(async () => {
    for (const other of others.splice(0)) await other.close().catch(() => undefined);
    await dropTestDatabase(connection);
  });

  async function runner(
    holderId: string,
    task: () => Promise<string>,
    options: { connection?: Connection; heartbeatMs?: number; staleAfterMs?: number } = {},
  ): Promise<MongoLeaseJob<string>> {
    let conn = options.connection;
    if (!conn) {
      conn = await secondConnection(connection);
      others.push(conn);
    }
    return new MongoLeaseJob({
      name: 'lifecycle',
      connection: conn,
      logger: createSilentLogger(),
      task,
      intervalMs: INTERVAL,
      clock,
      holderId,
      heartbeatMs: options.heartbeatMs ?? 50,
      staleAfterMs: options.staleAfterMs ?? 30_000,
    });
  }

  it('when several processes try the same slot together, exactly one runs it, slot after slot', async () => {
    const runs: string[] = [];
    const names = ['p1', 'p2', 'p3', 'p4'];
    const runners = await Promise.all(
      names.map((name) =>
        runner(name, async () => {
          runs.push(name);
          await sleep(5);
          return name;
        }),
      ),
    );

    const perSlot: LeaseRunOutcome<string>[][] = [];
    for (let slot = 0; slot < 5; slot++) {
      perSlot.push(await Promise.all(runners.map((r) => r.runOnce())));
      clock.advance(INTERVAL);
    }

    for (const outcomes of perSlot) {
      assert.equal(outcomes.filter((o) => o.kind === 'ran').length, 1, JSON.stringify(outcomes));
      assert.equal(outcomes.filter((o) => o.kind === 'slot_taken').length, names.length - 1);
    }
    assert.equal(runs.length, 5);
    const leases = await getJobLeaseModel(connection).find({ name: 'lifecycle' }).lean().exec();
    assert.equal(leases.length, 5);
    assert.ok(leases.every((lease) => lease.state === 'done'));
  });

  it('tries a slot once per process: a second poll in the same slot does not run it again', async () => {
    let runs = 0;
    const job = await runner('p1', () => Promise.resolve(`run ${++runs}`));

    const first = await job.runOnce();
    clock.advance(INTERVAL / 2);
    const second = await job.runOnce();
    clock.advance(INTERVAL / 2);
    const third = await job.runOnce();

    assert.deepEqual([first.kind, second.kind, third.kind], ['ran', 'already_tried', 'ran']);
    assert.equal(runs, 2);
  });

  it('when the process that ran a slot stops, the other runs the next slot', async () => {
    const runs: string[] = [];
    const a = await runner('a', () => Promise.resolve((runs.push('a'), 'a')));
    const b = await runner('b', () => Promise.resolve((runs.push('b'), 'b')));

    const aFirst = await a.runOnce();
    const bFirst = await b.runOnce();
    await a.stop();
    clock.advance(INTERVAL);
    const bNext = await b.runOnce();

    assert.equal(aFirst.kind, 'ran');
    assert.equal(bFirst.kind, 'slot_taken');
    assert.equal(bNext.kind, 'ran');
    assert.deepEqual(runs, ['a', 'b']);
  });

  it('while an earlier run is still going (fresh heartbeat), the next slot is skipped, so runs never overlap', async () => {
    const gate = deferred();
    let bRuns = 0;
    const a = await runner('a', async () => (await gate.promise, 'a'));
    const b = await runner('b', () => Promise.resolve((++bRuns, 'b')));

    const aRun = a.runOnce();
    await sleep(100);
    clock.advance(INTERVAL);
    await sleep(150); // a few heartbeats at the new time
    const bDuring = await b.runOnce();
    gate.resolve();
    const aOutcome = await aRun;
    clock.advance(INTERVAL);
    const bAfter = await b.runOnce();

    assert.equal(bDuring.kind, 'previous_run_active');
    assert.equal(aOutcome.kind, 'ran');
    assert.equal(bAfter.kind, 'ran');
    assert.equal(bRuns, 1);
  });

  it('when the holder dies during a run, the next process runs the next slot once the heartbeat is stale', async () => {
    const gate = deferred();
    const aConnection = await secondConnection(connection);
    const a = await runner('a', async () => (await gate.promise, 'a'), { connection: aConnection });
    const b = await runner('b', () => Promise.resolve('b'), { staleAfterMs: 10 * 60_000 });

    const aRun = a.runOnce();
    await sleep(100);
    // The process dies: its connection goes and its heartbeats stop reaching the database.
    await aConnection.close(true);
    clock.advance(INTERVAL);
    const bTooEarly = await b.runOnce();
    clock.advance(10 * 60_000);
    const bAfterExpiry = await b.runOnce();
    gate.resolve();
    await aRun;
    await a.stop();

    assert.equal(bTooEarly.kind, 'previous_run_active');
    assert.equal(bAfterExpiry.kind, 'ran');
    const dead = await getJobLeaseModel(connection)
      .findById('lifecycle:2026-11-02T10:00:00.000Z')
      .lean()
      .exec();
    assert.equal(dead?.holder, 'a');
    assert.equal(dead?.state, 'running');
  });

  it('when the task fails, records the failure and runs again at the next slot', async () => {
    let attempts = 0;
    const job = await runner('p1', () => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new Error('boom')) : Promise.resolve('ok');
    });

    const failed = await job.runOnce();
    clock.advance(INTERVAL);
    const ran = await job.runOnce();

    assert.equal(failed.kind, 'failed');
    assert.equal(ran.kind, 'ran');
    const leases = await getJobLeaseModel(connection).find({}).sort({ slot: 1 }).lean().exec();
    assert.deepEqual(
      leases.map((lease) => lease.state),
      ['failed', 'done'],
    );
  });

  it('started in two processes on the wall clock, runs each slot once and keeps running after one stops', async function () {
    this.timeout(60_000);
    const runs: string[] = [];
    const make = async (name: string): Promise<MongoLeaseJob<string>> => {
      const conn = await secondConnection(connection);
      others.push(conn);
      return new MongoLeaseJob({
        name: 'wallclock',
        connection: conn,
        logger: createSilentLogger(),
        intervalMs: 400,
        pollMs: 25,
        holderId: name,
        task: async () => {
          runs.push(name);
          await sleep(20);
          return name;
        },
      });
    };
    // Progress is waited for, never timed: a loaded machine only makes this slower.
    const until = async (done: () => boolean): Promise<void> => {
      while (!done()) await sleep(50);
    };
    const a = await make('a');
    const b = await make('b');

    a.start();
    b.start();
    await until(() => runs.length >= 3);
    await a.stop();
    const atStop = runs.length;
    await until(() => runs.length >= atStop + 3);
    await b.stop();

    const leases = await getJobLeaseModel(connection).find({ name: 'wallclock' }).lean().exec();
    const ran = leases.filter((lease) => lease.state === 'done');
    // Each run claimed its own slot: as many runs as slots run, and no slot twice.
    assert.equal(ran.length, runs.length);
    assert.equal(new Set(ran.map((lease) => lease.slot.getTime())).size, ran.length);
    assert.ok(
      runs.slice(atStop).every((name) => name === 'b'),
      JSON.stringify(runs),
    );
  });
});
