import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AzureOpenAI,
} from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import type { Logger } from '../logger';
import type { CallBudget } from './callBudget';
import { renderPrompt } from './promptLibrary';
import type { LlmProvider, LlmSettings } from './settings';
import type {
  CallContext,
  LanguageModel,
  LlmResult,
  RefusedReason,
  StructuredRequest,
  UnavailableReason,
} from './types';

export interface OpenAiLanguageModelOptions {
  settings: LlmSettings;
  budget: CallBudget;
  logger: Logger;
}

/** Inputs per embeddings request; Azure's older API versions accept at most 16. */
const EMBEDDING_BATCH = { azure: 16, other: 64 } as const;
/** About 2,000 tokens: below every embeddings model's input limit, and enough to say what an article is about. */
const MAX_EMBEDDING_INPUT_CHARS = 8000;

type Failure =
  { outcome: 'unavailable'; reason: UnavailableReason } | { outcome: 'refused'; reason: RefusedReason };

/**
 * Builds the official client for the provider, with every option given explicitly so that
 * nothing is read from the environment behind `bot/config.ts`'s back, and the client's own
 * console logging off (this class logs).
 */
export function createOpenAiClient(
  provider: LlmProvider,
  settings: Pick<LlmSettings, 'timeoutMs' | 'maxRetries'>,
): OpenAI {
  const common = {
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    organization: null,
    project: null,
    webhookSecret: null,
    adminAPIKey: null,
    logLevel: 'off' as const,
  };
  switch (provider.kind) {
    case 'azure':
      return new AzureOpenAI({
        ...common,
        endpoint: provider.endpoint,
        apiKey: provider.apiKey,
        apiVersion: provider.apiVersion,
      });
    case 'compatible':
      // Local servers often need no key, but the client insists on one: any placeholder does.
      return new OpenAI({ ...common, baseURL: provider.baseUrl, apiKey: provider.apiKey ?? 'no-key' });
    case 'openai':
      return new OpenAI({ ...common, baseURL: 'https://api.openai.com/v1', apiKey: provider.apiKey });
  }
}

/**
 * The `LanguageModel` on the official `openai` client: OpenAI, Azure OpenAI (models are
 * deployments), or any OpenAI-compatible server. Structured answers use
 * `chat.completions.parse` with a zod response format; the client's own retries (connection
 * errors, 408, 409, 429, 5xx) run inside one deadline per call, after which the call is
 * abandoned, whatever the server or a `Retry-After` header says.
 */
export class OpenAiLanguageModel implements LanguageModel {
  readonly chatModel: string;
  readonly embeddingModel: string | undefined;
  private readonly client: OpenAI;
  private readonly logger: Logger;

  constructor(
    private readonly options: OpenAiLanguageModelOptions,
    client?: OpenAI,
  ) {
    const { settings } = options;
    this.chatModel = settings.chatModel;
    this.embeddingModel = settings.embeddingModel;
    this.client = client ?? createOpenAiClient(settings.provider, settings);
    this.logger = options.logger.child({ component: 'llm' });
  }

