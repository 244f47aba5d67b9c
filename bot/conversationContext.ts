import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { ConversationContextProvider } from '../dialogs/turnContextServices';
import type { Locale } from '../dialogs/texts';
import type { IdentityService, ResolvedIdentity } from '../services/identity';
import { LOCAL_CHANNEL_ID } from './directLine/directLineServer';
import type { DirectLineStore } from './directLine/store';
import type { BotStateStore } from './state';

const IDENTITY_CACHE = Symbol('helpline.identity');

/** Resolves language and identity for the dialogs, from trusted sources only. */
export class HostConversationContext implements ConversationContextProvider {
  constructor(
    private readonly state: BotStateStore,
    private readonly identities: IdentityService,
    private readonly directLine: DirectLineStore,
  ) {}

  /**
   * The language chosen for this conversation; until one is chosen, the page's or activity's
   * locale. Whether a message changes it is the dialogs' input layer's decision (`turnFacts`).
   */
  async locale(context: TurnContext): Promise<Locale> {
    const data = await this.state.conversationData.get(context, {});
    if (data.locale) return data.locale;
    const hint: Locale = context.activity.locale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
    if (context.activity.type !== 'message') return hint;
    data.locale = hint;
    await this.state.conversationData.set(context, data);
    return hint;
  }

  async setLocale(context: TurnContext, locale: Locale): Promise<void> {
    const data = await this.state.conversationData.get(context, {});
    data.locale = locale;
    await this.state.conversationData.set(context, data);
  }

  async rememberOpenedTicket(context: TurnContext, draftId: string, ticketNumber: string): Promise<void> {
    const data = await this.state.conversationData.get(context, {});
    const entries = Object.entries(data.openedTickets ?? {}).slice(-19);
    data.openedTickets = Object.fromEntries([...entries, [draftId, ticketNumber]]);
    await this.state.conversationData.set(context, data);
  }

  async openedTicket(context: TurnContext, draftId: string): Promise<string | undefined> {
    const data = await this.state.conversationData.get(context, {});
    return data.openedTickets?.[draftId];
  }

  async rememberHandoff(context: TurnContext, handoffId: string): Promise<void> {
    const data = await this.state.conversationData.get(context, {});
    data.handoffId = handoffId;
    await this.state.conversationData.set(context, data);
  }

  async handoffRequested(context: TurnContext): Promise<boolean> {
    const data = await this.state.conversationData.get(context, {});
    return data.handoffId !== undefined;
  }

  async forgetHandoff(context: TurnContext): Promise<void> {
    const data = await this.state.conversationData.get(context, {});
    if (data.handoffId === undefined) return;
    delete data.handoffId;
    await this.state.conversationData.set(context, data);
  }

  /** Resolved once per turn. */
  async identity(context: TurnContext): Promise<ResolvedIdentity> {
    const cached = context.turnState.get<ResolvedIdentity | undefined>(IDENTITY_CACHE);
    if (cached) return cached;
    const identity = await this.resolve(context);
    context.turnState.set(IDENTITY_CACHE, identity);
    return identity;
  }

  /** The member's email from the Teams roster; undefined when the roster cannot be read. */
  private async rosterEmail(context: TurnContext): Promise<string | undefined> {
    try {
      const member = await TeamsInfo.getMember(context, context.activity.from.id);
      return member.email ?? undefined;
    } catch {
      return undefined;
    }
  }

  private async resolve(context: TurnContext): Promise<ResolvedIdentity> {
    const activity = context.activity;
    if (activity.channelId === 'msteams') {
      const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
      const query = {
        tenantId: activity.conversation.tenantId ?? channelData?.tenant?.id,
        aadObjectId: activity.from.aadObjectId,
        email: (activity.from as { email?: string }).email,
      };
      const identity = await this.identities.resolveTeamsUser(query);
      if (identity.kind !== 'unknown' || query.email) return identity;
      // Teams activities carry no email: ask the roster, which knows the member's address.
      const email = await this.rosterEmail(context);
      return email ? await this.identities.resolveTeamsUser({ ...query, email }) : identity;
    }
    if (activity.channelId === LOCAL_CHANNEL_ID) {
      const conversation = await this.directLine.getConversation(activity.conversation.id);
      if (!conversation?.identity) return { kind: 'anonymous' };
      return await this.identities.resolveWebUser({
        subject: conversation.identity.subject,
        email: conversation.identity.email,
      });
    }
    return { kind: 'anonymous' };
  }
}
