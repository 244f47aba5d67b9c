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
  return (labelActions ??= typedLabels()).get(answer);
}

/** The labels are fixed texts: normalised once, not on every message. */
let labelActions: Map<string, WelcomeAction> | undefined;

function typedLabels(): Map<string, WelcomeAction> {
  const actions = new Map<string, WelcomeAction>();
  // In the card's order, English before French, as a search through the list would find them.
  for (const { action, label } of WELCOME_ACTIONS) {
    for (const locale of ['en', 'fr'] as const) {
      const typed = normalise(t(locale, label));
      if (!actions.has(typed)) actions.set(typed, action);
    }
  }
  return actions;
}
