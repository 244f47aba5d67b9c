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
  'main.comingSoon': '"{feature}" is on its way: it is not available in this version yet. Meanwhile I can help with the other options.',
  'main.notUnderstood':
    'I am not sure I understood. You can describe a problem in a sentence, or pick one of the options below.',
  'main.tooLong': 'That message is too long for me ({length} characters). Please keep it under {max} characters.',
  'errors.generic': 'Sorry, something went wrong on my side. Your information is safe; please try again in a moment.',
  'errors.unavailable':
    'I cannot reach our systems right now. Nothing you entered is lost: please try again in a minute.',
} as const;

export type TextKey = keyof typeof en;
