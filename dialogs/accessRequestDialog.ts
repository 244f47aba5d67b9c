import { MessageFactory, type TurnContext } from 'botbuilder';
import type { AccessRequest, IdentityService } from '../services/identity';
import type { Logger } from '../services/logger';
import { accessRequestCard, readAccessRequestAction } from './cards/accessRequestCards';
import { t, type Locale } from './texts';
import type { ConversationContextProvider } from './turnContextServices';

export interface AccessRequestActionsDeps {
  identities: IdentityService;
  context: ConversationContextProvider;
  logger: Logger;
}

/**
 * Access requests in chat, for an organisation's authorized contacts: the Approve / Decline
 * buttons of a request card (answered whatever dialog is in progress, which carries on), and
 * the open requests shown when they open My requests.
 */
export class AccessRequestActions {
  private readonly log: Logger;

  constructor(private readonly deps: AccessRequestActionsDeps) {
    this.log = deps.logger.child({ component: 'access-requests' });
  }

  /** Handles an Approve / Decline press; false when the activity is something else. */
  async handle(context: TurnContext): Promise<boolean> {
    const action = readAccessRequestAction(context.activity.value);
    if (!action) return false;
    const locale = await this.deps.context.locale(context);
    const identity = await this.deps.context.identity(context);
    if (identity.kind !== 'contact') {
      await context.sendActivity(t(locale, 'access.notAllowed'));
      return true;
    }
    const result = await this.deps.identities.decideAccessRequest(
      action.requestId,
      action.decision === 'approve' ? 'granted' : 'declined',
      { kind: 'contact', id: identity.contact.id, name: identity.contact.name },
    );
    switch (result.kind) {
      case 'not_found':
        await context.sendActivity(t(locale, 'access.notFound'));
        break;
      case 'not_allowed':
        await context.sendActivity(t(locale, 'access.notAllowed'));
        break;
      case 'already_decided':
        await context.sendActivity(
          t(locale, 'access.alreadyDecided', {
            status: statusText(result.request, locale),
            by: result.request.decidedBy?.name ?? '',
          }),
        );
        break;
      case 'decided': {
        const name = await this.requesterName(result.request);
        await context.sendActivity(
          t(locale, result.request.status === 'granted' ? 'access.approvedByYou' : 'access.declinedByYou', {
            name,
          }),
        );
        this.log.info(
          { accessRequestId: result.request.id, status: result.request.status },
          'decided in chat',
        );
        break;
      }
    }
    return true;
  }

  /** For an authorized contact: the organisation's open requests, each with its buttons. */
  async showOpenRequests(context: TurnContext, locale: Locale): Promise<void> {
    const identity = await this.deps.context.identity(context);
    if (identity.kind !== 'contact' || !identity.contact.authorized) return;
    const open = (await this.deps.identities.listAccessRequests(identity.organisation.id)).filter(
      (r) => r.status === 'open' && r.contactId !== identity.contact.id,
    );
    if (!open.length) return;
    const cards = [];
    for (const request of open.slice(0, 10)) {
      cards.push(
        accessRequestCard(
          {
            request,
            requesterName: await this.requesterName(request),
            organisationName: identity.organisation.name,
          },
          locale,
        ),
      );
    }
    await context.sendActivity(MessageFactory.list(cards, t(locale, 'access.pendingIntro')));
  }

  private async requesterName(request: AccessRequest): Promise<string> {
    const contact = request.contactId ? await this.deps.identities.getContact(request.contactId) : undefined;
    return contact?.name ?? request.email ?? '';
  }
}

function statusText(request: AccessRequest, locale: Locale): string {
  return t(locale, request.status === 'granted' ? 'access.statusGranted' : 'access.statusDeclined');
}
