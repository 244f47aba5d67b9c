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
    'ete etre que qui quoi y a ai as avons avez ont svp merci stp'
  ).split(' '),
);

const NUMBER = /^\d+$/;

function stemPair(token: string): [string, string] {
  if (NUMBER.test(token)) return ['<num>', '<num>'];
  return [stemEnglish(token), stemFrench(token)];
}

export interface FeatureOptions {
  /** Pairs of neighbouring stems ("charg twice", "not work"). */
  bigrams: boolean;
  /** Length of character n-grams taken inside longer words, 0 for none. */
  charNgram: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { bigrams: true, charNgram: 0 };

/**
 * The features a classifier sees for a message. Each word contributes its English and its French
 * stem, so one model serves both languages without knowing which one a message is in, and mixed
 * messages ("la facture de mon renewal") still work.
 */
export function textFeatures(text: string, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): string[] {
  const words = tokenize(text).filter((token) => !STOPWORDS.has(token));
  const features: string[] = [];
  const primary: string[] = [];
  for (const word of words) {
    const [english, french] = stemPair(word);
    features.push(english);
    if (french !== english) features.push(french);
    primary.push(french.length < english.length ? french : english);
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

/** For each content word of a message, its English and French stems: to tell how much of it a model knows. */
export function wordStemPairs(text: string): Array<[string, string]> {
  return tokenize(text)
    .filter((token) => !STOPWORDS.has(token))
    .map(stemPair);
}
