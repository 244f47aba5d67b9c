import { MessageFactory, TeamsActivityHandler, TurnContext } from 'botbuilder';
import { isAppError, isDatabaseUnavailable } from '../services/errors';
import {
  type ConversationReferenceInput,
  type ConversationReferenceStore,
  type Notifier,
} from '../services/notifications';
import { renderTicketUpdate } from '../dialogs/notificationText';
import { welcomeCard } from '../dialogs/cards/welcomeCard';
import type { MainDialog } from '../dialogs/mainDialog';
import type { ConversationContextProvider } from '../dialogs/turnContextServices';
import type { BotStateStore } from './state';

/**
 * The thin bot: maps activity types to behaviour and runs MainDialog. Routing lives in the
 * dialogs; state is saved once, at the end of the turn.
 */
export class SupportBot extends TeamsActivityHandler {
  constructor(
    private readonly state: BotStateStore,
    private readonly mainDialog: MainDialog,
    private readonly conversation: ConversationContextProvider,
    private readonly updates: {
      references: ConversationReferenceStore;
      notifier: Notifier;
      reopenWindowDays: number;
    },
  ) {
    super();

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      const joined = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
      if (joined.length) {
        const data = await this.state.conversationData.get(context, {});
        if (!data.welcomed) {
          const locale = await this.conversation.locale(context);
          await context.sendActivity(MessageFactory.attachment(welcomeCard(locale)));
          data.welcomed = true;
          await this.state.conversationData.set(context, data);
        }
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.rememberAndCatchUp(context);
      await this.mainDialog.run(context, this.state.dialogState);
      await next();
    });
  }

  /**
   * Keeps the conversation reference that ticket notifications go through, and shows the
   * updates that could not be delivered while the user was away. Neither may cost the turn.
   */
  private async rememberAndCatchUp(context: TurnContext): Promise<void> {
    try {
      const identity = await this.conversation.identity(context);
      const contactId = identity.kind === 'contact' ? identity.contact.id : undefined;
      const locale = await this.conversation.locale(context);
      const activity = context.activity;
      await this.updates.references.save({
        ...TurnContext.getConversationReference(activity),
        id: activity.conversation.id,
        ...(contactId && { contactId }),
        locale,
      } as ConversationReferenceInput);
      if (!contactId) return;
      const pending = await this.updates.notifier.takePending(contactId);
      for (const update of pending)
        await context.sendActivity(renderTicketUpdate(update, this.updates.reopenWindowDays));
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
    }
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    try {
      await this.state.saveChanges(context);
    } catch (error) {
      // Another turn of this conversation (a repeated delivery, a double click) saved first;
      // its state wins and this turn's answer has already been given.
      if (isAppError(error) && error.code === 'conflict') return;
      throw error;
    }
  }
}
