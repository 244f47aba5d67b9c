import type { RequestScope, RequestStatusFilter } from '../cards/requestCards';
import type { Locale } from '../texts';

/** My requests' dialog state: plain data kept between turns. */
export type Mode =
  'list' | 'ticket' | 'comment' | 'reason' | 'confirm_comment' | 'confirm_resolve' | 'offer_new';

/** An action the database did not take; kept so that "try again" sends it without retyping. */
export type PendingAction = (
  | { kind: 'comment'; number: string; text: string }
  | { kind: 'escalate'; number: string; reason: string }
  | { kind: 'resolve'; number: string }
  | { kind: 'reopen'; number: string }
) & {
  /** The action's idempotency key: made from the activity that asked for it, kept for "try again". */
  key?: string;
};

export interface RequestsState {
  locale: Locale;
  scope: RequestScope;
  status: RequestStatusFilter;
  text?: string;
  page: number;
  mode: Mode;
  /** The ticket on screen (and the one the current question is about). */
  number?: string;
  /** A message typed while a ticket was open, waiting for "add it as a comment?". */
  draft?: string;
  pending?: PendingAction;
  hinted?: boolean;
}
