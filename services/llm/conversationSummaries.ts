import type { Logger } from '../logger';
import type { HandoffSummarizer, HandoffSummary, TranscriptTurn } from './handoffSummary';

/** What was said in a conversation, oldest first (the handoff transcript store). */
export interface ConversationLines {
  recent(conversationId: string, limit?: number): Promise<Array<{ from: string; text: string }>>;
}

/** Something that gets a summary once it is written: a ticket, a live handoff. */
export interface SummaryTarget {
  /** For logs: `ticket`, `handoff`. */
  kind: string;
  /** For logs: the ticket number or handoff id. */
  id: string;
  conversationId: string;
  locale: 'en' | 'fr';
  /** Stores the summary; false when the target is gone. */
  store(summary: HandoffSummary): Promise<boolean>;
}

export interface ConversationSummariesOptions {
  summarizer: HandoffSummarizer;
  transcripts: ConversationLines;
  logger: Logger;
}

const TRANSCRIPT_LINES = 40;

/**
 * Writes the two-line summary of a conversation onto what it led to (a ticket, a handoff), in
 * the background: the ticket or handoff exists first and never waits for the model. Any failure
 * (no transcript, the model unavailable or refusing, the database) leaves it without a summary.
 */
export class ConversationSummaries {
  private readonly pending = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(private readonly options: ConversationSummariesOptions) {
    this.log = options.logger.child({ component: 'conversation-summary' });
  }

  /** Starts summarising for `target`; returns at once. */
  summarizeLater(target: SummaryTarget): void {
    const work = this.summarize(target).finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  /** Waits for the summaries in progress (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async summarize(target: SummaryTarget): Promise<void> {
    const fields = { kind: target.kind, id: target.id, conversationId: target.conversationId };
    try {
      const lines = await this.options.transcripts.recent(target.conversationId, TRANSCRIPT_LINES);
      const transcript: TranscriptTurn[] = lines.map((line) => ({
        from: line.from === 'user' ? 'user' : 'bot',
        text: line.text,
      }));
      const result = await this.options.summarizer.summarize({
        transcript,
        locale: target.locale,
        conversationId: target.conversationId,
      });
      if (result.outcome !== 'ok') {
        this.log.info({ ...fields, outcome: result.outcome, reason: result.reason }, 'no summary');
        return;
      }
      const stored = await target.store(result.value);
      this.log.info({ ...fields, stored }, 'summary written');
    } catch (error) {
      this.log.warn({ err: error, ...fields }, 'summary not written');
    }
  }
}
