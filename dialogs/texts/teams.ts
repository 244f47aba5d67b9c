/**
 * Helpline as a Teams app: the "My requests" tab, the knowledge search of the compose box, link
 * cards and the bot in a team (English, then French; same keys).
 */
export const teamsEn = {
  'teams.tab.title': 'My requests',
  'teams.tab.loading': 'Loading your requests…',
  'teams.tab.outsideTeams':
    'This page is the “My requests” tab of Helpline in Microsoft Teams. Open Helpline in Teams to see your requests there.',
  'teams.tab.signInFailed':
    'Teams could not sign you in to Helpline. Close this tab and open it again; if it keeps happening, ask your Teams administrator to allow Helpline to sign you in.',
  'teams.tab.notConfigured':
    'Sign-in for this tab is not set up on the Helpline server yet. Please tell your Helpline administrator; meanwhile, the chat with Helpline shows your requests.',
  'teams.tab.signedInAs': '{name} · {organisation}',
  'teams.tab.searchLabel': 'Search',
  'teams.tab.search': 'Search',
  'teams.tab.emptyFiltered': 'No request matches these filters.',
  'teams.tab.more': 'Show more',
  'teams.tab.count': '{shown} of {total}',
  'teams.tab.notFound': 'There is no request {number} among those you can see.',
  'teams.tab.commentClosed': '{number} is {status}: comments can no longer be added here.',
  'teams.tab.moreActions':
    'To ask for escalation, say you no longer need help or reopen a request, write to Helpline in the chat.',
  'teams.tab.sending': 'Sending…',
  'teams.search.nothingFound': 'No article matches “{query}”. Try other words, or an error message.',
  'teams.search.module': 'Module: {module}',
  'teams.unfurl.ticketStatus': 'Status: {status} · Severity {severity}',
  'teams.unfurl.ticketDetails': '{module} · opened by {requester} · updated {when}',
  'teams.unfurl.openTicket': 'Open in My requests',
  'teams.welcome.teamTitle': 'Helpline has joined this team',
  'teams.welcome.teamBody':
    'Mention me (@Helpline) with a question and I answer in its thread; each thread is a conversation of its own. Anyone here can search the knowledge base with me; tickets stay visible only to the people of their customer organisation.',
} as const;

export const teamsFr: Record<keyof typeof teamsEn, string> = {
  'teams.tab.title': 'Mes demandes',
  'teams.tab.loading': 'Chargement de vos demandes…',
  'teams.tab.outsideTeams':
    'Cette page est l’onglet « Mes demandes » de Helpline dans Microsoft Teams. Ouvrez Helpline dans Teams pour y voir vos demandes.',
  'teams.tab.signInFailed':
    'Teams n’a pas pu vous connecter à Helpline. Fermez cet onglet et rouvrez-le ; si cela se reproduit, demandez à votre administrateur Teams d’autoriser Helpline à vous connecter.',
  'teams.tab.notConfigured':
    'La connexion à cet onglet n’est pas encore configurée sur le serveur Helpline. Prévenez votre administrateur Helpline ; en attendant, la conversation avec Helpline affiche vos demandes.',
  'teams.tab.signedInAs': '{name} · {organisation}',
  'teams.tab.searchLabel': 'Rechercher',
  'teams.tab.search': 'Rechercher',
  'teams.tab.emptyFiltered': 'Aucune demande ne correspond à ces filtres.',
  'teams.tab.more': 'Afficher plus',
  'teams.tab.count': '{shown} sur {total}',
  'teams.tab.notFound': 'Aucune demande {number} parmi celles que vous pouvez voir.',
  'teams.tab.commentClosed':
    '{number} est à l’état « {status} » : on ne peut plus y ajouter de commentaire ici.',
  'teams.tab.moreActions':
    'Pour demander une escalade, indiquer que vous n’avez plus besoin d’aide ou rouvrir une demande, écrivez à Helpline dans la conversation.',
  'teams.tab.sending': 'Envoi…',
  'teams.search.nothingFound':
    'Aucun article ne correspond à « {query} ». Essayez d’autres mots, ou un message d’erreur.',
  'teams.search.module': 'Module : {module}',
  'teams.unfurl.ticketStatus': 'État : {status} · Gravité {severity}',
  'teams.unfurl.ticketDetails': '{module} · ouvert par {requester} · mis à jour {when}',
  'teams.unfurl.openTicket': 'Ouvrir dans Mes demandes',
  'teams.welcome.teamTitle': 'Helpline a rejoint cette équipe',
  'teams.welcome.teamBody':
    'Mentionnez-moi (@Helpline) avec une question et je réponds dans son fil ; chaque fil est une conversation à part. Chacun ici peut chercher dans la base de connaissances avec moi ; les tickets ne sont visibles que des personnes de leur organisation cliente.',
};
