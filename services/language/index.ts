import { franc } from 'franc-min';

/** The languages Helpline speaks. */
export type Language = 'en' | 'fr';

/** Below this many letters a statistical guess is noise; the hint decides. */
const MIN_LETTERS_FOR_DETECTION = 12;

// Short messages that name their language unmistakably (greetings, thanks, politeness).
const SHORT_FRENCH = new Set([
  'bonjour',
  'bonsoir',
  'salut',
  'coucou',
  'merci',
  'oui',
  'svp',
  'stp',
  'aide',
  'facture',
  'au revoir',
  'merci beaucoup',
  'bonne journee',
  'd accord',
]);
const SHORT_ENGLISH = new Set([
  'hello',
  'hi',
  'hey',
  'thanks',
  'thank you',
  'yes',
  'please',
  'help',
  'invoice',
  'good morning',
  'bye',
  'ok thanks',
]);

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Maps a locale or language tag (`fr-CA`, `en_US`, `French`) to a language Helpline speaks, or undefined. */
export function languageFromLocale(locale: string | undefined): Language | undefined {
  if (locale === undefined) return undefined;
  const tag = locale.trim().toLowerCase();
  if (/^fr(?:[-_]|$)|^fra?$|^french$|^francais$/.test(tag)) return 'fr';
  if (/^en(?:[-_]|$)|^eng$|^english$/.test(tag)) return 'en';
  return undefined;
}

/**
 * The language of a message: franc (trigram statistics, restricted to English and French) for
 * messages long enough to judge; for shorter ones a few unmistakable words, else the hint (a locale
 * such as the activity's), else English.
 */
export function detectLanguage(text: string, hint?: string): Language {
  const fallback = languageFromLocale(hint) ?? 'en';
  const folded = fold(text);
  const letters = folded.replace(/[^a-z]/g, '').length;
  if (letters < MIN_LETTERS_FOR_DETECTION) {
    if (SHORT_FRENCH.has(folded)) return 'fr';
    if (SHORT_ENGLISH.has(folded)) return 'en';
    return fallback;
  }
  // Trigram statistics are unreliable on a short sentence; its function words are not.
  const words = folded.split(/[^a-z]+/).filter(Boolean);
  const english = words.filter((w) => ENGLISH_FUNCTION_WORDS.has(w)).length;
  const french = words.filter((w) => FRENCH_FUNCTION_WORDS.has(w)).length;
  if (english - french >= 2) return 'en';
  if (french - english >= 2) return 'fr';
  const detected = franc(text, { only: ['eng', 'fra'], minLength: MIN_LETTERS_FOR_DETECTION });
  if (detected === 'fra') return 'fr';
  if (detected === 'eng') return 'en';
  return fallback;
}

/**
 * The language a message is clearly written in, or undefined when it does not say: a whole
 * sentence (at least five words) whose function words lean at least two to one language and
 * that trigram statistics agree with. Keywords, error messages and product names ("remote
 * control black screen", "KB5034441 install error 0x80070002") carry no function words and so
 * never decide a language on their own.
 */
export function clearlyWrittenIn(text: string): Language | undefined {
  const words = fold(text)
    .split(/[^a-z]+/)
    .filter(Boolean);
  if (words.length < 5) return undefined;
  const english = words.filter((w) => ENGLISH_FUNCTION_WORDS.has(w)).length;
  const french = words.filter((w) => FRENCH_FUNCTION_WORDS.has(w)).length;
  const leaning: Language | undefined =
    english - french >= 2 ? 'en' : french - english >= 2 ? 'fr' : undefined;
  if (!leaning) return undefined;
  const detected = franc(text, { only: ['eng', 'fra'], minLength: MIN_LETTERS_FOR_DETECTION });
  return (detected === 'fra' ? 'fr' : detected === 'eng' ? 'en' : undefined) === leaning
    ? leaning
    : undefined;
}

const ENGLISH_FUNCTION_WORDS = new Set(
  'the a an my our your his her their i we you it is are was were be been have has had do does did not no of to in on at for with from about this that these those there what which who how why when can could would should will shall please and or but if then than as by into out up'.split(
    ' ',
  ),
);
const FRENCH_FUNCTION_WORDS = new Set(
  'le la les un une des du de mon ma mes notre nos votre vos son sa ses leur leurs je tu il elle nous vous ils elles est sont etait ai as avons avez ont ne pas plus au aux pour avec sans sur dans par ce cet cette ces qui que quoi comment pourquoi quand ou et mais si donc depuis chez afficher voir'.split(
    ' ',
  ),
);

