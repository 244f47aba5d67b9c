import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../db';
import type { Logger } from '../logger';

/** The outcome of one attempt to run a job's current slot. */
export type LeaseRunOutcome<T> =
  | { kind: 'ran'; slot: Date; result: T }
  /** Another process claimed this slot first. */
  | { kind: 'slot_taken'; slot: Date }
  /** This process already tried this slot. */
  | { kind: 'already_tried'; slot: Date }
  /** An earlier slot's run is still going (its holder's heartbeat is fresh): runs never overlap. */
  | { kind: 'previous_run_active'; slot: Date; holder: string }
  | { kind: 'failed'; slot: Date; error: unknown };

/**
 * A background job that several Helpline processes may run on one database: time is cut
 * into slots of `intervalMs`, and each slot is run by one process only.
 */
export interface BackgroundJob<T> {
  /** Tries the current slot every `pollMs` until `stop()`. */
  start(): void;
  /** Stops polling and waits for a run in progress to finish. */
  stop(): Promise<void>;
  /** Tries the current slot once (what a poll does). */
  runOnce(): Promise<LeaseRunOutcome<T>>;
}

export interface MongoLeaseJobOptions<T> {
  /** Names the lease; one name per job. */
  name: string;
  connection: Connection;
  logger: Logger;
  /** The work of one slot. */
  task: () => Promise<T>;
  /** Slot length: how often the job runs. */
  intervalMs: number;
  /** How often `start()` looks for a new slot; a tenth of the interval, between 1 s and 30 s, when absent. */
  pollMs?: number;
  /** How often a running holder renews its heartbeat; 15 s when absent. */
  heartbeatMs?: number;
  /** A holder whose heartbeat is older than this is taken for dead; 4 heartbeats when absent. */
  staleAfterMs?: number;
  /** Lease documents older than this are deleted; 100 slots (at least a day) when absent. */
  keepMs?: number;
  /** Slots and heartbeats are read on this clock. */
  clock?: () => Date;
  /** Names this process in lease documents and logs; random when absent. */
  holderId?: string;
}

type LeaseState = 'running' | 'done' | 'failed' | 'skipped';

interface LeaseDocument {
  /** `${name}:${slot ISO}`: the unique index that makes the slot's claim atomic. */
  _id: string;
  name: string;
  slot: Date;
  holder: string;
  state: LeaseState;
  claimedAt: Date;
  heartbeatAt: Date;
  finishedAt?: Date;
  summary?: Record<string, unknown>;
}

const leaseSchema = new Schema<LeaseDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    slot: { type: Date, required: true },
    holder: { type: String, required: true },
    state: { type: String, required: true, enum: ['running', 'done', 'failed', 'skipped'] },
    claimedAt: { type: Date, required: true },
    heartbeatAt: { type: Date, required: true },
    finishedAt: { type: Date },
    summary: { type: Schema.Types.Mixed },
  },
  { collection: 'job_leases', versionKey: false, minimize: false },
);
leaseSchema.index({ name: 1, slot: -1 });

export function getJobLeaseModel(connection: Connection): Model<LeaseDocument> {
  return modelOn(connection, 'JobLease', leaseSchema);
}

/**
 * A job leased slot by slot in MongoDB.
 *
 * Why slots: FerretDB applies updates as read-then-write, so a single lease document renewed or
 * stolen by conditional updates can be held by two processes at once. A unique `_id` insert is
 * atomic everywhere, so each slot has its own lease document, inserted by the process that runs
 * it; the others get a duplicate key and skip. Only the holder ever updates its document (its
 * heartbeat and outcome). A holder that dies leaves a document whose heartbeat goes stale: the
 * next slot's winner ignores it and runs, so the job passes to a live process at the next slot.
 * A winner that finds an earlier slot still running with a fresh heartbeat skips its slot, so
 * runs never overlap even when one lasts longer than the interval.
 */
export class MongoLeaseJob<T> implements BackgroundJob<T> {
  readonly holderId: string;
  private readonly model: Model<LeaseDocument>;
  private readonly log: Logger;
  private readonly clock: () => Date;
  private readonly pollMs: number;
  private readonly heartbeatMs: number;
  private readonly staleAfterMs: number;
  private readonly keepMs: number;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private lastTriedSlot = Number.NaN;
  private stopped = true;

  constructor(private readonly options: MongoLeaseJobOptions<T>) {
    if (!(options.intervalMs > 0)) throw new RangeError('MongoLeaseJob: intervalMs must be positive');
    this.holderId = options.holderId ?? randomUUID();
    this.model = getJobLeaseModel(options.connection);
    this.log = options.logger.child({ component: 'job', job: options.name, holder: this.holderId });
    this.clock = options.clock ?? (() => new Date());
    this.pollMs = options.pollMs ?? Math.min(Math.max(options.intervalMs / 10, 1_000), 30_000);
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.staleAfterMs = options.staleAfterMs ?? this.heartbeatMs * 4;
    this.keepMs = options.keepMs ?? Math.max(options.intervalMs * 100, 24 * 3_600_000);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.queue;
  }

