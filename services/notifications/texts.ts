import type { TicketStatus } from '../tickets';
import type { TicketUpdate } from './ticketUpdate';

/**
 * The default wording of notifications, in English and French. The bot may render updates
 * with its own dialog texts instead (pass `render` to the notifier).
 */
const STATUS_NAMES: Record<'en' | 'fr', Record<TicketStatus, string>> = {
  en: {
    new: 'new',
    open: 'in progress',
    pending: 'waiting for your reply',
    on_hold: 'on hold, waiting for information',
    resolved: 'resolved',
    closed: 'closed',
  },
  fr: {
    new: 'nouveau',
    open: 'en cours de traitement',
    pending: 'en attente de votre réponse',
    on_hold: 'en attente d’informations',
    resolved: 'résolu',
    closed: 'fermé',
  },
};

const TEXTS = {
  en: {
    statusChanged: (u: TicketUpdate) =>
      `Update on ${u.ticketNumber} (“${u.subject}”): it is now ${STATUS_NAMES.en[u.status]}.`,
    autoResolved: (u: TicketUpdate) =>
      `${u.ticketNumber} (“${u.subject}”) was resolved because we had no reply for a while. Write to me within 7 days if you still need help and I’ll reopen it.`,
    autoClosed: (u: TicketUpdate) =>
      `${u.ticketNumber} (“${u.subject}”) is now closed. If the problem comes back, open a new ticket and mention ${u.ticketNumber}.`,
    note: (note: string) => `Note from support: ${note}`,
    missing: (fields: string[]) => `We still need: ${fields.join(', ')}.`,
    comment: (u: TicketUpdate) =>
      `${u.by ?? 'Support'} replied on ${u.ticketNumber} (“${u.subject}”):\n\n${u.comment ?? ''}`,
    reminder: (u: TicketUpdate) =>
      `Reminder: ${u.ticketNumber} (“${u.subject}”) is waiting for your reply. Without news it will be resolved automatically.`,
    quote: (u: TicketUpdate) => `Open “My requests” or quote ${u.ticketNumber} to reply.`,
  },
  fr: {
    statusChanged: (u: TicketUpdate) =>
      `Du nouveau sur ${u.ticketNumber} (« ${u.subject} ») : il est maintenant ${STATUS_NAMES.fr[u.status]}.`,
    autoResolved: (u: TicketUpdate) =>
      `${u.ticketNumber} (« ${u.subject} ») a été résolu faute de réponse de votre part. Écrivez-moi dans les 7 jours si vous avez encore besoin d’aide, je le rouvrirai.`,
    autoClosed: (u: TicketUpdate) =>
      `${u.ticketNumber} (« ${u.subject} ») est désormais fermé. Si le problème revient, ouvrez un nouveau ticket en citant ${u.ticketNumber}.`,
    note: (note: string) => `Message du support : ${note}`,
    missing: (fields: string[]) => `Il nous manque encore : ${fields.join(', ')}.`,
    comment: (u: TicketUpdate) =>
      `${u.by ?? 'Le support'} a répondu sur ${u.ticketNumber} (« ${u.subject} ») :\n\n${u.comment ?? ''}`,
    reminder: (u: TicketUpdate) =>
      `Rappel : ${u.ticketNumber} (« ${u.subject} ») attend votre réponse. Sans nouvelles, il sera résolu automatiquement.`,
    quote: (u: TicketUpdate) => `Ouvrez « Mes demandes » ou citez ${u.ticketNumber} pour répondre.`,
  },
} as const;

/** The default text of a ticket update in its locale. */
export function renderTicketUpdate(update: TicketUpdate): string {
  const t = TEXTS[update.locale];
  const lines: string[] = [];
  if (update.kind === 'comment') lines.push(t.comment(update));
  else if (update.kind === 'reminder') lines.push(t.reminder(update));
  else if (update.reason === 'no_customer_reply') lines.push(t.autoResolved(update));
  else if (update.reason === 'reopen_window_passed') lines.push(t.autoClosed(update));
  else {
    lines.push(t.statusChanged(update));
    if (update.note) lines.push(t.note(update.note));
    if (update.missingInformation?.length) lines.push(t.missing(update.missingInformation));
  }
  if (update.status !== 'closed') lines.push(t.quote(update));
  return lines.join('\n\n');
}
