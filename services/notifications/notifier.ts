import type { Logger } from '../logger';
import type { ConversationReferenceRecord, ConversationReferenceStore } from './conversationReferences';
import type { PendingReason, PendingUpdateStore } from './pendingUpdates';
import type { TicketUpdate } from './ticketUpdate';

export type NotifyOutcome =
  | { kind: 'delivered'; referenceId: string }
  /** Not delivered now; kept for the next time the requester writes. */
  | { kind: 'pending'; reason: PendingReason };

/** Tells requesters about their tickets (product.md flow H). */
export interface Notifier {
  /** Delivers the update to the requester's conversation, or keeps it pending. Never throws. */
  notify(update: TicketUpdate): Promise<NotifyOutcome>;
  /** The contact's undelivered updates, oldest first; each is returned once. */
  takePending(contactId: string): Promise<TicketUpdate[]>;
}

/**
 * Sends `text` into the conversation. Implemented by the bot host (a proactive message through
 * the adapter); throws on failure, with the HTTP status as `statusCode` (or `status`) when the
 * channel answered one.
 */
export type DeliverFunction = (
  reference: ConversationReferenceRecord,
  text: string,
  update: TicketUpdate,
) => Promise<void>;

export interface TicketUpdateNotifierOptions {
  references: ConversationReferenceStore;
  pending: PendingUpdateStore;
  deliver: DeliverFunction;
  logger: Logger;
  /** The update's text for the requester (the wording lives with the dialogs' texts). */
  render: (update: TicketUpdate) => string;
  /** A delivery still running after this counts as failed; 10 s when absent. */
  deliveryTimeoutMs?: number;
}

/** Statuses with which the channel says the conversation is gone for good (the user removed the app). */
const GONE_STATUSES = new Set([403, 404]);

/**
 * Notifies through the conversation the ticket was opened in (or the requester's latest one):
 * a refusal with 403/404 marks that reference stale; any failure keeps the update pending.
 */
export class TicketUpdateNotifier implements Notifier {
  private readonly log: Logger;
  private readonly render: (update: TicketUpdate) => string;
  private readonly deliveryTimeoutMs: number;

  constructor(private readonly options: TicketUpdateNotifierOptions) {
    this.log = options.logger.child({ component: 'notifications' });
    this.render = options.render;
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 10_000;
  }

  async notify(update: TicketUpdate): Promise<NotifyOutcome> {
    const context = { ticketNumber: update.ticketNumber, kind: update.kind, updateId: update.id };
    let reason: PendingReason;
    try {
      const reference = await this.findReference(update);
      if (!reference) {
        reason = 'no_reference';
      } else if (reference.stale) {
        reason = 'stale';
      } else {
        const delivered = await this.tryDeliver(reference, update);
        if (delivered === 'ok') {
          this.log.info({ ...context, channelId: reference.channelId }, 'ticket update delivered');
          return { kind: 'delivered', referenceId: reference.id };
        }
        reason = delivered;
      }
    } catch (error) {
      this.log.warn({ ...context, err: error }, 'ticket update: could not look up the conversation');
      reason = 'failed';
    }
    try {
      await this.options.pending.add(update, reason);
      this.log.info({ ...context, reason }, 'ticket update kept pending');
    } catch (error) {
      this.log.error({ ...context, err: error }, 'ticket update lost: could not keep it pending');
    }
    return { kind: 'pending', reason };
  }

  async takePending(contactId: string): Promise<TicketUpdate[]> {
    try {
      return await this.options.pending.take(contactId);
    } catch (error) {
      this.log.warn({ err: error }, 'could not read pending ticket updates');
      return [];
    }
  }

  private async findReference(update: TicketUpdate): Promise<ConversationReferenceRecord | undefined> {
    if (update.conversationRefId) {
      const reference = await this.options.references.get(update.conversationRefId);
      if (reference && !reference.stale) return reference;
      // The ticket's conversation is gone: the requester may be reachable in a newer one.
      const latest = await this.options.references.latestForContact(update.contactId);
      return latest ?? reference;
    }
    return await this.options.references.latestForContact(update.contactId);
  }

  private async tryDeliver(
    reference: ConversationReferenceRecord,
    update: TicketUpdate,
  ): Promise<'ok' | 'stale' | 'failed'> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`delivery took longer than ${this.deliveryTimeoutMs} ms`)),
          this.deliveryTimeoutMs,
        );
      });
      await Promise.race([this.options.deliver(reference, this.render(update), update), timeout]);
      return 'ok';
    } catch (error) {
      const status = httpStatusOf(error);
      const logContext = {
        ticketNumber: update.ticketNumber,
        referenceId: reference.id,
        channelId: reference.channelId,
        status,
      };
      if (status !== undefined && GONE_STATUSES.has(status)) {
        this.log.warn(logContext, 'conversation refused the update (app removed?); reference marked stale');
        await this.options.references.markStale(reference.id).catch((markError: unknown) => {
          this.log.warn({ ...logContext, err: markError }, 'could not mark the conversation reference stale');
        });
        return 'stale';
      }
      this.log.warn({ ...logContext, err: error }, 'ticket update delivery failed');
      return 'failed';
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}

/** The HTTP status a channel client error carries (botframework-connector's RestError: `statusCode`). */
export function httpStatusOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const candidate = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const value of [candidate.statusCode, candidate.status, candidate.response?.status]) {
    if (typeof value === 'number' && value >= 100 && value < 600) return value;
  }
  return undefined;
}
