/** The satisfaction question after a resolution (product.md flow I). */
export const satisfactionEn = {
  'satisfaction.askTicket':
    'Your ticket {number} ("{subject}") is resolved. How satisfied are you with the help you got?',
  'satisfaction.askKnowledge': 'Glad that helped! How satisfied are you with the help you got?',
  'satisfaction.scale': '1 = very unsatisfied, 5 = very satisfied',
  'satisfaction.score1': '1 – Very unsatisfied',
  'satisfaction.score2': '2 – Unsatisfied',
  'satisfaction.score3': '3 – Neutral',
  'satisfaction.score4': '4 – Satisfied',
  'satisfaction.score5': '5 – Very satisfied',
  'satisfaction.askComment':
    'Thank you! Would you like to add a comment? Write it here, or choose "No comment".',
  'satisfaction.noComment': 'No comment',
  'satisfaction.thanks': 'Thank you for your answer: it helps us improve.',
  'satisfaction.already': 'Thank you, we already have your answer for this one.',
};

export const satisfactionFr: Record<keyof typeof satisfactionEn, string> = {
  'satisfaction.askTicket':
    "Votre ticket {number} (« {subject} ») est résolu. Êtes-vous satisfait de l'aide reçue ?",
  'satisfaction.askKnowledge': "Ravi d'avoir pu aider ! Êtes-vous satisfait de l'aide reçue ?",
  'satisfaction.scale': '1 = très insatisfait, 5 = très satisfait',
  'satisfaction.score1': '1 – Très insatisfait',
  'satisfaction.score2': '2 – Insatisfait',
  'satisfaction.score3': '3 – Neutre',
  'satisfaction.score4': '4 – Satisfait',
  'satisfaction.score5': '5 – Très satisfait',
  'satisfaction.askComment':
    'Merci ! Voulez-vous ajouter un commentaire ? Écrivez-le ici, ou choisissez « Pas de commentaire ».',
  'satisfaction.noComment': 'Pas de commentaire',
  'satisfaction.thanks': 'Merci pour votre réponse : elle nous aide à progresser.',
  'satisfaction.already': 'Merci, nous avons déjà votre réponse pour celui-ci.',
};
