import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Connection } from 'mongoose';
import { isDuplicateKey, withDatabaseErrors } from '../db';
import type { Logger } from '../logger';
import type { BusinessHours, Severity, TicketService } from '../tickets';
import {
  getHandoffClaimModel,
  getHandoffMessageModel,
  getHandoffModel,
  toHandoff,
  toHandoffMessage,
  type Handoff,
  type HandoffAgent,
  type HandoffClaimDocument,
  type HandoffDocument,
  type HandoffMessage,
  type HandoffOutcome,
  type HandoffReason,
  type HandoffStatus,
  type TranscriptLine,
} from './model';
import { transcriptText } from './transcripts';

/**
 * Where handed-over conversations go: the built-in agent console, or a connector to an external
 * contact centre (Dynamics 365 Omnichannel, LivePerson, Genesys). The dialogs never see which.
 */
export interface HandoffTarget {
  /** Its name, stored on each handoff (`console`, `omnichannel`…). */
  readonly name: string;
  /** Whether someone can take a conversation now (agents signed in, the contact centre reachable). */
  available(now: Date): Promise<boolean>;
  /** A handoff was queued; throwing makes it fail. */
  initiated(handoff: Handoff): Promise<void>;
  /** The user wrote while handed over. */
  userMessage(handoff: Handoff, message: HandoffMessage): Promise<void>;
  /** The handoff ended (any way). */
  ended(handoff: Handoff): Promise<void>;
}

/** The console target: the queue is the database, which every Helpline process reads. */
export class ConsoleHandoffTarget implements HandoffTarget {
  readonly name = 'console';
  constructor(private readonly agentsOnDuty: (now: Date) => Promise<boolean>) {}
  async available(now: Date): Promise<boolean> {
    return await this.agentsOnDuty(now);
  }
  async initiated(): Promise<void> {}
  async userMessage(): Promise<void> {}
  async ended(): Promise<void> {}
}

/** What the user is sent during a handoff; the bot host renders it for the channel and language. */
export type HandoffUserMessage =
  | { kind: 'agent_message'; handoff: Handoff; text: string; agentName: string }
  /** A `handoff.status` change: accepted, completed (ended or converted), failed (timed out, no agent). */
  | { kind: 'status'; handoff: Handoff; state: 'accepted' | 'completed' | 'failed' };

/** Sends into the user's conversation (a proactive message through the stored reference); throws on failure. */
export type HandoffUserChannel = (message: HandoffUserMessage) => Promise<void>;

export interface HandoffRequest {
  conversationId: string;
  channelId: string;
  locale: 'en' | 'fr';
  reason: HandoffReason;
  transcript: TranscriptLine[];
  contactId?: string | undefined;
  requesterName?: string | undefined;
  organisationId?: string | undefined;
  organisationName?: string | undefined;
}

export type HandoffRequestResult =
  | { kind: 'queued'; handoff: Handoff }
  /** A handoff of this conversation is already queued or live. */
  | { kind: 'already'; handoffId: string }
  /** Recorded as failed: outside support hours, nobody on duty, or the target refused. */
  | { kind: 'unavailable'; handoff: Handoff };

export type AcceptResult =
  | { kind: 'accepted'; handoff: Handoff }
  | { kind: 'not_found' }
  /** Someone else accepted it, or it timed out / was left first. */
  | { kind: 'taken'; decision: string; by?: HandoffAgent };

export type EndResult =
  { kind: 'ended'; handoff: Handoff } | { kind: 'not_found' } | { kind: 'already_ended' };

export type UserMessageResult =
  | { kind: 'none' }
  | { kind: 'waiting'; handoff: Handoff }
  | { kind: 'relayed'; handoff: Handoff }
  | { kind: 'timed_out'; handoff: Handoff };

export type AgentMessageResult =
  | { kind: 'sent'; message: HandoffMessage; delivered: boolean }
  | { kind: 'not_found' }
  | { kind: 'not_active'; status: HandoffStatus };

export type ConvertResult =
  | { kind: 'converted'; handoff: Handoff; ticketNumber: string }
  | { kind: 'not_found' }
  /** The user is not a signed-in contact who may open tickets. */
  | { kind: 'no_contact' };

export interface ConvertFields {
  module: string;
  severity: Severity;
  subject?: string | undefined;
}

