import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { isAppError, isDatabaseUnavailable } from '../../services/errors';
import { t } from '../texts';
import type { KnownContact } from '../../services/identity';
import { confirmCreated, yesNoActivity } from './messages';
import { toTicketInput } from './submission';
import type { IntakeState } from './transitions';
import { USER_TOLD_UNAVAILABLE, type TicketIntakeDeps, type TicketIntakeResult } from './types';

/**
 * Opens the draft's ticket, exactly once: the draft id is the idempotency key, so a repeated
 * or concurrent Submit gets the same ticket. `undefined` when the draft is not complete (the
 * dialog asks what is missing). A database outage keeps the draft and says so kindly.
 */
export async function openTicket(
  dc: DialogContext,
  state: IntakeState,
  deps: Pick<TicketIntakeDeps, 'tickets' | 'context' | 'logger'>,
): Promise<DialogTurnResult | undefined> {
  const { locale } = state;
  const input = toTicketInput(state.draft, {
    requesterContactId: state.contactId,
    channel: dc.context.activity.channelId === 'msteams' ? 'msteams' : 'webchat',
    locale,
    conversationRefId: dc.context.activity.conversation.id,
    articlesTried: state.articlesTried,
    relatedTicketNumber: state.relatedTicketNumber,
  });
  if (!input) return undefined;
  try {
    const { ticket, created } = await deps.tickets.create(input, state.draftId);
    await deps.context.rememberOpenedTicket(dc.context, state.draftId, ticket.number);
    await confirmCreated(dc.context, locale, ticket, created);
    return await dc.endDialog({ outcome: 'opened', number: ticket.number } satisfies TicketIntakeResult);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      deps.logger.warn({ err: error, draftId: state.draftId }, 'ticket not opened: database unavailable');
      dc.context.turnState.set(USER_TOLD_UNAVAILABLE, true);
      await dc.context.sendActivity(t(locale, 'intake.unavailable'));
      return Dialog.EndOfTurn;
    }
    if (isAppError(error) && error.code === 'forbidden') {
      await dc.context.sendActivity(t(locale, 'intake.forbidden'));
      return await dc.endDialog({ outcome: 'refused' } satisfies TicketIntakeResult);
    }
    throw error;
  }
}

/** The answer to "Shall I send that request?" for a contact who may not open tickets. */
export async function answerAccessRequest(
  dc: DialogContext,
  state: IntakeState,
  answer: boolean,
  deps: Pick<TicketIntakeDeps, 'identities' | 'context'>,
): Promise<DialogTurnResult> {
  if (answer) {
    const identity = await deps.context.identity(dc.context);
    const { created } = await deps.identities.requestAccess({
      contactId: state.contactId,
      ...(identity.kind === 'contact' && { organisationId: identity.organisation.id }),
      channel: dc.context.activity.channelId,
      message: 'Asked to become an authorized contact from the ticket intake.',
      // One request per answering activity, however often the channel delivers it.
      idempotencyKey: `access-${dc.context.activity.conversation.id}-${dc.context.activity.id ?? state.draftId}`,
    });
    await dc.context.sendActivity(
      t(state.locale, created ? 'intake.accessRequestSent' : 'access.alreadyPending'),
    );
  } else {
    await dc.context.sendActivity(t(state.locale, 'intake.accessRequestSkipped'));
  }
  return await dc.endDialog({ outcome: 'refused' } satisfies TicketIntakeResult);
}

/** A contact who may not open tickets: why, and (when only authorization is missing) an access request offered. */
export async function refuse(
  dc: DialogContext,
  state: IntakeState,
  identity: KnownContact,
): Promise<DialogTurnResult> {
  const { locale } = state;
  if (identity.reason === 'no_support_plan') {
    const manager = identity.organisation.accountManager.name;
    await dc.context.sendActivity(t(locale, 'intake.noSupportPlan', { manager }));
    return await dc.endDialog({ outcome: 'refused' } satisfies TicketIntakeResult);
  }
  await dc.context.sendActivity(
    t(locale, 'intake.notAuthorized', { organisation: identity.organisation.name }),
  );
  if (dc.activeDialog) dc.activeDialog.state = { ...state, mode: 'access_request' } satisfies IntakeState;
  await dc.context.sendActivity(yesNoActivity(locale, t(locale, 'intake.accessRequestAsk')));
  return Dialog.EndOfTurn;
}
