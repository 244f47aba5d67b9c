import { createHash } from 'node:crypto';
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
      /**
       * A reference unchanged since it was saved is saved again only after this long, so that
       * "the contact's latest conversation" stays right when they use several; 10 minutes when absent.
       */
      referenceRefreshMs?: number;
      clock?: () => Date;
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
      // Without the activity id, which is new on every turn and no part of where to write.
      const where = { ...TurnContext.getConversationReference(activity) };
      delete where.activityId;
      await this.saveReferenceIfChanged(context, {
        ...where,
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

  /**
   * Most turns carry the same reference as the one before: writing it again would cost every turn
   * a database write for nothing. It is written when it changed (a new service URL, a sign-in, a
   * language), and at least every `referenceRefreshMs` while the user writes.
   */
  private async saveReferenceIfChanged(
    context: TurnContext,
    reference: ConversationReferenceInput,
  ): Promise<void> {
    const data = await this.state.conversationData.get(context, {});
    const digest = createHash('sha256').update(stableJson(reference)).digest('base64url');
    const now = (this.updates.clock?.() ?? new Date()).getTime();
    const saved = data.savedReference;
    if (saved?.digest === digest && now - saved.at < (this.updates.referenceRefreshMs ?? 600_000)) return;
    await this.updates.references.save(reference);
    data.savedReference = { digest, at: now };
    await this.state.conversationData.set(context, data);
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
    if (context.activity.type === 'message') {
      // The reads every message needs, together: the conversation's state and who is talking
      // (kept for the turn). An identity failure is met again, and handled, where it is used.
      await Promise.all([
        this.state.conversationState.load(context),
        this.conversation.identity(context).catch(() => undefined),
      ]);
    }
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

/** JSON with object keys in order, so that equal references give equal digests. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
