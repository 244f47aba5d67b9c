import { z } from 'zod';

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

const SLUG = /^[a-z0-9][a-z0-9._/-]*$/;

/**
 * One article as an import file or an editor gives it. `key` is shared by an article and its
 * translations; (key, locale) identifies one article.
 */
export const articleInputSchema = z.object({
  key: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(SLUG, 'must be a slug: lowercase letters, digits, and . _ / -'),
  locale: z.enum(LOCALES),
  title: z.string().trim().min(1).max(300),
  summary: z.string().trim().min(1).max(1000),
  body: z.string().trim().min(1).max(200_000),
  module: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a module id like "patch-management"'),
  tags: z.array(z.string().trim().min(1).max(60)).max(50).default([]),
  url: z.url({ protocol: /^https?$/ }).optional(),
  updatedAt: z.coerce.date().optional(),
});

export type ArticleInput = z.input<typeof articleInputSchema>;
export type ValidArticleInput = z.output<typeof articleInputSchema>;

/** An article as stored. */
export interface Article {
  key: string;
  locale: Locale;
  title: string;
  summary: string;
  /** Markdown. */
  body: string;
  module: string;
  tags: string[];
  url?: string;
  updatedAt: Date;
}

export type UpsertOutcome = 'added' | 'updated' | 'unchanged';

export interface SearchOptions {
  /** The user's language: its articles come first, the other language fills the rest. */
  locale: Locale;
  /** Only articles of this product module. */
  module?: string;
  /** At most this many hits; 3 when absent. */
  limit?: number;
}

export interface SearchHit {
  key: string;
  locale: Locale;
  title: string;
  summary: string;
  url?: string;
  module: string;
  /** Relevance within this result list; higher is better, not comparable across queries. */
  score: number;
  /** Plain text (no markdown) from the article around the words that matched, at most ~200 characters. */
  snippet: string;
  /** The words of `snippet` (as written there) that matched the query, for highlighting. */
  terms: string[];
  /**
   * The share (0..1) of the query's distinct terms the article matched, when the search is
   * lexical: how well it answers the whole query, comparable across queries (unlike `score`).
   */
  coverage?: number;
  /**
   * The cosine similarity of the article's embedding to the query's, when a hybrid search found
   * it by meaning (always at or above that search's model-dependent floor); like `coverage`,
   * comparable across queries. A hit with neither comes from a search that measures no evidence.
   */
  similarity?: number;
}

/**
 * The knowledge base the dialogs search. Implementations keep their search index in step
 * with the article store: every write goes through `upsert` / `remove`.
 */
export interface KnowledgeBase {
  /**
   * The best articles for a free-text query. An empty (or markup-only) query gives [].
   * Markdown and HTML in the query are ignored; very long queries are cut to their first words.
   */
  search(query: string, options: SearchOptions): Promise<SearchHit[]>;
  /** One article, or undefined. */
  get(key: string, locale: Locale): Promise<Article | undefined>;
  /** Validates, stores and indexes one article; unchanged content keeps its `updatedAt`. Throws AppError('invalid_input'). */
  upsert(article: ArticleInput): Promise<UpsertOutcome>;
  /** Removes one article from the store and the index; false when it did not exist. */
  remove(key: string, locale: Locale): Promise<boolean>;
  /** How many articles are indexed. */
  size(): number;
}

/** Where importArticles writes; both the store and a knowledge base (which also indexes) are one. */
export interface ArticleWriter {
  upsert(article: ArticleInput): Promise<UpsertOutcome>;
}
