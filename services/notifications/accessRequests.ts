import type { AccessRequest, IdentityService } from '../identity';
import type { Logger } from '../logger';
import type { ConversationReferenceRecord, ConversationReferenceStore } from './conversationReferences';

/** What Helpline says about an access request, rendered by the bot host. */
export type AccessMessage =
  | { kind: 'request'; request: AccessRequest; requesterName: string; organisationName: string }
  | { kind: 'outcome'; request: AccessRequest };

export type AccessDeliverFunction = (
  reference: ConversationReferenceRecord,
  message: AccessMessage,
) => Promise<void>;

export interface AccessRequestNotifierOptions {
  identities: IdentityService;
  references: ConversationReferenceStore;
  deliver: AccessDeliverFunction;
  logger: Logger;
}

/**
 * Tells an organisation's authorized contacts about a new access request (in the conversation
 * each last used; the others see it in My requests), and the requester about the decision.
 * Never throws: a delivery that fails is logged, the request stays open in My requests.
 */
export class AccessRequestNotifier {
  private readonly log: Logger;

  constructor(private readonly options: AccessRequestNotifierOptions) {
    this.log = options.logger.child({ component: 'access-notifications' });
  }

  /** Returns how many authorized contacts were reached. */
  async requested(request: AccessRequest): Promise<number> {
    if (!request.organisationId) return 0;
    const organisation = await this.options.identities.getOrganisation(request.organisationId);
    const requester = request.contactId
      ? await this.options.identities.getContact(request.contactId)
      : undefined;
    const approvers = (await this.options.identities.authorizedContacts(request.organisationId)).filter(
      (c) => c.id !== request.contactId,
    );
    let reached = 0;
    for (const approver of approvers) {
      const ok = await this.send(approver.id, {
        kind: 'request',
        request,
        requesterName: requester?.name ?? request.email ?? '',
        organisationName: organisation?.name ?? request.organisationId,
      });
      if (ok) reached++;
    }
    this.log.info(
      { accessRequestId: request.id, approvers: approvers.length, reached },
      'access request announced',
    );
    return reached;
  }

  async decided(request: AccessRequest): Promise<boolean> {
    if (!request.contactId) return false;
    return await this.send(request.contactId, { kind: 'outcome', request });
  }

  private async send(contactId: string, message: AccessMessage): Promise<boolean> {
    try {
      const reference = await this.options.references.latestForContact(contactId);
      if (!reference) return false;
      await this.options.deliver(reference, message);
      return true;
    } catch (error) {
      this.log.warn(
        { err: error, accessRequestId: message.request.id },
        'access request message not delivered',
      );
      return false;
    }
  }
}
