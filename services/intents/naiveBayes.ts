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
    const odds = this.model.computeOdds(known);
    if (odds.length === 1 && odds[0]?.[0] === 'unknown') return [];
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
