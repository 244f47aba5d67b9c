import type { TicketUpdate } from '../services/notifications';
import { plainText } from './input';
import { t } from './texts';

/**
 * The message a requester receives about a change to their ticket, in the ticket's language.
 * `reopenWindowDays` comes from the ticket policy.
 */
export function renderTicketUpdate(update: TicketUpdate, reopenWindowDays = 7): string {
  const locale = update.locale;
  // Subjects, names, comments and notes were typed by users or staff: shown as the text they typed.
  const vars = { number: update.ticketNumber, subject: plainText(update.subject) };
  const lines: string[] = [];
  if (update.kind === 'comment') {
    lines.push(
      t(locale, 'notify.comment', {
        ...vars,
        by: update.by ? plainText(update.by) : t(locale, 'notify.support'),
        comment: plainText(update.comment ?? ''),
      }),
    );
  } else if (update.kind === 'reminder') {
    lines.push(t(locale, 'notify.reminder', vars));
  } else if (update.reason === 'no_customer_reply') {
    lines.push(t(locale, 'notify.autoResolved', { ...vars, days: reopenWindowDays }));
  } else if (update.reason === 'reopen_window_passed') {
    lines.push(t(locale, 'notify.autoClosed', vars));
  } else {
    lines.push(
      t(locale, 'notify.statusChanged', { ...vars, status: t(locale, `notify.status.${update.status}`) }),
    );
    if (update.note) lines.push(t(locale, 'notify.note', { note: plainText(update.note) }));
    if (update.missingInformation?.length)
      lines.push(t(locale, 'notify.missing', { fields: update.missingInformation.join(', ') }));
  }
  if (update.status !== 'closed') lines.push(t(locale, 'notify.quote', vars));
  return lines.join('\n\n');
}
