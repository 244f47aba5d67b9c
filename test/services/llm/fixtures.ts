import type { Connection } from 'mongoose';
import { MongoCallBudget, OpenAiLanguageModel, type LlmSettings } from '../../../services/llm';
import { createLogger, createSilentLogger, type Logger } from '../../../services/logger';
import { hashedEmbedding, type OpenAiStandIn, type RecordedRequest } from '../../support/openAiStandIn';

/** Settings for a compatible server at the stand-in: short deadline, quick retries. */
export function standInSettings(standIn: OpenAiStandIn, overrides: Partial<LlmSettings> = {}): LlmSettings {
  return {
    provider: { kind: 'compatible', baseUrl: standIn.baseUrl(), apiKey: 'test-key' },
    chatModel: 'helpline-chat',
    embeddingModel: 'helpline-embed',
    embeddingEncoding: 'base64',
    timeoutMs: 2000,
    maxRetries: 2,
    callsPerConversation: 1000,
    callsPerDay: 100_000,
    embeddingMinSimilarity: 0.3,
    ...overrides,
  };
}

/** The real model on the stand-in, with a real budget in the suite's database. */
export function standInModel(
  standIn: OpenAiStandIn,
  connection: Connection,
  overrides: Partial<LlmSettings> = {},
  logger: Logger = createSilentLogger(),
  clock?: () => Date,
): OpenAiLanguageModel {
  const settings = standInSettings(standIn, overrides);
  return new OpenAiLanguageModel({
    settings,
    logger,
    budget: new MongoCallBudget({
      connection,
      logger,
      perConversation: settings.callsPerConversation,
      perDay: settings.callsPerDay,
      ...(clock && { clock }),
    }),
  });
}

/** A logger whose JSON lines a test can read. */
export function capturingLogger(level = 'info'): {
  logger: Logger;
  lines: () => Array<Record<string, unknown>>;
} {
  const raw: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void raw.push(line) } });
  return { logger, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** The content of the chat request's system and user messages. */
export function systemAndUser(request: { messages: Array<{ role: string; content: string }> }): {
  system: string;
  user: string;
} {
  return {
    system: request.messages.find((m) => m.role === 'system')?.content ?? '',
    user: request.messages
      .filter((m) => m.role === 'user')
      .map((m) => m.content)
      .join('\n'),
  };
}

/** The random data boundary named in a system prompt. */
export function boundaryOf(system: string): string {
  const match = /<<<(DATA-[0-9a-f]+)/.exec(system);
  if (!match?.[1]) throw new Error('no data boundary in the system prompt');
  return match[1];
}

/**
 * A small "semantic" embedding for these tests: each dimension is a concept that several words
 * (in English and French) express, so texts that say the same thing in other words get close
 * vectors, as with a real embeddings model.
 */
const CONCEPTS: RegExp[] = [
  /\b(dark|black|blank|noir|noire|sombre)\b/g,
  /\b(monitor|screen|display|écran|affichage)s?\b/g,
  /\b(remote|take control|viewer|session|prise de contrôle|à distance)\b/g,
  /\b(backup|restore|sauvegarde|restauration)s?\b/g,
  /\b(invoice|payment|charge|facture|paiement)s?\b/g,
  /\b(patch|update|correctif|mise à jour)e?s?\b/g,
];

export function conceptEmbedding(text: string): number[] {
  const folded = text.toLowerCase();
  const concepts = CONCEPTS.map((concept) => (folded.match(concept) ?? []).length);
  // The words themselves weigh a little too, so that texts without any concept are not all alike.
  const words = hashedEmbedding(text, 64);
  const wordsNorm = Math.hypot(...words) || 1;
  return [...concepts, ...words.map((x) => (0.3 * x) / wordsNorm)];
}

/** The `response_format` schema name of a chat request: which service asked (`grounded_answer`, `intent`…). */
export function schemaName(request: RecordedRequest): string {
  const format = request.body.response_format as { json_schema?: { name?: string } } | undefined;
  return format?.json_schema?.name ?? '';
}
