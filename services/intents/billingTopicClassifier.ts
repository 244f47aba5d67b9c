import { NaiveBayesTextModel } from './naiveBayes';
import type { FeatureOptions } from './textFeatures';
import type { BillingTopic, BillingTopicClassifier, RecognizeContext } from './types';
import { loadUtterances, type Utterance } from './utterances';

/** Classifies billing messages by topic with a naive Bayes model trained on the billing utterances. */
export class ClassifierBillingTopicClassifier implements BillingTopicClassifier {
  private readonly model: NaiveBayesTextModel<BillingTopic>;

  constructor(options: { utterances?: Utterance[]; features?: FeatureOptions } = {}) {
    const utterances = options.utterances ?? loadUtterances();
    const examples = utterances.flatMap((u) =>
      u.topic === undefined ? [] : [{ text: u.text, label: u.topic, lang: u.lang }],
    );
    this.model = new NaiveBayesTextModel(examples, options.features);
  }

  classify(text: string, context?: RecognizeContext): BillingTopic {
    return this.model.scores(text, context?.locale)[0]?.label ?? 'other';
  }
}
