export * from './types';
export type { LlmProvider, LlmSettings } from './settings';
export {
  loadPrompt,
  loadPrompts,
  renderPrompt,
  PROMPTS_DIR,
  PROMPT_IDS,
  type Prompt,
  type PromptId,
} from './promptLibrary';
export { newBoundary, dataBlock, cleanData } from './dataBlocks';
export {
  MongoCallBudget,
  type CallBudget,
  type BudgetVerdict,
  type MongoCallBudgetOptions,
} from './callBudget';
export {
  OpenAiLanguageModel,
  createOpenAiClient,
  decodeEmbeddings,
  type OpenAiLanguageModelOptions,
} from './openAiLanguageModel';
export {
  LanguageModelGroundedAnswers,
  checkGrounding,
  MAX_GROUNDING_ARTICLES,
  type GroundedAnswers,
  type GroundedAnswerRequest,
  type GroundedAnswerResult,
  type GroundingArticle,
  type Citation,
} from './groundedAnswers';
export {
  LanguageModelTicketFieldExtractor,
  keepWhatTheUserWrote,
  EXTRACTABLE_FIELDS,
  type ExtractableField,
  type TicketFieldExtractor,
  type TicketExtraction,
  type TicketExtractionRequest,
  type SeveritySuggestion,
  type ExtractedProblem,
} from './ticketExtraction';
export {
  LanguageModelHandoffSummarizer,
  type HandoffSummarizer,
  type HandoffSummary,
  type HandoffSummaryRequest,
  type TranscriptTurn,
} from './handoffSummary';
export {
  ConversationSummaries,
  type ConversationLines,
  type ConversationSummariesOptions,
  type SummaryTarget,
} from './conversationSummaries';
export {
  createLanguageServices,
  languageModelEmbedder,
  type LanguageServices,
  type LanguageServicesDeps,
} from './languageServices';
