import type { Connection } from 'mongoose';
import type { Logger } from '../logger';
import { MongoLeaseJob } from './leaseJob';

export const RETENTION_JOB_NAME = 'retention';

export interface RetentionJobOptions {
  connection: Connection;
  logger: Logger;
  /** The tasks of one run, by what they delete or mend; each returns how many documents it deleted or mended. */
  purges: Record<string, () => Promise<number | Record<string, number>>>;
  /** How often it runs; an hour when absent. */
  intervalMs?: number;
  pollMs?: number;
  clock?: () => Date;
  holderId?: string;
}

/**
 * Deletes what Helpline keeps only for a while (expired Direct Line tokens, old web chat
 * conversations, old delivery claims), and mends what a process that died mid-write can leave
 * (a pending update without its contact's mark), run on an interval by one process at a time. One
 * task failing does not stop the others; the run reports it.
 */
export function createRetentionJob(options: RetentionJobOptions): MongoLeaseJob<Record<string, unknown>> {
  const log = options.logger.child({ component: 'retention-job' });
  const task = async (): Promise<Record<string, unknown>> => {
    const summary: Record<string, unknown> = {};
    for (const [name, purge] of Object.entries(options.purges)) {
      try {
        summary[name] = await purge();
      } catch (error) {
        log.warn({ err: error, purge: name }, 'retention purge failed');
        summary[name] = 'failed';
      }
    }
    log.info(summary, 'retention applied');
    return summary;
  };
  return new MongoLeaseJob<Record<string, unknown>>({
    name: RETENTION_JOB_NAME,
    connection: options.connection,
    logger: options.logger,
    task,
    intervalMs: options.intervalMs ?? 3_600_000,
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.holderId === undefined ? {} : { holderId: options.holderId }),
  });
}
