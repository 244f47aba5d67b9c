import type { Logger } from '../logger';
import { contentHashOf } from './articleStore';
import { embeddingKey, type EmbeddingStore } from './embeddingStore';
import { markdownToPlainText, toSingleLine } from './plainText';
import { DEFAULT_LIMIT } from './searchIndex';
import {
  LOCALES,
  type Article,
  type ArticleInput,
  type KnowledgeBase,
  type Locale,
  type SearchHit,
  type SearchOptions,
  type UpsertOutcome,
} from './types';

/**
 * Turns texts into unit vectors with an embeddings model. Undefined means "not now" (the
 * service failed or is over its limits): callers carry on without vectors.
 */
export interface TextEmbedder {
  /** The model's name: part of every stored vector's key. */
  readonly model: string;
  embed(texts: string[], purpose: 'articles' | 'query'): Promise<Float32Array[] | undefined>;
}

/** The lexical knowledge base underneath, with the two extras of `MiniSearchKnowledgeBase`. */
export interface LexicalKnowledgeBase extends KnowledgeBase {
  /** Rebuilds the index when the database changed elsewhere; true when it did. */
  refreshIfChanged?(): Promise<boolean>;
}

export interface HybridKnowledgeBaseOptions {
  inner: LexicalKnowledgeBase;
  /** Where every article is read from to embed it (the article store). */
  articles: { list(): Promise<Article[]> };
  store: EmbeddingStore;
  embedder: TextEmbedder;
  logger: Logger;
  /** Cosine similarity below which an article is no semantic match for a query. */
  minSimilarity: number;
  /** The constant of reciprocal-rank fusion: 60, as in the original paper, unless measured otherwise. */
  rrfK?: number;
  /** How deep each ranking is read before fusing. */
  depth?: number;
}

export interface EmbeddingSyncSummary {
  articles: number;
  /** Vectors computed by this sync. */
  embedded: number;
  /** Articles still without a vector (the embeddings service failed); tried again on the next sync. */
  missing: number;
}

/** How an article becomes the text that is embedded; change it and every article is embedded again. */
export const EMBEDDING_RECIPE = 'v1';
const MAX_QUERY_CHARS = 1000;
const MAX_LIMIT = 50;

/** What a hit found by meaning shows, with the article's vector. */
interface VectorEntry extends Pick<SearchHit, 'key' | 'locale' | 'title' | 'summary' | 'url' | 'module'> {
  embeddingKey: string;
  vector: Float32Array;
}

/** The text an article is embedded from: title, summary and plain body. */
export function embeddingText(article: Article): string {
  return `${toSingleLine(article.title)}\n${toSingleLine(article.summary)}\n${markdownToPlainText(article.body)}`;
}

/**
 * Reciprocal-rank fusion: each id scores the sum of 1 / (k + rank) over the rankings it is in
 * (rank from 1). Best first; ties keep the order of first appearance.
 */