export interface HandoffService {
  /** Whether a handoff requested now could reach someone (within hours, the target available). */
  available(): Promise<boolean>;
  request(input: HandoffRequest): Promise<HandoffRequestResult>;
  get(id: string): Promise<Handoff | undefined>;
  /** The conversation's queued or live handoff. */
  activeFor(conversationId: string): Promise<Handoff | undefined>;
  accept(id: string, agent: HandoffAgent): Promise<AcceptResult>;
  end(id: string, by: { kind: 'agent'; agent: HandoffAgent } | { kind: 'user' }): Promise<EndResult>;
  userMessage(conversationId: string, text: string): Promise<UserMessageResult>;
  agentMessage(id: string, agent: HandoffAgent, text: string): Promise<AgentMessageResult>;
  convertToTicket(id: string, agent: HandoffAgent, fields: ConvertFields): Promise<ConvertResult>;
  /** Live handoffs (queued, accepted) and those that ended since `endedSince`, oldest first. */
  list(endedSince: Date): Promise<Handoff[]>;
  messages(id: string): Promise<HandoffMessage[]>;
  /** Times out the queued handoffs past their deadline; safe to run in every process at once. */
  sweep(): Promise<number>;
  /** The transcript and the live messages as plain text (a ticket's description). */
  fullText(handoff: Handoff, messages: HandoffMessage[]): string;
  /** Stores the agent's two-line summary of the conversation; false when there is no such handoff. */
  setSummary(id: string, summary: { problem: string; status: string }): Promise<boolean>;
  /** Told of every handoff queued for an agent, after it is stored. Must not throw. */
  queuedListener?: ((handoff: Handoff) => void) | undefined;
}

export interface MongoHandoffServiceOptions {
  connection: Connection;
  logger: Logger;
  target: HandoffTarget;
  channel: HandoffUserChannel;
  tickets: TicketService;
  /** Unaccepted for this long, a handoff times out. */
  timeoutMs: number;
  /** When agents take conversations; always when absent. */
  hours?: BusinessHours | undefined;
  clock?: () => Date;
}

const LIVE: HandoffStatus[] = ['queued', 'accepted'];
const TEXT_LABELS = { user: 'User', bot: 'Helpline', agent: 'Agent', system: 'Helpline' } as const;

/** Handoffs in MongoDB; every transition is decided once by a unique insert (see `HandoffClaimDocument`). */
export class MongoHandoffService implements HandoffService {
  queuedListener: ((handoff: Handoff) => void) | undefined;
  private readonly handoffs: Model<HandoffDocument>;
  private readonly claims: Model<HandoffClaimDocument>;
  private readonly messagesModel: ReturnType<typeof getHandoffMessageModel>;
  private readonly log: Logger;
  private readonly clock: () => Date;

  constructor(private readonly options: MongoHandoffServiceOptions) {
    this.handoffs = getHandoffModel(options.connection);
    this.claims = getHandoffClaimModel(options.connection);
    this.messagesModel = getHandoffMessageModel(options.connection);
    this.log = options.logger.child({ component: 'handoff' });
    this.clock = options.clock ?? (() => new Date());
  }

  async available(): Promise<boolean> {
    const now = this.clock();
    return this.withinHours(now) && (await this.options.target.available(now).catch(() => false));
  }

  async request(input: HandoffRequest): Promise<HandoffRequestResult> {
    return await withDatabaseErrors('Handoff', async () => {
      const live = await this.liveClaim(input.conversationId);
      if (live) return { kind: 'already', handoffId: live.handoffId };
      const now = this.clock();
      const id = randomUUID();
      const base: HandoffDocument = {
        _id: id,
        conversationId: input.conversationId,
        channelId: input.channelId,
        locale: input.locale,
        reason: input.reason,
        target: this.options.target.name,
        status: 'queued',
        transcript: input.transcript.slice(-60),
        createdAt: now,
        updatedAt: now,
        revision: 1,
        deadlineAt: new Date(now.getTime() + this.options.timeoutMs),
        ...(input.contactId ? { contactId: input.contactId } : {}),
        ...(input.requesterName ? { requesterName: input.requesterName } : {}),
        ...(input.organisationId ? { organisationId: input.organisationId } : {}),
        ...(input.organisationName ? { organisationName: input.organisationName } : {}),
      };
      const refusal: HandoffOutcome | undefined = !this.withinHours(now)
        ? 'outside_hours'
        : !(await this.options.target.available(now).catch(() => false))
          ? 'no_agent'
          : undefined;
      if (refusal) {
        const failed = { ...base, status: 'failed' as const, outcome: refusal, endedAt: now };
        await this.handoffs.create(failed);
        this.log.info({ handoffId: id, outcome: refusal }, 'handoff not possible now');
        return { kind: 'unavailable', handoff: toHandoff(failed) };
      }
      // One live handoff per conversation: a double click or a second process loses here.
      const claimed = await this.claim(`active:${input.conversationId}`, id, 'live');
      if (!claimed.won) return { kind: 'already', handoffId: claimed.existing.handoffId };
      await this.handoffs.create(base);
      const handoff = toHandoff(base);
      try {
        await this.options.target.initiated(handoff);
      } catch (error) {
        this.log.warn({ err: error, handoffId: id }, 'handoff target refused the conversation');
        const failed = await this.leaveQueue(handoff, 'failed', 'target_failed');
        return { kind: 'unavailable', handoff: failed ?? handoff };
      }
      this.log.info({ handoffId: id, reason: input.reason, target: handoff.target }, 'handoff queued');
      try {
        this.queuedListener?.(handoff);
      } catch (error) {
        this.log.warn({ err: error, handoffId: id }, 'handoff-queued listener failed');
      }
      return { kind: 'queued', handoff };
    });
  }

