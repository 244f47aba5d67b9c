import type { Connection } from 'mongoose';
import type { Logger } from '../logger';
import { articlesFingerprint, contentHashOf, MongoArticleStore } from './articleStore';
import { ArticleSearchIndex } from './searchIndex';
import type {
  Article,
  ArticleInput,
  KnowledgeBase,
  Locale,
  SearchHit,
  SearchOptions,
  UpsertOutcome,
} from './types';

export interface MiniSearchKnowledgeBaseOptions {
  connection: Connection;
  logger: Logger;
  clock?: () => Date;
  /**
   * The address of an article that has no `url` of its own: where Helpline itself shows it
   * (`/kb/<key>`). Hits and articles without one have no link when this is absent.
   */
  articleLink?: (key: string, locale: Locale) => string;
}

/**
 * The knowledge base on MongoDB articles and an in-process MiniSearch index. `open` builds the
 * index from the database; `upsert` / `remove` write to the database first and then update the
 * index, so a failed write never leaves the index ahead of the data. Another replica's writes
 * are seen after `reload()`.
 */
export class MiniSearchKnowledgeBase implements KnowledgeBase {
  private index = new ArticleSearchIndex();

  private constructor(
    private readonly store: MongoArticleStore,
    private readonly logger: Logger,
    private readonly articleLink?: (key: string, locale: Locale) => string,
  ) {}

  /** A knowledge base with its index built from the articles in the database. */
  static async open(options: MiniSearchKnowledgeBaseOptions): Promise<MiniSearchKnowledgeBase> {
    const store = new MongoArticleStore(options.connection, options.clock);
    await store.ensureIndexes();
    const knowledgeBase = new MiniSearchKnowledgeBase(
      store,
      options.logger.child({ component: 'knowledge' }),
      options.articleLink,
    );
    await knowledgeBase.reload();
    return knowledgeBase;
  }

  /**
   * What the index holds, by `locale|key`: the content hash of each article. The change check
   * compares the database with this, not with a digest taken at the last rebuild, so the index's
   * own writes (the demo seed, an import through this process) never count as a change.
   */
  private indexed = new Map<string, { key: string; locale: string; contentHash: string }>();

  /** Rebuilds the index from the database (the new index replaces the old one only when complete). */
  async reload(): Promise<void> {
    const started = Date.now();
    const articles = await this.store.list();
    this.index = ArticleSearchIndex.build(articles);
    this.indexed = new Map(articles.map((a) => [entryId(a), entryOf(a)]));
    this.logger.info({ articles: articles.length, ms: Date.now() - started }, 'knowledge index built');
  }

  search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    return Promise.resolve(this.index.search(query, options).map((hit) => this.linked(hit)));
  }

  async get(key: string, locale: Locale): Promise<Article | undefined> {
    const article = await this.store.get(key, locale);
    return article && this.linked(article);
  }

  private linked<T extends { key: string; locale: Locale; url?: string }>(item: T): T {
    return item.url || !this.articleLink ? item : { ...item, url: this.articleLink(item.key, item.locale) };
  }

  async upsert(input: ArticleInput): Promise<UpsertOutcome> {
    const { outcome, article } = await this.store.upsertReturning(input);
    if (outcome !== 'unchanged' || !this.index.has(article.key, article.locale)) this.index.put(article);
    this.indexed.set(entryId(article), entryOf(article));
    return outcome;
  }

  async remove(key: string, locale: Locale): Promise<boolean> {
    const removed = await this.store.remove(key, locale);
    this.index.remove(key, locale);
    this.indexed.delete(entryId({ key, locale }));
    return removed;
  }

  /**
   * Rebuilds the index when the articles in the database changed since it was built (an import
   * by `npm run kb:import` or another replica). Returns whether it rebuilt.
   */
  async refreshIfChanged(): Promise<boolean> {
    if ((await this.store.fingerprint()) === articlesFingerprint(this.indexed.values())) return false;
    await this.reload();
    return true;
  }

  size(): number {
    return this.index.size;
  }

  /** How many articles the database holds (the index may lag another replica's writes). */
  async count(): Promise<number> {
    return await this.store.count();
  }
}

function entryId(article: { key: string; locale: string }): string {
  return `${article.locale}|${article.key}`;
}

function entryOf(article: Article): { key: string; locale: string; contentHash: string } {
  return { key: article.key, locale: article.locale, contentHash: contentHashOf(article) };
}
