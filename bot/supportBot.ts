import {
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AppBasedLinkQuery,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
} from 'botbuilder';
import { isAppError, isDatabaseUnavailable } from '../services/errors';
import {
  type ConversationReferenceInput,
  type ConversationReferenceStore,
  type Notifier,
} from '../services/notifications';
import { renderTicketUpdate } from '../dialogs/notificationText';
import { welcomeCard } from '../dialogs/cards/welcomeCard';
import { teamWelcomeCard } from '../dialogs/cards/teamsCards';
import { toLocale } from '../dialogs/texts';
import type { AccessRequestActions } from '../dialogs/accessRequestDialog';
import type { MainDialog } from '../dialogs/mainDialog';
import type { ConversationContextProvider } from '../dialogs/turnContextServices';
import type { BotStateStore } from './state';
import type { TeamsInvokes } from './teams/teamsInvokes';

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
    /** Compose-box search and link unfurling in Teams; without it those invokes answer "not implemented". */
    private readonly teams?: TeamsInvokes,
    /** Approve / Decline on access request cards, whatever dialog is in progress. */
    private readonly access?: AccessRequestActions,
  ) {
    super();

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      const added = context.activity.membersAdded ?? [];
      const botAdded = added.some((m) => m.id === botId);
      const personal = (context.activity.conversation.conversationType ?? 'personal') === 'personal';
      // In a personal chat, its user (or the app) arriving; in a team or group chat, only the app
      // itself being added: a new colleague joining the team is no reason to post in a channel.
      const welcome = personal ? added.some((m) => m.id !== botId) || botAdded : botAdded;
      if (welcome) {
        const data = await this.state.conversationData.get(context, {});
        if (!data.welcomed) {
          const locale = await this.conversation.locale(context);
          const card = personal ? welcomeCard(locale) : teamWelcomeCard(locale);
          await context.sendActivity(MessageFactory.attachment(card));
          data.welcomed = true;
          await this.state.conversationData.set(context, data);
        }
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      // In a channel Teams writes "<at>Helpline</at>" into the text: the dialogs read the rest.
      if (context.activity.channelId === 'msteams' && context.activity.text) {
        TurnContext.removeRecipientMention(context.activity);
      }
      await this.rememberAndCatchUp(context);
      if (!(await this.access?.handle(context))) await this.mainDialog.run(context, this.state.dialogState);
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

  protected override async handleTeamsMessagingExtensionQuery(
    context: TurnContext,
    query: MessagingExtensionQuery,
  ): Promise<MessagingExtensionResponse> {
    if (!this.teams) return await super.handleTeamsMessagingExtensionQuery(context, query);
    return await this.teams.searchArticles(query, toLocale(context.activity.locale));
  }

  protected override async handleTeamsMessagingExtensionSelectItem(
    context: TurnContext,
    query: unknown,
  ): Promise<MessagingExtensionResponse> {
    if (!this.teams) return await super.handleTeamsMessagingExtensionSelectItem(context, query);
    return await this.teams.selectArticle(query, toLocale(context.activity.locale));
  }

  protected override async handleTeamsAppBasedLinkQuery(
    context: TurnContext,
    query: AppBasedLinkQuery,
  ): Promise<MessagingExtensionResponse> {
    if (!this.teams) return await super.handleTeamsAppBasedLinkQuery(context, query);
    return await this.teams.unfurl(query, toLocale(context.activity.locale), () =>
      this.conversation.identity(context),
    );
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
