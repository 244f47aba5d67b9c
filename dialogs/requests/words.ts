import type { RequestScope, RequestStatusFilter } from '../cards/requestCards';
import { fold } from '../intake/fields';
import { readCommand } from '../input';
import { t, type Locale, type TextKey } from '../texts';

/** The words of My requests: page and list commands, lists, statuses and ticket actions, typed. */
export type Command = 'cancel' | 'help' | 'next' | 'previous' | 'back' | 'retry' | 'all';

/** Words of this dialog only; cancel, help, back… come from the one input layer. */
export const OWN_WORDS: Record<string, Command> = {
  sortir: 'cancel',
  next: 'next',
  'next page': 'next',
  more: 'next',
  suivant: 'next',
  suivante: 'next',
  'page suivante': 'next',
  previous: 'previous',
  prev: 'previous',
  'previous page': 'previous',
  precedent: 'previous',
  precedente: 'previous',
  'page precedente': 'previous',
  list: 'back',
  liste: 'back',
  'back to the list': 'back',
  'retour a la liste': 'back',
  retry: 'retry',
  'try again': 'retry',
  reessayer: 'retry',
  'essayer a nouveau': 'retry',
  all: 'all',
  'show all': 'all',
  'all statuses': 'all',
  tous: 'all',
  toutes: 'all',
  'tous les statuts': 'all',
};

export const SCOPE_WORDS: Record<string, RequestScope> = {
  mine: 'mine',
  'my requests': 'mine',
  'my tickets': 'mine',
  'les miennes': 'mine',
  'mes demandes': 'mine',
  'mes tickets': 'mine',
  cc: 'cc',
  "cc'd": 'cc',
  copied: 'cc',
  'copied to me': 'cc',
  'en copie': 'cc',
  organisation: 'organisation',
  organization: 'organisation',
  'my organisation': 'organisation',
  'my organization': 'organisation',
  'mon organisation': 'organisation',
  'my company': 'organisation',
  'mon entreprise': 'organisation',
};

export const STATUS_WORDS: Record<string, RequestStatusFilter> = {
  new: 'new',
  'new tickets': 'new',
  nouveau: 'new',
  nouveaux: 'new',
  nouvelles: 'new',
  open: 'active',
  'in progress': 'active',
  active: 'active',
  'en cours': 'active',
  ouverts: 'active',
  ouvertes: 'active',
  waiting: 'waiting',
  pending: 'waiting',
  'waiting for me': 'waiting',
  'en attente': 'waiting',
  'en attente de ma part': 'waiting',
  resolved: 'resolved',
  resolus: 'resolved',
  resolues: 'resolved',
  closed: 'closed',
  fermes: 'closed',
  fermees: 'closed',
  clos: 'closed',
};

/** Typed equivalents of the ticket card's buttons (their labels are accepted too). */
export const ACTION_WORDS: Record<string, 'comment' | 'escalate' | 'resolve' | 'reopen' | 'new_ticket'> = {
  comment: 'comment',
  'add comment': 'comment',
  commenter: 'comment',
  escalate: 'escalate',
  escalation: 'escalate',
  escalader: 'escalate',
  escalade: 'escalate',
  resolve: 'resolve',
  'close it': 'resolve',
  "i don't need help anymore": 'resolve',
  'no longer needed': 'resolve',
  resoudre: 'resolve',
  reopen: 'reopen',
  rouvrir: 'reopen',
  'new ticket': 'new_ticket',
  'nouveau ticket': 'new_ticket',
};

export const TICKET_BUTTONS: Array<[TextKey, 'comment' | 'escalate' | 'resolve' | 'reopen' | 'new_ticket']> =
  [
    ['requests.action.comment', 'comment'],
    ['requests.action.escalate', 'escalate'],
    ['requests.action.resolve', 'resolve'],
    ['requests.action.reopen', 'reopen'],
    ['requests.action.newTicket', 'new_ticket'],
  ];

/** The list a start message names ("tickets where I'm CC'd", "les demandes de mon organisation"). */
export function mentionedScope(folded: string): RequestScope | undefined {
  if (/\b(cc'?d?|copied|in copy|en copie)\b/.test(folded)) return 'cc';
  if (/\b(organi[sz]ation|company|entreprise|societe)\b/.test(folded)) return 'organisation';
  return undefined;
}

export function mentionedStatus(folded: string): RequestStatusFilter | undefined {
  if (/\b(resolved|resolus|resolues)\b/.test(folded)) return 'resolved';
  if (/\b(closed|fermes|fermees|clos)\b/.test(folded)) return 'closed';
  if (/\b(pending|waiting|en attente)\b/.test(folded)) return 'waiting';
  if (/\b(open (tickets|requests)|in progress|en cours|ouverts|ouvertes)\b/.test(folded)) return 'active';
  if (/\b(new (tickets|requests)|nouveaux tickets|nouvelles demandes)\b/.test(folded)) return 'new';
  return undefined;
}

export function ticketActionTyped(
  locale: Locale,
  folded: string,
): (typeof TICKET_BUTTONS)[number][1] | undefined {
  const byLabel = TICKET_BUTTONS.find(([key]) => fold(t(locale, key)) === folded);
  return byLabel?.[1] ?? ACTION_WORDS[folded];
}

/** A number as the user typed it, made safe to repeat back (short, one line). */
export function displayNumber(number: string): string {
  return number.replace(/\s+/g, ' ').trim().toUpperCase().slice(0, 40);
}

/** This dialog's page words first ("précédent" is the previous page here), then the shared commands. */
export function readRequestsCommand(text: string): Command | undefined {
  const own = OWN_WORDS[fold(text)];
  if (own) return own;
  const shared = readCommand(text);
  switch (shared) {
    case 'cancel':
    case 'help':
    case 'back':
      return shared;
    case 'start_over':
      return 'all';
    case 'menu':
    case undefined:
      return undefined;
  }
}
