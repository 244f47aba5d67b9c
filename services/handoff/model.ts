import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../db';

/**
 * queued: waiting for an agent; accepted: an agent is talking with the user; completed: ended
 * by the agent or the user (or converted into a ticket); timed_out: nobody accepted in time;
 * failed: no agent could be reached (outside support hours, nobody on duty, target error).
 */
export const HANDOFF_STATUSES = ['queued', 'accepted', 'completed', 'timed_out', 'failed'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/** Why the bot handed over: the user asked, or the bot gave up. */
export const HANDOFF_REASONS = ['asked', 'repeated_failures', 'frustration', 'severity1'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** How a handoff ended, beyond its status. */
export type HandoffOutcome =
  | 'ended_by_agent'
  | 'ended_by_user'
  | 'converted'
  | 'timed_out'
  | 'outside_hours'
  | 'no_agent'
  | 'target_failed';

export interface TranscriptLine {
  from: 'user' | 'bot' | 'agent' | 'system';
  text: string;
  at: Date;
  /** The agent's display name for agent lines. */
  name?: string;
}

export interface HandoffAgent {
  id: string;
  name: string;
}

/** One handoff from the bot to a person, as plain data. */
export interface Handoff {
  id: string;
  /** The conversation (and conversation reference) the user talks in. */
  conversationId: string;
  channelId: string;
  locale: 'en' | 'fr';
  reason: HandoffReason;
  /** The handoff target that carries it (`console` for the built-in agent console). */
  target: string;
  status: HandoffStatus;
  outcome?: HandoffOutcome;
  /** The signed-in contact, when there is one (needed for a ticket). */
  contactId?: string;
  requesterName?: string;
  organisationId?: string;
  organisationName?: string;
  /** What was said before the handoff, oldest first. */
  transcript: TranscriptLine[];
  createdAt: Date;
  /** The last change (status or a message); with `revision`, what the console's live feed tails. */
  updatedAt?: Date;
  /** Counts the changes, so that two at the same instant are still told apart. */
  revision?: number;
  /** Unaccepted at this time, the handoff times out. */
  deadlineAt: Date;
  acceptedAt?: Date;
  endedAt?: Date;
  agent?: HandoffAgent;
  ticketNumber?: string;
  /** For the agent: the conversation in two lines, when a language model wrote one (after queuing). */
  summary?: { problem: string; status: string };
}

export type HandoffDocument = Omit<Handoff, 'id'> & { _id: string };

const lineSchema = new Schema(
  {
    from: { type: String, required: true },
    text: { type: String, required: true },
    at: { type: Date, required: true },
    name: { type: String },
  },
  { _id: false },
);

const handoffSchema = new Schema<HandoffDocument>(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    channelId: { type: String, required: true },
    locale: { type: String, required: true },
    reason: { type: String, required: true },
    target: { type: String, required: true },
    status: { type: String, required: true, enum: HANDOFF_STATUSES },
    outcome: { type: String },
    contactId: { type: String },
    requesterName: { type: String },
    organisationId: { type: String },
    organisationName: { type: String },
    transcript: { type: [lineSchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date },
    revision: { type: Number },
    deadlineAt: { type: Date, required: true },
    acceptedAt: { type: Date },
    endedAt: { type: Date },
    agent: { type: new Schema({ id: String, name: String }, { _id: false }) },
    ticketNumber: { type: String },
    summary: { type: new Schema({ problem: String, status: String }, { _id: false }) },
  },
  { collection: 'handoffs', versionKey: false, minimize: false },
);
handoffSchema.index({ updatedAt: 1 });
handoffSchema.index({ status: 1, createdAt: 1 });
handoffSchema.index({ createdAt: 1 });

export function getHandoffModel(connection: Connection): Model<HandoffDocument> {
  return modelOn(connection, 'Handoff', handoffSchema);
}

/**
 * Decisions taken once: `_id` is `active:<conversationId>` (the one live handoff of a
 * conversation), `leave-queue:<handoffId>` (accepted, timed out, failed or left while queued) or
 * `end:<handoffId>` (how an accepted handoff ended). FerretDB updates are not atomic, so two
 * processes deciding at once both try to insert: the unique `_id` lets exactly one win.
 */
export interface HandoffClaimDocument {
  _id: string;
  handoffId: string;
  decision: string;
  at: Date;
  by?: HandoffAgent;
}

const claimSchema = new Schema<HandoffClaimDocument>(
  {
    _id: { type: String, required: true },
    handoffId: { type: String, required: true },
    decision: { type: String, required: true },
    at: { type: Date, required: true },
    by: { type: new Schema({ id: String, name: String }, { _id: false }) },
  },
  { collection: 'handoff_claims', versionKey: false },
);

export function getHandoffClaimModel(connection: Connection): Model<HandoffClaimDocument> {
  return modelOn(connection, 'HandoffClaim', claimSchema);
}

/** A message of the live conversation between the user and the agent. */
export interface HandoffMessage {
  id: string;
  handoffId: string;
  from: 'user' | 'agent' | 'system';
  text: string;
  at: Date;
  name?: string;
}

type HandoffMessageDocument = Omit<HandoffMessage, 'id'> & { _id: string };

const messageSchema = new Schema<HandoffMessageDocument>(
  {
    _id: { type: String, required: true },
    handoffId: { type: String, required: true },
    from: { type: String, required: true },
    text: { type: String, required: true },
    at: { type: Date, required: true },
    name: { type: String },
  },
  { collection: 'handoff_messages', versionKey: false },
);
messageSchema.index({ handoffId: 1, at: 1 });

export function getHandoffMessageModel(connection: Connection): Model<HandoffMessageDocument> {
  return modelOn(connection, 'HandoffMessage', messageSchema);
}

export function toHandoff(doc: HandoffDocument): Handoff {
  const { _id, ...rest } = doc;
  const handoff: Handoff = { id: _id, ...rest, transcript: rest.transcript ?? [] };
  for (const key of Object.keys(handoff) as (keyof Handoff)[]) {
    if (handoff[key] === null || handoff[key] === undefined) delete handoff[key];
  }
  return handoff;
}

export function toHandoffMessage(doc: HandoffMessageDocument): HandoffMessage {
  const { _id, ...rest } = doc;
  const message: HandoffMessage = { id: _id, ...rest };
  if (message.name === null || message.name === undefined) delete message.name;
  return message;
}