  async setSummary(id: string, summary: { problem: string; status: string }): Promise<boolean> {
    const { problem, status } = summary;
    return await withDatabaseErrors('Handoff', async () => {
      const result = await this.handoffs
        // A change like any other: the consoles' live stream (which tails updatedAt) shows it.
        .updateOne(
          { _id: id },
          { $set: { summary: { problem, status }, updatedAt: this.clock() }, $inc: { revision: 1 } },
        )
        .exec();
      return result.matchedCount > 0;
    });
  }

  async get(id: string): Promise<Handoff | undefined> {
    const doc = await this.handoffs.findById(id).lean().exec();
    return doc ? toHandoff(doc) : undefined;
  }

  async activeFor(conversationId: string): Promise<Handoff | undefined> {
    const claim = await this.liveClaim(conversationId);
    if (!claim) return undefined;
    const handoff = await this.get(claim.handoffId);
    return handoff && LIVE.includes(handoff.status) ? handoff : undefined;
  }

  async accept(id: string, agent: HandoffAgent): Promise<AcceptResult> {
    return await withDatabaseErrors('Handoff', async () => {
      const handoff = await this.get(id);
      if (!handoff) return { kind: 'not_found' };
      const now = this.clock();
      const claimed = await this.claim(`leave-queue:${id}`, id, 'accepted', agent);
      if (!claimed.won) {
        return {
          kind: 'taken',
          decision: claimed.existing.decision,
          ...(claimed.existing.by ? { by: claimed.existing.by } : {}),
        };
      }
      await this.handoffs
        .updateOne(
          { _id: id, status: 'queued' },
          { $set: { status: 'accepted', agent, acceptedAt: now, updatedAt: now }, $inc: { revision: 1 } },
        )
        .exec();
      const accepted: Handoff = { ...handoff, status: 'accepted', agent, acceptedAt: now };
      this.log.info({ handoffId: id, agentId: agent.id }, 'handoff accepted');
      await this.tell({ kind: 'status', handoff: accepted, state: 'accepted' });
      return { kind: 'accepted', handoff: accepted };
    });
  }

  async end(id: string, by: { kind: 'agent'; agent: HandoffAgent } | { kind: 'user' }): Promise<EndResult> {
    return await withDatabaseErrors('Handoff', async () => {
      const handoff = await this.get(id);
      if (!handoff) return { kind: 'not_found' };
      const outcome: HandoffOutcome = by.kind === 'agent' ? 'ended_by_agent' : 'ended_by_user';
      const ended = await this.finish(handoff, outcome, {});
      return ended ? { kind: 'ended', handoff: ended } : { kind: 'already_ended' };
    });
  }

  async userMessage(conversationId: string, text: string): Promise<UserMessageResult> {
    return await withDatabaseErrors('Handoff', async () => {
      const handoff = await this.activeFor(conversationId);
      if (!handoff) return { kind: 'none' };
      if (handoff.status === 'queued' && handoff.deadlineAt.getTime() <= this.clock().getTime()) {
        const timedOut = await this.leaveQueue(handoff, 'timed_out', 'timed_out');
        return timedOut ? { kind: 'timed_out', handoff: timedOut } : { kind: 'none' };
      }
      const message = await this.store(handoff.id, 'user', text);
      await this.options.target.userMessage(handoff, message).catch((error: unknown) => {
        this.log.warn({ err: error, handoffId: handoff.id }, 'handoff target did not take the message');
      });
      return handoff.status === 'accepted' ? { kind: 'relayed', handoff } : { kind: 'waiting', handoff };
    });
  }

