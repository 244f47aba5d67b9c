import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemFrench } from '@orama/stemmers/french';

/** Lowercase, fold accents, unify apostrophes and dashes, collapse spaces. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

const ENGLISH_CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bcan't\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/n't\b/g, ' not'],
  [/'(s|re|ve|ll|d|m)\b/g, ''],
];

// French elided articles and pronouns (l'agent, d'installation, qu'il, j'ai) carry no meaning of their own.
const FRENCH_ELISION = /\b(?:l|d|j|qu|n|s|c|m|t|jusqu|lorsqu|puisqu)'/g;

/** The words of a message: folded, contractions and elisions undone, punctuation dropped. */
export function tokenize(text: string): string[] {
  let folded = foldText(text);
  for (const [pattern, replacement] of ENGLISH_CONTRACTIONS) folded = folded.replace(pattern, replacement);
  folded = folded.replace(FRENCH_ELISION, ' ');
  return folded.split(/[^a-z0-9]+/).filter((token) => token.length > 0);
}

// Function words of both languages. Negations are kept on purpose: "doesn't work" / "ne marche pas"
// is what separates a problem report from a question.
const STOPWORDS = new Set(
  (
    'a an the and or of to in on at for from by with as is are was were be been being am it its this that these those ' +
    'i me my we our us you your he she they them their there here what which who whom do does did so if then than ' +
    'just also very too please pls thanks thank hi hello ' +
    'le la les un une des du de au aux et ou en dans sur pour par avec ce cet cette ces je tu il elle on nous vous ils ' +
    'elles me te se mon ma mes ton ta tes notre nos votre vos leur leurs son sa ses est sont suis es sommes etes etait ' +
    'ete etre que qui quoi y a ai as avons avez ont svp merci stp ' +
    // Question scaffolding says nothing about the topic ("how can I", "is it possible", "comment puis-je").
    'how can could would should will where when which possible way ' +
    'comment peut peux puis pourrait pouvez possible ou quand quel quelle quels quelles est-ce'
  ).split(' '),
);

// Frequent function words that only one of the two languages has, to tell which stemmer fits a message.
const ENGLISH_MARKERS = new Set(
  'the a an and of to in on is are was were my our your i we you it this that with for from not no do does did have has can how what why when where'.split(
    ' ',
  ),
);
const FRENCH_MARKERS = new Set(
  'le la les un une des du de et ou en dans est sont mon ma mes notre nos votre vos je nous vous il elle pas ne pour avec sur que qui comment pourquoi quand ai avons ca'.split(
    ' ',
  ),
);

/** 'en' or 'fr' when the message's function words say so clearly, else undefined. */
export function guessLanguage(tokens: string[]): 'en' | 'fr' | undefined {
  let english = 0;
  let french = 0;
  for (const token of tokens) {
    if (ENGLISH_MARKERS.has(token)) english += 1;
    if (FRENCH_MARKERS.has(token)) french += 1;
  }
  if (english > french) return 'en';
  if (french > english) return 'fr';
  return undefined;
}

const NUMBER = /^\d+$/;

// A support message states its topic early, and the models' cost grows with the number of features:
// the cap bounds the latency of the longest messages (pasted logs, long forum-style posts).
const MAX_CONTENT_WORDS = 40;

/** A word's stems: one per language the message may be in (both when the language is unknown). */
function stems(token: string, lang: 'en' | 'fr' | undefined): string[] {
  if (NUMBER.test(token)) return ['<num>'];
  if (lang === 'en') return [stemEnglish(token)];
  if (lang === 'fr') return [stemFrench(token)];
  const english = stemEnglish(token);
  const french = stemFrench(token);
  return english === french ? [english] : [english, french];
}

export interface FeatureOptions {
  /** Pairs of neighbouring stems ("charg twice", "not work"). */
  bigrams: boolean;
  /** Length of character n-grams taken inside longer words, 0 for none. */
  charNgram: number;
  /** Additive smoothing of the naive Bayes counts (0..1). */
  smoothing: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { bigrams: true, charNgram: 4, smoothing: 0.2 };

/**
 * The features a classifier sees for a message: stems of its content words, pairs of neighbouring
 * stems, optionally character n-grams. One model serves both languages: each message is stemmed
 * in its own language (`lang`, else guessed from its function words, else `fallbackLang`), and with
 * both stemmers when none of these tells.
 */
export function textFeatures(
  text: string,
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
  lang?: 'en' | 'fr',
  fallbackLang?: 'en' | 'fr',
): string[] {
  const tokens = tokenize(text);
  const language = lang ?? guessLanguage(tokens) ?? fallbackLang;
  const words = tokens.filter((token) => !STOPWORDS.has(token)).slice(0, MAX_CONTENT_WORDS);
  const features: string[] = [];
  const primary: string[] = [];
  for (const word of words) {
    const wordStems = stems(word, language);
    features.push(...wordStems);
    primary.push(wordStems.reduce((shortest, stem) => (stem.length < shortest.length ? stem : shortest)));
    if (options.charNgram > 0 && word.length > options.charNgram + 1 && !NUMBER.test(word)) {
      const padded = `<${word}>`;
      for (let i = 0; i + options.charNgram <= padded.length; i += 1) {
        features.push(`#${padded.slice(i, i + options.charNgram)}`);
      }
    }
  }
  if (options.bigrams) {
    for (let i = 0; i + 1 < primary.length; i += 1) features.push(`${primary[i]}_${primary[i + 1]}`);
  }
  return features;
}

/** For each content word of a message, its stems in both languages: to tell how much of it a model knows. */
export function wordStemSets(text: string): string[][] {
  return tokenize(text)
    .filter((token) => !STOPWORDS.has(token))
    .map((token) => stems(token, undefined));
}
