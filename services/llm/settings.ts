/** Where the model runs. The key never leaves the server. */
export type LlmProvider =
  /** api.openai.com with an API key. */
  | { kind: 'openai'; apiKey: string }
  /** Any server speaking the OpenAI API (vLLM, Ollama, LiteLLM…); many local ones need no key. */
  | { kind: 'compatible'; baseUrl: string; apiKey: string | undefined }
  /** Azure OpenAI: models are deployments of the resource at `endpoint`. */
  | { kind: 'azure'; endpoint: string; apiKey: string; apiVersion: string };

/** The language-model settings `bot/config.ts` reads from the environment (see the README). */
export interface LlmSettings {
  provider: LlmProvider;
  /** The chat model; on Azure, the chat deployment's name. */
  chatModel: string;
  /** The embeddings model (Azure: deployment); hybrid search only when set. */
  embeddingModel: string | undefined;
  /** How embeddings are asked for: base64 (compact; OpenAI and Azure) or float (every compatible server). */
  embeddingEncoding: 'base64' | 'float';
  /** The most one call may take, retries included. */
  timeoutMs: number;
  /** Retries of a call that failed on a connection error, 408, 409, 429 or 5xx, within `timeoutMs`. */
  maxRetries: number;
  /** Chat calls one conversation may make per UTC day. */
  callsPerConversation: number;
  /** Chat calls Helpline may make per UTC day, all replicas together. */
  callsPerDay: number;
  /** Cosine similarity below which an article is not a semantic match (model-dependent). */
  embeddingMinSimilarity: number;
}
