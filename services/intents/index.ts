export {
  INTENTS,
  BILLING_TOPICS,
  type Intent,
  type TrainedIntent,
  type BillingTopic,
  type Locale,
  type IntentScore,
  type IntentEntities,
  type IntentResult,
  type RecognizeContext,
  type IntentRecognizer,
  type BillingTopicClassifier,
} from './types';
export {
  ClassifierIntentRecognizer,
  type ClassifierIntentRecognizerOptions,
} from './classifierIntentRecognizer';
export { ClassifierBillingTopicClassifier } from './billingTopicClassifier';
export { BillingGate, BILLING_GATE_FEATURE_OPTIONS } from './billingGate';
export { loadUtterances, UTTERANCES_DIR, type Utterance } from './utterances';
export {
  foldText,
  tokenize,
  textFeatures,
  type FeatureOptions,
  DEFAULT_FEATURE_OPTIONS,
} from './textFeatures';