  async agentMessage(id: string, agent: HandoffAgent, text: string): Promise<AgentMessageResult> {
    return await withDatabaseErrors('Handoff', async () => {
      const handoff = await this.get(id);
      if (!handoff) return { kind: 'not_found' };
      if (handoff.status !== 'accepted') return { kind: 'not_active', status: handoff.status };
      const message = await this.store(id, 'agent', text, agent.name);
      const delivered = await this.tell({ kind: 'agent_message', handoff, text, agentName: agent.name });
      return { kind: 'sent', message, delivered };
    });
  }

  async convertToTicket(id: string, agent: HandoffAgent, fields: ConvertFields): Promise<ConvertResult> {
    const handoff = await this.get(id);
    if (!handoff) return { kind: 'not_found' };
    if (!handoff.contactId) return { kind: 'no_contact' };
    const messages = await this.messages(id);
    const text = this.fullText(handoff, messages);
    const firstUserLine = [...handoff.transcript, ...messages].find((l) => l.from === 'user')?.text ?? '';
    const subject = (fields.subject?.trim() || `Conversation with support: ${firstUserLine}`)
      .replace(/\s+/g, ' ')
      .slice(0, 150)
      .padEnd(5, '.');
    const description = (text.length > 4900 ? `…${text.slice(-4899)}` : text).padEnd(10, '.');
    const created = await this.options.tickets.create(
      {
        type: 'technical',
        requesterContactId: handoff.contactId,
        channel: toTicketChannel(handoff.channelId),
        conversationRefId: handoff.conversationId,
        locale: handoff.locale,
        module: fields.module,
        subject,
        description,
        severity: fields.severity,
        unknownFields: ['serverUrl', 'stepsToReproduce', 'devices', 'productVersion'],
      },
      `handoff:${id}`,
    );
    const ticketNumber = created.ticket.number;
    this.log.info({ handoffId: id, ticketNumber, agentId: agent.id }, 'handoff converted into a ticket');
    const ended = await this.finish(handoff, 'converted', { ticketNumber });
    if (!ended) {
      await this.handoffs
        .updateOne({ _id: id }, { $set: { ticketNumber, updatedAt: this.clock() }, $inc: { revision: 1 } })
        .exec();
    }
    return { kind: 'converted', handoff: ended ?? { ...handoff, ticketNumber }, ticketNumber };
  }

  async list(endedSince: Date): Promise<Handoff[]> {
    const docs = await this.handoffs
      .find({ $or: [{ status: { $in: LIVE } }, { endedAt: { $gte: endedSince } }] })
      .sort({ createdAt: 1 })
      .limit(200)
      .lean()
      .exec();
    return docs.map(toHandoff);
  }

  async messages(id: string): Promise<HandoffMessage[]> {
    const docs = await this.messagesModel.find({ handoffId: id }).sort({ at: 1 }).limit(1000).lean().exec();
    return docs.map(toHandoffMessage);
  }

  async sweep(): Promise<number> {
    const now = this.clock();
    const due = await this.handoffs
      .find({ status: 'queued', deadlineAt: { $lte: now } })
      .limit(100)
      .lean()
      .exec();
    let timedOut = 0;
    for (const doc of due) {
      if (await this.leaveQueue(toHandoff(doc), 'timed_out', 'timed_out')) timedOut++;
    }
    return timedOut;
  }

  fullText(handoff: Handoff, messages: HandoffMessage[]): string {
    return transcriptText(
      [
        ...handoff.transcript,
        ...messages.map((m) => ({
          from: m.from,
          text: m.text,
          at: m.at,
          ...(m.name ? { name: m.name } : {}),
        })),
      ],
      TEXT_LABELS,
    );
  }

  /** Queued → timed_out / failed / left: decided once; the winner tells the user. */
  private async leaveQueue(
    handoff: Handoff,
    status: 'timed_out' | 'failed' | 'completed',
    outcome: HandoffOutcome,
    extra: { ticketNumber?: string } = {},
  ): Promise<Handoff | undefined> {
    const claimed = await this.claim(`leave-queue:${handoff.id}`, handoff.id, outcome);
    if (!claimed.won) return undefined;
    const now = this.clock();
    await this.handoffs
      .updateOne(
        { _id: handoff.id, status: 'queued' },
        { $set: { status, outcome, endedAt: now, updatedAt: now, ...extra }, $inc: { revision: 1 } },
      )
      .exec();
    await this.releaseLive(handoff);
    const left: Handoff = { ...handoff, status, outcome, endedAt: now, ...extra };
    this.log.info({ handoffId: handoff.id, status, outcome }, 'handoff left the queue');
    await this.options.target.ended(left).catch(() => undefined);
    if (outcome !== 'ended_by_user') {
      await this.tell({
        kind: 'status',
        handoff: left,
        state: status === 'completed' ? 'completed' : 'failed',
      });
    }
    return left;
  }

