import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { TranscriptStore } from '../../services/handoff';
import type { Logger } from '../../services/logger';

/**
 * Keeps what the user and the bot say in each conversation (text, and the text blocks of cards),
 * for the transcript a handoff carries and the conversation figures. Best effort: it never costs
 * a turn, so writes are not awaited and their failures only logged.
 */
export class TranscriptRecorder implements Middleware {
  private readonly log: Logger;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: TranscriptStore,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'transcript' });
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    const conversationId = activity.conversation?.id;
    if (activity.type === 'message' && conversationId) {
      const text = (activity.text ?? '').trim();
      if (text) this.keep(conversationId, activity.channelId, 'user', text);
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        for (const sent of activities) {
          const said = textOf(sent);
          if (sent.type === 'message' && said) this.keep(conversationId, activity.channelId, 'bot', said);
        }
        return await nextSend();
      });
    }
    await next();
  }

  /** Waits for the writes in progress (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private keep(conversationId: string, channelId: string, from: 'user' | 'bot', text: string): void {
    const write = this.store
      .append(conversationId, channelId, { from, text })
      .catch((error: unknown) => this.log.debug({ err: error }, 'transcript line not kept'))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }
}

/** A message's words: its text, or the text blocks of its Adaptive Cards. */
function textOf(activity: Partial<Activity>): string {
  const parts = [activity.text ?? ''];
  for (const attachment of activity.attachments ?? []) {
    const body = (attachment.content as { body?: unknown } | undefined)?.body;
    if (Array.isArray(body)) {
      for (const element of body as Array<{ type?: unknown; text?: unknown }>) {
        if (element.type === 'TextBlock' && typeof element.text === 'string') parts.push(element.text);
      }
    }
  }
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join('\n');
}
