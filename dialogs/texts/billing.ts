/** The Billing & Payments assistant's own words (English, then French; same keys). */
export const billingEn = {
  'billing.greeting':
    'Hi, this is the Billing & Payments assistant. I take care of invoices, charges, payment methods, renewals and licences.',
  'billing.greetingTopic':
    'Hi, this is the Billing & Payments assistant. Let me help with your question about {topic}.',
  'billing.askTopic': 'What is your billing question about?',
  'billing.retryTopic':
    'Please pick one of the options: invoice copy, a charge or dispute, payment method, renewal or licence count, or something else.',
  'billing.choice.invoice_copy': 'Invoice copy',
  'billing.choice.charge': 'A charge or a dispute',
  'billing.choice.payment_method': 'Payment method',
  'billing.choice.renewal': 'Renewal or licence count',
  'billing.choice.other': 'Something else',
  'billing.topic.invoice_copy': 'an invoice copy',
  'billing.topic.charge_question': 'a charge',
  'billing.topic.dispute': 'a disputed charge',
  'billing.topic.payment_method': 'your payment method',
  'billing.topic.renewal': 'your renewal',
  'billing.topic.licence_count': 'your licence count',
  'billing.topic.other': 'billing',
  'billing.askQuestion': 'Tell me your question in a sentence or two, and I will look for the answer.',
  'billing.results': 'Here is what our billing articles say:',
  'billing.askAnswered': 'Did this answer your question?',
  'billing.retryAnswered': 'Please answer Yes or No.',
  'billing.choiceYes': 'Yes',
  'billing.choiceNoTicket': 'No, open a billing ticket',
  'billing.choiceNo': 'No',
  'billing.answered': 'Glad I could help! If anything else comes up about billing, just write to me.',
  'billing.noArticle': 'I found no billing article that answers this.',
  'billing.signIn':
    'To open a billing ticket, please sign in on the support site first: our billing team needs to know which organisation you belong to. Then ask me again and I will take it from there.',
  'billing.notAContact':
    'I could not find you among the contacts of a customer organisation. A billing ticket must be opened by an authorized contact of your organisation: please ask one of them, or your account manager.',
  'billing.notAuthorized':
    'Only an authorized contact of {organisation} can open a billing ticket, and you are not listed as one. Please ask one of your authorized contacts, or your account manager {manager}.',
  'billing.ticketIntro':
    'I will open a billing ticket for our billing team. Just a few questions; type "skip" for the ones that do not apply.',
  'billing.askInvoice':
    'What is the invoice number (for example INV-2026-004512)? Type "skip" if you do not have one.',
  'billing.invoiceSpaces':
    'An invoice number has no spaces (for example INV-2026-004512). Please type it again, or "skip".',
  'billing.invoiceLength':
    'An invoice number has 3 to 30 characters (for example INV-2026-004512). Please type it again, or "skip".',
  'billing.invoiceCharacters':
    'An invoice number has only letters, digits, dashes or slashes (for example INV-2026-004512). Please type it again, or "skip".',
  'billing.askAmount': 'What amount is it about (for example 120.50 EUR)? Type "skip" if there is none.',
  'billing.amountNotANumber':
    'I could not read that as an amount. Please write it like 120, 120.50 EUR or €1,200.00, or type "skip".',
  'billing.amountNotPositive': 'The amount must be more than zero. Please type it again, or "skip".',
  'billing.amountTooLarge':
    'That amount is larger than I can take ({max} at most). Please check it, or type "skip".',
  'billing.askDescription':
    'Please describe your request in a sentence or two: what you need, and for which period or service.',
  'billing.descriptionTooShort':
    'That is a bit short: please give at least {min} characters so that our billing team can act on it.',
  'billing.descriptionTooLong':
    'That is too long for a ticket ({max} characters at most). Please shorten it.',
  'billing.summaryTitle': 'Your billing request',
  'billing.summaryOrganisation': 'Organisation',
  'billing.summaryTopic': 'Topic',
  'billing.summaryInvoice': 'Invoice number',
  'billing.summaryAmount': 'Amount',
  'billing.summaryDescription': 'Description',
  'billing.summaryCopied': 'Copied',
  'billing.summaryNotGiven': 'not given',
  'billing.summaryQueue': 'This request goes to the billing team.',
  'billing.submit': 'Submit',
  'billing.cancel': 'Cancel',
  'billing.summaryPrompt': 'Please check your billing request, then press Submit or Cancel.',
  'billing.summaryRetry': 'Please press Submit or Cancel on the card, or type "submit" or "cancel".',
  'billing.staleCard': 'That card belongs to an earlier billing request, which has already been dealt with.',
  'billing.submitUnavailable':
    'I could not reach our ticket system just now. Nothing is lost: your request is kept here. Please press Submit again in a moment.',
  'billing.ticketOpened':
    'Your billing ticket {number} is open. Please quote {number} whenever you write to us about it. It goes to our billing team, not to technical support, and they will get back to you.',
  'billing.alreadyOpened':
    'Your billing ticket {number} is already open, so there is nothing more to do. Please quote {number} when you write to us about it.',
  'billing.ticketCopied': 'Copied on this ticket: {copied}.',
  'billing.ticketNoCopy': 'Nobody else is copied on this ticket.',
  'billing.accountManager': '{name} (your account manager)',
  'billing.cancelled':
    'Cancelled: no billing ticket was opened. If you need anything else, just write to me.',
  'billing.startOver': 'Let us start again.',
  'billing.help':
    'I am the Billing & Payments assistant. Answer the current question, or type "skip" for an optional one. You can also type "cancel" to stop or "start over" to begin again. For a technical problem, just describe it and I will pass you to technical support.',
  'billing.handBack':
    'That sounds like a technical question rather than a billing one: I am passing it to technical support. The billing request we had started is set aside; ask me about billing again whenever you like.',
} as const;

