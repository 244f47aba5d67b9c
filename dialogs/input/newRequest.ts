import type { Intent, IntentRecognizer, IntentResult } from '../../services/intents';
import type { Locale } from '../texts';
import { wordCount } from './normalise';

/** What a prompt expects, which decides how sure a new request must be to leave it. */
export type PromptKind =
  /** Buttons (Solved / Not solved, a topic, a summary): anything recognised leaves. */
  | 'choice'
  /** Yes or no: anything recognised leaves. */
  | 'yes_no'
  /** A free-text answer (a description, a comment): only another flow, said clearly, leaves. */
  | 'text';

/** A message that starts something else, with the recognition that says what. */
export interface NewRequest {
  text: string;
  recognition: IntentResult;
}

/** Intents that never leave a prompt on their own: they are answers, not requests. */
const NOT_A_REQUEST: ReadonlySet<Intent> = new Set(['unknown', 'greeting_help']);
/** How sure the recognizer must be, by prompt kind. */
const MIN_SCORE: Record<PromptKind, number> = { choice: 0.5, yes_no: 0.5, text: 0.85 };

/**
 * Whether a message given to a prompt is clearly a new request rather than an answer to it, and
 * what it asks for. At least three words (or a quoted ticket number) and a routable intent the
 * recognizer is sure enough of; at a free-text prompt, only an intent other than `stay` counts
 * (a description of a problem at "describe the problem" is the answer, not a new request).
 */
export async function readNewRequest(
  text: string,
  options: {
    recognizer: IntentRecognizer;
    locale: Locale;
    prompt: PromptKind;
    /** Intents that are this prompt's answer, never a new request. */
    stay?: readonly Intent[];
  },
): Promise<NewRequest | undefined> {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const recognition = await options.recognizer.recognize(trimmed, { locale: options.locale });
  const quotesTicket = recognition.entities?.ticketNumber !== undefined;
  if (wordCount(trimmed) < 3 && !quotesTicket && recognition.top !== 'open_ticket') return undefined;
  if (NOT_A_REQUEST.has(recognition.top)) return undefined;
  if (options.stay?.includes(recognition.top)) return undefined;
  const explicit = recognition.top === 'open_ticket' || quotesTicket;
  if (!explicit && recognition.score < MIN_SCORE[options.prompt]) return undefined;
  return { text: trimmed, recognition };
}