const POLITE_PREFIX = String.raw`(?:(?:hi|hello|hey|ok|okay|bonjour|salut|euh|sorry|desole|excuse me|excusez moi)\s+)?(?:(?:please|svp|s il vous plait|s il te plait)\s+)?`;
const POLITE_SUFFIX = String.raw`(?:\s+(?:please|pls|thanks|thank you|instead|now|from now on|if possible|if you can|svp|stp|s il vous plait|s il te plait|merci|plutot|maintenant|a partir de maintenant|si possible|si vous pouvez))*`;

const ENGLISH_WORD = String.raw`(?:english|anglais|en anglais|in english)`;
const FRENCH_WORD = String.raw`(?:french|francais|en francais|in french)`;

// Whole-message requests, after folding: accents and punctuation gone, lowercase.
function requestPatterns(language: string): RegExp[] {
  const body = [
    // "English", "en français", "in English please"
    language,
    // "can we speak French", "could you answer in English", "can I write in French"
    String.raw`(?:can|could|may|shall)\s+(?:we|you|i)\s+(?:please\s+)?(?:speak|talk|write|chat|continue|answer|reply|respond|switch|change|go on|carry on)(?:\s+to)?(?:\s+in)?\s+${language}`,
    // "speak English", "reply in French", "switch to French", "continue in English"
    String.raw`(?:speak|talk|write|answer|reply|respond|continue|switch|change|go|carry on)(?:\s+to)?(?:\s+in)?\s+${language}`,
    // "do you speak French", "does anyone speak English"
    String.raw`(?:do|does)\s+(?:you|anyone|anybody|someone)\s+speak\s+${language}`,
    // "I'd like / I want / I prefer (to speak) English"
    String.raw`i\s*(?:d|would)?\s*(?:like|want|prefer)(?:\s+to)?(?:\s+(?:speak|talk|continue|chat|write))?(?:\s+in)?\s+${language}`,
    // "parlez-vous anglais", "tu parles français", "vous parlez anglais"
    String.raw`(?:parlez\s+vous|parles\s+tu|vous\s+parlez|tu\s+parles|est\s+ce\s+que\s+vous\s+parlez|quelqu\s+un\s+parle)\s+${language}`,
    // "on peut parler en anglais", "pouvez-vous répondre en français", "peut-on passer en anglais"
    String.raw`(?:on\s+peut|peut\s+on|pouvez\s+vous|pourriez\s+vous|peux\s+tu|pourrait\s+on|est\s+ce\s+qu\s+on\s+peut)\s+(?:parler|ecrire|continuer|repondre|discuter|passer|basculer|changer)(?:\s+en)?\s+${language}`,
    // "parlez anglais", "répondez en français", "passez en anglais", "continuons en français"
    String.raw`(?:parlez|parle|repondez|reponds|ecrivez|ecris|passez|passe|continuez|continue|continuons|passons|parlons|basculez|basculer|passer|parler|continuer|repondre)(?:\s+en)?\s+${language}`,
    // "je préfère l'anglais", "je voudrais parler français"
    String.raw`je\s+(?:prefere|voudrais|veux|souhaite|prefererais)(?:\s+(?:parler|continuer|discuter|ecrire))?(?:\s+(?:en|l|le))?\s+${language}`,
  ];
  return body.map((b) => new RegExp(`^${POLITE_PREFIX}(?:${b})${POLITE_SUFFIX}$`));
}

const SWITCH_PATTERNS: Array<[Language, RegExp[]]> = [
  ['en', requestPatterns(ENGLISH_WORD)],
  ['fr', requestPatterns(FRENCH_WORD)],
];

/**
 * The language a message asks the conversation to switch to ("in English please", "can we speak
 * French", "en français", "parlez-vous anglais"), or undefined. Only a message that is such a
 * request as a whole counts: a sentence that merely mentions a language ("I speak French with my
 * customers") is not a switch.
 */
export function detectLanguageSwitch(text: string): Language | undefined {
  const folded = fold(text);
  if (folded === '' || folded.split(' ').length > 12) return undefined;
  for (const [language, patterns] of SWITCH_PATTERNS) {
    if (patterns.some((pattern) => pattern.test(folded))) return language;
  }
  return undefined;
}
