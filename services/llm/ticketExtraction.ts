import { z } from 'zod';
import { dataBlock, newBoundary } from './dataBlocks';
import { LANGUAGE_NAMES, type Prompt } from './promptLibrary';
import { callContext, type LanguageModel, type LlmResult } from './types';

/** The ticket fields the model may fill, named as the intake names them. */
export const EXTRACTABLE_FIELDS = [
  'module',
  'subject',
  'description',
  'expectedResult',
  'serverUrl',
  'productVersion',
  'devices',
  'stepsToReproduce',
] as const;
export type ExtractableField = (typeof EXTRACTABLE_FIELDS)[number];

export interface TicketExtractionRequest {
  /** What the user wrote so far in this conversation, oldest first (their messages only). */
  messages: string[];
  locale: 'en' | 'fr';
  /** The modules the ticket may be about: the model picks an id from these or none. */
  modules: Array<{ id: string; name: string }>;
  conversationId?: string;
}

export interface SeveritySuggestion {
  severity: 1 | 2 | 3 | 4;
  /** One line, in the user's language, saying why. */
  reason: string;
}

export interface ExtractedProblem {
  subject: string;
  description: string;
}

/**
 * What the model found, as candidates only. Each candidate is written as a user would type the
 * answer to that field's question (devices as one "SN: …, device: …" line each), so the intake
 * runs it through the very rule that checks a typed answer: a candidate that passes fills the
 * field, one that fails is dropped and the field is asked as usual.
 */
export interface TicketExtraction {
  candidates: Partial<Record<ExtractableField, string>>;
  /** A suggestion to show with the severity question, never an answer to it. */
  severity?: SeveritySuggestion;
  /** Two or more when the messages describe distinct problems (one ticket each); otherwise empty. */
  problems: ExtractedProblem[];
}

/** Fills ticket fields from what a user wrote. Never throws. */
export interface TicketFieldExtractor {
  extract(request: TicketExtractionRequest): Promise<LlmResult<TicketExtraction>>;
}

const MAX_MESSAGES = 12;
const MAX_MESSAGE_CHARS = 4000;
const MAX_PROBLEMS = 5;
const MAX_REASON_CHARS = 200;

// Types only: lengths and formats are the intake's rules, applied to the candidates, so a value
// out of bounds costs that one field and not the whole extraction.
const extractionSchema = z.object({
  module: z.string().nullable(),
  subject: z.string().nullable(),
  description: z.string().nullable(),
  expectedResult: z.string().nullable(),
  serverUrl: z.string().nullable(),
  productVersion: z.string().nullable(),
  devices: z.array(z.object({ serialNumber: z.string(), deviceNumber: z.string() })),
  stepsToReproduce: z.string().nullable(),
  severity: z.object({ level: z.number().int(), reason: z.string() }).nullable(),
  problems: z.array(z.object({ subject: z.string(), description: z.string() })),
});
type RawExtraction = z.output<typeof extractionSchema>;

/**
 * Ticket-field extraction through a `LanguageModel`, with zod-typed structured output. Beyond
 * the intake's own rules, it drops what the model could only have invented: a module outside
 * the given list, and a server address, version or device number that the user never wrote.
 */
export class LanguageModelTicketFieldExtractor implements TicketFieldExtractor {
  constructor(
    private readonly model: LanguageModel,
    private readonly prompt: Prompt,
  ) {}

  async extract(request: TicketExtractionRequest): Promise<LlmResult<TicketExtraction>> {
    const messages = request.messages
      .map((m) => m.trim())
      .filter(Boolean)
      .slice(-MAX_MESSAGES);
    if (messages.length === 0) return { outcome: 'ok', value: { candidates: {}, problems: [] } };
    const boundary = newBoundary();
    const blocks = messages.map((text, i) =>
      dataBlock(boundary, 'message', { number: i + 1 }, text, MAX_MESSAGE_CHARS),
    );
    const result = await this.model.complete(
      {
        prompt: this.prompt,
        promptValues: {
          modules: request.modules.map((m) => `${m.id} (${m.name})`).join(', '),
          language: LANGUAGE_NAMES[request.locale],
          boundary,
        },
        messages: [{ role: 'user', content: `The user's messages:\n\n${blocks.join('\n\n')}` }],
        schema: extractionSchema,
        schemaName: 'ticket_fields',
        maxOutputTokens: 900,
      },
      callContext('extraction', request.conversationId),
    );
    if (result.outcome !== 'ok') return result;
    return { outcome: 'ok', value: keepWhatTheUserWrote(result.value, messages.join('\n'), request.modules) };
  }
}

/** The model's fields as candidates, minus anything it cannot have read in `conversation`. */
export function keepWhatTheUserWrote(
  raw: RawExtraction,
  conversation: string,
  modules: Array<{ id: string }>,
): TicketExtraction {
  const written = squeeze(conversation).toLowerCase();
  const verbatim = (value: string): boolean => written.includes(squeeze(value).toLowerCase());
  const candidates: Partial<Record<ExtractableField, string>> = {};
  const put = (field: ExtractableField, value: string | null, mustBeWritten = false): void => {
    const text = value?.trim();
    if (!text) return;
    if (mustBeWritten && !verbatim(text)) return;
    candidates[field] = text;
  };
  if (raw.module && modules.some((m) => m.id === raw.module?.trim())) put('module', raw.module);
  put('subject', raw.subject ? squeeze(raw.subject) : null);
  put('description', raw.description);
  put('expectedResult', raw.expectedResult);
  put('serverUrl', raw.serverUrl?.trim().replace(/\/+$/, '') ?? null, true);
  put('productVersion', raw.productVersion, true);
  put('stepsToReproduce', raw.stepsToReproduce);
  const devices = raw.devices
    .map((d) => ({ serial: d.serialNumber.trim(), device: d.deviceNumber.trim() }))
    .filter((d) => d.serial && d.device && verbatim(d.serial) && verbatim(d.device));
  // All or nothing: a list with an invented pair in it is not the user's list.
  if (devices.length && devices.length === raw.devices.length) {
    candidates.devices = devices.map((d) => `SN: ${d.serial}, device: ${d.device}`).join('\n');
  }
  const extraction: TicketExtraction = { candidates, problems: [] };
  const level = raw.severity?.level;
  const reason = squeeze(raw.severity?.reason ?? '');
  if ((level === 1 || level === 2 || level === 3 || level === 4) && reason) {
    extraction.severity = {
      severity: level,
      reason: reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason,
    };
  }
  const problems = raw.problems
    .map((p) => ({ subject: squeeze(p.subject), description: p.description.trim() }))
    .filter((p) => p.subject && p.description);
  if (problems.length >= 2) extraction.problems = problems.slice(0, MAX_PROBLEMS);
  return extraction;
}

function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
