import { z } from 'zod';
import { detectLanguage } from '../language';
import { dataBlock, newBoundary } from './dataBlocks';
import { LANGUAGE_NAMES, type Prompt } from './promptLibrary';
import { callContext, type LanguageModel, type RefusedReason, type UnavailableReason } from './types';

/** An article the answer may draw on, as the search gave it (best first). */
export interface GroundingArticle {
  key: string;
  title: string;
  /** Plain text of the article (markdown removed). */
  text: string;
  url?: string;
}

export interface GroundedAnswerRequest {
  /** The user's question, as typed. */
  question: string;
  /** The language to answer in. */
  locale: 'en' | 'fr';
  /** The articles shown to the user, in the order shown: citation [n] is the n-th. */
  articles: GroundingArticle[];
  conversationId?: string;
}

/** A citation marker of the answer and the article it points to. */
export interface Citation {
  /** The number written in the answer: [1] is `articles[0]`. */
  marker: number;
  key: string;
  title: string;
}

export type GroundedAnswerResult =
  /** A short answer in the user's language; every [n] in `text` is in `citations`. Plain text: show it as such. */
  | { outcome: 'answered'; text: string; citations: Citation[] }
  /** The articles do not contain the answer: go on without one. */
  | { outcome: 'not_in_articles' }
  | { outcome: 'unavailable'; reason: UnavailableReason }
  | { outcome: 'refused'; reason: RefusedReason };

/** Writes answers from knowledge-base articles, citing them. Never throws. */
export interface GroundedAnswers {
  answer(request: GroundedAnswerRequest): Promise<GroundedAnswerResult>;
}

/** Articles beyond these are not sent: the user sees three, and a longer prompt is slower and costlier. */
export const MAX_GROUNDING_ARTICLES = 5;
const MAX_ARTICLE_CHARS = 6000;
const MAX_QUESTION_CHARS = 1000;
const MAX_ANSWER_CHARS = 1200;
const MAX_SENTENCES = 4;

const answerSchema = z.object({
  answerable: z.boolean(),
  answer: z.string().nullable(),
});

/** "[1]", "[2, 3]", "[1][3]" → their numbers. */
const CITATION = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;
const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"'()[\]]+/gi;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/u;

/**
 * Grounded answers through a `LanguageModel`. The articles and the question go to the model as
 * delimited data under a system prompt that forbids following instructions found in them; the
 * answer comes back as structured output and is then checked here, because a prompt alone
 * cannot be trusted to hold: it must cite at least one article, only articles that were given,
 * contain no link or address the articles do not contain, and be in the user's language.
 * Anything else is dropped as `unavailable('not_grounded')`.
 */
export class LanguageModelGroundedAnswers implements GroundedAnswers {
  constructor(
    private readonly model: LanguageModel,
    private readonly prompt: Prompt,
  ) {}

  async answer(request: GroundedAnswerRequest): Promise<GroundedAnswerResult> {
    const articles = request.articles.slice(0, MAX_GROUNDING_ARTICLES);
    if (articles.length === 0 || !request.question.trim()) return { outcome: 'not_in_articles' };
    const boundary = newBoundary();
    const blocks = articles.map((article, i) =>
      dataBlock(
        boundary,
        'article',
        { number: i + 1 },
        `Title: ${article.title}\n${article.url ? `Link: ${article.url}\n` : ''}\n${article.text}`,
        MAX_ARTICLE_CHARS,
      ),
    );
    const question = dataBlock(boundary, 'question', {}, request.question, MAX_QUESTION_CHARS);
    const result = await this.model.complete(
      {
        prompt: this.prompt,
        promptValues: {
          articleCount: String(articles.length),
          language: LANGUAGE_NAMES[request.locale],
          maxSentences: String(MAX_SENTENCES),
          boundary,
        },
        messages: [
          { role: 'user', content: `Articles:\n\n${blocks.join('\n\n')}\n\nQuestion:\n\n${question}` },
        ],
        schema: answerSchema,
        schemaName: 'grounded_answer',
        maxOutputTokens: 400,
      },
      callContext('grounded_answer', request.conversationId),
    );
    if (result.outcome !== 'ok') return result;
    if (!result.value.answerable) return { outcome: 'not_in_articles' };
    const text = (result.value.answer ?? '').trim();
    const citations = checkGrounding(text, articles, request.locale, boundary);
    if (!citations) return { outcome: 'unavailable', reason: 'not_grounded' };
    return { outcome: 'answered', text, citations };
  }
}

function normaliseLink(link: string): string {
  return link
    .replace(/[.,;:!?]+$/, '')
    .replace(/\/+$/, '')
    .replace(/^https?:\/\//i, '')
    .toLowerCase();
}

/**
 * The citations of an answer when it holds to the rules, else undefined: not empty, not too
 * long, every marker in 1..articles.length (at least one), no link but the articles' own, no
 * email address, written in `locale`, and not echoing the data boundary.
 */
export function checkGrounding(
  text: string,
  articles: GroundingArticle[],
  locale: 'en' | 'fr',
  boundary: string,
): Citation[] | undefined {
  if (!text || text.length > MAX_ANSWER_CHARS || text.includes(boundary)) return undefined;
  const markers: number[] = [];
  for (const match of text.matchAll(CITATION)) {
    for (const part of (match[1] ?? '').split(',')) {
      const marker = Number(part.trim());
      if (!Number.isInteger(marker) || marker < 1 || marker > articles.length) return undefined;
      if (!markers.includes(marker)) markers.push(marker);
    }
  }
  if (markers.length === 0) return undefined;
  // Links in an article's text are data like any other, and could be planted there: the only
  // links an answer may give are the articles' own, which the user also sees on the cards.
  const allowed = new Set(articles.flatMap((a) => (a.url ? [normaliseLink(a.url)] : [])));
  if ((text.match(LINK) ?? []).some((link) => !allowed.has(normaliseLink(link)))) return undefined;
  if (EMAIL.test(text)) return undefined;
  if (detectLanguage(text.replace(CITATION, ' '), locale) !== locale) return undefined;
  return markers.map((marker) => {
    const article = articles[marker - 1];
    return { marker, key: article.key, title: article.title };
  });
}
