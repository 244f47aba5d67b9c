import { ConversationState, type TurnContext } from 'botbuilder';

/**
 * Conversation state with one slot per member in a Teams channel thread. The thread is the
 * conversation (its id carries the thread's first message), so each thread is its own
 * conversation; inside it, every member has their own flow, so that one member's answers, drafts
 * and card clicks never continue another member's, and a click on a card someone else was shown
 * is checked against the identity of whoever clicked. Personal chats are unchanged.
 */
export class ThreadConversationState extends ConversationState {
  override getStorageKey(context: TurnContext): string | undefined {
    const key = super.getStorageKey(context);
    const activity = context.activity;
    if (!key || activity.channelId !== 'msteams' || activity.conversation?.conversationType !== 'channel')
      return key;
    const member = activity.from?.aadObjectId ?? activity.from?.id;
    return member ? `${key}/members/${member}` : key;
  }
}
