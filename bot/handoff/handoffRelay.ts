import { EventFactory, MessageFactory, type Middleware, type TurnContext } from 'botbuilder';
import { ticketOfferCard } from '../../dialogs/cards/handoffCards';
import { readCommand } from '../../dialogs/intake/fields';
import { t } from '../../dialogs/texts';
import { isDatabaseUnavailable } from '../../services/errors';
import type { HandoffService, HandoffUserChannel, HandoffUserMessage } from '../../services/handoff';
import type { Logger } from '../../services/logger';
import type { ConversationContextProvider } from '../../dialogs/turnContextServices';
import type { ProactiveSend } from './proactive';

/** Words that leave a live conversation with support (besides "cancel"). */
const LEAVE_WORDS = /^(end|stop|quit|leave|end chat|terminer|arrêter|arreter|quitter|fin)$/i;

/**
 * While a conversation is handed over, the user's messages go to the agent instead of the
 * dialogs; "cancel" (or "end", "quitter"…) leaves. Card buttons always reach the dialogs.
 */
export class HandoffRelay implements Middleware {
  private readonly log: Logger;

  constructor(
    private readonly handoffs: HandoffService,
    logger: Logger,
    /** Tells which conversations asked for a person: the others cost no lookup. */
    private readonly context?: ConversationContextProvider,
  ) {
    this.log = logger.child({ component: 'handoff-relay' });
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    const text = (activity.text ?? '').trim();
    if (activity.type !== 'message' || !text || activity.value !== undefined) return await next();
    const conversationId = activity.conversation.id;
    try {
      if (this.context?.handoffRequested && !(await this.context.handoffRequested(context)))
        return await next();
      const live = await this.handoffs.activeFor(conversationId);
      if (!live) {
        await this.context?.forgetHandoff?.(context);
        return await next();
      }
      if (readCommand(text) === 'cancel' || LEAVE_WORDS.test(text)) {
        const ended = await this.handoffs.end(live.id, { kind: 'user' });
        if (ended.kind === 'ended') {
          await context.sendActivity(
            EventFactory.createHandoffStatus(activity.conversation, 'completed', 'ended_by_user'),
          );
          await context.sendActivity(t(live.locale, 'handoff.left'));
          return;
        }
        return await next();
      }
      const relayed = await this.handoffs.userMessage(conversationId, text);
      if (relayed.kind === 'none') return await next();
      if (relayed.kind === 'waiting') await context.sendActivity(t(live.locale, 'handoff.waiting'));
      // relayed: the agent sees it in the console; timed_out: the user has just been told.
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.log.warn({ err: error }, 'handoff state unreadable; the dialogs answer this turn');
      await next();
    }
  }
}

/**
 * The user's side of handoff changes: a `handoff.status` event on each change and a message in
 * the user's language; an agent's words as plain text (never markup).
 */
export function createHandoffUserChannel(send: ProactiveSend): HandoffUserChannel {
  return async (message: HandoffUserMessage) => {
    const { handoff } = message;
    const locale = handoff.locale;
    await send(handoff.conversationId, async (context) => {
      if (message.kind === 'agent_message') {
        const reply = MessageFactory.text(`${message.agentName}: ${message.text}`);
        reply.textFormat = 'plain';
        await context.sendActivity(reply);
        return;
      }
      await context.sendActivity(
        EventFactory.createHandoffStatus(context.activity.conversation, message.state, handoff.outcome),
      );
      const agent = handoff.agent?.name ?? t(locale, 'handoff.transcriptAgent');
      if (message.state === 'accepted') {
        await context.sendActivity(t(locale, 'handoff.accepted', { agent }));
      } else if (message.state === 'completed') {
        await context.sendActivity(
          handoff.ticketNumber
            ? t(locale, 'handoff.converted', { agent, number: handoff.ticketNumber })
            : t(locale, 'handoff.endedByAgent', { agent }),
        );
      } else {
        const text =
          handoff.outcome === 'timed_out' ? t(locale, 'handoff.timedOut') : t(locale, 'handoff.failed');
        await context.sendActivity(MessageFactory.attachment(ticketOfferCard(locale, text, handoff.id)));
      }
    });
  };
}
