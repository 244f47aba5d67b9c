import type { Connection } from 'mongoose';
import type { BillingTopicClassifier, IntentRecognizer } from '../intents/types';
import { LanguageModelIntentRecognizer } from '../intents/languageModelIntentRecognizer';
import { MongoArticleStore } from '../knowledge/articleStore';
import { MongoEmbeddingStore } from '../knowledge/embeddingStore';
import { HybridKnowledgeBase, type LexicalKnowledgeBase, type TextEmbedder } from '../knowledge/hybrid';
import type { Logger } from '../logger';
import { MongoCallBudget } from './callBudget';
import { ConversationSummaries, type ConversationLines } from './conversationSummaries';
import { LanguageModelGroundedAnswers, type GroundedAnswers } from './groundedAnswers';
import { LanguageModelHandoffSummarizer, type HandoffSummarizer } from './handoffSummary';
import { OpenAiLanguageModel } from './openAiLanguageModel';
import { loadPrompts } from './promptLibrary';
import type { LlmSettings } from './settings';
import { LanguageModelTicketFieldExtractor, type TicketFieldExtractor } from './ticketExtraction';
import type { LanguageModel } from './types';

/** Everything Helpline does with a language model, built once by the composition root. */
export interface LanguageServices {
  model: LanguageModel;
  answers: GroundedAnswers;
  extractor: TicketFieldExtractor;
  summarizer: HandoffSummarizer;
  /** Wraps the local recognizer: the model is consulted only when it is unsure. */
  recognizer(inner: IntentRecognizer, billingTopics: BillingTopicClassifier): IntentRecognizer;
  /** Wraps the full-text knowledge base with hybrid ranking; undefined without an embeddings model. */
  hybridSearch(inner: LexicalKnowledgeBase): HybridKnowledgeBase | undefined;
  /** Writes conversation summaries onto tickets and handoffs in the background. */
  conversationSummaries(transcripts: ConversationLines): ConversationSummaries;
}

export interface LanguageServicesDeps {
  settings: LlmSettings;
  connection: Connection;
  logger: Logger;
  clock?: () => Date;
}

/** The embeddings half of a `LanguageModel` as the knowledge base wants it; undefined without a model. */
export function languageModelEmbedder(model: LanguageModel): TextEmbedder | undefined {
  const name = model.embeddingModel;
  if (name === undefined) return undefined;
  return {
    model: name,
    embed: async (texts, purpose) => {
      const result = await model.embed(texts, {
        purpose: purpose === 'query' ? 'embed_query' : 'embed_articles',
      });
      return result.outcome === 'ok' ? result.value : undefined;
    },
  };
}

export function createLanguageServices(deps: LanguageServicesDeps): LanguageServices {
  const prompts = loadPrompts();
  const model = new OpenAiLanguageModel({
    settings: deps.settings,
    logger: deps.logger,
    budget: new MongoCallBudget({
      connection: deps.connection,
      logger: deps.logger,
      perConversation: deps.settings.callsPerConversation,
      perDay: deps.settings.callsPerDay,
      ...(deps.clock && { clock: deps.clock }),
    }),
  });
  const embedder = languageModelEmbedder(model);
  const summarizer = new LanguageModelHandoffSummarizer(model, prompts['handoff-summary']);
  return {
    model,
    answers: new LanguageModelGroundedAnswers(model, prompts['grounded-answer']),
    extractor: new LanguageModelTicketFieldExtractor(model, prompts['ticket-extraction']),
    summarizer,
    recognizer: (inner, billingTopics) =>
      new LanguageModelIntentRecognizer({ inner, model, prompt: prompts.intent, billingTopics }),
    hybridSearch: (inner) =>
      embedder &&
      new HybridKnowledgeBase({
        inner,
        articles: new MongoArticleStore(deps.connection, deps.clock),
        store: new MongoEmbeddingStore(deps.connection),
        embedder,
        logger: deps.logger,
        minSimilarity: deps.settings.embeddingMinSimilarity,
      }),
    conversationSummaries: (transcripts) =>
      new ConversationSummaries({ summarizer, transcripts, logger: deps.logger }),
  };
}
