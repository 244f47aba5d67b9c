import MiniSearch, { type SearchResult } from 'minisearch';
import { analyzerFor, foldAccents, type Analyzer } from './analysis';
import { markdownToPlainText, toSingleLine } from './plainText';
import { analysePassages, buildSnippet, type AnalysedPassage } from './snippet';
import { LOCALES, type Article, type Locale, type SearchHit, type SearchOptions } from './types';

/** Words of a query beyond this are ignored: enough for any real question, and it bounds the work. */
export const MAX_QUERY_WORDS = 64;
export const DEFAULT_LIMIT = 3;
const MAX_LIMIT = 50;

/** Field weights and matching rules, chosen on the StackFAQ dev set with the Adobe KB as distractors (bench/kb.ts). */
export const DEFAULT_TUNING: SearchTuning = {
  boost: { title: 8, summary: 1.5, body: 1 },
  /** Fuzzy matching only for words long enough that one typo is not another word. */
  fuzzyMinLength: 5,
  fuzzy: 0.2,
  maxFuzzy: 2,
  /** Beyond this many distinct query terms, fuzzy matching adds cost and noise, not recall. */
  fuzzyMaxTerms: 12,
  prefixMinLength: 4,
  weights: { fuzzy: 0.3, prefix: 0.2 },
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
};

/** How the index ranks; the defaults are what the bot uses. */
export interface SearchTuning {
  boost: { title: number; summary: number; body: number };
  fuzzyMinLength: number;
  fuzzy: number;
  maxFuzzy: number;
  fuzzyMaxTerms: number;
  prefixMinLength: number;
  weights: { fuzzy: number; prefix: number };
  bm25: { k: number; b: number; d: number };
}

interface IndexedDocument {
  id: string;
  title: string;
  summary: string;
  body: string;
}

interface IndexedArticle {
  key: string;
  locale: Locale;
  title: string;
  summary: string;
  url?: string;
  module: string;
  /** Plain text of the body, for snippets. */
  text: string;
  /** Its passages, analysed when indexed: a search only looks their terms up. */
  passages: AnalysedPassage[];
}

class LocaleIndex {
  readonly articles = new Map<string, IndexedArticle>();
  readonly engine: MiniSearch<IndexedDocument>;

  constructor(readonly analyzer: Analyzer) {
    this.engine = new MiniSearch<IndexedDocument>({
      fields: ['title', 'summary', 'body'],
      storeFields: [],
      tokenize: (text) => analyzer.tokenize(text),
      processTerm: (term) => analyzer.term(term),
      autoVacuum: { minDirtCount: 50, minDirtFactor: 0.1 },
    });
  }

  put(article: Article): void {
    const text = markdownToPlainText(article.body);
    const entry: IndexedArticle = {
      key: article.key,
      locale: article.locale,
      title: toSingleLine(article.title),
      summary: toSingleLine(article.summary),
      module: article.module,
      text,
      passages: analysePassages(text, this.analyzer),
    };
    if (article.url) entry.url = article.url;
    this.remove(article.key);
    this.articles.set(article.key, entry);
    this.engine.add({ id: article.key, title: entry.title, summary: entry.summary, body: text });
  }

  remove(key: string): boolean {
    if (!this.articles.delete(key)) return false;
    this.engine.discard(key);
    return true;
  }
}

/**
 * The in-memory full-text index over articles: one MiniSearch index per language, each with
 * its own analysis (stop words, stemming; accents folded). The bot and bench/kb.ts both search
 * through this class, so the benchmark measures exactly what users get.
 */
export class ArticleSearchIndex {
  private readonly indexes: Record<Locale, LocaleIndex> = {
    en: new LocaleIndex(analyzerFor('en')),
    fr: new LocaleIndex(analyzerFor('fr')),
  };

  constructor(private readonly tuning: SearchTuning = DEFAULT_TUNING) {}

  static build(articles: Iterable<Article>, tuning: SearchTuning = DEFAULT_TUNING): ArticleSearchIndex {
    const index = new ArticleSearchIndex(tuning);
    for (const article of articles) index.put(article);
    return index;
  }

  /** Adds the article, or replaces the indexed version of it. */
  put(article: Article): void {
    this.indexes[article.locale].put(article);
  }

  remove(key: string, locale: Locale): boolean {
    return this.indexes[locale].remove(key);
  }

  has(key: string, locale: Locale): boolean {
    return this.indexes[locale].articles.has(key);
  }

  get size(): number {
    return this.indexes.en.articles.size + this.indexes.fr.articles.size;
  }

