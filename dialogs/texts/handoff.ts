/** What Helpline says around a live handoff to a person (product.md flow F). */
export const handoffEn = {
  'handoff.queued':
    'I am finding someone from support for you. Anything you write now goes to them as soon as they join. Type "cancel" to stop waiting.',
  'handoff.already': 'You are already waiting for someone from support. Type "cancel" to stop waiting.',
  'handoff.waiting':
    'Still looking for someone: they will see your message when they join. Type "cancel" to stop waiting.',
  'handoff.outsideHours':
    'Our support team is not available for a live conversation right now (they are on duty {hours}). I can open a ticket that carries this conversation, so nobody asks you again.',
  'handoff.noAgent':
    'Nobody from support can take a live conversation right now. I can open a ticket that carries this conversation, so nobody asks you again.',
  'handoff.timedOut':
    'Sorry, nobody could take your conversation in time. I can open a ticket that carries everything said so far.',
  'handoff.failed':
    'Sorry, I could not reach the support team. I can open a ticket that carries everything said so far.',
  'handoff.offerTicket': 'Open a ticket with this conversation',
  'handoff.noThanks': 'No thanks',
  'handoff.noThanksReply': 'All right. I am here if you need anything else.',
  'handoff.accepted': '{agent} from support has joined: you are now talking with a person.',
  'handoff.endedByAgent': '{agent} has ended the conversation. I am here again if you need anything else.',
  'handoff.converted':
    '{agent} has turned this conversation into ticket {number}. Please quote this number if you write to us about it.',
  'handoff.left': 'You have left the conversation with support. What else can I do for you?',
  'handoff.signInForTicket':
    'To open a ticket I need to know who you are: please sign in on the support site, then ask again.',
  'handoff.notFound': 'I cannot find that conversation any more. Tell me what is going on and I will help.',
  'handoff.anyHours': 'at any time',
  'handoff.businessHours': 'on working days from {start}:00 to {end}:00 UTC{offset}',
  'handoff.transcriptUser': 'You',
  'handoff.transcriptBot': 'Helpline',
  'handoff.transcriptAgent': 'Support',
  'giveUp.talkToPerson': 'Talk to a person',
  'giveUp.repeatedFailures':
    'I am sorry, I am not getting you to an answer. Someone from our support team can take it from here.',
  'giveUp.frustration':
    'I can tell this is frustrating, and I am sorry. Would you rather talk with someone from our support team?',
  'giveUp.severityOne':
    'This sounds critical. You can talk with someone from support right now, or carry on here and I will open an urgent ticket.',
  'giveUp.nobodyNow':
    'Nobody can take a live conversation at the moment, but a ticket reaches the support team with everything you told me.',
};

export const handoffFr: Record<keyof typeof handoffEn, string> = {
  'handoff.queued':
    "Je cherche quelqu'un du support pour vous. Tout ce que vous écrivez maintenant lui parviendra dès son arrivée. Tapez « annuler » pour ne plus attendre.",
  'handoff.already': "Vous attendez déjà quelqu'un du support. Tapez « annuler » pour ne plus attendre.",
  'handoff.waiting':
    "Je cherche toujours quelqu'un : votre message lui sera montré dès son arrivée. Tapez « annuler » pour ne plus attendre.",
  'handoff.outsideHours':
    "L'équipe support n'est pas disponible pour une conversation en direct en ce moment (elle est présente {hours}). Je peux ouvrir un ticket qui reprend cette conversation, pour qu'on ne vous redemande rien.",
  'handoff.noAgent':
    "Personne du support ne peut prendre une conversation en direct en ce moment. Je peux ouvrir un ticket qui reprend cette conversation, pour qu'on ne vous redemande rien.",
  'handoff.timedOut':
    "Désolé, personne n'a pu prendre votre conversation à temps. Je peux ouvrir un ticket qui reprend tout ce qui a été dit.",
  'handoff.failed':
    "Désolé, je n'ai pas pu joindre l'équipe support. Je peux ouvrir un ticket qui reprend tout ce qui a été dit.",
  'handoff.offerTicket': 'Ouvrir un ticket avec cette conversation',
  'handoff.noThanks': 'Non merci',
  'handoff.noThanksReply': "Très bien. Je reste là si vous avez besoin d'autre chose.",
  'handoff.accepted': '{agent}, du support, vous a rejoint : vous parlez maintenant avec une personne.',
  'handoff.endedByAgent':
    "{agent} a terminé la conversation. Je suis de nouveau là si vous avez besoin d'autre chose.",
  'handoff.converted':
    '{agent} a transformé cette conversation en ticket {number}. Merci de rappeler ce numéro si vous nous écrivez à ce sujet.',
  'handoff.left': 'Vous avez quitté la conversation avec le support. Que puis-je faire d’autre pour vous ?',
  'handoff.signInForTicket':
    "Pour ouvrir un ticket, j'ai besoin de savoir qui vous êtes : connectez-vous sur le site du support, puis redemandez-moi.",
  'handoff.notFound': 'Je ne retrouve plus cette conversation. Dites-moi ce qui se passe et je vous aide.',
  'handoff.anyHours': 'à toute heure',
  'handoff.businessHours': 'les jours ouvrés de {start} h à {end} h UTC{offset}',
  'handoff.transcriptUser': 'Vous',
  'handoff.transcriptBot': 'Helpline',
  'handoff.transcriptAgent': 'Support',
  'giveUp.talkToPerson': 'Parler à une personne',
  'giveUp.repeatedFailures':
    "Désolé, je n'arrive pas à vous mener à une réponse. Quelqu'un de notre équipe support peut prendre le relais.",
  'giveUp.frustration':
    "Je vois que c'est agaçant, et j'en suis désolé. Préférez-vous parler avec quelqu'un de notre équipe support ?",
  'giveUp.severityOne':
    "Cela semble critique. Vous pouvez parler tout de suite avec quelqu'un du support, ou continuer ici et j'ouvre un ticket urgent.",
  'giveUp.nobodyNow':
    "Personne ne peut prendre de conversation en direct pour le moment, mais un ticket parvient à l'équipe support avec tout ce que vous m'avez dit.",
};
