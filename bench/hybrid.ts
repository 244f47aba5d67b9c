/**
 * Hybrid-search benchmark: `npm run bench:hybrid -- [--json]`. Ranks the StackFAQ dev queries
 * over StackFAQ + the Adobe KB (English) with the full-text index alone and with
 * HybridKnowledgeBase (full text fused with embeddings by reciprocal rank), in the same run.
 *
 * The embeddings model is the one configured (LLM_EMBEDDING_MODEL with OPENAI_API_KEY,
 * OPENAI_BASE_URL or Azure, as for the bot): measure a model here before turning hybrid search
 * on. Without one, the test suite's OpenAI stand-in serves its hashed word/trigram embedding:
 * that exercises the whole path (client, base64, storage, fusion) but knows nothing of meaning,
 * so its quality figures are a floor, not a prediction.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../bot/config';
import { ArticleSearchIndex, type Article, type KnowledgeBase } from '../services/knowledge';
import type { EmbeddingStore } from '../services/knowledge/embeddingStore';
import { HybridKnowledgeBase } from '../services/knowledge/hybrid';
import { OpenAiLanguageModel, languageModelEmbedder, type LlmSettings } from '../services/llm';
import { createSilentLogger } from '../services/logger';
import { OpenAiStandIn } from '../test/support/openAiStandIn';
import {
  RETRIEVAL_FILES,
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

const FILES = RETRIEVAL_FILES;
function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function englishArticles(): Article[] {
  const corpus = readJsonl<CorpusDocument>(FILES.corpus);
  const distractors = readJsonl<Distractor>(FILES.distractors).filter((doc) => doc.lang === 'en');
  return benchmarkArticles(corpus, distractors);
}

/** Vectors in memory: the bench measures ranking, not MongoDB. */
class InMemoryEmbeddingStore implements EmbeddingStore {
  private readonly vectors = new Map<string, Float32Array>();
  loadAll(): Promise<Map<string, Float32Array>> {
    return Promise.resolve(new Map(this.vectors));
  }
  get(key: string): Promise<Float32Array | undefined> {
    return Promise.resolve(this.vectors.get(key));
  }
  put(key: string, _model: string, vector: Float32Array): Promise<void> {
    this.vectors.set(key, vector);
    return Promise.resolve();
  }
  prune(): Promise<number> {
    return Promise.resolve(0);
  }
}

/** The full-text index as the read-only knowledge base the decorator wraps. */
function readOnly(index: ArticleSearchIndex): KnowledgeBase {
  const refuse = (): never => {
    throw new Error('read-only in the benchmark');
  };
  return {
    search: (query, options) => Promise.resolve(index.search(query, options)),
    get: () => Promise.resolve(undefined),
    upsert: refuse,
    remove: refuse,
    size: () => index.size,
  };
}

async function evaluate(
  queries: Query[],
  search: (text: string) => Promise<string[]>,
): Promise<RankingFigures> {
  const ranked: string[][] = [];
  const latencies: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    ranked.push(await search(query.text));
    latencies.push(performance.now() - started);
  }
  return rankingFigures(queries, ranked, latencies);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const missing = Object.values(FILES).filter((file) => !existsSync(file));
  if (missing.length) {
    out(
      `bench:hybrid skipped: data not found: ${missing.join(', ')} (it lives in ../shared/data beside the project).`,
    );
    return 0;
  }
  // An entry point, like bot/index.ts: the environment is read here and nowhere below.
  const configured = loadConfig(process.env).llm;
  let standIn: OpenAiStandIn | undefined;
  let settings: LlmSettings;
  if (configured?.embeddingModel) {
    settings = configured;
  } else {
    standIn = new OpenAiStandIn({ dimensions: 256 });
    await standIn.start();
    settings = {
      provider: { kind: 'compatible', baseUrl: standIn.baseUrl(), apiKey: undefined },
      chatModel: 'none',
      embeddingModel: 'stand-in-hashed-256',
      embeddingEncoding: 'base64',
      timeoutMs: 30_000,
      maxRetries: 2,
      callsPerConversation: 1,
      callsPerDay: 1,
      embeddingMinSimilarity: 0,
    };
  }
  try {
    const model = new OpenAiLanguageModel({
      settings,
      logger: createSilentLogger(),
      // Embeddings do not count against the budget; nothing else is called here.
      budget: { take: () => Promise.resolve('ok') },
    });
    const embedder = languageModelEmbedder(model);
    if (!embedder) return 1;
    const articles = englishArticles();
    const queries = loadQueries(FILES.queries, FILES.qrels);
    const index = ArticleSearchIndex.build(articles);
    const hybrid = new HybridKnowledgeBase({
      inner: readOnly(index),
      articles: { list: () => Promise.resolve(articles) },
      store: new InMemoryEmbeddingStore(),
      embedder,
      logger: createSilentLogger(),
      minSimilarity: settings.embeddingMinSimilarity,
    });
    const started = performance.now();
    const synced = await hybrid.sync();
    const embedMs = performance.now() - started;
    if (synced.missing) {
      out(`bench:hybrid: ${synced.missing} articles could not be embedded by ${embedder.model}.`);
      return 1;
    }
    const plain = await evaluate(queries, (text) =>
      Promise.resolve(index.search(text, { locale: 'en', limit: TOP_K }).map((hit) => hit.key)),
    );
    const fused = await evaluate(queries, async (text) =>
      (await hybrid.search(text, { locale: 'en', limit: TOP_K })).map((hit) => hit.key),
    );
    const row = (name: string, f: RankingFigures): string =>
      `${name.padEnd(7)} MRR@10 ${f.mrr10.toFixed(4)}  R@1 ${f.recall1.toFixed(4)}  R@3 ${f.recall3.toFixed(4)}  ` +
      `R@5 ${f.recall5.toFixed(4)}  p50 ${f.p50Ms.toFixed(2)} ms  p99 ${f.p99Ms.toFixed(2)} ms`;
    out(
      `Corpus: ${articles.length} English articles; ${queries.length} queries; embeddings: ${embedder.model}${standIn ? ' (stand-in: hashed words and trigrams, no meaning)' : ''}.`,
    );
    out(`Embedded ${synced.embedded} articles in ${(embedMs / 1000).toFixed(1)} s.`);
    out(row('plain', plain));
    out(row('hybrid', fused));
    out(
      `MRR@10 change: ${fused.mrr10 - plain.mrr10 >= 0 ? '+' : ''}${(fused.mrr10 - plain.mrr10).toFixed(4)} (latency of hybrid includes embedding each query)`,
    );
    if (values.json)
      out(JSON.stringify({ model: embedder.model, standIn: Boolean(standIn), plain, hybrid: fused }));
    return 0;
  } finally {
    await standIn?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench:hybrid failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
