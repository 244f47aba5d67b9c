/** The technical ticket intake's words (English, then French; same keys). */
export const intakeEn = {
  'intake.signIn':
    'To open a ticket I need to know who you are. Please sign in on the support site (or use Helpline in Microsoft Teams with your work account) and ask me again. Meanwhile I can still search the knowledge base for you.',
  'intake.unknownUser':
    'I could not find you among the contacts of our customers, so I cannot open a ticket for you. Ask an authorized contact of your organisation to add you, or to open the ticket.',
  'intake.noSupportPlan':
    'Your organisation has no active support plan, so tickets cannot be opened right now. Your account manager, {manager}, can help with that.',
  'intake.notAuthorized':
    'Only authorized contacts of {organisation} can open tickets, and you are not one yet. An authorized colleague can open it, or I can send a request to make you an authorized contact.',
  'intake.accessRequestAsk': 'Shall I send that request?',
  'intake.accessRequestSent':
    'Done: your request was recorded and your organisation’s authorized contacts will review it.',
  'intake.accessRequestSkipped': 'All right, nothing was sent.',
  'intake.start':
    'Let us open a technical ticket. I will ask only what I do not know yet; type "help" at any time.',
  'intake.formOffer': 'Fill in a form instead',
  'intake.askModule': 'Which module is this about?',
  'intake.askSubject': 'In one line, what is the problem? (this becomes the ticket subject)',
  'intake.askDescription': 'Describe what happens, and what you expected to happen instead.',
  'intake.askProblem':
    'Describe the problem: what happens, and what you expected instead. Your first sentence becomes the ticket subject.',
  'intake.askSeverity': 'How serious is it for your business? {suggestion}',
  'intake.severitySuggestion': 'From what you wrote I would suggest severity {severity}.',
  'intake.severity1':
    '1 – Critical: the whole system, the server or the agents are down; production stopped. Handled around the clock.',
  'intake.severity2': '2 – Major: an important function is lost or the system’s integrity is threatened.',
  'intake.severity3': '3 – Moderate: a function is partly lost, with a workaround.',
  'intake.severity4':
    '4 – Minor: a small loss, or a question about installation, configuration or integration.',
  'intake.severityChoice1': '1 – Critical',
  'intake.severityChoice2': '2 – Major',
  'intake.severityChoice3': '3 – Moderate',
  'intake.severityChoice4': '4 – Minor',
  'intake.confirm24x7':
    'Severity 1 tickets are worked on around the clock, so an authorized contact must be reachable 24×7 while it is open. Can you (or a colleague) be reached at any hour?',
  'intake.yes': 'Yes',
  'intake.no': 'No',
  'intake.severityLowered':
    'I have set severity 2: severity 1 needs someone reachable around the clock. Your account manager can still escalate it if the situation gets worse.',
  'intake.askServerUrl':
    'What is the full address of the affected server? (for example https://rmm.yourcompany.com)',
  'intake.askSteps': 'What are the steps to reproduce the problem?',
  'intake.askDevices':
    'Which devices are affected? Give the serial number and device number of one or more, for example "SN: 5CG1234XYZ, device: 10452".',
  'intake.askVersion': 'Which version of {module} do you run? ({format})',
  'intake.askServerAndVersion':
    'What is the full address of the affected server (for example https://rmm.yourcompany.com), and which version of {module} do you run ({format})?',
  'intake.dontKnowHint': 'If you do not know, say so and the ticket will wait for that information.',
  'intake.invalid.module': 'I did not recognise that module. Please pick one from the list.',
  'intake.invalid.subjectShort': 'That is a bit short for a subject: please use at least {min} characters.',
  'intake.invalid.subjectLong':
    'That is too long for a subject ({length} characters). Please keep it under {max}; the details go in the description.',
  'intake.invalid.descriptionShort':
    'Please describe the problem in a little more detail (at least {min} characters).',
  'intake.invalid.descriptionLong':
    'That description is too long ({length} characters); please keep it under {max}.',
  'intake.invalid.severity': 'Please answer with a severity from 1 (critical) to 4 (minor).',
  'intake.invalid.yesNo': 'Please answer yes or no.',
  'intake.invalid.serverUrl':
    'That is not a full server address. It must start with http:// or https:// followed by the server name, for example https://rmm.yourcompany.com.',
  'intake.invalid.steps': 'Please give at least one step, even a short one.',
  'intake.invalid.devices':
    'I could not read a serial number and a device number from that. Please write each device as "serial, device number", for example "5CG1234XYZ, 10452"; several devices can go on separate lines.',
  'intake.invalid.devicesNone':
    '{module} runs on devices, so I need at least one affected device (or say you do not know).',
  'intake.invalid.version': 'That does not look like a {module} version: the format is {format}.',
  'intake.invalid.cc':
    '"{value}" is not a valid email address. Please list the addresses to copy, separated by commas.',
  'intake.invalid.tooLong': 'That answer is too long for this field ({length} characters, at most {max}).',
  'intake.versionWarning':
    'Note: version {version} is no longer supported. Supported versions are {supported}; support may ask you to upgrade first.',
  'intake.versionUnknownWarning':
    'Note: I do not know version {version}; supported versions are {supported}.',
  'intake.severalProblems':
    'It sounds like there is more than one problem here. One ticket per problem gets each one handled faster: I will open this ticket for the first, and you can open another for the rest afterwards.',
  'intake.featureRequest':
    'This sounds like a feature request rather than a defect. Those are not opened as tickets: please submit it in the partner portal (Ideas) or through your account manager. If it is in fact something that is broken, tell me what happens.',
  'intake.outOfScope':
    'Training, licensing and consulting are handled by your account manager, not by technical support tickets. If something is actually broken, tell me what happens.',
  'intake.help':
    'I am collecting what support needs for your ticket. Answer the question above; you can also type "back" for the previous question, "start over" to begin again, or "cancel" to stop. Where you do not know an answer, just say so.',
  'intake.cancelled': 'Cancelled: no ticket was opened. I am here if you need anything else.',
  'intake.startOver': 'Starting over.',
  'intake.nothingToGoBackTo': 'This is the first question, there is nothing before it.',
  'intake.summaryTitle': 'Your ticket, ready to send',
  'intake.summaryIntro': 'Please check the details, then send the ticket.',
  'intake.submit': 'Submit',
  'intake.change': 'Change a field',
  'intake.cancel': 'Cancel',
  'intake.whichField': 'Which field do you want to change?',
  'intake.field.module': 'Module',
  'intake.field.subject': 'Subject',
  'intake.field.description': 'Description',
  'intake.field.expectedResult': 'Expected result',
  'intake.field.severity': 'Severity',
  'intake.field.serverUrl': 'Server URL',
  'intake.field.stepsToReproduce': 'Steps to reproduce',
  'intake.field.devices': 'Affected devices',
  'intake.field.productVersion': 'Product version',
  'intake.field.ccs': 'People in copy',
  'intake.askCcs':
    'Whom should I copy, besides your account manager? List the email addresses, separated by commas (or "none").',
  'intake.unknownValue': 'not known yet',
  'intake.noneValue': 'none',
  'intake.accountManagerCc': '{name} (account manager, always copied)',
  'intake.articlesTriedList': 'Articles already tried: {titles}',
  'intake.summaryRetry': 'Use the buttons on the summary: Submit, Change a field or Cancel.',
  'intake.created':
    'Your ticket {number} is open. Please quote {number} in every message about this problem.',
  'intake.createdExisting':
    'This ticket was already opened: {number}. Please quote {number} in every message about it.',
  'intake.firstResponse': 'Expect a first answer from support by {when}.',
  'intake.copied': 'Copied: {people}.',
  'intake.onHold':
    'The ticket is on hold until support has: {fields}. Reply on the ticket as soon as you know.',
  'intake.escalatedSev1': 'As a severity 1 ticket it has been escalated to the on-call team.',
  'intake.afterCreate': 'Anything else?',
  'intake.unavailable':
    'I could not open the ticket just now because our systems are not answering. Nothing is lost: press Submit again in a moment and it will be opened once.',
  'intake.forbidden':
    'Your account can no longer open tickets, so nothing was opened. Please contact your account manager.',
  'intake.form.title': 'New technical ticket',
  'intake.form.send': 'Review the ticket',
  'intake.form.fixErrors': 'A few fields need attention; they are marked below.',
  'intake.form.devicesPlaceholder': 'One device per line: serial number, device number',
  'intake.form.unknownHint': 'Leave server URL, steps, devices or version empty if you do not know them yet.',
  'intake.form.required': 'This field is required.',
  'intake.draftGone':
    'That form belongs to a ticket draft that was cancelled or replaced. Tell me about the problem and I will start a new one.',
  'intake.billingHint':
    'That sounds like a billing question. The Billing & Payments assistant handles those: shall I switch to it? Your ticket draft is kept and we come back to it afterwards.',
  'intake.backToDraft': 'Back to your technical ticket draft; nothing was lost.',
  'intake.dontKnowChoice': "I don't know",
  'intake.serverAndVersionChoice': '{url}, version {version}',
  'intake.invalid.versionNeedsModule': 'Please choose the module first: the version format depends on it.',
  'intake.understood': 'Taken from your messages: {fields}. Change any of them with "Change a field".',
  'intake.reachableKnown':
    'Severity 1 kept: you are recorded as reachable around the clock, so support may call you at any hour while it is open.',
  'intake.severityOneFirst':
    'That sounds critical, so let us open the ticket straight away; I will not make you read articles first.',
  'intake.featureRequestNotice':
    'This sounds like a request for something new rather than something broken. New features are not handled as defect tickets: please submit it in the partner portal (Ideas) or through your account manager. If something is in fact broken, describe what happens.',
} as const;

