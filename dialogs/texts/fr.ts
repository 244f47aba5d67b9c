import type { TextKey } from './en';

/** Tout ce que Helpline dit en français ; mêmes clés que en.ts. */
export const fr: Record<TextKey, string> = {
  'welcome.title': 'Bonjour, je suis Helpline',
  'welcome.body':
    "Je peux chercher une réponse dans la base de connaissances, ouvrir un ticket technique, suivre vos demandes, vous aider pour la facturation ou afficher l'état des services. Choisissez une option ou décrivez-moi simplement la situation.",
  'welcome.searchKb': 'Chercher dans la base de connaissances',
  'welcome.openTicket': 'Ouvrir un ticket technique',
  'welcome.myRequests': 'Mes demandes',
  'welcome.billing': 'Facturation et paiements',
  'welcome.status': 'État des services',
  'main.comingSoon':
    "« {feature} » arrive bientôt : cette fonction n'est pas encore disponible dans cette version. En attendant, je peux vous aider avec les autres options.",
  'main.notUnderstood':
    "Je ne suis pas sûr d'avoir compris. Décrivez votre problème en une phrase, ou choisissez une des options ci-dessous.",
  'main.tooLong': 'Ce message est trop long pour moi ({length} caractères). Merci de rester sous {max} caractères.',
  'errors.generic':
    "Désolé, un problème est survenu de mon côté. Vos informations sont en sécurité ; merci de réessayer dans un instant.",
  'errors.unavailable':
    'Je ne parviens pas à joindre nos systèmes pour le moment. Rien de ce que vous avez saisi n’est perdu : réessayez dans une minute.',
};
