/** The knowledge-base article pages Helpline serves at /kb/:key (English, then French; same keys). */
export const articlePageEn = {
  'articlePage.site': 'Helpline knowledge base',
  'articlePage.module': 'Module: {module}',
  'articlePage.updated': 'Updated {when}',
  'articlePage.onlyOther': 'This article is not available in English yet; here is the French version.',
  'articlePage.backToChat': 'Back to the chat',
  'articlePage.stillStuck':
    'Did this not solve it? Go back to the chat and choose “Not solved”: Helpline opens a ticket with what you already said.',
  'articlePage.notFoundTitle': 'Article not found',
  'articlePage.notFound':
    'There is no article at this address: it may have been renamed or removed. Describe your problem in the chat and Helpline will find what there is.',
};

export const articlePageFr: Record<keyof typeof articlePageEn, string> = {
  'articlePage.site': 'Base de connaissances Helpline',
  'articlePage.module': 'Module : {module}',
  'articlePage.updated': 'Mis à jour le {when}',
  'articlePage.onlyOther': 'Cet article n’existe pas encore en français ; voici la version anglaise.',
  'articlePage.backToChat': 'Retour au chat',
  'articlePage.stillStuck':
    'Cela n’a pas résolu le problème ? Revenez au chat et choisissez « Non résolu » : Helpline ouvre un ticket avec ce que vous avez déjà dit.',
  'articlePage.notFoundTitle': 'Article introuvable',
  'articlePage.notFound':
    'Aucun article ne se trouve à cette adresse : il a peut-être été renommé ou retiré. Décrivez votre problème dans le chat et Helpline trouvera ce qui existe.',
};
