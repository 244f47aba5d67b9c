/** Access requests: what authorized contacts and requesters are told (English, then French; same keys). */
export const accessEn = {
  'access.requestTitle': 'Access request',
  'access.requestBody':
    '{name} ({email}) asks to become an authorized contact of {organisation}, so that they can open tickets.',
  'access.approve': 'Approve',
  'access.decline': 'Decline',
  'access.pendingIntro': 'Waiting for a decision from an authorized contact of your organisation:',
  'access.approvedByYou':
    'Done: {name} is now an authorized contact and can open tickets. I will let them know.',
  'access.declinedByYou': 'Done: the request from {name} is declined. I will let them know.',
  'access.alreadyDecided': 'This request was already decided ({status}) by {by}; nothing changed.',
  'access.notAllowed': 'Only an authorized contact of the same organisation can decide this request.',
  'access.notFound': 'I could not find that access request any more.',
  'access.statusGranted': 'approved',
  'access.statusDeclined': 'declined',
  'access.granted':
    'Good news: your request to become an authorized contact was approved by {by}. You can now open tickets.',
  'access.declined':
    'Your request to become an authorized contact was declined by {by}. An authorized colleague can still open tickets for you.',
  'access.alreadyPending':
    'You already have a request waiting for your organisation’s authorized contacts; I did not send a second one.',
} as const;

export const accessFr: Record<keyof typeof accessEn, string> = {
  'access.requestTitle': 'Demande d’accès',
  'access.requestBody':
    '{name} ({email}) demande à devenir contact autorisé de {organisation}, pour pouvoir ouvrir des tickets.',
  'access.approve': 'Accepter',
  'access.decline': 'Refuser',
  'access.pendingIntro': 'En attente d’une décision d’un contact autorisé de votre organisation :',
  'access.approvedByYou':
    'C’est fait : {name} est maintenant contact autorisé et peut ouvrir des tickets. Je le lui fais savoir.',
  'access.declinedByYou': 'C’est fait : la demande de {name} est refusée. Je le lui fais savoir.',
  'access.alreadyDecided': 'Cette demande a déjà été tranchée ({status}) par {by} ; rien n’a changé.',
  'access.notAllowed': 'Seul un contact autorisé de la même organisation peut trancher cette demande.',
  'access.notFound': 'Je ne retrouve plus cette demande d’accès.',
  'access.statusGranted': 'acceptée',
  'access.statusDeclined': 'refusée',
  'access.granted':
    'Bonne nouvelle : votre demande pour devenir contact autorisé a été acceptée par {by}. Vous pouvez maintenant ouvrir des tickets.',
  'access.declined':
    'Votre demande pour devenir contact autorisé a été refusée par {by}. Un collègue autorisé peut toujours ouvrir des tickets pour vous.',
  'access.alreadyPending':
    'Vous avez déjà une demande en attente auprès des contacts autorisés de votre organisation ; je n’en ai pas envoyé une deuxième.',
};
