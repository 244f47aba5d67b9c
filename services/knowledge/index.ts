export * from './types';
export { analyze, analyzerFor, foldAccents, type Analyzer } from './analysis';
export { markdownToPlainText } from './plainText';
export {
  ArticleSearchIndex,
  DEFAULT_TUNING,
  MAX_QUERY_WORDS,
  queryWords,
  type SearchTuning,
} from './searchIndex';
export {
  MongoArticleStore,
  getArticleModel,
  contentHashOf,
  parseArticleInput,
  type ArticleDocument,
} from './articleStore';
export { MiniSearchKnowledgeBase, type MiniSearchKnowledgeBaseOptions } from './miniSearchKnowledgeBase';
export {
  importArticles,
  formatRejection,
  type ImportDeps,
  type ImportProgress,
  type ImportRejection,
  type ImportSummary,
} from './importer';
export {
  MongoFeedbackStore,
  getFeedbackModel,
  feedbackInputSchema,
  FEEDBACK_OUTCOMES,
  type Feedback,
  type FeedbackInput,
  type FeedbackOutcome,
  type FeedbackStore,
} from './feedback';
export { DEMO_KB_DIR, seedKnowledgeBaseIfEmpty } from './seed';
export {
  FeedbackPopularArticles,
  type ArticleSummary,
  type FeedbackPopularArticlesOptions,
  type PopularArticles,
} from './popularArticles';
