import { MessageFactory, type Activity } from 'botbuilder';
import { t, type Locale } from '../texts';
import { imBack } from './actions';
import { WELCOME_ACTIONS, type WelcomeAction } from './welcomeCard';

/**
 * A message that says what cannot be done together with buttons for what can: every dead end
 * ends with a way on. The buttons send the welcome card's labels, which the input layer reads
 * as those shortcuts at any prompt.
 */
export function withWayOn(
  locale: Locale,
  text: string,
  actions: readonly WelcomeAction[],
): Partial<Activity> {
  const labels = actions.map((action) => {
    const entry = WELCOME_ACTIONS.find((candidate) => candidate.action === action);
    return t(locale, entry?.label ?? 'welcome.searchKb');
  });
  return MessageFactory.suggestedActions(labels.map(imBack), text);
}
