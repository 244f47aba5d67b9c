/** What Helpline tells a requester when support changes their ticket (English, then French). */
export const notificationsEn = {
  'notify.status.new': 'new',
  'notify.status.open': 'in progress',
  'notify.status.pending': 'waiting for your reply',
  'notify.status.on_hold': 'on hold, waiting for information',
  'notify.status.resolved': 'resolved',
  'notify.status.closed': 'closed',
  'notify.statusChanged': 'Update on {number} (“{subject}”): it is now {status}.',
  'notify.autoResolved':
    '{number} (“{subject}”) was resolved because we had no reply for a while. Write to me within {days} days if you still need help and I’ll reopen it.',
  'notify.autoClosed':
    '{number} (“{subject}”) is now closed. If the problem comes back, open a new ticket and mention {number}.',
  'notify.note': 'Note from support: {note}',
  'notify.missing': 'We still need: {fields}.',
  'notify.comment': '{by} replied on {number} (“{subject}”):\n\n{comment}',
  'notify.support': 'Support',
  'notify.reminder':
    'Reminder: {number} (“{subject}”) is waiting for your reply. Without news it will be resolved automatically.',
  'notify.quote': 'Open “My requests” or quote {number} to reply.',
} as const;

export const notificationsFr: Record<keyof typeof notificationsEn, string> = {
  'notify.status.new': 'nouveau',
  'notify.status.open': 'en cours de traitement',
  'notify.status.pending': 'en attente de votre réponse',
  'notify.status.on_hold': 'en attente d’informations',
  'notify.status.resolved': 'résolu',
  'notify.status.closed': 'fermé',
  'notify.statusChanged': 'Du nouveau sur {number} (« {subject} ») : il est maintenant {status}.',
  'notify.autoResolved':
    '{number} (« {subject} ») a été résolu faute de réponse de votre part. Écrivez-moi dans les {days} jours si vous avez encore besoin d’aide, je le rouvrirai.',
  'notify.autoClosed':
    '{number} (« {subject} ») est désormais fermé. Si le problème revient, ouvrez un nouveau ticket en citant {number}.',
  'notify.note': 'Message du support : {note}',
  'notify.missing': 'Il nous manque encore : {fields}.',
  'notify.comment': '{by} a répondu sur {number} (« {subject} ») :\n\n{comment}',
  'notify.support': 'Le support',
  'notify.reminder':
    'Rappel : {number} (« {subject} ») attend votre réponse. Sans nouvelles, il sera résolu automatiquement.',
  'notify.quote': 'Ouvrez « Mes demandes » ou citez {number} pour répondre.',
};