  /** Ends a handoff whichever state it is in; undefined when it had already ended. */
  private async finish(
    handoff: Handoff,
    outcome: HandoffOutcome,
    extra: { ticketNumber?: string },
  ): Promise<Handoff | undefined> {
    const queue = await this.claims.findById(`leave-queue:${handoff.id}`).lean().exec();
    if (!queue) {
      // Still queued: the user leaving, or an agent converting it straight away, takes it out.
      return await this.leaveQueue(handoff, 'completed', outcome, extra);
    }
    if (queue.decision !== 'accepted') return undefined;
    const claimed = await this.claim(`end:${handoff.id}`, handoff.id, outcome);
    if (!claimed.won) return undefined;
    const now = this.clock();
    await this.handoffs
      .updateOne(
        { _id: handoff.id },
        {
          $set: { status: 'completed', outcome, endedAt: now, updatedAt: now, ...extra },
          $inc: { revision: 1 },
        },
      )
      .exec();
    await this.releaseLive(handoff);
    const ended: Handoff = { ...handoff, status: 'completed', outcome, endedAt: now, ...extra };
    this.log.info({ handoffId: handoff.id, outcome }, 'handoff completed');
    await this.options.target.ended(ended).catch(() => undefined);
    if (outcome !== 'ended_by_user') await this.tell({ kind: 'status', handoff: ended, state: 'completed' });
    return ended;
  }

  private async liveClaim(conversationId: string): Promise<HandoffClaimDocument | undefined> {
    const claim = await this.claims.findById(`active:${conversationId}`).lean().exec();
    if (!claim) return undefined;
    // A claim whose handoff has ended (a process stopped between the two writes) no longer counts.
    const ended = await this.claims.findById(`end:${claim.handoffId}`).lean().exec();
    const queue = await this.claims.findById(`leave-queue:${claim.handoffId}`).lean().exec();
    if (ended || (queue && queue.decision !== 'accepted')) {
      await this.claims.deleteOne({ _id: claim._id, handoffId: claim.handoffId }).exec();
      return undefined;
    }
    return claim;
  }

  private async releaseLive(handoff: Handoff): Promise<void> {
    await this.claims.deleteOne({ _id: `active:${handoff.conversationId}`, handoffId: handoff.id }).exec();
  }

  private async claim(
    key: string,
    handoffId: string,
    decision: string,
    by?: HandoffAgent,
  ): Promise<{ won: true } | { won: false; existing: HandoffClaimDocument }> {
    try {
      await this.claims.create({ _id: key, handoffId, decision, at: this.clock(), ...(by ? { by } : {}) });
      return { won: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.claims.findById(key).lean().exec();
      return {
        won: false,
        existing: existing ?? { _id: key, handoffId, decision: 'unknown', at: this.clock() },
      };
    }
  }

  private async store(
    handoffId: string,
    from: HandoffMessage['from'],
    text: string,
    name?: string,
  ): Promise<HandoffMessage> {
    const message: HandoffMessage = {
      id: randomUUID(),
      handoffId,
      from,
      text: text.trim().slice(0, 4000),
      at: this.clock(),
      ...(name ? { name } : {}),
    };
    const { id, ...rest } = message;
    await this.messagesModel.create({ _id: id, ...rest });
    // The console's live feed sees the conversation change.
    await this.handoffs
      .updateOne({ _id: handoffId }, { $set: { updatedAt: message.at }, $inc: { revision: 1 } })
      .exec();
    return message;
  }

  /** Tells the user; never fails the caller (the record is the truth, the message a courtesy). */
  private async tell(message: HandoffUserMessage): Promise<boolean> {
    try {
      await this.options.channel(message);
      return true;
    } catch (error) {
      this.log.warn(
        { err: error, handoffId: message.handoff.id, kind: message.kind },
        'handoff: user not reached',
      );
      return false;
    }
  }

  private withinHours(now: Date): boolean {
    const hours = this.options.hours;
    if (!hours) return true;
    const local = new Date(now.getTime() + hours.utcOffsetMinutes * 60_000);
    const hour = local.getUTCHours() + local.getUTCMinutes() / 60;
    return hours.days.includes(local.getUTCDay()) && hour >= hours.startHour && hour < hours.endHour;
  }
}

function toTicketChannel(
  channelId: string,
): 'msteams' | 'webchat' | 'directline' | 'emulator' | 'test' | 'api' {
  return (
    (['msteams', 'webchat', 'directline', 'emulator', 'test'] as const).find((c) => c === channelId) ?? 'api'
  );
}