export const billingFr: Record<keyof typeof billingEn, string> = {
  'billing.greeting':
    'Bonjour, ici l’assistant Facturation et paiements. Je m’occupe des factures, des montants facturés, des moyens de paiement, des renouvellements et des licences.',
  'billing.greetingTopic':
    'Bonjour, ici l’assistant Facturation et paiements. Je vais vous aider pour votre question concernant {topic}.',
  'billing.askTopic': 'Sur quoi porte votre question de facturation ?',
  'billing.retryTopic':
    'Merci de choisir une des options : copie de facture, montant facturé ou contestation, moyen de paiement, renouvellement ou nombre de licences, ou autre chose.',
  'billing.choice.invoice_copy': 'Copie de facture',
  'billing.choice.charge': 'Un montant facturé ou une contestation',
  'billing.choice.payment_method': 'Moyen de paiement',
  'billing.choice.renewal': 'Renouvellement ou nombre de licences',
  'billing.choice.other': 'Autre chose',
  'billing.topic.invoice_copy': 'une copie de facture',
  'billing.topic.charge_question': 'un montant facturé',
  'billing.topic.dispute': 'la contestation d’un montant',
  'billing.topic.payment_method': 'votre moyen de paiement',
  'billing.topic.renewal': 'votre renouvellement',
  'billing.topic.licence_count': 'votre nombre de licences',
  'billing.topic.other': 'la facturation',
  'billing.askQuestion': 'Décrivez votre question en une ou deux phrases, et je cherche la réponse.',
  'billing.results': 'Voici ce qu’en disent nos articles de facturation :',
  'billing.askAnswered': 'Cela répond-il à votre question ?',
  'billing.retryAnswered': 'Merci de répondre Oui ou Non.',
  'billing.choiceYes': 'Oui',
  'billing.choiceNoTicket': 'Non, ouvrir un ticket de facturation',
  'billing.choiceNo': 'Non',
  'billing.answered':
    'Ravi d’avoir pu vous aider ! Pour toute autre question de facturation, écrivez-moi simplement.',
  'billing.noArticle': 'Je n’ai trouvé aucun article de facturation qui y réponde.',
  'billing.signIn':
    'Pour ouvrir un ticket de facturation, connectez-vous d’abord sur le site du support : notre équipe facturation doit savoir à quelle organisation vous appartenez. Reposez-moi ensuite la question et je m’en occupe.',
  'billing.notAContact':
    'Je ne vous trouve pas parmi les contacts d’une organisation cliente. Un ticket de facturation doit être ouvert par un contact autorisé de votre organisation : adressez-vous à l’un d’eux, ou à votre responsable de compte.',
  'billing.notAuthorized':
    'Seul un contact autorisé de {organisation} peut ouvrir un ticket de facturation, et vous n’en faites pas partie. Adressez-vous à l’un de vos contacts autorisés, ou à votre responsable de compte {manager}.',
  'billing.ticketIntro':
    'Je vais ouvrir un ticket pour notre équipe facturation. Quelques questions seulement ; écrivez « passer » pour celles qui ne s’appliquent pas.',
  'billing.askInvoice':
    'Quel est le numéro de la facture (par exemple INV-2026-004512) ? Écrivez « passer » si vous n’en avez pas.',
  'billing.invoiceSpaces':
    'Un numéro de facture ne contient pas d’espace (par exemple INV-2026-004512). Merci de le saisir à nouveau, ou écrivez « passer ».',
  'billing.invoiceLength':
    'Un numéro de facture compte de 3 à 30 caractères (par exemple INV-2026-004512). Merci de le saisir à nouveau, ou écrivez « passer ».',
  'billing.invoiceCharacters':
    'Un numéro de facture ne contient que des lettres, des chiffres, des tirets ou des barres obliques (par exemple INV-2026-004512). Merci de le saisir à nouveau, ou écrivez « passer ».',
  'billing.askAmount':
    'De quel montant s’agit-il (par exemple 120,50 €) ? Écrivez « passer » s’il n’y en a pas.',
  'billing.amountNotANumber':
    'Je n’arrive pas à lire ce montant. Écrivez-le par exemple 120, 120,50 € ou 1 200,00 EUR, ou écrivez « passer ».',
  'billing.amountNotPositive':
    'Le montant doit être supérieur à zéro. Merci de le saisir à nouveau, ou écrivez « passer ».',
  'billing.amountTooLarge':
    'Ce montant dépasse ce que je peux enregistrer ({max} au maximum). Merci de le vérifier, ou écrivez « passer ».',
  'billing.askDescription':
    'Décrivez votre demande en une ou deux phrases : ce dont vous avez besoin, et pour quelle période ou quel service.',
  'billing.descriptionTooShort':
    'C’est un peu court : merci d’écrire au moins {min} caractères pour que notre équipe facturation puisse agir.',
  'billing.descriptionTooLong':
    'C’est trop long pour un ticket ({max} caractères au maximum). Merci de raccourcir.',
  'billing.summaryTitle': 'Votre demande de facturation',
  'billing.summaryOrganisation': 'Organisation',
  'billing.summaryTopic': 'Sujet',
  'billing.summaryInvoice': 'Numéro de facture',
  'billing.summaryAmount': 'Montant',
  'billing.summaryDescription': 'Description',
  'billing.summaryCopied': 'En copie',
  'billing.summaryNotGiven': 'non précisé',
  'billing.summaryQueue': 'Cette demande est adressée à l’équipe facturation.',
  'billing.submit': 'Envoyer',
  'billing.cancel': 'Annuler',
  'billing.summaryPrompt': 'Vérifiez votre demande de facturation, puis appuyez sur Envoyer ou Annuler.',
  'billing.summaryRetry':
    'Merci d’appuyer sur Envoyer ou Annuler dans la carte, ou d’écrire « envoyer » ou « annuler ».',
  'billing.staleCard':
    'Cette carte correspond à une demande de facturation précédente, qui a déjà été traitée.',
  'billing.submitUnavailable':
    'Je n’arrive pas à joindre notre système de tickets pour le moment. Rien n’est perdu : votre demande est conservée ici. Appuyez de nouveau sur Envoyer dans un instant.',
  'billing.ticketOpened':
    'Votre ticket de facturation {number} est ouvert. Merci de rappeler le numéro {number} dans tous vos échanges à son sujet. Il est transmis à notre équipe facturation, et non au support technique ; elle reviendra vers vous.',
  'billing.alreadyOpened':
    'Votre ticket de facturation {number} est déjà ouvert : il n’y a rien de plus à faire. Merci de rappeler le numéro {number} dans vos échanges à son sujet.',
  'billing.ticketCopied': 'En copie de ce ticket : {copied}.',
  'billing.ticketNoCopy': 'Personne d’autre n’est en copie de ce ticket.',
  'billing.accountManager': '{name} (votre responsable de compte)',
  'billing.cancelled':
    'C’est annulé : aucun ticket de facturation n’a été ouvert. Si vous avez besoin d’autre chose, écrivez-moi.',
  'billing.startOver': 'Reprenons depuis le début.',
  'billing.help':
    'Je suis l’assistant Facturation et paiements. Répondez à la question en cours, ou écrivez « passer » pour une question facultative. Vous pouvez aussi écrire « annuler » pour arrêter ou « recommencer » pour reprendre depuis le début. Pour un problème technique, décrivez-le simplement et je vous passe au support technique.',
  'billing.handBack':
    'Cela ressemble à une question technique plutôt qu’à une question de facturation : je la transmets au support technique. La demande de facturation commencée est mise de côté ; reparlez-moi de facturation quand vous voulez.',
};
