import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Logger } from '../logger';
import { modelOn } from './model';

interface ReplicaDocument {
  _id: string;
  seenAt: Date;
}

const replicaSchema = new Schema<ReplicaDocument>(
  { _id: { type: String, required: true }, seenAt: { type: Date, required: true } },
  { collection: 'replicas', versionKey: false },
);

export interface ReplicaRegistryOptions {
  connection: Connection;
  logger: Logger;
  /** How often this process says it is alive; 5 s when absent. */
  heartbeatMs?: number;
  /** How often it looks for the others; 1 s when absent. */
  lookMs?: number;
}

/**
 * Which Helpline processes share the database: each writes a heartbeat and reads the others'.
 * Work that exists only for the other replicas (a WebSocket tailing the activities another process
 * appended) can then be nearly free while a process runs alone, which is the usual case.
 */
export class ReplicaRegistry {
  readonly id = randomUUID();
  private readonly model: Model<ReplicaDocument>;
  private readonly log: Logger;
  private readonly heartbeatMs: number;
  private readonly lookMs: number;
  private others = 0;
  private lastBeat = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(options: ReplicaRegistryOptions) {
    this.model = modelOn(options.connection, 'Replica', replicaSchema);
    this.log = options.logger.child({ component: 'replicas' });
    this.heartbeatMs = options.heartbeatMs ?? 5_000;
    this.lookMs = options.lookMs ?? 1_000;
  }

  /** True when another process was alive at the last look. */
  hasPeers(): boolean {
    return this.others > 0;
  }

  /** Says this process is alive and looks for the others, once now and then periodically. */
  async start(): Promise<void> {
    // Processes that ended without a word (killed) left their heartbeat: an hour later it goes.
    await this.model
      .deleteMany({ seenAt: { $lt: new Date(Date.now() - 3_600_000) } })
      .exec()
      .catch(() => undefined);
    await this.look();
    this.timer = setInterval(() => {
      this.running ??= this.look().finally(() => (this.running = undefined));
    }, this.lookMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.model
      .deleteOne({ _id: this.id })
      .exec()
      .catch(() => undefined);
  }

  /** Beats (when due) and looks for the others now; what the timer does. */
  async look(): Promise<void> {
    try {
      const now = Date.now();
      if (now - this.lastBeat >= this.heartbeatMs) {
        await this.model
          .updateOne({ _id: this.id }, { $set: { seenAt: new Date(now) } }, { upsert: true })
          .exec();
        this.lastBeat = now;
      }
      // A process is alive while its heartbeat is fresh; one that died (killed) drops out in 3 beats.
      const alive = await this.model
        .countDocuments({ _id: { $ne: this.id }, seenAt: { $gt: new Date(now - 3 * this.heartbeatMs) } })
        .exec();
      if (alive !== this.others) this.log.info({ others: alive }, 'replicas sharing the database');
      this.others = alive;
    } catch (error) {
      // Not knowing is taken as not alone: the tails keep running as they would with peers.
      this.others = Math.max(this.others, 1);
      this.log.debug({ err: error }, 'replica heartbeat failed');
    }
  }
}