  /**
   * Articles in the user's language first; when they are fewer than `limit`, articles that
   * exist only in the other language fill the list (an article that has a version in the
   * user's language is never shown in the other one).
   */
  search(query: string, options: SearchOptions): SearchHit[] {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_LIMIT), 0), MAX_LIMIT);
    const words = queryWords(query);
    if (!words.length || limit === 0) return [];
    const hits = this.searchIn(this.indexes[options.locale], words, options.module, limit);
    if (hits.length < limit) {
      const other = LOCALES.find((locale) => locale !== options.locale) ?? options.locale;
      const seen = new Set(hits.map((hit) => hit.key));
      // The query is in the user's language: its stop words are not content in the other one.
      const userAnalyzer = this.indexes[options.locale].analyzer;
      const contentWords = words.filter((word) => userAnalyzer.term(word) !== null);
      for (const hit of this.searchIn(this.indexes[other], contentWords, options.module, limit)) {
        if (hits.length >= limit) break;
        // Only an article with no version in the user's language is worth showing in the other.
        if (!seen.has(hit.key) && !this.indexes[options.locale].articles.has(hit.key)) hits.push(hit);
      }
    }
    return hits;
  }

  private searchIn(
    index: LocaleIndex,
    words: string[],
    module: string | undefined,
    limit: number,
  ): SearchHit[] {
    const analyzer = index.analyzer;
    // One word per distinct term: a repeated word should not count twice.
    const distinct = new Map<string, string>();
    for (const word of words) {
      const term = analyzer.term(word);
      if (term && !distinct.has(term)) distinct.set(term, word);
    }
    if (!distinct.size) return [];
    const queryTermCount = distinct.size;
    const asked = new Set(distinct.keys());
    for (const word of expansions(words, analyzer.locale)) {
      const term = analyzer.term(word);
      if (term && !distinct.has(term)) distinct.set(term, word);
    }
    const TUNING = this.tuning;
    const results = index.engine.search([...distinct.values()].join(' '), {
      boost: TUNING.boost,
      weights: TUNING.weights,
      combineWith: 'OR',
      bm25: TUNING.bm25,
      maxFuzzy: TUNING.maxFuzzy,
      fuzzy: (term) =>
        queryTermCount <= TUNING.fuzzyMaxTerms && term.length >= TUNING.fuzzyMinLength ? TUNING.fuzzy : false,
      prefix: (term) => term.length >= TUNING.prefixMinLength,
      filter: module ? (result) => index.articles.get(result.id as string)?.module === module : undefined,
    });
    return results.slice(0, limit).map((result) => ({
      ...toHit(index, result),
      // Only exact terms count: a fuzzy or prefix match alone ("printer" ~ "print") is not an answer.
      coverage: result.terms.filter((term) => asked.has(term)).length / queryTermCount,
    }));
  }
}

// Words people write for what articles call otherwise, by language (folded, lowercase). The
// query keeps its own words; these only add to it.
const SYNONYMS: Record<Locale, Record<string, readonly string[]>> = {
  en: {},
  fr: {
    correctif: ['mise', 'jour', 'kb'],
    correctifs: ['mise', 'jour', 'kb'],
    echoue: ['echec'],
    echouent: ['echec'],
    plante: ['echec'],
    'mise-a-jour': ['mise', 'jour'],
  },
};

/**
 * Extra words for a query: a Windows update number ("KB5034441") also asks for "KB" (articles
 * speak of KBs, not of one number), and each language's synonyms.
 */
function expansions(words: string[], locale: Locale): string[] {
  const extra: string[] = [];
  for (const word of words) {
    const folded = foldAccents(word);
    const code = /^(kb)\d{4,}$/.exec(folded);
    if (code?.[1]) extra.push(code[1]);
    extra.push(...(SYNONYMS[locale][folded] ?? []));
  }
  return extra;
}

function toHit(index: LocaleIndex, result: SearchResult): SearchHit {
  const article = index.articles.get(result.id as string);
  if (!article) throw new Error(`search index out of step: no article ${String(result.id)}`);
  const { snippet, terms } = buildSnippet(
    article.text,
    article.summary,
    new Set(result.terms),
    index.analyzer,
    article.passages,
  );
  const hit: SearchHit = {
    key: article.key,
    locale: article.locale,
    title: article.title,
    summary: article.summary,
    module: article.module,
    score: result.score,
    snippet,
    terms,
  };
  if (article.url) hit.url = article.url;
  return hit;
}

/** The words of a query, markup removed, cut to MAX_QUERY_WORDS. */
export function queryWords(query: string): string[] {
  const cleaned = markdownToPlainText(query.length > 4000 ? query.slice(0, 4000) : query);
  return analyzerFor('en').tokenize(cleaned).slice(0, MAX_QUERY_WORDS);
}
