import { core, normalise } from './normalise';

const YES = new Set([
  'yes',
  'y',
  'yep',
  'yeah',
  'yup',
  'sure',
  'of course',
  'ok',
  'okay',
  'go ahead',
  'do it',
  'please do',
  'yes please',
  'yes we can',
  'absolutely',
  'correct',
  'right',
  'oui',
  'ouais',
  'si',
  'bien sur',
  "d'accord",
  'daccord',
  'absolument',
  'tout a fait',
  'oui tout a fait',
  'volontiers',
  'allez-y',
  'vas-y',
  'oui svp',
  'ok pour moi',
]);
const NO = new Set([
  'no',
  'n',
  'nope',
  'nah',
  'not really',
  'no thanks',
  'no thank you',
  'not now',
  "don't",
  'dont',
  'non',
  'pas vraiment',
  'non merci',
  'pas maintenant',
  'surtout pas',
]);

/**
 * Yes or no as a whole answer (politeness aside), or undefined. "No, open a ticket" is not a
 * plain no: the caller reads it as a choice or as a new request.
 */
export function readYesNo(text: string): boolean | undefined {
  const answer = core(text);
  if (YES.has(answer) || YES.has(normalise(text))) return true;
  if (NO.has(answer) || NO.has(normalise(text))) return false;
  return undefined;
}

/** One option of a prompt: its value and every way of saying it (button labels included). */
export interface ChoiceOption<T extends string> {
  value: T;
  words: readonly string[];
}

/**
 * The option a message picks, or undefined: the whole message equals a label or one of the
 * option's words, after normalising.
 */
export function readChoice<T extends string>(
  text: string,
  options: ReadonlyArray<ChoiceOption<T>>,
): T | undefined {
  const answer = normalise(text);
  const answerCore = core(text);
  for (const option of options) {
    for (const word of option.words) {
      const expected = normalisedWord(word);
      if (expected && (expected === answer || expected === answerCore)) return option.value;
    }
  }
  return undefined;
}

/** Options' words are the same few fixed texts on every turn: each is normalised once. */
const NORMALISED_WORDS = new Map<string, string>();
const NORMALISED_WORDS_LIMIT = 2_000;

function normalisedWord(word: string): string {
  let normalised = NORMALISED_WORDS.get(word);
  if (normalised === undefined) {
    normalised = normalise(word);
    if (NORMALISED_WORDS.size >= NORMALISED_WORDS_LIMIT) NORMALISED_WORDS.clear();
    NORMALISED_WORDS.set(word, normalised);
  }
  return normalised;
}
