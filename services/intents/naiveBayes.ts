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
  private readonly vocabulary = new Set<string>();
  private readonly features: FeatureOptions;
  private readonly odds: OddsTable;

  constructor(
    examples: Array<{ text: string; label: L; lang?: Locale }>,
    features: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
  ) {
    this.features = features;
    // The library counts; the odds are read from what it learned (see OddsTable).
    const model = createNaiveBayes();
    // Presence, not counts: short messages rarely repeat a word, and when they do it adds no evidence.
    model.defineConfig({ considerOnlyPresence: true, smoothingFactor: features.smoothing });
    model.definePrepTasks([]);
    for (const example of examples) {
      model.learn(textFeatures(example.text, features, example.lang), example.label);
      for (const stemsOfWord of wordStemSets(example.text))
        for (const stem of stemsOfWord) this.vocabulary.add(stem);
    }
    model.consolidate();
    this.odds = new OddsTable(model.exportJSON());
  }

  /**
   * Every label with a score in 0..1, best first: a softmax of the model's one-against-the-rest
   * log odds. Empty when the message has no feature the model has seen.
   */
  scores(text: string, fallbackLang?: Locale): Array<LabelScore<L>> {
    // Deduplicated as in training (presence, not counts); the library only deduplicates what it learns.
    const odds = this.odds.compute([...new Set(textFeatures(text, this.features, undefined, fallbackLang))]);
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
 * The library's `computeOdds`, with each feature's terms worked out once instead of on every
 * message. For each feature and label the library adds a log likelihood and an inverse one over
 * all the other labels, which it recounts label by label each time: labels² work per feature,
 * about 3% of a turn's CPU in bench:turns. The model never changes once trained, so a feature's
 * terms are kept the first time a message has it (not at start: most features never come up),
 * computed by the very expressions the library uses and added up in the same order: the odds are
 * the library's to the last bit (the tests compare them). Features the model never saw are
 * dropped, as the library drops them: with smoothing they would count against the labels that
 * have the most training text, so long messages full of new words would drift to the smallest.
 */
class OddsTable {
  private readonly labels: string[];
  private readonly smoothing: number;
  private readonly count: Record<string, Record<string, number>>;
  private readonly words: Float64Array;
  private readonly totalWords: number;
  private readonly vocabulary: Set<string>;
  /** Per feature met so far: its log likelihood under each label, then the inverse one, label by label. */
  private readonly terms = new Map<string, Float64Array>();
  private readonly priors: Float64Array;
  private readonly inversePriors: Float64Array;

  constructor(exported: string) {
    const [config, samples, count, words, vocabulary] = JSON.parse(exported) as ExportedModel;
    const labels = Object.keys(samples);
    this.labels = labels;
    this.smoothing = config.smoothingFactor;
    this.count = count;
    this.vocabulary = new Set(vocabulary);
    this.words = Float64Array.from(labels, (label) => words[label] ?? 0);
    // Sums of whole counts: exact in any order, so they equal the library's running sums.
    this.totalWords = this.words.reduce((total, n) => total + n, 0);
    const sum = labels.reduce((total, label) => total + (samples[label] ?? 0), 0);
    this.priors = Float64Array.from(labels, (label) => Math.log2(samples[label] ?? 0) - Math.log2(sum));
    this.inversePriors = Float64Array.from(
      labels,
      (label) => Math.log2(sum - (samples[label] ?? 0)) - Math.log2(sum),
    );
  }

  /** Each label's log2 odds against the others, best first; empty when no feature is known (the library's `unknown`). */
  compute(features: string[]): Array<[string, number]> {
    const rows: Float64Array[] = [];
    for (const feature of features) {
      const row = this.termsOf(feature);
      if (row) rows.push(row);
    }
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

  private termsOf(feature: string): Float64Array | undefined {
    const kept = this.terms.get(feature);
    if (kept || !this.vocabulary.has(feature)) return kept;
    const n = this.labels.length;
    const row = new Float64Array(2 * n);
    const inLabels = this.labels.map((label) => this.count[label]?.[feature] ?? 0);
    const inAll = inLabels.reduce((total, seen) => total + seen, 0);
    const v = this.vocabulary.size;
    inLabels.forEach((seen, i) => {
      row[i] = likelihood(seen, this.words[i], v, this.smoothing);
      row[n + i] = likelihood(inAll - seen, this.totalWords - this.words[i], v, this.smoothing);
    });
    this.terms.set(feature, row);
    return row;
  }
}

/** The library's smoothed log2 likelihood of a feature seen `seen` times among `words` features. */
function likelihood(seen: number, words: number, vocabulary: number, smoothing: number): number {
  if (smoothing > 0) return Math.log2(seen + smoothing) - Math.log2(words + vocabulary * smoothing);
  return seen ? Math.log2(seen) - Math.log2(words + vocabulary) : 0;
}