  async complete<S extends z.ZodType>(
    request: StructuredRequest<S>,
    context: CallContext,
  ): Promise<LlmResult<z.output<S>>> {
    const started = Date.now();
    const fields = {
      purpose: context.purpose,
      model: this.chatModel,
      prompt: request.prompt.id,
      promptVersion: request.prompt.version,
      ...(context.conversationId !== undefined && { conversationId: context.conversationId }),
    };
    const system = renderPrompt(request.prompt, request.promptValues);
    const compatible = this.options.settings.provider.kind === 'compatible';

    const run = await withinDeadline(this.options.settings.timeoutMs, async (signal) => {
      let verdict;
      try {
        verdict = await this.options.budget.take(context.conversationId);
      } catch (error) {
        return { failure: { outcome: 'unavailable', reason: 'budget_unavailable' } as Failure, error };
      }
      if (verdict !== 'ok') return { failure: { outcome: 'refused', reason: verdict } as Failure };
      const completion = await this.client.chat.completions.parse(
        {
          model: this.chatModel,
          messages: [{ role: 'system', content: system }, ...request.messages],
          response_format: zodResponseFormat(request.schema, request.schemaName),
          // Older compatible servers know only max_tokens; OpenAI's newer models only the other.
          ...(compatible
            ? { max_tokens: request.maxOutputTokens }
            : { max_completion_tokens: request.maxOutputTokens }),
        },
        { signal, timeout: this.remaining(started), maxRetries: this.options.settings.maxRetries },
      );
      return { completion };
    });

    if (run.kind === 'deadline')
      return this.fail(fields, started, { outcome: 'unavailable', reason: 'timeout' });
    if (run.kind === 'error') return this.fail(fields, started, failureOf(run.error), run.error);
    const { failure, completion, error } = run.value as {
      failure?: Failure;
      completion?: Awaited<ReturnType<OpenAI['chat']['completions']['parse']>>;
      error?: unknown;
    };
    if (failure || !completion) {
      return this.fail(fields, started, failure ?? { outcome: 'unavailable', reason: 'malformed' }, error);
    }
    const usage = {
      inputTokens: completion.usage?.prompt_tokens,
      outputTokens: completion.usage?.completion_tokens,
    };
    const message = completion.choices[0]?.message;
    if (message?.refusal) {
      return this.fail({ ...fields, ...usage }, started, { outcome: 'refused', reason: 'model_refusal' });
    }
    const parsed = message?.parsed as z.output<S> | null | undefined;
    if (parsed === null || parsed === undefined) {
      return this.fail({ ...fields, ...usage }, started, { outcome: 'unavailable', reason: 'malformed' });
    }
    this.logger.info({ ...fields, ...usage, outcome: 'ok', ms: Date.now() - started }, 'llm call');
    return { outcome: 'ok', value: parsed };
  }

  async embed(texts: string[], context: CallContext): Promise<LlmResult<Float32Array[]>> {
    const model = this.embeddingModel;
    if (model === undefined) return { outcome: 'unavailable', reason: 'not_configured' };
    const vectors: Float32Array[] = [];
    const batch =
      this.options.settings.provider.kind === 'azure' ? EMBEDDING_BATCH.azure : EMBEDDING_BATCH.other;
    for (let start = 0; start < texts.length; start += batch) {
      const part = texts.slice(start, start + batch);
      const result = await this.embedBatch(model, part, context);
      if (result.outcome !== 'ok') return result;
      vectors.push(...result.value);
    }
    return { outcome: 'ok', value: vectors };
  }

  private async embedBatch(
    model: string,
    texts: string[],
    context: CallContext,
  ): Promise<LlmResult<Float32Array[]>> {
    const started = Date.now();
    const fields = { purpose: context.purpose, model, inputs: texts.length };
    const encoding = this.options.settings.embeddingEncoding;
    const run = await withinDeadline(
      this.options.settings.timeoutMs,
      async (signal) =>
        await this.client.embeddings.create(
          {
            model,
            input: texts.map((text) =>
              text.length > MAX_EMBEDDING_INPUT_CHARS ? text.slice(0, MAX_EMBEDDING_INPUT_CHARS) : text,
            ),
            encoding_format: encoding,
          },
          { signal, timeout: this.remaining(started), maxRetries: this.options.settings.maxRetries },
        ),
    );
    if (run.kind === 'deadline')
      return this.fail(fields, started, { outcome: 'unavailable', reason: 'timeout' });
    if (run.kind === 'error') return this.fail(fields, started, failureOf(run.error), run.error);
    const response = run.value;
    const vectors = decodeEmbeddings(response.data, texts.length);
    if (!vectors) return this.fail(fields, started, { outcome: 'unavailable', reason: 'malformed' });
    this.logger.info(
      {
        ...fields,
        inputTokens: response.usage?.prompt_tokens,
        dimensions: vectors[0]?.length,
        outcome: 'ok',
        ms: Date.now() - started,
      },
      'llm call',
    );
    return { outcome: 'ok', value: vectors };
  }

  private remaining(started: number): number {
    return Math.max(1, this.options.settings.timeoutMs - (Date.now() - started));
  }

