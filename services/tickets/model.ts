import { Schema, type Connection, type Model } from 'mongoose';
import type { Actor } from '../audit';
import { modelOn } from '../db';
import type { PriorityLabel, Severity } from './policy';

export const TICKET_TYPES = ['technical', 'billing', 'feature'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/**
 * new: just opened; open: support is working on it; pending: awaiting the customer;
 * on_hold: awaiting information the ticket lacks; resolved: can still be reopened;
 * closed: final.
 */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const CHANNELS = ['msteams', 'webchat', 'directline', 'emulator', 'test', 'api'] as const;
export type TicketChannel = (typeof CHANNELS)[number];

export const TIMELINE_EVENT_TYPES = [
  'created',
  'status_changed',
  'comment',
  'escalation_requested',
  'escalated',
  'reopened',
  'assigned',
  'reminder_sent',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

export interface Device {
  serialNumber: string;
  deviceNumber: string;
}

/** A knowledge-base article the user already tried before opening the ticket. */
export interface ArticleRef {
  key: string;
  title: string;
  url: string;
}

export interface TimelineEvent {
  id: string;
  type: TimelineEventType;
  at: Date;
  by: Actor;
  /** Internal events (staff notes) are never shown to customers. */
  visibility: 'public' | 'internal';
  /** By type: comment {text}; status_changed {from, to, reason?, note?}; escalation_requested {reason}; assigned {assignee}; reopened {reason?}. */
  data: Record<string, unknown>;
}

export interface VersionWarning {
  /** `unsupported`: a known version out of support; `unknown`: not a version the catalogue knows. */
  status: 'unsupported' | 'unknown';
  supportedVersions: string[];
}

export interface BillingDetails {
  invoiceNumber?: string;
  amount?: number;
  /** ISO 4217 code, e.g. EUR. */
  currency?: string;
  topic?: string;
}

/**
 * Two lines for the support engineer, written by the language model from the conversation that
 * led to the ticket: the problem, then where things stand. Plain text, added after the ticket
 * was opened (never part of opening it).
 */
export interface TicketSummary {
  problem: string;
  status: string;
  at: Date;
}

export interface TicketRequester {
  contactId: string;
  name: string;
  email: string;
}

export interface StaffMember {
  id: string;
  name: string;
}

/** A ticket as services return it (plain data, safe to keep in state or send as JSON). */
export interface Ticket {
  id: string;
  number: string;
  sequence: number;
  type: TicketType;
  subject: string;
  description: string;
  expectedResult?: string;
  severity: Severity;
  priority: PriorityLabel;
  /** Catalogue module id; `billing` for billing tickets. */
  module: string;
  serverUrl?: string;
  stepsToReproduce?: string;
  /** Example devices; `[]` means "none" (modules without devices). Absent when unknown. */
  devices?: Device[];
  productVersion?: string;
  versionWarning?: VersionWarning;
  billing?: BillingDetails;
  requester: TicketRequester;
  organisationId: string;
  organisationName: string;
  /** Lowercase emails copied on the ticket; the account manager's always comes first. */
  ccs: string[];
  channel: TicketChannel;
  /** The stored conversation reference to notify the requester through. */
  conversationRefId?: string;
  locale?: 'en' | 'fr';
  articlesTried: ArticleRef[];
  status: TicketStatus;
  /** Names of the required fields the requester could not give (status on_hold while non-empty at creation). */
  missingInformation: string[];
  expectedFirstResponse: Date;
  /** Opened by a currently certified administrator. */
  triagePriority: boolean;
  escalated: boolean;
  assignee?: StaffMember;
  /** An earlier ticket this one follows up (e.g. reopened after the window). */
  relatedTicketNumber?: string;
  /** For staff: the conversation in two lines, when a language model wrote one. */
  summary?: TicketSummary;
  timeline: TimelineEvent[];
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt?: Date;
  closedAt?: Date;
  /** When the ticket last became pending (awaiting the customer). */
  pendingSince?: Date;
  /** Reminders sent during the current pending period. */
  remindersSent: number;
}

export type TicketDocument = Omit<Ticket, 'id'> & { _id: string };

const actorSchema = new Schema(
  {
    kind: { type: String, required: true, enum: ['customer', 'staff', 'system'] },
    id: { type: String, required: true },
    name: { type: String, required: true },
  },
  { _id: false },
);

const timelineEventSchema = new Schema(
  {
    id: { type: String, required: true },
    type: { type: String, required: true, enum: TIMELINE_EVENT_TYPES },
    at: { type: Date, required: true },
    by: { type: actorSchema, required: true },
    visibility: { type: String, required: true, enum: ['public', 'internal'] },
    data: { type: Schema.Types.Mixed, default: {} },
  },
  { _id: false, minimize: false },
);

const ticketSchema = new Schema<TicketDocument>(
  {
    _id: { type: String, required: true },
    number: { type: String, required: true, unique: true },
    sequence: { type: Number, required: true },
    type: { type: String, required: true, enum: TICKET_TYPES },
    subject: { type: String, required: true },
    description: { type: String, required: true },
    expectedResult: { type: String },
    severity: { type: Number, required: true, min: 1, max: 4 },
    priority: { type: String, required: true },
    module: { type: String, required: true },
    serverUrl: { type: String },
    stepsToReproduce: { type: String },
    devices: {
      type: [new Schema({ serialNumber: String, deviceNumber: String }, { _id: false })],
      default: undefined,
    },
    productVersion: { type: String },
    versionWarning: { type: new Schema({ status: String, supportedVersions: [String] }, { _id: false }) },
    billing: {
      type: new Schema(
        { invoiceNumber: String, amount: Number, currency: String, topic: String },
        { _id: false },
      ),
    },
    requester: {
      type: new Schema(
        {
          contactId: { type: String, required: true },
          name: { type: String, required: true },
          email: { type: String, required: true },
        },
        { _id: false },
      ),
      required: true,
    },
    organisationId: { type: String, required: true },
    organisationName: { type: String, required: true },
    ccs: { type: [String], default: [] },
    channel: { type: String, required: true },
    conversationRefId: { type: String },
    locale: { type: String },
    articlesTried: {
      type: [new Schema({ key: String, title: String, url: String }, { _id: false })],
      default: [],
    },
    status: { type: String, required: true, enum: TICKET_STATUSES },
    missingInformation: { type: [String], default: [] },
    expectedFirstResponse: { type: Date, required: true },
    triagePriority: { type: Boolean, required: true },
    escalated: { type: Boolean, required: true },
    assignee: { type: new Schema({ id: String, name: String }, { _id: false }) },
    relatedTicketNumber: { type: String },
    summary: { type: new Schema({ problem: String, status: String, at: Date }, { _id: false }) },
    timeline: { type: [timelineEventSchema], default: [] },
    idempotencyKey: { type: String, required: true, unique: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    resolvedAt: { type: Date },
    closedAt: { type: Date },
    pendingSince: { type: Date },
    remindersSent: { type: Number, default: 0 },
  },
  { collection: 'tickets', versionKey: false, minimize: false },
);
ticketSchema.index({ sequence: -1 });
ticketSchema.index({ organisationId: 1, createdAt: -1 });
ticketSchema.index({ 'requester.contactId': 1, createdAt: -1 });
ticketSchema.index({ ccs: 1, createdAt: -1 });
ticketSchema.index({ status: 1, severity: 1 });

export function getTicketModel(connection: Connection): Model<TicketDocument> {
  return modelOn(connection, 'Ticket', ticketSchema);
}

interface CounterDocument {
  _id: string;
  seq: number;
}

const counterSchema = new Schema<CounterDocument>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'counters', versionKey: false },
);

export function getCounterModel(connection: Connection): Model<CounterDocument> {
  return modelOn(connection, 'Counter', counterSchema);
}

interface TicketLockDocument {
  _id: string;
  owner: string;
  at: Date;
}

const ticketLockSchema = new Schema<TicketLockDocument>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'ticket_locks', versionKey: false },
);

export function getTicketLockModel(connection: Connection): Model<TicketLockDocument> {
  return modelOn(connection, 'TicketLock', ticketLockSchema);
}

export function toTicket(doc: TicketDocument): Ticket {
  const { _id, ...rest } = doc;
  const ticket: Ticket = { id: _id, ...rest, remindersSent: rest.remindersSent ?? 0 };
  // Absent optional fields come back as null or undefined depending on the server; drop both.
  for (const key of Object.keys(ticket) as (keyof Ticket)[]) {
    if (ticket[key] === null || ticket[key] === undefined) delete ticket[key];
  }
  return ticket;
}
