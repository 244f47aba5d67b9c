/** Severity 1 (critical) to 4 (minor), as defined in product.md section 3. */
export type Severity = 1 | 2 | 3 | 4;

/** The helpdesk's priority labels, one per severity. */
export type PriorityLabel = 'Urgent' | 'High' | 'Medium' | 'Low';

const PRIORITY_BY_SEVERITY: Record<Severity, PriorityLabel> = {
  1: 'Urgent',
  2: 'High',
  3: 'Medium',
  4: 'Low',
};

export function priorityForSeverity(severity: Severity): PriorityLabel {
  return PRIORITY_BY_SEVERITY[severity];
}

/**
 * A response-time target. `hours` run round the clock; `business_hours` and `business_days`
 * count only the policy's business hours (a business day is one day's opening hours).
 */
export interface ResponseTarget {
  amount: number;
  unit: 'hours' | 'business_hours' | 'business_days';
}

export interface BusinessHours {
  /** Opening hour, 0–23, in the policy's time zone. */
  startHour: number;
  /** Closing hour, 1–24, after `startHour`. */
  endHour: number;
  /** Working days, 0 = Sunday … 6 = Saturday. */
  days: number[];
  /** The time zone as a fixed offset from UTC, in minutes (e.g. 60 for CET without summer time). */
  utcOffsetMinutes: number;
  /** An IANA time zone (e.g. Europe/Paris); when set, it replaces `utcOffsetMinutes`, summer time included. */
  timeZone?: string;
  /** Local dates (YYYY-MM-DD) on which the desk is closed. */
  holidays?: string[];
}

/** Everything about tickets that a support organisation may want to tune. */
export interface TicketPolicy {
  /** Ticket numbers are `${numberPrefix}${sequence}`, e.g. HL-100042. */
  numberPrefix: string;
  /** The first ticket's sequence number. */
  firstNumber: number;
  /** Expected first response by severity for technical tickets. */
  firstResponse: Record<Severity, ResponseTarget>;
  /** Expected first response for billing tickets. */
  billingFirstResponse: ResponseTarget;
  businessHours: BusinessHours;
  /** A resolved ticket can be reopened for this long after its resolution. */
  reopenWindowDays: number;
  /** A ticket pending the customer is resolved after this many days without a reply. */
  pendingAutoResolveDays: number;
  /** Reminders to the customer while pending, in days since the ticket became pending. */
  pendingReminderDays: number[];
  /** A resolved ticket is closed for good this many days after its resolution. */
  resolvedAutoCloseDays: number;
  /** Severity 1 tickets are escalated when they are opened. */
  autoEscalateSeverity1: boolean;
}

export const DEFAULT_TICKET_POLICY: TicketPolicy = {
  numberPrefix: 'HL-',
  firstNumber: 100001,
  firstResponse: {
    1: { amount: 1, unit: 'hours' },
    2: { amount: 4, unit: 'business_hours' },
    3: { amount: 1, unit: 'business_days' },
    4: { amount: 2, unit: 'business_days' },
  },
  billingFirstResponse: { amount: 1, unit: 'business_days' },
  businessHours: { startHour: 9, endHour: 18, days: [1, 2, 3, 4, 5], utcOffsetMinutes: 0 },
  reopenWindowDays: 7,
  pendingAutoResolveDays: 7,
  pendingReminderDays: [2, 5],
  resolvedAutoCloseDays: 7,
  autoEscalateSeverity1: true,
};

/** The defaults with the given overrides (one level deep for `firstResponse` and `businessHours`). */
export function ticketPolicy(overrides: Partial<TicketPolicy> = {}): TicketPolicy {
  return {
    ...DEFAULT_TICKET_POLICY,
    ...overrides,
    firstResponse: { ...DEFAULT_TICKET_POLICY.firstResponse, ...overrides.firstResponse },
    businessHours: { ...DEFAULT_TICKET_POLICY.businessHours, ...overrides.businessHours },
  };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** When a first answer is due for a target counted from `from`. */
export function dueAfter(from: Date, target: ResponseTarget, hours: BusinessHours): Date {
  if (target.unit === 'hours') return new Date(from.getTime() + target.amount * HOUR_MS);
  const businessMs =
    target.unit === 'business_hours'
      ? target.amount * HOUR_MS
      : target.amount * (hours.endHour - hours.startHour) * HOUR_MS;
  return addBusinessTime(from, businessMs, hours);
}

function addBusinessTime(from: Date, durationMs: number, hours: BusinessHours): Date {
  if (durationMs <= 0 || hours.days.length === 0 || hours.endHour <= hours.startHour) return new Date(from);
  const holidays = new Set(hours.holidays ?? []);
  const offsetAt = (utcMs: number): number =>
    hours.timeZone ? timeZoneOffsetMs(hours.timeZone, utcMs) : hours.utcOffsetMinutes * 60_000;
  // A local time back to UTC: the offset of that moment (summer time changes it).
  const toUtc = (localMs: number): number => localMs - offsetAt(localMs - offsetAt(localMs));
  // Work in "local" milliseconds read with UTC getters, so the offset applies once.
  let t = from.getTime() + offsetAt(from.getTime());
  let remaining = durationMs;
  // A closed desk all year would loop for ever: give up after ten years of days.
  for (let guard = 0; guard < 3660; guard++) {
    const day = new Date(t);
    const dayStart = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    const open = dayStart + hours.startHour * HOUR_MS;
    const close = dayStart + hours.endHour * HOUR_MS;
    const closedDay = !hours.days.includes(day.getUTCDay()) || holidays.has(day.toISOString().slice(0, 10));
    if (closedDay || t >= close) {
      t = dayStart + DAY_MS;
      continue;
    }
    if (t < open) t = open;
    const available = close - t;
    if (remaining <= available) return new Date(toUtc(t + remaining));
    remaining -= available;
    t = dayStart + DAY_MS;
  }
  return new Date(from.getTime() + durationMs);
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** How far the zone's wall clock is ahead of UTC at that moment, in milliseconds. */
export function timeZoneOffsetMs(timeZone: string, utcMs: number): number {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(utcMs))) parts[part.type] = Number(part.value);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(utcMs / 1000) * 1000;
}
