import type { Ticket, TicketStatus, TimelineEvent } from '../tickets';

export type TicketUpdateKind = 'status_changed' | 'comment' | 'reminder';

/** Something the requester should hear about a ticket, as plain data (rendered per locale). */
export interface TicketUpdate {
  /** The timeline event it comes from: notifying twice about one event stores it once. */
  id: string;
  kind: TicketUpdateKind;
  ticketNumber: string;
  subject: string;
  /** The requester, who is told. */
  contactId: string;
  /** The conversation the ticket was opened in, when known. */
  conversationRefId?: string;
  locale: 'en' | 'fr';
  at: Date;
  /** status_changed: the new status; otherwise the ticket's status at the time. */
  status: TicketStatus;
  previousStatus?: TicketStatus;
  /** Why the status changed: `staff`, `no_customer_reply`, `reopen_window_passed`… */
  reason?: string;
  /** A public note that came with a status change. */
  note?: string;
  /** status on_hold: what support still needs. */
  missingInformation?: string[];
  /** comment: the public comment's text. */
  comment?: string;
  /** The support person behind a comment or change (their display name). */
  by?: string;
  /** reminder: which reminder this is (1, 2…). */
  reminder?: number;
}

/**
 * The update for the newest public timeline event of `type` on the ticket (a status change,
 * a public comment, a reminder), or undefined when there is none. Internal events (staff notes)
 * never make an update.
 */
export function ticketUpdateFor(
  ticket: Ticket,
  type: 'status_changed' | 'comment' | 'reminder_sent',
): TicketUpdate | undefined {
  const event = [...ticket.timeline].reverse().find((e) => e.type === type && e.visibility === 'public');
  return event ? ticketUpdateFromEvent(ticket, event) : undefined;
}

/** The update one public timeline event makes; undefined for internal events and other types. */
export function ticketUpdateFromEvent(ticket: Ticket, event: TimelineEvent): TicketUpdate | undefined {
  if (event.visibility !== 'public') return undefined;
  const base = {
    id: `${ticket.number}:${event.id}`,
    ticketNumber: ticket.number,
    subject: ticket.subject,
    contactId: ticket.requester.contactId,
    ...(ticket.conversationRefId ? { conversationRefId: ticket.conversationRefId } : {}),
    locale: ticket.locale ?? 'en',
    at: event.at,
    status: ticket.status,
    ...(event.by.kind === 'staff' ? { by: event.by.name } : {}),
  } satisfies Partial<TicketUpdate>;
  const data = event.data;
  switch (event.type) {
    case 'status_changed':
      return {
        ...base,
        kind: 'status_changed',
        status: asString(data.to) as TicketStatus,
        ...(typeof data.from === 'string' ? { previousStatus: data.from as TicketStatus } : {}),
        ...(typeof data.reason === 'string' ? { reason: data.reason } : {}),
        ...(typeof data.note === 'string' && data.note ? { note: data.note } : {}),
        ...(data.to === 'on_hold' && ticket.missingInformation.length
          ? { missingInformation: ticket.missingInformation }
          : {}),
      };
    case 'comment':
      return { ...base, kind: 'comment', comment: asString(data.text) };
    case 'reminder_sent':
      return {
        ...base,
        kind: 'reminder',
        ...(typeof data.reminder === 'number' ? { reminder: data.reminder } : {}),
      };
    default:
      return undefined;
  }
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
