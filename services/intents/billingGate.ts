import { NaiveBayesTextModel } from './naiveBayes';
import type { FeatureOptions } from './textFeatures';
import type { Locale } from './types';
import type { Utterance } from './utterances';

/**
 * Features of the billing gate: word stems and stem pairs with Laplace smoothing, no character n-grams.
 * Chosen by 5-fold cross-validation on the project's own utterances (billing vs the rest), not on any
 * benchmark file: character n-grams and lighter smoothing both lowered the cross-validated accuracy.
 */
export const BILLING_GATE_FEATURE_OPTIONS: FeatureOptions = { bigrams: true, charNgram: 0, smoothing: 1 };

/**
 * The decision that matters most for routing, billing or not, made by its own two-class naive Bayes
 * model trained on every utterance (billing against all other intents together). A dedicated model
 * sees one contrast instead of ten, so features that several small intents share no longer pull a
 * billing message away from billing, and vice versa.
 */
export class BillingGate {
  private readonly model: NaiveBayesTextModel<'billing' | 'other'>;

  constructor(utterances: Utterance[], features: FeatureOptions = BILLING_GATE_FEATURE_OPTIONS) {
    this.model = new NaiveBayesTextModel(
      utterances.map((u) => ({
        text: u.text,
        label: u.intent === 'billing' ? ('billing' as const) : ('other' as const),
        lang: u.lang,
      })),
      features,
    );
  }

  /** The probability-like share (0..1) of billing; undefined when the message has no known feature. */
  billingScore(text: string, fallbackLang?: Locale): number | undefined {
    const scores = this.model.scores(text, fallbackLang);
    if (scores.length === 0) return undefined;
    return scores.find((entry) => entry.label === 'billing')?.score ?? 0;
  }
}
