export * from './types';
export { ArticleSearchIndex, queryWords, MAX_QUERY_WORDS } from './searchIndex';
