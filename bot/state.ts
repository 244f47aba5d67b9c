import {
  type ConversationState,
  type StatePropertyAccessor,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { GiveUpCounter } from '../dialogs/giveUp';
import type { Locale } from '../dialogs/texts';
import { ThreadConversationState } from './teams/threadState';

/** What Helpline remembers about one conversation. */
export interface ConversationData {
  locale?: Locale;
  /** True once the welcome card was shown, so a re-added member is not greeted twice. */
  welcomed?: boolean;
  /** Tickets opened in this conversation by draft id (the newest few). */
  openedTickets?: Record<string, string>;
  /**
   * The conversation reference last saved for this conversation: a digest of its fields and when.
   * A turn whose reference is the same, saved recently, does not write it again.
   */
  savedReference?: { digest: string; at: number };
  /** The handoff this conversation asked for, until a turn finds it no longer live. */
  handoffId?: string;
}

/**
 * The bot's state and its accessors, created once. State is saved in exactly one place,
 * `saveChanges`, at the end of each turn (SupportBot.run). Who the user is comes from the
 * identity service on every turn, so there is no per-user bot state.
 */
export class BotStateStore {
  readonly conversationState: ConversationState;
  readonly dialogState: StatePropertyAccessor<DialogState>;
  readonly conversationData: StatePropertyAccessor<ConversationData>;
  /** Where the bot gave up lately (dialogs/giveUp.ts). */
  readonly giveUp: StatePropertyAccessor<GiveUpCounter>;

  constructor(storage: Storage) {
    this.conversationState = new ThreadConversationState(storage);
    this.dialogState = this.conversationState.createProperty<DialogState>('dialogState');
    this.conversationData = this.conversationState.createProperty<ConversationData>('conversationData');
    this.giveUp = this.conversationState.createProperty<GiveUpCounter>('giveUp');
  }

  async saveChanges(context: TurnContext): Promise<void> {
    await this.conversationState.saveChanges(context, false);
  }
}
