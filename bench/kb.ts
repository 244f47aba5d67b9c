/**
 * Knowledge-base search benchmark: `npm run bench:kb -- [--corpus F] [--queries F] [--qrels F]
 * [--distractors F|none] [--json]`. Indexes a BEIR corpus (plus distractor articles) with the
 * bot's own ArticleSearchIndex and with a plain BM25 yardstick, and reports ranking quality,
 * latency, build time and heap for both; then a French check on the distractor KB.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ArticleSearchIndex } from '../services/knowledge';
import { Bm25Index } from './bm25';
import {
  RETRIEVAL_FILES as DEFAULTS,
  TOP_K,
  rankingFigures,
  type RankingFigures,
  benchmarkArticles,
  loadQueries,
  readJsonl,
  type CorpusDocument,
  type Distractor,
  type Query,
} from './retrievalData';
interface Figures extends RankingFigures {
  buildMs: number;
  heapMB: number;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  return typeof gc === 'function' ? (gc as () => void) : () => undefined;
})();

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

function evaluate(queries: Query[], search: (text: string) => string[]): RankingFigures {
  for (const query of queries.slice(0, 50)) search(query.text);
  const ranked: string[][] = [];
  const latencies: number[] = [];
  for (const query of queries) {
    // The median of three runs of each query: one scheduler hiccup or GC pause on a shared
    // machine should not stand for the query's cost (both systems are measured alike).
    const runs: number[] = [];
    let ids: string[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      ids = search(query.text);
      runs.push(performance.now() - started);
    }
    latencies.push(runs.sort((a, b) => a - b)[1] ?? 0);
    ranked.push(ids);
  }
  return rankingFigures(queries, ranked, latencies);
}

function round(figures: Figures): Figures {
  const r = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
  return {
    mrr10: r(figures.mrr10, 4),
    recall1: r(figures.recall1, 4),
    recall3: r(figures.recall3, 4),
    recall5: r(figures.recall5, 4),
    p50Ms: r(figures.p50Ms, 3),
    p99Ms: r(figures.p99Ms, 3),
    buildMs: r(figures.buildMs, 1),
    heapMB: r(figures.heapMB, 1),
  };
}

function main(): number {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      queries: { type: 'string' },
      qrels: { type: 'string' },
      distractors: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const files = {
    corpus: values.corpus ?? DEFAULTS.corpus,
    queries: values.queries ?? DEFAULTS.queries,
    qrels: values.qrels ?? DEFAULTS.qrels,
    distractors: values.distractors ?? DEFAULTS.distractors,
  };
  const withDistractors = files.distractors !== '' && files.distractors !== 'none';
  const missing = Object.entries(files)
    .filter(([name, file]) => (name !== 'distractors' || withDistractors) && !existsSync(file))
    .map(([name, file]) => `${name} (${file})`);
  if (missing.length) {
    out(`bench:kb skipped: data not found: ${missing.join(', ')}.`);
    out(
      'The reference data lives in ../shared/data beside the project; pass --corpus/--queries/--qrels/--distractors to use other files.',
    );
    return 0;
  }

  const corpus = readJsonl<CorpusDocument>(files.corpus);
  const distractors = withDistractors ? readJsonl<Distractor>(files.distractors) : [];
  const queries = loadQueries(files.queries, files.qrels);

  const articles = benchmarkArticles(corpus, distractors);

  // Ours: the bot's index and search code, unchanged.
  let heapBefore = heapUsed();
  let started = performance.now();
  const index = ArticleSearchIndex.build(articles);
  const oursBuildMs = performance.now() - started;
  const oursHeapMB = (heapUsed() - heapBefore) / 2 ** 20;
  const ours = evaluate(queries, (text) =>
    index.search(text, { locale: 'en', limit: TOP_K }).map((hit) => hit.key),
  );

  // Baseline: plain BM25 over the same articles, title + summary + body as one text.
  heapBefore = heapUsed();
  started = performance.now();
  const bm25 = new Bm25Index(
    articles.map((a) => ({ id: `${a.locale}:${a.key}`, text: `${a.title}\n${a.summary}\n${a.body}` })),
  );
  const baseBuildMs = performance.now() - started;
  const baseHeapMB = (heapUsed() - heapBefore) / 2 ** 20;
  const baseline = evaluate(queries, (text) =>
    bm25.search(text, TOP_K).map((hit) => hit.id.slice(hit.id.indexOf(':') + 1)),
  );

  // French: each French KB article's description should bring back that article.
  const french = distractors.filter((doc) => doc.lang === 'fr' && doc.description.trim());
  let frenchFound = 0;
  for (const doc of french) {
    const hits = index.search(doc.description, { locale: 'fr', limit: 3 });
    if (hits.some((hit) => hit.key === `kb/${doc.id}` && hit.locale === 'fr')) frenchFound++;
  }
  const frenchRecall3 = french.length ? frenchFound / french.length : null;

  const result = {
    ours: round({ ...ours, buildMs: oursBuildMs, heapMB: oursHeapMB }),
    baseline: round({ ...baseline, buildMs: baseBuildMs, heapMB: baseHeapMB }),
    frenchRecall3: frenchRecall3 === null ? null : Math.round(frenchRecall3 * 10_000) / 10_000,
  };

  out(`Corpus: ${corpus.length} documents + ${distractors.length} distractors; ${queries.length} queries.`);
  const row = (name: string, f: Figures): string =>
    `${name.padEnd(9)} MRR@10 ${f.mrr10.toFixed(4)}  R@1 ${f.recall1.toFixed(4)}  R@3 ${f.recall3.toFixed(4)}  ` +
    `R@5 ${f.recall5.toFixed(4)}  p50 ${f.p50Ms.toFixed(3)} ms  p99 ${f.p99Ms.toFixed(3)} ms  ` +
    `build ${f.buildMs.toFixed(0)} ms  heap ${f.heapMB.toFixed(1)} MB`;
  out(row('ours', result.ours));
  out(row('bm25', result.baseline));
  out(`MRR@10 gain over BM25: ${(result.ours.mrr10 - result.baseline.mrr10).toFixed(4)}`);
  out(
    frenchRecall3 === null
      ? 'French check: skipped (no French articles among the distractors).'
      : `French check (${french.length} descriptions as queries): Recall@3 ${frenchRecall3.toFixed(4)}`,
  );
  if (values.json) out(JSON.stringify(result));
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`bench:kb failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
