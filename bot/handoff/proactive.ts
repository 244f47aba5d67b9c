import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ConversationReferenceStore } from '../../services/notifications';

/** Runs `logic` in a conversation Helpline stored a reference for (a proactive turn). */
export type ProactiveSend = (
  conversationId: string,
  logic: (context: TurnContext) => Promise<void>,
) => Promise<void>;

export interface ProactiveSenderOptions {
  references: ConversationReferenceStore;
  /** The adapter of the local Direct Line and its connector URL in this process. */
  local: () => { adapter: CloudAdapter; serviceUrl: string };
  /** The Bot Framework adapter (Teams, Azure Bot Service) and the bot's app id. */
  cloud: () => { adapter: CloudAdapter; appId: string };
}

/**
 * Proactive sends through the stored reference, on Teams and web chat alike. The local Direct
 * Line's connector secret belongs to the process: a reference another process stored is pointed
 * at this one's, so any Helpline process can write to any conversation.
 */
export function createProactiveSender(options: ProactiveSenderOptions): ProactiveSend {
  return async (conversationId, logic) => {
    const reference = await options.references.get(conversationId);
    if (!reference) throw Object.assign(new Error('no conversation reference'), { statusCode: 404 });
    const isLocal = reference.serviceUrl.includes('/directline/connector/');
    if (isLocal) {
      const { adapter, serviceUrl } = options.local();
      await adapter.continueConversationAsync(
        '',
        { ...reference, serviceUrl } as Partial<ConversationReference>,
        logic,
      );
    } else {
      const { adapter, appId } = options.cloud();
      await adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, logic);
    }
  };
}
