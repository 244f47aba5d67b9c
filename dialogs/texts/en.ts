/**
 * Every sentence Helpline says in English. Keys are shared with fr.ts (the compiler and a
 * test check it). `{name}` placeholders are filled by `format`.
 */
export const en = {
  'welcome.title': 'Hi, I am Helpline',
  'welcome.body':
    'I can find an answer in the knowledge base, open a technical ticket, follow your requests, help with billing, or show the service status. Pick one or just tell me what is going on.',
  'welcome.searchKb': 'Search the knowledge base',
  'welcome.openTicket': 'Open a technical ticket',
  'welcome.myRequests': 'My requests',
  'welcome.billing': 'Billing & payments',
  'welcome.status': 'Service status',
  'main.comingSoon':
    '"{feature}" is on its way: it is not available in this version yet. Meanwhile I can help with the other options.',
  'main.notUnderstood':
    'I am not sure I understood. You can describe a problem in a sentence, or pick one of the options below.',
  'main.tooLong':
    'That message is too long for me ({length} characters). Please keep it under {max} characters.',
  'main.languageSwitched': 'Sure, let us continue in English.',
  'main.menu': 'Sure, I have stopped what we were doing. What would you like to do?',
  'main.help':
    'Here is what I can do. Describe a problem and I will search the knowledge base; I can also open a ticket, show your requests, answer billing questions or give the service status. At any step you can type "cancel", "help", "start over" or "back".',
  'main.wayOn': 'Here is what I can do for you instead:',
  'main.talkToPerson':
    'No live agent is available in this chat. I can open a ticket right away so that a support engineer gets back to you, and for a time-sensitive issue your account manager can escalate it.',
  'main.featureRequest':
    'Thank you for the idea! Feature requests are not handled as support tickets: please submit it through the partner portal (Ideas section) or tell your account manager, who passes it to the product team.',
  'main.outOfScope':
    'Training, licensing and consulting are handled by your account manager rather than technical support. Please contact them directly; they will organise the right help.',
  'kb.askProblem': 'Tell me what is happening, in a sentence or two, and I will look for an answer.',
  'kb.results': 'Here is what I found for "{query}".',
  'kb.resultsOtherLanguage': 'Some of these articles are only available in {language}.',
  'kb.nothingFound':
    'I found no article that matches "{query}". You can search with other words, or I can open a ticket with what you told me.',
  'kb.nothingClose':
    'Nothing in the knowledge base matches "{query}" well, so I will not make you read articles that do not fit. I can open a ticket with what you told me, or search with other words.',
  'kb.readArticle': 'Read the article',
  'kb.answerSources': 'From these articles (the numbered cards below):',
  'kb.answerNotInArticles':
    'The articles I found do not answer this directly. Here are the closest ones; one of them may still help.',
  'kb.askOutcome': 'Did one of these solve your problem?',
  'kb.choiceSolved': 'Solved',
  'kb.choiceNotSolved': 'Not solved, open a ticket',
  'kb.choiceSearchAgain': 'Search again',
  'kb.choiceOpenTicket': 'Open a ticket',
  'kb.retryOutcome':
    'Did an article solve it? Pick Solved, Not solved or Search again, or just tell me what you need instead.',
  'kb.retryOutcomeNothing':
    'Shall I open a ticket, or search with other words? You can also tell me what you need instead.',
  'kb.solved': 'Glad that helped! If anything else comes up, just write to me.',
  'kb.searchAgain':
    'Sure. Describe the problem differently, or add details such as an error message or the module.',
  'kb.module': 'Module: {module}',
  'kb.cancelled': 'All right, I have stopped the search. Write to me whenever you need something.',
  'kb.help':
    'Pick "Solved" if an article answered, "Not solved" to open a ticket with what you told me, or "Search again" to try other words. You can also type "cancel", "start over" or "menu", or just ask for something else.',
  'kb.helpProblem':
    'Describe the problem in a sentence or two (an error message or the module helps). You can also type "cancel", "back" or "menu".',
  'language.english': 'English',
  'language.french': 'French',
  'errors.generic':
    'Sorry, something went wrong on my side. Your information is safe; please try again in a moment.',
  'errors.unavailable':
    'I cannot reach our systems right now. Nothing you entered is lost: please try again in a minute.',
} as const;

export type CoreTextKey = keyof typeof en;
