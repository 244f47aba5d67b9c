import { z } from 'zod';
import { dataBlock, newBoundary } from './dataBlocks';
import { LANGUAGE_NAMES, type Prompt } from './promptLibrary';
import { callContext, type LanguageModel, type LlmResult } from './types';

export interface TranscriptTurn {
  from: 'user' | 'bot';
  text: string;
}

export interface HandoffSummaryRequest {
  /** The conversation, oldest first; only its latest turns are read. */
  transcript: TranscriptTurn[];
  /** The language the support engineer reads. */
  locale: 'en' | 'fr';
  conversationId?: string;
}

/** Two lines for the engineer: the problem, then where things stand. Plain text. */
export interface HandoffSummary {
  problem: string;
  status: string;
}

/** Summarises a conversation for the person who takes it over. Never throws. */
export interface HandoffSummarizer {
  summarize(request: HandoffSummaryRequest): Promise<LlmResult<HandoffSummary>>;
}

const MAX_TURNS = 40;
const MAX_TURN_CHARS = 1000;
const MAX_TRANSCRIPT_CHARS = 12_000;
export const MAX_SUMMARY_LINE_CHARS = 200;

const summarySchema = z.object({ line1: z.string(), line2: z.string() });

export class LanguageModelHandoffSummarizer implements HandoffSummarizer {
  constructor(
    private readonly model: LanguageModel,
    private readonly prompt: Prompt,
  ) {}

  async summarize(request: HandoffSummaryRequest): Promise<LlmResult<HandoffSummary>> {
    const boundary = newBoundary();
    const blocks: string[] = [];
    let size = 0;
    // The latest turns matter most: walk back from the end until the transcript is full.
    for (const turn of request.transcript.slice(-MAX_TURNS).reverse()) {
      if (!turn.text.trim()) continue;
      const block = dataBlock(boundary, turn.from, {}, turn.text, MAX_TURN_CHARS);
      if (size + block.length > MAX_TRANSCRIPT_CHARS) break;
      size += block.length;
      blocks.unshift(block);
    }
    if (blocks.length === 0) return { outcome: 'unavailable', reason: 'not_grounded' };
    const result = await this.model.complete(
      {
        prompt: this.prompt,
        promptValues: { language: LANGUAGE_NAMES[request.locale], boundary },
        messages: [{ role: 'user', content: `The conversation:\n\n${blocks.join('\n\n')}` }],
        schema: summarySchema,
        schemaName: 'handoff_summary',
        maxOutputTokens: 200,
      },
      callContext('handoff_summary', request.conversationId),
    );
    if (result.outcome !== 'ok') return result;
    const problem = oneLine(result.value.line1);
    const status = oneLine(result.value.line2);
    if (!problem || !status || problem.includes(boundary) || status.includes(boundary)) {
      return { outcome: 'unavailable', reason: 'not_grounded' };
    }
    return { outcome: 'ok', value: { problem, status } };
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= MAX_SUMMARY_LINE_CHARS) return line;
  const cut = line.slice(0, MAX_SUMMARY_LINE_CHARS - 1).replace(/\s+\S*$/, '');
  return `${cut}…`;
}