export const intakeFr: Record<keyof typeof intakeEn, string> = {
  'intake.signIn':
    'Pour ouvrir un ticket, j’ai besoin de savoir qui vous êtes. Connectez-vous sur le site du support (ou utilisez Helpline dans Microsoft Teams avec votre compte professionnel), puis redemandez-moi. En attendant, je peux toujours chercher dans la base de connaissances.',
  'intake.unknownUser':
    'Je ne vous trouve pas parmi les contacts de nos clients, je ne peux donc pas ouvrir de ticket pour vous. Demandez à un contact autorisé de votre organisation de vous ajouter ou d’ouvrir le ticket.',
  'intake.noSupportPlan':
    'Votre organisation n’a pas de contrat de support actif : aucun ticket ne peut être ouvert pour l’instant. Votre responsable de compte, {manager}, peut vous aider.',
  'intake.notAuthorized':
    'Seuls les contacts autorisés de {organisation} peuvent ouvrir des tickets, et vous n’en faites pas encore partie. Un collègue autorisé peut l’ouvrir, ou je peux transmettre une demande pour que vous deveniez contact autorisé.',
  'intake.accessRequestAsk': 'Voulez-vous que j’envoie cette demande ?',
  'intake.accessRequestSent':
    'C’est fait : votre demande est enregistrée et les contacts autorisés de votre organisation l’examineront.',
  'intake.accessRequestSkipped': 'Entendu, rien n’a été envoyé.',
  'intake.start':
    'Ouvrons un ticket technique. Je ne vous demande que ce que je ne sais pas encore ; tapez « aide » à tout moment.',
  'intake.formOffer': 'Remplir un formulaire',
  'intake.askModule': 'Quel module est concerné ?',
  'intake.askSubject': 'En une ligne, quel est le problème ? (ce sera l’objet du ticket)',
  'intake.askDescription': 'Décrivez ce qui se passe, et ce que vous attendiez à la place.',
  'intake.askProblem':
    'Décrivez le problème : ce qui se passe, et ce que vous attendiez à la place. Votre première phrase deviendra l’objet du ticket.',
  'intake.askSeverity': 'Quelle est la gravité pour votre activité ? {suggestion}',
  'intake.severitySuggestion': 'D’après votre description, je suggère la sévérité {severity}.',
  'intake.severity1':
    '1 – Critique : tout le système, le serveur ou les agents sont arrêtés ; la production est bloquée. Traité 24 h/24.',
  'intake.severity2':
    '2 – Majeure : une fonction importante est perdue ou l’intégrité du système est menacée.',
  'intake.severity3': '3 – Modérée : une fonction est partiellement perdue, avec un contournement.',
  'intake.severity4':
    '4 – Mineure : une gêne limitée, ou une question d’installation, de configuration ou d’intégration.',
  'intake.severityChoice1': '1 – Critique',
  'intake.severityChoice2': '2 – Majeure',
  'intake.severityChoice3': '3 – Modérée',
  'intake.severityChoice4': '4 – Mineure',
  'intake.confirm24x7':
    'Les tickets de sévérité 1 sont traités jour et nuit : un contact autorisé doit donc être joignable 24 h/24 et 7 j/7 tant qu’il est ouvert. Pouvez-vous (ou un collègue) être joint à toute heure ?',
  'intake.yes': 'Oui',
  'intake.no': 'Non',
  'intake.severityLowered':
    'J’ai retenu la sévérité 2 : la sévérité 1 exige une personne joignable à toute heure. Votre responsable de compte pourra toujours l’escalader si la situation s’aggrave.',
  'intake.askServerUrl':
    'Quelle est l’adresse complète du serveur concerné ? (par exemple https://rmm.votresociete.fr)',
  'intake.askSteps': 'Quelles sont les étapes pour reproduire le problème ?',
  'intake.askDevices':
    'Quels appareils sont touchés ? Indiquez le numéro de série et le numéro d’appareil d’un ou plusieurs, par exemple « SN : 5CG1234XYZ, appareil : 10452 ».',
  'intake.askVersion': 'Quelle version de {module} utilisez-vous ? ({format})',
  'intake.askServerAndVersion':
    'Quelle est l’adresse complète du serveur concerné (par exemple https://rmm.votresociete.fr), et quelle version de {module} utilisez-vous ({format}) ?',
  'intake.dontKnowHint': 'Si vous ne savez pas, dites-le : le ticket attendra cette information.',
  'intake.invalid.module': 'Je n’ai pas reconnu ce module. Choisissez-en un dans la liste.',
  'intake.invalid.subjectShort':
    'C’est un peu court pour un objet : au moins {min} caractères, s’il vous plaît.',
  'intake.invalid.subjectLong':
    'C’est trop long pour un objet ({length} caractères). Restez sous {max} ; les détails iront dans la description.',
  'intake.invalid.descriptionShort':
    'Décrivez le problème un peu plus en détail (au moins {min} caractères).',
  'intake.invalid.descriptionLong':
    'Cette description est trop longue ({length} caractères) ; restez sous {max}.',
  'intake.invalid.severity': 'Répondez par une sévérité de 1 (critique) à 4 (mineure).',
  'intake.invalid.yesNo': 'Répondez par oui ou par non, s’il vous plaît.',
  'intake.invalid.serverUrl':
    'Ce n’est pas une adresse de serveur complète. Elle doit commencer par http:// ou https:// suivi du nom du serveur, par exemple https://rmm.votresociete.fr.',
  'intake.invalid.steps': 'Indiquez au moins une étape, même courte.',
  'intake.invalid.devices':
    'Je n’ai pas pu lire un numéro de série et un numéro d’appareil. Écrivez chaque appareil sous la forme « série, numéro d’appareil », par exemple « 5CG1234XYZ, 10452 » ; plusieurs appareils peuvent aller sur des lignes séparées.',
  'intake.invalid.devicesNone':
    '{module} fonctionne sur des appareils : il me faut au moins un appareil touché (ou dites que vous ne savez pas).',
  'intake.invalid.version':
    'Cela ne ressemble pas à une version de {module} : le format attendu est {format}.',
  'intake.invalid.cc':
    '« {value} » n’est pas une adresse e-mail valide. Indiquez les adresses à mettre en copie, séparées par des virgules.',
  'intake.invalid.tooLong':
    'Cette réponse est trop longue pour ce champ ({length} caractères, {max} au plus).',
  'intake.versionWarning':
    'À noter : la version {version} n’est plus prise en charge. Les versions prises en charge sont {supported} ; le support pourra vous demander de mettre à jour d’abord.',
  'intake.versionUnknownWarning':
    'À noter : je ne connais pas la version {version} ; les versions prises en charge sont {supported}.',
  'intake.severalProblems':
    'On dirait qu’il y a plusieurs problèmes. Un ticket par problème permet de traiter chacun plus vite : j’ouvre ce ticket pour le premier, et vous pourrez en ouvrir un autre pour la suite.',
  'intake.featureRequest':
    'Cela ressemble à une demande d’évolution plutôt qu’à un défaut. Elles ne font pas l’objet de tickets : proposez-la sur le portail partenaire (Idées) ou via votre responsable de compte. S’il s’agit bien de quelque chose qui ne fonctionne pas, décrivez-moi ce qui se passe.',
  'intake.outOfScope':
    'La formation, les licences et le conseil relèvent de votre responsable de compte, pas des tickets du support technique. Si quelque chose ne fonctionne vraiment pas, décrivez-moi ce qui se passe.',
  'intake.help':
    'Je rassemble ce dont le support a besoin pour votre ticket. Répondez à la question ci-dessus ; vous pouvez aussi écrire « retour » pour la question précédente, « recommencer » pour tout reprendre, ou « annuler » pour arrêter. Si vous ne connaissez pas une réponse, dites-le simplement.',
  'intake.cancelled': 'Annulé : aucun ticket n’a été ouvert. Je reste là si vous avez besoin d’autre chose.',
  'intake.startOver': 'On recommence.',
  'intake.nothingToGoBackTo': 'C’est la première question, il n’y a rien avant.',
  'intake.summaryTitle': 'Votre ticket, prêt à être envoyé',
  'intake.summaryIntro': 'Vérifiez les informations, puis envoyez le ticket.',
  'intake.submit': 'Envoyer',
  'intake.change': 'Modifier un champ',
  'intake.cancel': 'Annuler',
  'intake.whichField': 'Quel champ voulez-vous modifier ?',
  'intake.field.module': 'Module',
  'intake.field.subject': 'Objet',
  'intake.field.description': 'Description',
  'intake.field.expectedResult': 'Résultat attendu',
  'intake.field.severity': 'Sévérité',
  'intake.field.serverUrl': 'URL du serveur',
  'intake.field.stepsToReproduce': 'Étapes pour reproduire',
  'intake.field.devices': 'Appareils touchés',
  'intake.field.productVersion': 'Version du produit',
  'intake.field.ccs': 'Personnes en copie',
  'intake.askCcs':
    'Qui dois-je mettre en copie, en plus de votre responsable de compte ? Indiquez les adresses e-mail séparées par des virgules (ou « aucune »).',
  'intake.unknownValue': 'pas encore connu',
  'intake.noneValue': 'aucun',
  'intake.accountManagerCc': '{name} (responsable de compte, toujours en copie)',
  'intake.articlesTriedList': 'Articles déjà consultés : {titles}',
  'intake.summaryRetry': 'Utilisez les boutons du récapitulatif : Envoyer, Modifier un champ ou Annuler.',
  'intake.created':
    'Votre ticket {number} est ouvert. Merci de rappeler {number} dans chaque message sur ce problème.',
  'intake.createdExisting':
    'Ce ticket a déjà été ouvert : {number}. Merci de rappeler {number} dans chaque message à son sujet.',
  'intake.firstResponse': 'Le support vous répondra au plus tard le {when}.',
  'intake.copied': 'En copie : {people}.',
  'intake.onHold':
    'Le ticket est en attente tant que le support n’a pas : {fields}. Répondez sur le ticket dès que vous le savez.',
  'intake.escalatedSev1': 'En tant que ticket de sévérité 1, il a été escaladé à l’équipe d’astreinte.',
  'intake.afterCreate': 'Autre chose ?',
  'intake.unavailable':
    'Je n’ai pas pu ouvrir le ticket à l’instant car nos systèmes ne répondent pas. Rien n’est perdu : appuyez de nouveau sur Envoyer dans un moment, il ne sera ouvert qu’une fois.',
  'intake.forbidden':
    'Votre compte ne peut plus ouvrir de tickets : rien n’a été ouvert. Contactez votre responsable de compte.',
  'intake.form.title': 'Nouveau ticket technique',
  'intake.form.send': 'Vérifier le ticket',
  'intake.form.fixErrors': 'Quelques champs sont à corriger ; ils sont signalés ci-dessous.',
  'intake.form.devicesPlaceholder': 'Un appareil par ligne : numéro de série, numéro d’appareil',
  'intake.form.unknownHint':
    'Laissez vides l’URL du serveur, les étapes, les appareils ou la version si vous ne les connaissez pas encore.',
  'intake.form.required': 'Ce champ est obligatoire.',
  'intake.draftGone':
    'Ce formulaire appartient à un brouillon de ticket annulé ou remplacé. Décrivez-moi le problème et j’en commence un nouveau.',
  'intake.billingHint':
    'Cela ressemble à une question de facturation. L’assistant Facturation et paiements s’en occupe : voulez-vous que je vous y emmène ? Votre brouillon de ticket est conservé et nous y reviendrons ensuite.',
  'intake.backToDraft': 'Retour à votre brouillon de ticket technique ; rien n’a été perdu.',
  'intake.dontKnowChoice': 'Je ne sais pas',
  'intake.serverAndVersionChoice': '{url}, version {version}',
  'intake.invalid.versionNeedsModule': 'Choisissez d’abord le module : le format de la version en dépend.',
  'intake.understood':
    'Repris de vos messages : {fields}. Vous pouvez les modifier avec « Modifier un champ ».',
  'intake.reachableKnown':
    'Sévérité 1 conservée : vous êtes enregistré comme joignable 24 h/24, le support pourra donc vous appeler à toute heure tant que le ticket est ouvert.',
  'intake.severityOneFirst':
    'Cela semble critique : ouvrons le ticket tout de suite, sans vous faire lire d’articles d’abord.',
  'intake.featureRequestNotice':
    'Cela ressemble à une demande de nouvelle fonctionnalité plutôt qu’à un dysfonctionnement. Les nouvelles fonctionnalités ne sont pas traitées comme des tickets d’incident : proposez-la dans le portail partenaire (Idées) ou via votre responsable de compte. Si quelque chose est réellement en panne, décrivez ce qui se passe.',
};
