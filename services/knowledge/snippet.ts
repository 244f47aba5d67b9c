import type { Analyzer } from './analysis';

const MAX_SNIPPET = 200;
/** Only the start of a long article is scanned: it bounds the cost per hit, and the opening usually says what the article is about. */
const SCAN_LIMIT = 3000;
const WORD = /[\p{L}\p{N}]+/gu;

interface Passage {
  text: string;
  matched: Set<string>;
}

/** One passage of an article's scanned text, with the index term of each of its words (null for a stop word). */
export interface AnalysedPassage {
  text: string;
  terms: ReadonlyArray<string | null>;
}

/**
 * The passages `buildSnippet` scans, split and analysed once per article (when it is indexed)
 * rather than on every search that finds it.
 */
export function analysePassages(text: string, analyzer: Analyzer): AnalysedPassage[] {
  return splitPassages(text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text).map((passage) => ({
    text: passage,
    terms: (passage.match(WORD) ?? []).map((word) => analyzer.term(word)),
  }));
}

/**
 * The passage of `text` that holds the most distinct matched terms, cut to about 200
 * characters around its first match, with the words in it that matched (as written).
 * Falls back to the summary when the body has no matched word.
 */
export function buildSnippet(
  text: string,
  summary: string,
  matchedTerms: ReadonlySet<string>,
  analyzer: Analyzer,
  /** `analysePassages(text, analyzer)`, when the caller kept it. */
  passages: readonly AnalysedPassage[] = analysePassages(text, analyzer),
): { snippet: string; terms: string[] } {
  let best: Passage | undefined;
  for (const passage of passages) {
    const matched = new Set<string>();
    for (const term of passage.terms) {
      if (term && matchedTerms.has(term)) matched.add(term);
    }
    if (matched.size && (!best || matched.size > best.matched.size)) best = { text: passage.text, matched };
    if (best && best.matched.size === matchedTerms.size) break;
  }
  const chosen = best ? window(best.text, matchedTerms, analyzer) : truncate(summary, MAX_SNIPPET);
  return { snippet: chosen, terms: surfaceTerms(chosen, matchedTerms, analyzer) };
}

function splitPassages(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+(?=[\p{Lu}\d«"“(])/u)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function window(passage: string, matchedTerms: ReadonlySet<string>, analyzer: Analyzer): string {
  if (passage.length <= MAX_SNIPPET) return passage;
  let first = 0;
  for (const match of passage.matchAll(WORD)) {
    const term = analyzer.term(match[0]);
    if (term && matchedTerms.has(term)) {
      first = match.index;
      break;
    }
  }
  let start = Math.max(0, first - 60);
  if (start > 0) {
    const space = passage.indexOf(' ', start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  const piece = truncate(passage.slice(start), MAX_SNIPPET - (start > 0 ? 1 : 0));
  return start > 0 ? `…${piece}` : piece;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function surfaceTerms(snippet: string, matchedTerms: ReadonlySet<string>, analyzer: Analyzer): string[] {
  const words = new Set<string>();
  for (const word of snippet.match(WORD) ?? []) {
    const term = analyzer.term(word);
    if (term && matchedTerms.has(term)) words.add(word);
  }
  return [...words];
}
