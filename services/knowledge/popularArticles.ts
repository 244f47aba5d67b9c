import type { Connection, Model } from 'mongoose';
import { withDatabaseErrors } from '../db';
import { getArticleModel, type ArticleDocument } from './articleStore';
import { getFeedbackModel, type Feedback } from './feedback';
import type { KnowledgeBase, Locale } from './types';

/** An article as a list of suggestions shows it. */
export interface ArticleSummary {
  key: string;
  locale: Locale;
  title: string;
  summary: string;
  module: string;
  url?: string;
}

/** The articles people find most useful, to suggest before anything is typed. */
export interface PopularArticles {
  /** Best first, in `locale` where the article exists in it; at most `limit`. */
  popular(locale: Locale, limit: number): Promise<ArticleSummary[]>;
}

export interface FeedbackPopularArticlesOptions {
  connection: Connection;
  knowledgeBase: KnowledgeBase;
  clock?: () => Date;
  /** Feedback older than this is ignored; 90 days when absent. */
  windowDays?: number;
  /** How long a computed list is reused; 5 minutes when absent. */
  cacheMs?: number;
}

/** At most this many recent outcomes are read: popularity needs a sample, not the whole history. */
const SAMPLE = 2000;
/** A knowledge step that ended "solved" says more than an article merely shown. */
const SOLVED_WEIGHT = 3;

/**
 * Popularity from the knowledge step's own outcomes (the Feedback records): each article shown
 * scores 1, each one shown in a search that ended "solved" scores 3, over the last 90 days.
 * With too little feedback (a new installation), the most recently updated articles fill the
 * list. Computed at most every 5 minutes per language, so the compose box answers at once.
 */
export class FeedbackPopularArticles implements PopularArticles {
  private readonly feedback: Model<Feedback>;
  private readonly articles: Model<ArticleDocument>;
  private readonly clock: () => Date;
  private readonly cache = new Map<string, { at: number; list: Promise<ArticleSummary[]> }>();

  constructor(private readonly options: FeedbackPopularArticlesOptions) {
    this.feedback = getFeedbackModel(options.connection);
    this.articles = getArticleModel(options.connection);
    this.clock = options.clock ?? (() => new Date());
  }

  async popular(locale: Locale, limit: number): Promise<ArticleSummary[]> {
    const key = `${locale}|${limit}`;
    const now = this.clock().getTime();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < (this.options.cacheMs ?? 300_000)) return await cached.list;
    const list = this.compute(locale, limit);
    this.cache.set(key, { at: now, list });
    try {
      return await list;
    } catch (error) {
      this.cache.delete(key);
      throw error;
    }
  }

  private async compute(locale: Locale, limit: number): Promise<ArticleSummary[]> {
    const since = new Date(this.clock().getTime() - (this.options.windowDays ?? 90) * 86_400_000);
    const recent = await withDatabaseErrors('Knowledge', () =>
      this.feedback
        .find({ createdAt: { $gte: since } }, { articles: 1, outcome: 1, _id: 0 })
        .sort({ createdAt: -1 })
        .limit(SAMPLE)
        .lean<Array<Pick<Feedback, 'articles' | 'outcome'>>>()
        .exec(),
    );
    const scores = new Map<string, number>();
    for (const record of recent) {
      const weight = record.outcome === 'solved' ? SOLVED_WEIGHT : 1;
      for (const article of record.articles) scores.set(article.key, (scores.get(article.key) ?? 0) + weight);
    }
    const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const other: Locale = locale === 'en' ? 'fr' : 'en';
    const found: ArticleSummary[] = [];
    for (const [articleKey] of ranked) {
      if (found.length >= limit) break;
      const article =
        (await this.options.knowledgeBase.get(articleKey, locale)) ??
        (await this.options.knowledgeBase.get(articleKey, other));
      if (article) found.push(summaryOf(article));
    }
    if (found.length < limit) {
      const taken = new Set(found.map((article) => article.key));
      const latest = await withDatabaseErrors('Knowledge', () =>
        this.articles
          .find({ locale }, { key: 1, locale: 1, title: 1, summary: 1, module: 1, url: 1, _id: 0 })
          .sort({ updatedAt: -1, key: 1 })
          .limit(limit + taken.size)
          .lean<ArticleSummary[]>()
          .exec(),
      );
      for (const article of latest) {
        if (found.length >= limit) break;
        if (!taken.has(article.key)) found.push(summaryOf(article));
      }
    }
    return found;
  }
}

function summaryOf(article: ArticleSummary): ArticleSummary {
  return {
    key: article.key,
    locale: article.locale,
    title: article.title,
    summary: article.summary,
    module: article.module,
    ...(article.url ? { url: article.url } : {}),
  };
}