export function reciprocalRankFusion(rankings: string[][], k = 60): Array<{ id: string; score: number }> {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + i + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/**
 * A `KnowledgeBase` decorator that adds semantic ranking to the full-text one. Each article's
 * embedding is computed once per content (keyed by model, recipe and content hash, kept in the
 * `EmbeddingStore`, so restarts and other replicas reuse it) on start, on `upsert`, and when
 * `refreshIfChanged` sees articles changed elsewhere. A search embeds the query, ranks the
 * articles of each language by cosine similarity (those above `minSimilarity`), and fuses that
 * ranking with the full-text one by reciprocal-rank fusion; the user's language still comes
 * first. Whenever the query cannot be embedded, or no article has a vector, the search is
 * exactly the inner knowledge base's. Hit scores are then fusion scores: higher is better
 * within one list, as before.
 */
export class HybridKnowledgeBase implements KnowledgeBase {
  private readonly entries = new Map<string, VectorEntry>();
  private readonly logger: Logger;
  private readonly rrfK: number;
  private readonly depth: number;
  private syncing: Promise<EmbeddingSyncSummary> | undefined;
  private missing = 0;

  constructor(private readonly options: HybridKnowledgeBaseOptions) {
    this.logger = options.logger.child({ component: 'hybrid-search' });
    this.rrfK = options.rrfK ?? 60;
    this.depth = options.depth ?? 20;
  }

  /** How many articles have a vector. */
  get embeddedCount(): number {
    return this.entries.size;
  }

  /**
   * Brings the vectors in step with the articles: reuses stored ones, embeds the rest, forgets
   * removed articles and deletes vectors nothing uses. Concurrent calls share one run. Never
   * throws for the embeddings service; a database error is thrown.
   */
  async sync(): Promise<EmbeddingSyncSummary> {
    this.syncing ??= this.runSync().finally(() => (this.syncing = undefined));
    return await this.syncing;
  }

  private async runSync(): Promise<EmbeddingSyncSummary> {
    const started = Date.now();
    const model = this.options.embedder.model;
    const articles = await this.options.articles.list();
    const stored = await this.options.store.loadAll(model);
    const wanted = new Set<string>();
    const toEmbed: Array<{ article: Article; key: string }> = [];
    const fresh = new Map<string, VectorEntry>();
    for (const article of articles) {
      const key = embeddingKey(model, EMBEDDING_RECIPE, contentHashOf(article));
      wanted.add(key);
      const vector = stored.get(key);
      if (vector) fresh.set(entryId(article.key, article.locale), toEntry(article, key, vector));
      else toEmbed.push({ article, key });
    }
    let embedded = 0;
    if (toEmbed.length) {
      const vectors = await this.options.embedder.embed(
        toEmbed.map(({ article }) => embeddingText(article)),
        'articles',
      );
      if (vectors && vectors.length === toEmbed.length) {
        for (const [i, { article, key }] of toEmbed.entries()) {
          const vector = vectors[i];
          await this.options.store.put(key, model, vector);
          fresh.set(entryId(article.key, article.locale), toEntry(article, key, vector));
          embedded++;
        }
      }
    }
    // Articles whose new content could not be embedded keep no vector: an old one would rank old content.
    this.entries.clear();
    for (const [id, entry] of fresh) this.entries.set(id, entry);
    this.missing = articles.length - fresh.size;
    const pruned = this.missing === 0 ? await this.options.store.prune(model, wanted) : 0;
    const summary = { articles: articles.length, embedded, missing: this.missing };
    this.logger.info({ ...summary, pruned, ms: Date.now() - started }, 'article embeddings in step');
    return summary;
  }

  async search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_LIMIT), 0), MAX_LIMIT);
    const text = markdownToPlainText(query).trim().slice(0, MAX_QUERY_CHARS);
    if (this.entries.size === 0 || limit === 0 || !text)
      return await this.options.inner.search(query, options);
    const [lexical, vectors] = await Promise.all([
      this.options.inner.search(query, { ...options, limit: Math.max(this.depth, limit) }),
      this.options.embedder.embed([text], 'query'),
    ]);
    const queryVector = vectors?.[0];
    if (!queryVector) return await this.options.inner.search(query, options);

    const hits: SearchHit[] = [];
    const listed = new Set<string>();
    const locales = [options.locale, ...LOCALES.filter((l) => l !== options.locale)];
    for (const locale of locales) {
      if (hits.length >= limit) break;
      const fromText = lexical.filter((hit) => hit.locale === locale);
      const fromMeaning = this.nearest(queryVector, locale, options.module);
      const fused = reciprocalRankFusion(
        [fromText.map((hit) => hit.key), fromMeaning.map(({ entry }) => entry.key)],
        this.rrfK,
      );
      const similarities = new Map(fromMeaning.map(({ entry, similarity }) => [entry.key, similarity]));
      for (const { id: key, score } of fused) {
        if (hits.length >= limit) break;
        // A translation of an article already listed adds nothing.
        if (listed.has(key)) continue;
        listed.add(key);
        const hit = fromText.find((h) => h.key === key);
        // Fusion scores (~0.016-0.033) say only "better than the next one": the evidence that
        // an article answers at all stays on the hit, on its own scale (coverage, similarity).
        const similarity = similarities.get(key);
        const fusedHit = hit
          ? { ...hit, score }
          : semanticHit(this.entries.get(entryId(key, locale)) as VectorEntry, score);
        hits.push(similarity === undefined ? fusedHit : { ...fusedHit, similarity });
      }
    }
    return hits;
  }

  /** The articles of `locale` (and `module`) closest to the query, above the similarity floor. */
  private nearest(
    query: Float32Array,
    locale: Locale,
    module: string | undefined,
  ): Array<{ entry: VectorEntry; similarity: number }> {
    const scored: Array<{ entry: VectorEntry; similarity: number }> = [];
    for (const entry of this.entries.values()) {
      if (entry.locale !== locale || (module !== undefined && entry.module !== module)) continue;
      if (entry.vector.length !== query.length) continue;
      const similarity = dot(query, entry.vector);
      if (similarity >= this.options.minSimilarity) scored.push({ entry, similarity });
    }
    return scored.sort((a, b) => b.similarity - a.similarity).slice(0, this.depth);
  }

  async get(key: string, locale: Locale): Promise<Article | undefined> {
    return await this.options.inner.get(key, locale);
  }

  /** Stores and indexes through the inner knowledge base, then embeds the article if its content is new. */
  async upsert(input: ArticleInput): Promise<UpsertOutcome> {
    const outcome = await this.options.inner.upsert(input);
    try {
      const article = await this.options.inner.get(input.key.trim(), input.locale);
      if (article) await this.embedOne(article);
    } catch (error) {
      // The article is stored and indexed; its vector comes with the next refresh.
      this.missing++;
      this.logger.warn({ err: error }, 'article stored, its embedding not');
    }
    return outcome;
  }

  async remove(key: string, locale: Locale): Promise<boolean> {
    const removed = await this.options.inner.remove(key, locale);
    this.entries.delete(entryId(key, locale));
    return removed;
  }

  size(): number {
    return this.options.inner.size();
  }

  /**
   * Lets the inner knowledge base catch up with the database, then the vectors with it; also
   * retries articles left without a vector by an earlier failure. True when anything changed.
   */
  async refreshIfChanged(): Promise<boolean> {
    const changed = (await this.options.inner.refreshIfChanged?.()) ?? false;
    if (!changed && this.missing === 0) return false;
    const summary = await this.sync();
    return changed || summary.embedded > 0;
  }

  private async embedOne(article: Article): Promise<void> {
    const model = this.options.embedder.model;
    const key = embeddingKey(model, EMBEDDING_RECIPE, contentHashOf(article));
    const id = entryId(article.key, article.locale);
    if (this.entries.get(id)?.embeddingKey === key) return;
    let vector = await this.options.store.get(key);
    if (!vector) {
      vector = (await this.options.embedder.embed([embeddingText(article)], 'articles'))?.[0];
      if (vector) await this.options.store.put(key, model, vector);
    }
    if (vector) {
      this.entries.set(id, toEntry(article, key, vector));
    } else {
      this.entries.delete(id);
      this.missing++;
    }
  }
}

function entryId(key: string, locale: Locale): string {
  return `${locale}|${key}`;
}

function toEntry(article: Article, key: string, vector: Float32Array): VectorEntry {
  const entry: VectorEntry = {
    key: article.key,
    locale: article.locale,
    title: toSingleLine(article.title),
    summary: toSingleLine(article.summary),
    module: article.module,
    embeddingKey: key,
    vector,
  };
  if (article.url) entry.url = article.url;
  return entry;
}

/** A hit found by meaning alone: no word of the query to highlight, so the summary is its snippet. */
function semanticHit(entry: VectorEntry, score: number): SearchHit {
  const hit: SearchHit = {
    key: entry.key,
    locale: entry.locale,
    title: entry.title,
    summary: entry.summary,
    module: entry.module,
    score,
    snippet:
      entry.summary.length > 200 ? `${entry.summary.slice(0, 199).replace(/\s+\S*$/, '')}…` : entry.summary,
    terms: [],
  };
  if (entry.url) hit.url = entry.url;
  return hit;
}
