import type { CoreTextKey } from './en';

/** Tout ce que Helpline dit en français ; mêmes clés que en.ts. */
export const fr: Record<CoreTextKey, string> = {
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
  'main.tooLong':
    'Ce message est trop long pour moi ({length} caractères). Merci de rester sous {max} caractères.',
  'main.languageSwitched': 'Très bien, continuons en français.',
  'main.menu': 'Très bien, j’ai arrêté ce que nous faisions. Que souhaitez-vous faire ?',
  'main.help':
    'Voici ce que je sais faire. Décrivez un problème et je cherche dans la base de connaissances ; je peux aussi ouvrir un ticket, afficher vos demandes, répondre aux questions de facturation ou donner l’état des services. À chaque étape, vous pouvez écrire « annuler », « aide », « recommencer » ou « retour ».',
  'main.wayOn': 'Voici ce que je peux faire pour vous à la place :',
  'main.talkToPerson':
    'Aucun agent n’est disponible en direct dans ce chat. Je peux ouvrir un ticket tout de suite pour qu’un ingénieur du support vous réponde ; pour un problème urgent, votre responsable de compte peut l’escalader.',
  'main.featureRequest':
    'Merci pour l’idée ! Les demandes d’évolution ne sont pas traitées comme des tickets de support : proposez-la sur le portail partenaire (rubrique Idées) ou transmettez-la à votre responsable de compte, qui la relaiera à l’équipe produit.',
  'main.outOfScope':
    'La formation, les licences et le conseil relèvent de votre responsable de compte, pas du support technique. Contactez-le directement : il organisera l’aide adaptée.',
  'kb.askProblem': 'Décrivez-moi ce qui se passe en une ou deux phrases, et je cherche une réponse.',
  'kb.results': 'Voici ce que j’ai trouvé pour « {query} ».',
  'kb.resultsOtherLanguage': 'Certains de ces articles ne sont disponibles qu’en {language}.',
  'kb.nothingFound':
    'Je n’ai trouvé aucun article pour « {query} ». Vous pouvez chercher avec d’autres mots, ou je peux ouvrir un ticket avec ce que vous m’avez dit.',
  'kb.nothingClose':
    'Rien dans la base de connaissances ne correspond vraiment à « {query} » : je ne vous fais pas lire des articles hors sujet. Je peux ouvrir un ticket avec ce que vous m’avez dit, ou chercher avec d’autres mots.',
  'kb.readArticle': 'Lire l’article',
  'kb.answerSources': 'D’après ces articles (les fiches numérotées ci-dessous) :',
  'kb.answerNotInArticles':
    'Les articles que j’ai trouvés ne répondent pas directement à cette question. Voici les plus proches ; l’un d’eux peut tout de même aider.',
  'kb.askOutcome': 'L’un de ces articles a-t-il résolu votre problème ?',
  'kb.choiceSolved': 'Résolu',
  'kb.choiceNotSolved': 'Non résolu, ouvrir un ticket',
  'kb.choiceSearchAgain': 'Chercher à nouveau',
  'kb.choiceOpenTicket': 'Ouvrir un ticket',
  'kb.retryOutcome':
    'Un article a-t-il résolu le problème ? Choisissez Résolu, Non résolu ou Chercher à nouveau, ou dites-moi simplement ce dont vous avez besoin.',
  'kb.retryOutcomeNothing':
    'J’ouvre un ticket, ou je cherche avec d’autres mots ? Vous pouvez aussi me dire ce dont vous avez besoin.',
  'kb.solved': 'Ravi que cela vous ait aidé ! Si autre chose se présente, écrivez-moi.',
  'kb.searchAgain':
    'Bien sûr. Décrivez le problème autrement, ou ajoutez des détails comme un message d’erreur ou le module.',
  'kb.module': 'Module : {module}',
  'kb.cancelled':
    'D’accord, j’ai arrêté la recherche. Écrivez-moi dès que vous avez besoin de quelque chose.',
  'kb.help':
    'Choisissez « Résolu » si un article a répondu, « Non résolu » pour ouvrir un ticket avec ce que vous m’avez dit, ou « Chercher à nouveau » pour essayer d’autres mots. Vous pouvez aussi écrire « annuler », « recommencer » ou « menu », ou simplement demander autre chose.',
  'kb.helpProblem':
    'Décrivez le problème en une ou deux phrases (un message d’erreur ou le module aide). Vous pouvez aussi écrire « annuler », « retour » ou « menu ».',
  'language.english': 'anglais',
  'language.french': 'français',
  'errors.generic':
    'Désolé, un problème est survenu de mon côté. Vos informations sont en sécurité ; merci de réessayer dans un instant.',
  'errors.unavailable':
    'Je ne parviens pas à joindre nos systèmes pour le moment. Rien de ce que vous avez saisi n’est perdu : réessayez dans une minute.',
};
