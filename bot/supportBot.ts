import { MessageFactory, TeamsActivityHandler, type TurnContext } from 'botbuilder';
import { isAppError } from '../services/errors';
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
      await this.mainDialog.run(context, this.state.dialogState);
      await next();
    });
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
