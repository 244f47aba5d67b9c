/** Every intent Helpline routes on. `unknown` means no intent scored high enough to act on. */
export const INTENTS = [
  'technical_problem',
  'billing',
  'my_requests',
  'service_status',
  'talk_to_person',
  'feature_request',
  'out_of_scope',
  'greeting_help',
  'open_ticket',
  'search_kb',
  'unknown',
] as const;

export type Intent = (typeof INTENTS)[number];

/** The intents a classifier is trained on: all of them except `unknown`, which is a decision, not a class. */
export type TrainedIntent = Exclude<Intent, 'unknown'>;

/** The flows of the Billing & Payments assistant a billing message may belong to. */
export const BILLING_TOPICS = [
  'invoice_copy',
  'charge',
  'dispute',
  'payment_method',
  'renewal',
  'licence_count',
  'other',
] as const;

export type BillingTopic = (typeof BILLING_TOPICS)[number];

export type Locale = 'en' | 'fr';

export interface IntentScore {
  intent: Intent;
  /** 0..1, comparable between intents of one result (not a calibrated probability). */
  score: number;
}

export interface IntentEntities {
  /** A ticket number quoted in the message, normalised to `HL-123456`. */
  ticketNumber?: string;
  /** Set when the top intent is `billing`. */
  billingTopic?: BillingTopic;
}

export interface IntentResult {
  top: Intent;
  /** The score of `top`; for `unknown`, the score of the best trained intent. */
  score: number;
  /** Every trained intent with its score, best first. */
  intents: IntentScore[];
  entities?: IntentEntities;
}

export interface RecognizeContext {
  /** The conversation's language when known; implementations may use it or detect it. */
  locale?: Locale;
  /** The conversation the message belongs to: a recognizer that calls a model counts its budget per conversation. */
  conversationId?: string;
}

/**
 * Maps a user's free text to one of Helpline's intents.
 *
 * Implementations: `ClassifierIntentRecognizer` (in-process text classifier trained on the
 * project's own utterances, no outside service) and later an OpenAI-backed recognizer. An
 * implementation never throws for any input text: when it cannot decide it returns `unknown`,
 * and an implementation that calls a remote service falls back to a local one on failure.
 */
export interface IntentRecognizer {
  recognize(text: string, context?: RecognizeContext): Promise<IntentResult>;
}

/** Classifies a billing message into the flow of the billing assistant that should handle it. */
export interface BillingTopicClassifier {
  classify(text: string, context?: RecognizeContext): BillingTopic;
}
