import {
  ConversationState,
  UserState,
  type StatePropertyAccessor,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Locale } from '../dialogs/texts';

/** What Helpline remembers about one conversation. */
export interface ConversationData {
  locale?: Locale;
  /** True once the welcome card was shown, so a re-added member is not greeted twice. */
  welcomed?: boolean;
  /** Tickets opened in this conversation by draft id (the newest few). */
  openedTickets?: Record<string, string>;
}

/** What Helpline remembers about one user across conversations. */
export interface UserProfile {
  locale?: Locale;
}

/**
 * The bot's state and its accessors, created once. State is saved in exactly one place,
 * `saveChanges`, at the end of each turn (SupportBot.run).
 */
export class BotStateStore {
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  readonly dialogState: StatePropertyAccessor<DialogState>;
  readonly conversationData: StatePropertyAccessor<ConversationData>;
  readonly userProfile: StatePropertyAccessor<UserProfile>;

  constructor(storage: Storage) {
    this.conversationState = new ConversationState(storage);
    this.userState = new UserState(storage);
    this.dialogState = this.conversationState.createProperty<DialogState>('dialogState');
    this.conversationData = this.conversationState.createProperty<ConversationData>('conversationData');
    this.userProfile = this.userState.createProperty<UserProfile>('userProfile');
  }

  async saveChanges(context: TurnContext): Promise<void> {
    await Promise.all([
      this.conversationState.saveChanges(context, false),
      this.userState.saveChanges(context, false),
    ]);
  }
}
