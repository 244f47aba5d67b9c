import { BillingGate } from './billingGate';
import { ClassifierBillingTopicClassifier } from './billingTopicClassifier';
import { NaiveBayesTextModel } from './naiveBayes';
import { foldText, type FeatureOptions } from './textFeatures';
import type {
  BillingTopicClassifier,
  IntentEntities,
  IntentRecognizer,
  IntentResult,
  IntentScore,
  RecognizeContext,
  TrainedIntent,
} from './types';
import { loadUtterances, type Utterance } from './utterances';

export interface ClassifierIntentRecognizerOptions {
  /** Training examples; the project's own `examples/utterances.*.jsonl` when absent. */
  utterances?: Utterance[];
  /** Below this top score the result is `unknown`. */
  minScore?: number;
  /** Below this share of words seen in training the result is `unknown` (gibberish, another language). */
  minKnownWordShare?: number;
  /** Features of the intent model (all intents). */
  features?: FeatureOptions;
  /** Features of the billing-or-not model; see `BILLING_GATE_FEATURE_OPTIONS`. */
  billingGateFeatures?: FeatureOptions;
  billingTopics?: BillingTopicClassifier;
}

/** Helpline ticket numbers as users quote them: HL-123456, hl 123456, HL123456. */
const TICKET_NUMBER = /\bhl[-\s]?(\d{6})\b/i;

// A message that is nothing but a greeting or a call for help carries no topic for the model to learn;
// it opens the welcome menu.
const GREETING_ONLY =
  /^(?:(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening)|bonjour|bonsoir|salut|coucou|allo)(?: there| all| bot| helpline| tout le monde| a tous)?|help|help me|aide|aide moi|aidez moi|au secours|menu|main menu|menu principal|options|start|get started|demarrer|commencer)$/;

// An explicit request to open a ticket, at the start of the message (details may follow):
// clearer as a rule than as a model, since "ticket" also belongs to "my requests".
const OPEN_TICKET_COMMAND =
  /^(?:(?:i (?:want|need|would like|d like) to|i want|can you|could you|please|let s|lets|je (?:veux|voudrais|souhaite|dois)|pouvez vous|peux tu|merci d|je vais)\s+)?(?:open|create|raise|log|file|submit|start|ouvrir|creer|declarer|soumettre|lancer)\s+(?:a |an |un |une |me a |moi un )?(?:new |nouveau |nouvelle )?(?:support |technical |tech |technique )?(?:ticket|case|request|incident|demande|dossier)(?: technique| de support| support)?\b/;

/**
 * Recognizes intents with naive Bayes classifiers trained at construction on the project's own
 * English and French example utterances, plus three rules that are clearer than a model: a quoted
 * ticket number means "my requests", a bare greeting means "greeting / help", and a message that
 * starts by asking to open a ticket means "open a ticket".
 *
 * Two models: a two-class one decides how much of the message is billing (see `BillingGate`), and
 * one over all intents shares the rest among the other intents. Billing is the top intent exactly
 * when its share beats every other intent's.
 * Synchronous underneath; `recognizeSync` is there for callers that want no promise.
 */
export class ClassifierIntentRecognizer implements IntentRecognizer {
  private readonly model: NaiveBayesTextModel<TrainedIntent>;
  private readonly billingGate: BillingGate;
  private readonly billingTopics: BillingTopicClassifier;
  private readonly minScore: number;
  private readonly minKnownWordShare: number;

  constructor(options: ClassifierIntentRecognizerOptions = {}) {
    const utterances = options.utterances ?? loadUtterances();
    this.model = new NaiveBayesTextModel(
      utterances.map((u) => ({ text: u.text, label: u.intent, lang: u.lang })),
      options.features,
    );
    this.billingGate = new BillingGate(utterances, options.billingGateFeatures);
    this.billingTopics =
      options.billingTopics ??
      new ClassifierBillingTopicClassifier({ utterances, features: options.features });
    this.minScore = options.minScore ?? 0.4;
    this.minKnownWordShare = options.minKnownWordShare ?? 0.25;
  }

  recognize(text: string, context?: RecognizeContext): Promise<IntentResult> {
    return Promise.resolve(this.recognizeSync(text, context));
  }

  recognizeSync(text: string, context?: RecognizeContext): IntentResult {
    const entities: IntentEntities = {};
    const ticket = TICKET_NUMBER.exec(text);
    if (ticket) entities.ticketNumber = `HL-${ticket[1]}`;

    let intents = this.scores(text, context?.locale);
    let top: IntentResult['top'] = intents[0]?.intent ?? 'unknown';
    const score = intents[0]?.score ?? 0;

    const folded = foldText(text)
      .replace(/[^a-z0-9 ]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (GREETING_ONLY.test(folded)) {
      intents = promote(intents, 'greeting_help');
      top = 'greeting_help';
    } else if (OPEN_TICKET_COMMAND.test(folded) && entities.ticketNumber === undefined) {
      intents = promote(intents, 'open_ticket');
      top = 'open_ticket';
    } else if (entities.ticketNumber !== undefined) {
      intents = promote(intents, 'my_requests');
      top = 'my_requests';
    } else if (score < this.minScore || this.model.knownWordShare(text) < this.minKnownWordShare) {
      top = 'unknown';
    }

    if (top === 'billing') entities.billingTopic = this.billingTopics.classify(text, context);
    const result: IntentResult = {
      top,
      score: top === 'unknown' ? score : (intents[0]?.score ?? 0),
      intents,
    };
    if (Object.keys(entities).length > 0) result.entities = entities;
    return result;
  }

  /** The intent model's scores with billing's share replaced by the billing gate's, best first. */
  private scores(text: string, locale: RecognizeContext['locale']): IntentScore[] {
    const intents = this.model.scores(text, locale);
    const billing = this.billingGate.billingScore(text, locale);
    if (intents.length === 0 || billing === undefined)
      return intents.map(({ label, score }) => ({ intent: label, score }));
    const others = intents.filter((entry) => entry.label !== 'billing');
    const othersTotal = others.reduce((sum, entry) => sum + entry.score, 0);
    return [
      { intent: 'billing' as const, score: billing },
      ...others.map(({ label, score }) => ({
        intent: label,
        score: othersTotal === 0 ? 0 : ((1 - billing) * score) / othersTotal,
      })),
    ].sort((a, b) => b.score - a.score);
  }
}

/** Puts a rule's intent first with full confidence, keeping the model's view of the others. */
function promote(intents: IntentScore[], intent: TrainedIntent): IntentScore[] {
  return [{ intent, score: 1 }, ...intents.filter((entry) => entry.intent !== intent)];
}
