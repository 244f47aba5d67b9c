import createNaiveBayes from 'wink-naive-bayes-text-classifier';
import { DEFAULT_FEATURE_OPTIONS, textFeatures, wordStemSets, type FeatureOptions } from './textFeatures';
import type { Locale } from './types';

export interface LabelScore<L extends string> {
  label: L;
  score: number;
}

/**
 * A naive Bayes text model over Helpline's own features (see `textFeatures`), wrapping
 * wink-naive-bayes-text-classifier. Trained once, then read-only and synchronous.
 */
export class NaiveBayesTextModel<L extends string> {
  private readonly model = createNaiveBayes();
  private readonly vocabulary = new Set<string>();
  private readonly featureVocabulary = new Set<string>();
  private readonly features: FeatureOptions;
  private readonly odds: OddsTable;

  constructor(
    examples: Array<{ text: string; label: L; lang?: Locale }>,
    features: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
  ) {
    this.features = features;
    // Presence, not counts: short messages rarely repeat a word, and when they do it adds no evidence.
    this.model.defineConfig({ considerOnlyPresence: true, smoothingFactor: features.smoothing });
    this.model.definePrepTasks([]);
    for (const example of examples) {
      const exampleFeatures = textFeatures(example.text, features, example.lang);
      this.model.learn(exampleFeatures, example.label);
      for (const feature of exampleFeatures) this.featureVocabulary.add(feature);
      for (const stemsOfWord of wordStemSets(example.text))
        for (const stem of stemsOfWord) this.vocabulary.add(stem);
    }
    this.model.consolidate();
    this.odds = new OddsTable(this.model.exportJSON());
  }

  /**
   * Every label with a score in 0..1, best first: a softmax of the model's one-against-the-rest
   * log odds. Empty when the message has no feature the model has seen.
   */
  scores(text: string, fallbackLang?: Locale): Array<LabelScore<L>> {
    // Unseen features are dropped: with smoothing they would count against the labels that have
    // the most training text, so long messages full of new words drifted to the smallest labels.
    // Deduplicated as in training (presence, not counts); the library only deduplicates what it learns.
    const known = [...new Set(textFeatures(text, this.features, undefined, fallbackLang))].filter((feature) =>
      this.featureVocabulary.has(feature),
    );
    if (known.length === 0) return [];
    const odds = this.odds.compute(known);
    if (odds.length === 0) return [];
    const best = Math.max(...odds.map(([, value]) => value));
    const weights = odds.map(([label, value]) => ({ label: label as L, weight: Math.pow(2, value - best) }));
    const total = weights.reduce((sum, entry) => sum + entry.weight, 0);
    return weights
      .map(({ label, weight }) => ({ label, score: weight / total }))
      .sort((a, b) => b.score - a.score);
  }

  /** The share (0..1) of the message's content words that occurred in the training examples. */
  knownWordShare(text: string): number {
    const words = wordStemSets(text);
    if (words.length === 0) return 0;
    const known = words.filter((stemsOfWord) => stemsOfWord.some((stem) => this.vocabulary.has(stem)));
    return known.length / words.length;
  }
}

type ExportedModel = [
  { considerOnlyPresence: boolean; smoothingFactor: number },
  Record<string, number>,
  Record<string, Record<string, number>>,
  Record<string, number>,
  string[],
];

/**
 * The library's `computeOdds`, with its terms worked out once at training instead of on every
 * message. For each feature and label the library adds a log likelihood and an inverse one over
 * all the other labels, which it recounts label by label each time: labels² work per feature,
 * about 3% of a turn's CPU in bench:turns. The model never changes once trained, so each
 * feature's terms are kept here, computed by the very expressions the library uses and added up
 * in the same order: the odds are the library's to the last bit (the tests compare them).
 */
class OddsTable {
  private readonly labels: string[];
  /** Per feature: its log likelihood under each label, then the inverse one, label by label. */
  private readonly terms = new Map<string, Float64Array>();
  private readonly priors: Float64Array;
  private readonly inversePriors: Float64Array;

  constructor(exported: string) {
    const [config, samples, count, words, vocabulary] = JSON.parse(exported) as ExportedModel;
    const labels = Object.keys(samples);
    this.labels = labels;
    const smoothing = config.smoothingFactor;
    const n = labels.length;
    // Sums of whole counts: exact in any order, so they equal the library's running sums.
    const sum = labels.reduce((total, label) => total + (samples[label] ?? 0), 0);
    const totalWords = labels.reduce((total, label) => total + (words[label] ?? 0), 0);
    this.priors = new Float64Array(n);
    this.inversePriors = new Float64Array(n);
    labels.forEach((label, i) => {
      const inLabel = samples[label] ?? 0;
      this.priors[i] = Math.log2(inLabel) - Math.log2(sum);
      this.inversePriors[i] = Math.log2(sum - inLabel) - Math.log2(sum);
    });
    for (const feature of vocabulary) {
      const row = new Float64Array(2 * n);
      const inAll = labels.reduce((total, label) => total + (count[label]?.[feature] ?? 0), 0);
      labels.forEach((label, i) => {
        const inLabel = count[label]?.[feature] ?? 0;
        const wordsInLabel = words[label] ?? 0;
        row[i] = likelihood(inLabel, wordsInLabel, vocabulary.length, smoothing);
        row[n + i] = likelihood(inAll - inLabel, totalWords - wordsInLabel, vocabulary.length, smoothing);
      });
      this.terms.set(feature, row);
    }
  }

  /** Each label's log2 odds against the others, best first; empty when no feature is known (the library's `unknown`). */
  compute(features: string[]): Array<[string, number]> {
    const rows = features.map((feature) => this.terms.get(feature)).filter((row) => row !== undefined);
    if (rows.length === 0) return [];
    const n = this.labels.length;
    const odds: Array<[string, number]> = this.labels.map((label, i) => {
      let lh = 0;
      let ilh = 0;
      for (const row of rows) {
        lh += row[i];
        // As the library does: the inverse term counts once the running likelihood is not 0.
        ilh += lh === 0 ? 0 : row[n + i];
      }
      if (lh !== 0) {
        lh += this.priors[i];
        ilh += this.inversePriors[i];
      }
      return [label, lh - ilh];
    });
    odds.sort((a, b) => b[1] - a[1]);
    return odds[0][1] ? odds : [];
  }
}

/** The library's smoothed log2 likelihood of a feature seen `seen` times among `words` features. */
function likelihood(seen: number, words: number, vocabulary: number, smoothing: number): number {
  if (smoothing > 0) return Math.log2(seen + smoothing) - Math.log2(words + vocabulary * smoothing);
  return seen ? Math.log2(seen) - Math.log2(words + vocabulary) : 0;
}