  private fail(fields: Record<string, unknown>, started: number, failure: Failure, error?: unknown): Failure {
    const line = { ...fields, outcome: failure.outcome, reason: failure.reason, ms: Date.now() - started };
    this.logger.warn(
      error === undefined ? line : { ...line, error: { name: errorName(error), status: statusOf(error) } },
      'llm call',
    );
    if (error !== undefined) this.logger.debug({ ...fields, err: error }, 'llm call failure detail');
    return failure;
  }
}

type Deadlined<T> = { kind: 'value'; value: T } | { kind: 'error'; error: unknown } | { kind: 'deadline' };

/**
 * Runs `work` with a signal that aborts at the deadline, and stops waiting then. The client's
 * sleep between retries does not listen to the signal, so the race (not the abort) is what
 * bounds the time; the abandoned attempt ends on its own, its result ignored.
 */
async function withinDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<Deadlined<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Deadlined<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ kind: 'deadline' });
    }, ms);
  });
  const settled = work(controller.signal).then(
    (value): Deadlined<T> => ({ kind: 'value', value }),
    (error: unknown): Deadlined<T> => ({ kind: 'error', error }),
  );
  try {
    return await Promise.race([settled, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The result a thrown error stands for. */
function failureOf(error: unknown): Failure {
  if (error instanceof APIUserAbortError || error instanceof APIConnectionTimeoutError)
    return { outcome: 'unavailable', reason: 'timeout' };
  if (error instanceof APIConnectionError) return { outcome: 'unavailable', reason: 'connection' };
  if (error instanceof APIError) {
    const status: number = typeof error.status === 'number' ? error.status : 0;
    if (status === 429) return { outcome: 'unavailable', reason: 'rate_limited' };
    if (status === 408) return { outcome: 'unavailable', reason: 'timeout' };
    if (status >= 500) return { outcome: 'unavailable', reason: 'server_error' };
    return { outcome: 'unavailable', reason: 'rejected' };
  }
  if (error instanceof ContentFilterFinishReasonError) return { outcome: 'refused', reason: 'model_refusal' };
  if (error instanceof LengthFinishReasonError) return { outcome: 'unavailable', reason: 'malformed' };
  if (errorName(error) === 'ZodError') return { outcome: 'unavailable', reason: 'schema_violation' };
  return { outcome: 'unavailable', reason: 'malformed' };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.constructor.name || error.name : typeof error;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof APIError && typeof error.status === 'number' ? error.status : undefined;
}

/**
 * The vectors of an embeddings response, in input order and L2-normalised, whether the server
 * sent base64 (little-endian float32, as OpenAI does) or arrays of numbers; undefined when the
 * response is not one finite vector of one common length per input.
 */
export function decodeEmbeddings(
  data: ReadonlyArray<{ embedding: unknown; index?: number }>,
  expected: number,
): Float32Array[] | undefined {
  if (data.length !== expected) return undefined;
  const vectors: Array<Float32Array | undefined> = new Array<Float32Array | undefined>(expected);
  for (const [position, item] of data.entries()) {
    const index = typeof item.index === 'number' ? item.index : position;
    const vector = toVector(item.embedding);
    if (!vector || index < 0 || index >= expected || vectors[index]) return undefined;
    vectors[index] = vector;
  }
  const dimensions = vectors[0]?.length;
  if (!dimensions || vectors.some((v) => !v || v.length !== dimensions)) return undefined;
  return vectors as Float32Array[];
}

function toVector(embedding: unknown): Float32Array | undefined {
  let vector: Float32Array;
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    if (bytes.length === 0 || bytes.length % 4 !== 0) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  } else if (
    Array.isArray(embedding) &&
    embedding.length > 0 &&
    embedding.every((x) => typeof x === 'number')
  ) {
    vector = Float32Array.from(embedding);
  } else {
    return undefined;
  }
  let norm = 0;
  for (const x of vector) {
    if (!Number.isFinite(x)) return undefined;
    norm += x * x;
  }
  if (norm === 0) return undefined;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) * scale;
  return vector;
}
