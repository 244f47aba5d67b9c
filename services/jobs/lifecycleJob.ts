import type { Connection } from 'mongoose';
import type { Logger } from '../logger';
import { ticketUpdateFor, type Notifier, type NotifyOutcome } from '../notifications';
import type { LifecycleRunResult, TicketService } from '../tickets';
import { MongoLeaseJob } from './leaseJob';

export interface LifecycleJobResult extends LifecycleRunResult {
  /** Requesters told now. */
  delivered: number;
  /** Updates kept for the requester's next message. */
  pending: number;
}

export interface LifecycleJobOptions {
  connection: Connection;
  logger: Logger;
  tickets: TicketService;
  notifier: Notifier;
  /** How often the policy runs; 5 minutes when absent. */
  intervalMs?: number;
  pollMs?: number;
  heartbeatMs?: number;
  staleAfterMs?: number;
  clock?: () => Date;
  holderId?: string;
}

export const LIFECYCLE_JOB_NAME = 'lifecycle';

/**
 * The ticket lifecycle policy (reminders, auto-resolution, auto-closure) run on an interval by
 * one Helpline process at a time; each reminder and automatic transition is sent to the requester.
 */
export function createLifecycleJob(options: LifecycleJobOptions): MongoLeaseJob<LifecycleJobResult> {
  const log = options.logger.child({ component: 'lifecycle-job' });
  const task = async (): Promise<LifecycleJobResult> => {
    const run = await options.tickets.applyLifecyclePolicy();
    const updates = [
      ...run.reminded.map((ticket) => ticketUpdateFor(ticket, 'reminder_sent')),
      ...run.autoResolved.map((ticket) => ticketUpdateFor(ticket, 'status_changed')),
      ...run.autoClosed.map((ticket) => ticketUpdateFor(ticket, 'status_changed')),
    ];
    let delivered = 0;
    let pending = 0;
    for (const update of updates) {
      if (!update) continue;
      // notify never throws; the guard keeps one odd update from stopping the others.
      const outcome: NotifyOutcome = await options.notifier
        .notify(update)
        .catch(() => ({ kind: 'pending', reason: 'failed' }) as const);
      if (outcome.kind === 'delivered') delivered += 1;
      else pending += 1;
    }
    if (updates.length) {
      log.info(
        {
          reminded: run.reminded.length,
          autoResolved: run.autoResolved.length,
          autoClosed: run.autoClosed.length,
          delivered,
          pending,
        },
        'lifecycle policy applied',
      );
    }
    return { ...run, delivered, pending };
  };
  return new MongoLeaseJob<LifecycleJobResult>({
    name: LIFECYCLE_JOB_NAME,
    connection: options.connection,
    logger: options.logger,
    task,
    intervalMs: options.intervalMs ?? 5 * 60_000,
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    ...(options.staleAfterMs === undefined ? {} : { staleAfterMs: options.staleAfterMs }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.holderId === undefined ? {} : { holderId: options.holderId }),
  });
}
