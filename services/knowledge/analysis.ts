import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as frenchStemmer } from '@orama/stemmers/french';
import type { Locale } from './types';

/**
 * Text analysis shared by indexing and querying, one pipeline per language: lowercase,
 * accent folding, stop-word removal, then stemming. Folding comes before stemming so that a
 * query typed without accents ("mise a jour", "installe") meets the same stems as the
 * accented text ("mise à jour", "installé").
 */
export interface Analyzer {
  readonly locale: Locale;
  /** Splits text into raw words (no lowercasing). */
  tokenize(text: string): string[];
  /** The index term for one word, or null for a stop word. */
  term(word: string): string | null;
}

const WORD = /[\p{L}\p{N}]+/gu;

export function tokenizeWords(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Lowercase and strip diacritics (é → e, ç → c, œ → oe). */
export function foldAccents(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

const ENGLISH_STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between ' +
    'both but by can could did do does doing down during each few for from further had has have having he her ' +
    'here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not ' +
    'now of off on once only or other our ours ourselves out over own same she should so some such than that ' +
    'the their theirs them themselves then there these they this those through to too under until up very was ' +
    'we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    's t d ll m re ve don doesn didn isn aren wasn weren hasn haven hadn won wouldn shouldn couldn cannot ' +
    'also get got im ive id ok please thanks thank hi hello anyone someone way want wants need needs'
  ).split(' '),
);

const FRENCH_STOP_WORDS = new Set(
  (
    'a ai aie aient aies ait as au aucun aupres aussi autre aux avaient avais avait avec avez aviez avions avoir ' +
    'avons ayant c ca ce ceci cela celle celles celui ces cet cette ceux chez comme comment d dans de des donc dont ' +
    'du elle elles en encore est et etaient etais etait etant ete etes etre eu eux faire fait fais il ils j je l la ' +
    'le les leur leurs lui m ma mais me meme mes moi mon n ne ni nos notre nous on ont or ou par pas peu peut ' +
    'peux plus pour pourquoi qu quand que quel quelle quelles quels qui s sa sans se ses si son sont sous suis sur ' +
    't ta te tes toi ton tous tout toute toutes tres tu un une unes uns vos votre vous y ' +
    'bonjour merci svp veux voudrais souhaite besoin'
  ).split(' '),
);

/** Stemming dominates analysis time and natural text repeats words, so terms are memoised (bounded). */
const CACHE_LIMIT = 100_000;

function makeAnalyzer(locale: Locale, stopWords: Set<string>, stem: (word: string) => string): Analyzer {
  const cache = new Map<string, string | null>();
  const compute = (word: string): string | null => {
    const folded = foldAccents(word);
    if (!folded || stopWords.has(folded)) return null;
    // Numbers, versions and codes are kept as written: a stemmer would mangle them.
    if (/\d/.test(folded)) return folded;
    return stem(folded);
  };
  return {
    locale,
    tokenize: tokenizeWords,
    term(word: string): string | null {
      const cached = cache.get(word);
      if (cached !== undefined) return cached;
      const term = compute(word);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(word, term);
      return term;
    },
  };
}

const ANALYZERS: Record<Locale, Analyzer> = {
  en: makeAnalyzer('en', ENGLISH_STOP_WORDS, englishStemmer),
  fr: makeAnalyzer('fr', FRENCH_STOP_WORDS, frenchStemmer),
};

export function analyzerFor(locale: Locale): Analyzer {
  return ANALYZERS[locale];
}

/** The index terms of a text, in order, without stop words. */
export function analyze(text: string, locale: Locale): string[] {
  const analyzer = ANALYZERS[locale];
  const terms: string[] = [];
  for (const word of analyzer.tokenize(text)) {
    const term = analyzer.term(word);
    if (term) terms.push(term);
  }
  return terms;
}
