import { WELCOME_ACTIONS, type WelcomeAction } from '../cards/welcomeCard';
import { t } from '../texts';
import { normalise } from './normalise';

/**
 * The welcome card's shortcut a turn carries: the button's value (`{ helpline: 'billing' }`),
 * or its label typed or sent back as text in either language ("My requests", « Facturation »).
 */
export function readWelcomeAction(value: unknown, text?: string): WelcomeAction | undefined {
  if (value && typeof value === 'object') {
    const action = (value as { helpline?: unknown }).helpline;
    const found = WELCOME_ACTIONS.find((entry) => entry.action === action);
    if (found) return found.action;
  }
  if (!text) return undefined;
  const answer = normalise(text);
  if (!answer) return undefined;
  return WELCOME_ACTIONS.find(
    ({ label }) => normalise(t('en', label)) === answer || normalise(t('fr', label)) === answer,
  )?.action;
}
