/**
 * The one input layer: every dialog reads what the user sent through here, so that commands,
 * yes/no, choices, welcome-card shortcuts and "this is a new request" mean the same thing at
 * every prompt, in English and French.
 *
 * How a dialog uses it, on each turn it continues:
 *
 * 1. `const facts = await turnFacts(dc.context, deps.context)` — the locale, channel and
 *    identity of this turn, resolved once (MainDialog resolves them first, deciding whether
 *    the language changes), then read as plain data.
 * 2. `const input = readInput(dc.context.activity)` — what arrived: a card's value
 *    (`{ kind: 'card' }`), a command (`cancel`, `help`, `start_over`, `back`, `menu`), text, or
 *    nothing. A command is the whole message only ("cancel please", « Annuler ! »); a command
 *    word inside a longer answer ("cancel the renewal") is text, so it stays an answer.
 *    MainDialog handles `menu` and the welcome card's buttons (pressed or typed) before any
 *    dialog sees the turn; each dialog honours `cancel`, `help`, `start_over` and `back` in its
 *    own words.
 * 3. Read the answer with `readYesNo(text)` or `readChoice(text, options)` (options list their
 *    button labels and words); both use `normalise`, so accents, case, apostrophes and
 *    politeness do not matter.
 * 4. When the answer is not one the prompt expects, ask `readNewRequest(text, { recognizer,
 *    locale, prompt: 'choice' | 'yes_no' | 'text' })`: when it is clearly a new request, end the
 *    dialog with `newRequestResult(request)` — MainDialog routes it as if it had just been
 *    written — instead of repeating the prompt.
 *
 * Anything a user or staff member wrote that goes into a card or message passes through
 * `plainText` first (one escaper for both channels).
 */
import type { Activity } from 'botbuilder';
import type { IntentResult } from '../../services/intents';
import type { WelcomeAction } from '../cards/welcomeCard';
import { readCommand, type Command } from './commands';
import type { NewRequest } from './newRequest';
import { readWelcomeAction } from './welcome';

export { COMMANDS, readCommand, type Command } from './commands';
export { readYesNo, readChoice, type ChoiceOption } from './answers';
export { normalise, core, wordCount } from './normalise';
export { readWelcomeAction } from './welcome';
export { readNewRequest, type NewRequest, type PromptKind } from './newRequest';
export { turnFacts, switchLocale, decideLocale, type TurnFacts } from './turnFacts';
export { plainText, plainVars } from './plainText';

/** What one turn brought, read once. */
export type TurnInput =
  | { kind: 'welcome'; action: WelcomeAction }
  | { kind: 'card'; value: object }
  | { kind: 'command'; command: Command; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'empty' };

/** Reads a message activity: a welcome shortcut, a card value, a command, text, or nothing. */
export function readInput(activity: Pick<Partial<Activity>, 'text' | 'value'>): TurnInput {
  const text = (activity.text ?? '').trim();
  const value: unknown = activity.value;
  const welcome = readWelcomeAction(value, text);
  if (welcome) return { kind: 'welcome', action: welcome };
  if (value && typeof value === 'object') return { kind: 'card', value };
  if (!text) return { kind: 'empty' };
  const command = readCommand(text);
  return command ? { kind: 'command', command, text } : { kind: 'text', text };
}

/**
 * How a dialog ends when the user asked for something else: MainDialog routes `text` with the
 * recognition already made, as if the user had just written it with nothing in progress.
 */
export interface NewRequestResult {
  outcome: 'new_request';
  text: string;
  recognition?: IntentResult | undefined;
}

export function newRequestResult(request: NewRequest): NewRequestResult {
  return { outcome: 'new_request', text: request.text, recognition: request.recognition };
}

export function isNewRequestResult(result: unknown): result is NewRequestResult {
  return (
    !!result &&
    typeof result === 'object' &&
    (result as { outcome?: unknown }).outcome === 'new_request' &&
    typeof (result as { text?: unknown }).text === 'string'
  );
}
