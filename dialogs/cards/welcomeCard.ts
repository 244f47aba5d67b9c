import { CardFactory, type Attachment } from 'botbuilder';
import { t, type Locale } from '../texts';

/** The shortcuts the welcome card offers; the value a button sends back in `activity.value`. */
export type WelcomeAction = 'search_kb' | 'open_ticket' | 'my_requests' | 'billing' | 'service_status';

export const WELCOME_ACTIONS: ReadonlyArray<{ action: WelcomeAction; label: Parameters<typeof t>[1] }> = [
  { action: 'search_kb', label: 'welcome.searchKb' },
  { action: 'open_ticket', label: 'welcome.openTicket' },
  { action: 'my_requests', label: 'welcome.myRequests' },
  { action: 'billing', label: 'welcome.billing' },
  { action: 'service_status', label: 'welcome.status' },
];

export function welcomeCard(locale: Locale): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: t(locale, 'welcome.title'), weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: t(locale, 'welcome.body'), wrap: true },
    ],
    actions: WELCOME_ACTIONS.map(({ action, label }) => ({
      type: 'Action.Submit',
      title: t(locale, label),
      data: { helpline: action },
    })),
  });
}
