import type { z } from 'zod';
import type { Prompt } from './promptLibrary';

/**
 * Why a call produced nothing usable. Every one of them means "go on without the model": the
 * caller takes its rule-based path in the same turn.
 */
export type UnavailableReason =
  /** No chat or embeddings model of that kind is configured. */
  | 'not_configured'
  /** No answer within the call's deadline (retries included). */
  | 'timeout'
  /** The service said "too many requests" (429) on every attempt. */
  | 'rate_limited'
  /** The service failed (5xx) on every attempt. */
  | 'server_error'
  /** The service rejected the request (4xx other than 429): a wrong key, model or deployment. */
  | 'rejected'
  /** The service could not be reached (refused connection, DNS, TLS). */
  | 'connection'
  /** The reply was not JSON, or was cut short. */
  | 'malformed'
  /** The reply was JSON that does not match the requested schema. */
  | 'schema_violation'
  /** The reply matched the schema but failed the service's own checks (e.g. an answer citing nothing). */
  | 'not_grounded'
  /** The budget store (MongoDB) could not be read: no call is made without knowing the budget. */
  | 'budget_unavailable';

export type RefusedReason =
  /** The model declined to answer (structured-output refusal or content filter). */
  | 'model_refusal'
  /** The conversation used its calls for today. */
  | 'conversation_budget'
  /** Helpline used its calls for today. */
  | 'daily_budget';

/** What a call to the model gave: a value, or why there is none. Never thrown. */
export type LlmResult<T> =
  | { outcome: 'ok'; value: T }
  | { outcome: 'unavailable'; reason: UnavailableReason }
  | { outcome: 'refused'; reason: RefusedReason };

/** Who a call is made for: budgets are counted per conversation, logs carry the purpose. */
export interface CallContext {
  /** The conversation the call serves; calls without one count only against the daily budget. */
  conversationId?: string;
  /** What the call is for, in logs: `grounded_answer`, `extraction`, `intent`, `handoff_summary`… */
  purpose: string;
}

/** The context of a call for `purpose`, counted against `conversationId`'s budget when there is one. */
export function callContext(purpose: string, conversationId: string | undefined): CallContext {
  return conversationId === undefined ? { purpose } : { purpose, conversationId };
}

/** One message after the system prompt. Data from users or articles goes here, delimited (see `dataBlocks`). */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * A chat completion whose answer must be JSON matching `schema` (OpenAI structured outputs,
 * `response_format: json_schema`, strict). Use `.nullable()` rather than `.optional()` in the
 * schema: strict mode requires every property.
 */
export interface StructuredRequest<S extends z.ZodType> {
  /** The system prompt, from `services/llm/prompts`; its id and version are logged. */
  prompt: Prompt;
  /** Values for the prompt's `{{placeholders}}` (not user text: that goes in `messages`). */
  promptValues?: Record<string, string>;
  messages: ChatMessage[];
  schema: S;
  /** The schema's name as sent to the service: letters, digits, _ and -. */
  schemaName: string;
  /** Upper bound on the answer's length; keeps latency and cost bounded. */
  maxOutputTokens: number;
}

/**
 * A language model as Helpline uses it: structured chat completions and embeddings.
 *
 * Implementations never throw and never let a call run past their deadline: every failure
 * (timeout, 429, 5xx, refused connection, malformed or schema-violating output, a budget
 * used up) comes back as an `unavailable` or `refused` result, so a dialog always has a
 * rule-based path to take in the same turn. They log latency, tokens and outcome of every
 * call through the injected logger, and no message text at info level.
 *
 * Implementation: `OpenAiLanguageModel` (OpenAI, Azure OpenAI, any OpenAI-compatible server).
 */
export interface LanguageModel {
  /** The chat model (or Azure deployment) name, for logs and reports. */
  readonly chatModel: string;
  /** The embeddings model (or deployment), or undefined when none is configured. */
  readonly embeddingModel: string | undefined;
  /** A chat completion parsed and validated against `request.schema`. Counts against the budgets. */
  complete<S extends z.ZodType>(
    request: StructuredRequest<S>,
    context: CallContext,
  ): Promise<LlmResult<z.output<S>>>;
  /**
   * One vector per text, in order, each L2-normalised. `unavailable('not_configured')` without
   * an embeddings model. Embeddings are cheap and are not counted against the call budgets.
   */
  embed(texts: string[], context: CallContext): Promise<LlmResult<Float32Array[]>>;
}