  async runOnce(): Promise<LeaseRunOutcome<T>> {
    // One attempt at a time in this process: an attempt asked for during another waits for it.
    const next = this.queue.then(() => this.attempt());
    this.queue = next.then(
      () => undefined,
      () => undefined,
    );
    return await next;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runOnce()
        .catch((error: unknown) => this.log.error({ err: error }, 'job poll failed'))
        .finally(() => this.schedule(this.pollMs));
    }, delayMs);
    this.timer.unref();
  }

  private async attempt(): Promise<LeaseRunOutcome<T>> {
    const now = this.clock();
    const slot = new Date(Math.floor(now.getTime() / this.options.intervalMs) * this.options.intervalMs);
    if (slot.getTime() === this.lastTriedSlot) return { kind: 'already_tried', slot };
    const id = `${this.options.name}:${slot.toISOString()}`;
    try {
      await this.model.create({
        _id: id,
        name: this.options.name,
        slot,
        holder: this.holderId,
        state: 'running',
        claimedAt: now,
        heartbeatAt: now,
      });
    } catch (error) {
      if (isDuplicateKey(error)) {
        this.lastTriedSlot = slot.getTime();
        return { kind: 'slot_taken', slot };
      }
      // The database may be unreachable: try the same slot again at the next poll.
      this.log.warn({ err: error }, 'could not claim the job slot');
      return { kind: 'failed', slot, error };
    }
    this.lastTriedSlot = slot.getTime();

    const active = await this.activeEarlierRun(slot, now).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not read earlier job leases');
      return undefined;
    });
    if (active) {
      await this.finish(id, 'skipped', { reason: 'previous_run_active', holder: active });
      this.log.info({ slot, activeHolder: active }, 'earlier run still active; slot skipped');
      return { kind: 'previous_run_active', slot, holder: active };
    }

    const heartbeat = setInterval(() => {
      this.model
        .updateOne({ _id: id }, { $set: { heartbeatAt: this.clock() } })
        .exec()
        .catch((error: unknown) => this.log.warn({ err: error }, 'job heartbeat failed'));
    }, this.heartbeatMs);
    heartbeat.unref();
    const started = Date.now();
    try {
      const result = await this.options.task();
      clearInterval(heartbeat);
      await this.finish(id, 'done', { elapsedMs: Date.now() - started, ...summarise(result) });
      this.log.debug({ slot, elapsedMs: Date.now() - started }, 'job ran');
      await this.collectGarbage(now);
      return { kind: 'ran', slot, result };
    } catch (error) {
      clearInterval(heartbeat);
      this.log.error({ err: error, slot }, 'job failed');
      await this.finish(id, 'failed', { elapsedMs: Date.now() - started });
      return { kind: 'failed', slot, error };
    }
  }

  /** The holder of an earlier slot still running with a fresh heartbeat, if any. */
  private async activeEarlierRun(slot: Date, now: Date): Promise<string | undefined> {
    const earlier = await this.model
      .find({ name: this.options.name, state: 'running', slot: { $lt: slot } }, { holder: 1, heartbeatAt: 1 })
      .lean()
      .exec();
    const freshSince = now.getTime() - this.staleAfterMs;
    return earlier.find((lease) => lease.heartbeatAt.getTime() >= freshSince)?.holder;
  }

  private async finish(id: string, state: LeaseState, summary: Record<string, unknown>): Promise<void> {
    await this.model
      .updateOne(
        { _id: id },
        { $set: { state, finishedAt: this.clock(), heartbeatAt: this.clock(), summary } },
      )
      .exec()
      .catch((error: unknown) => this.log.warn({ err: error }, 'could not record the job outcome'));
  }

  private async collectGarbage(now: Date): Promise<void> {
    await this.model
      .deleteMany({ name: this.options.name, slot: { $lt: new Date(now.getTime() - this.keepMs) } })
      .exec()
      .catch((error: unknown) => this.log.warn({ err: error }, 'could not delete old job leases'));
  }
}

/** Counts of a result's arrays, for the lease document (never the data itself). */
function summarise(result: unknown): Record<string, unknown> {
  if (!result || typeof result !== 'object') return {};
  const counts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result)) {
    if (Array.isArray(value)) counts[key] = value.length;
    else if (typeof value === 'number') counts[key] = value;
  }
  return counts;
}
