/** The retrieval reference data of ../shared/data, as the search benchmarks read it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Article } from '../services/knowledge';

const DATA = path.resolve(__dirname, '..', '..', 'shared', 'data');

/** StackFAQ (BEIR format) and the Adobe Commerce KB as distractors. */
export const RETRIEVAL_FILES = {
  corpus: path.join(DATA, 'retrieval', 'stackfaq-corpus.jsonl'),
  queries: path.join(DATA, 'retrieval', 'stackfaq-queries.dev.jsonl'),
  qrels: path.join(DATA, 'retrieval', 'stackfaq-qrels.dev.tsv'),
  distractors: path.join(DATA, 'kb', 'adobe-commerce-kb.en-fr.jsonl'),
};

export interface Query {
  id: string;
  text: string;
  relevant: Set<string>;
}

export interface CorpusDocument {
  _id: string;
  title?: string;
  text: string;
}

export interface Distractor {
  id: string;
  lang: 'en' | 'fr';
  title: string;
  description: string;
  category: string;
  body: string;
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

/** The queries that have at least one relevant document, with those documents' ids. */
export function loadQueries(queriesFile: string, qrelsFile: string): Query[] {
  const relevant = new Map<string, Set<string>>();
  for (const line of readFileSync(qrelsFile, 'utf8').split('\n').slice(1)) {
    const [queryId, corpusId, score] = line.trim().split('\t');
    if (!queryId || !corpusId || Number(score) <= 0) continue;
    if (!relevant.has(queryId)) relevant.set(queryId, new Set());
    relevant.get(queryId)?.add(corpusId);
  }
  return readJsonl<{ _id: string; text: string }>(queriesFile)
    .filter((q) => relevant.has(q._id))
    .map((q) => ({ id: q._id, text: q.text, relevant: relevant.get(q._id) ?? new Set<string>() }));
}

/** Corpus documents (English, keyed by their id) and distractors (keyed `kb/<id>`) as articles. */
export function benchmarkArticles(corpus: CorpusDocument[], distractors: Distractor[]): Article[] {
  return [
    ...corpus.map((doc): Article => ({
      key: doc._id,
      locale: 'en',
      title: doc.title ?? '',
      summary: '',
      body: doc.text,
      module: 'corpus',
      tags: [],
      updatedAt: new Date(0),
    })),
    ...distractors.map((doc): Article => ({
      key: `kb/${doc.id}`,
      locale: doc.lang,
      title: doc.title,
      summary: doc.description,
      body: doc.body,
      module: doc.category,
      tags: [],
      updatedAt: new Date(0),
    })),
  ];
}

export const TOP_K = 10;

/** Ranking quality over the top 10, and latency. */
export interface RankingFigures {
  mrr10: number;
  recall1: number;
  recall3: number;
  recall5: number;
  p50Ms: number;
  p99Ms: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The figures of a run: for each query, the ids ranked, and its latency. */
export function rankingFigures(queries: Query[], ranked: string[][], latenciesMs: number[]): RankingFigures {
  let rr = 0;
  const found = { 1: 0, 3: 0, 5: 0 };
  queries.forEach((query, i) => {
    const rank = (ranked[i] ?? []).slice(0, TOP_K).findIndex((id) => query.relevant.has(id));
    if (rank < 0) return;
    rr += 1 / (rank + 1);
    if (rank < 1) found[1]++;
    if (rank < 3) found[3]++;
    if (rank < 5) found[5]++;
  });
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const n = queries.length || 1;
  return {
    mrr10: rr / n,
    recall1: found[1] / n,
    recall3: found[3] / n,
    recall5: found[5] / n,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}
