import type { KnowledgeBase, SearchHit } from '../services/knowledge';
import { markdownToPlainText } from '../services/knowledge';
import type { Citation, GroundedAnswers, GroundingArticle } from '../services/llm';
import type { Logger } from '../services/logger';
import { plainText } from './input';
import { t, type Locale } from './texts';

export interface KnowledgeAnswerRequest {
  /** The user's question, as typed. */
  question: string;
  locale: Locale;
  /** The articles about to be shown, in that order: [n] is the n-th card. */
  hits: SearchHit[];
  conversationId: string;
}

/** What the knowledge dialog says before the article cards, and how it numbers them. */
export interface KnowledgeAnswer {
  /** Markdown for the message before the cards (the model's words escaped as plain text). */
  text: string;
  /** True when the answer cites the cards: they are numbered to match. */
  cites: boolean;
}

/**
 * The knowledge dialog's answer step: a short answer written by the language model from the
 * articles the search found, citing them ([1] is the first card shown), or a plain "these do
 * not say" when they do not hold the answer. Every failure of the model (timeout, 429, 5xx,
 * malformed output, an answer citing nothing or something not given, a budget used up) gives
 * undefined, and the dialog shows the articles as it does without a model, in the same turn.
 */
export class KnowledgeAnswerStep {
  private readonly log: Logger;

  constructor(
    private readonly answers: GroundedAnswers,
    private readonly knowledgeBase: KnowledgeBase,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'knowledge-answer' });
  }

  async compose(request: KnowledgeAnswerRequest): Promise<KnowledgeAnswer | undefined> {
    if (!request.hits.length) return undefined;
    const started = Date.now();
    try {
      const articles = await Promise.all(request.hits.map(async (hit) => await this.groundingArticle(hit)));
      const result = await this.answers.answer({
        question: request.question,
        locale: request.locale,
        articles,
        conversationId: request.conversationId,
      });
      this.log.info(
        {
          conversationId: request.conversationId,
          outcome: result.outcome,
          ...('reason' in result && { reason: result.reason }),
          ...(result.outcome === 'answered' && { citations: result.citations.length }),
          ms: Date.now() - started,
        },
        'grounded answer',
      );
      switch (result.outcome) {
        case 'answered':
          return { text: answerText(result.text, result.citations, request), cites: true };
        case 'not_in_articles':
          return { text: t(request.locale, 'kb.answerNotInArticles'), cites: false };
        default:
          return undefined;
      }
    } catch (error) {
      // The answer is an extra: the articles are shown whatever happened here.
      this.log.warn({ err: error, conversationId: request.conversationId }, 'grounded answer skipped');
      return undefined;
    }
  }

  /** The article's full text when it can be read, else what the search gave. */
  private async groundingArticle(hit: SearchHit): Promise<GroundingArticle> {
    const article = await this.knowledgeBase.get(hit.key, hit.locale);
    const text = article
      ? `${article.summary}\n\n${markdownToPlainText(article.body)}`
      : `${hit.summary}\n\n${hit.snippet}`;
    return { key: hit.key, title: hit.title, text, ...(hit.url && { url: hit.url }) };
  }
}

/** The hit as its card shows it when an answer cites the cards: "[n] Title". */
export function citedHit(hit: SearchHit, index: number): SearchHit {
  return { ...hit, title: `[${index + 1}] ${hit.title}` };
}

const ESCAPED_CITATION = /\\\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\\\]/g;

/**
 * The model's words as plain text (nothing in them is markup), each [n] a link to the n-th
 * article, then the sources in card order.
 */
function answerText(text: string, citations: Citation[], request: KnowledgeAnswerRequest): string {
  const link = (marker: number): string => {
    const url = request.hits[marker - 1]?.url;
    return url ? `[\\[${marker}\\]](${url})` : `\\[${marker}\\]`;
  };
  const body = plainText(text).replace(ESCAPED_CITATION, (_all, list: string) =>
    list
      .split(',')
      .map((n) => link(Number(n.trim())))
      .join(''),
  );
  const sources = [...citations]
    .sort((a, b) => a.marker - b.marker)
    .map((c) => `${link(c.marker)} ${plainText(c.title)}`)
    .join('  \n');
  return `${body}\n\n${t(request.locale, 'kb.answerSources')}  \n${sources}`;
}
