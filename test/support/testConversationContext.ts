import type { TurnContext } from 'botbuilder';
import type { Locale } from '../../dialogs/texts';
import type { ConversationContextProvider } from '../../dialogs/turnContextServices';
import {
  DEMO_CONTACTS,
  DEMO_ORGANISATIONS,
  type DemoContactName,
  type IdentityService,
  type ResolvedIdentity,
} from '../../services/identity';

/** Who the test user is: a demo contact, an anonymous visitor, or a signed-in user who is no one's contact. */
export type TestUser = DemoContactName | 'anonymous' | { unknownEmail: string };

/**
 * The host's conversation context for dialog tests: a fixed language (until the dialog
 * changes it), the identity a demo user gets from the real identity service, resolved as the
 * host would for the activity's channel (Teams: tenant and AAD object id; otherwise the signed
 * web user token's subject), and the tickets each draft opened, per conversation, in memory.
 */
export class TestConversationContext implements ConversationContextProvider {
  private current: Locale;
  private readonly opened = new Map<string, string>();

  constructor(
    private readonly identities: IdentityService,
    private readonly user: TestUser,
    locale: Locale = 'en',
  ) {
    this.current = locale;
  }

  locale(_context: TurnContext): Promise<Locale> {
    return Promise.resolve(this.current);
  }

  setLocale(_context: TurnContext, locale: Locale): Promise<void> {
    this.current = locale;
    return Promise.resolve();
  }

  rememberOpenedTicket(context: TurnContext, draftId: string, ticketNumber: string): Promise<void> {
    this.opened.set(`${context.activity.conversation.id}/${draftId}`, ticketNumber);
    return Promise.resolve();
  }

  openedTicket(context: TurnContext, draftId: string): Promise<string | undefined> {
    return Promise.resolve(this.opened.get(`${context.activity.conversation.id}/${draftId}`));
  }

  async identity(context: TurnContext): Promise<ResolvedIdentity> {
    const user = this.user;
    if (user === 'anonymous') return { kind: 'anonymous' };
    const teams = context.activity.channelId === 'msteams';
    if (typeof user === 'object') {
      return teams
        ? await this.identities.resolveTeamsUser({
            tenantId: 'tenant-nobody',
            aadObjectId: 'aad-nobody',
            email: user.unknownEmail,
          })
        : await this.identities.resolveWebUser({
            subject: `web-${user.unknownEmail}`,
            email: user.unknownEmail,
          });
    }
    const contact = DEMO_CONTACTS[user];
    if (!teams)
      return await this.identities.resolveWebUser({ subject: contact.webSubject, email: contact.email });
    const organisation = Object.values(DEMO_ORGANISATIONS).find((org) => org.id === contact.organisationId);
    return await this.identities.resolveTeamsUser({
      tenantId: organisation?.teamsTenantIds[0],
      aadObjectId: contact.aadObjectId,
      email: contact.email,
    });
  }
}
