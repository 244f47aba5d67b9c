import { createHash, randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { KnownContact } from '../../services/identity';
import { viewerFromContact, type Ticket } from '../../services/tickets';
import { formatWhen } from '../cards/requestCards';
import { t, type TextKey } from '../texts';
import type { MyRequestsDeps, MyRequestsResult } from '../myRequestsDialog';
import type { PendingAction, RequestsState } from './state';
import type { RequestsView } from './requestsView';

/**
 * The customer's changes to a ticket (comment, escalation request, resolve, reopen, a follow-up
 * ticket), each through the ticket service with the viewer; a database failure keeps the
 * change for "try again".
 */
export class RequestActions {
  constructor(
    private readonly deps: MyRequestsDeps,
    private readonly view: RequestsView,
  ) {}

  // ----- actions on a ticket -----

  /** Runs one change through the ticket service; a database failure keeps it for "try again". */
  async perform(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    action: PendingAction,
  ): Promise<DialogTurnResult> {
    const { locale } = state;
    const viewer = viewerFromContact(known);
    const { number } = action;
    // A redelivered activity (or "try again" after an outage) carries the same key: done once.
    action = { ...action, key: action.key ?? actionKeyFor(dc.context.activity, action.kind) };
    const keyed = { idempotencyKey: action.key };
    state.mode = 'ticket';
    state.number = number;
    state.pending = action;
    const days = this.deps.tickets.policy.reopenWindowDays;
    switch (action.kind) {
      case 'comment': {
        const result = await this.deps.tickets.addComment(
          number,
          { kind: 'customer', viewer },
          action.text,
          keyed,
        );
        delete state.pending;
        if (result.kind === 'ok') {
          const last = result.ticket.timeline.at(-1);
          const replied = last?.type === 'status_changed' && last.data.reason === 'customer_replied';
          await this.view.sendTicket(
            dc,
            state,
            result.ticket,
            t(locale, replied ? 'requests.commentAddedReplied' : 'requests.commentAdded', {
              number: result.ticket.number,
            }),
          );
          return Dialog.EndOfTurn;
        }
        if (result.kind === 'not_found') return await this.view.notFound(dc, state, number);
        return await this.notAllowed(dc, state, result.ticket);
      }
      case 'escalate': {
        const result = await this.deps.tickets.requestEscalation(number, viewer, action.reason, keyed);
        delete state.pending;
        if (result.kind === 'ok') {
          await this.view.sendTicket(
            dc,
            state,
            result.ticket,
            t(locale, 'requests.escalationDone', { number: result.ticket.number }),
          );
          return Dialog.EndOfTurn;
        }
        if (result.kind === 'not_found') return await this.view.notFound(dc, state, number);
        return await this.notAllowed(dc, state, result.ticket);
      }
      case 'resolve': {
        const result = await this.deps.tickets.resolveByCustomer(number, viewer, keyed);
        delete state.pending;
        if (result.kind === 'not_found') return await this.view.notFound(dc, state, number);
        const key: TextKey = result.kind === 'ok' ? 'requests.resolvedDone' : 'requests.alreadyResolved';
        await this.view.sendTicket(
          dc,
          state,
          result.ticket,
          t(locale, key, { number: result.ticket.number, days }),
        );
        return Dialog.EndOfTurn;
      }
      case 'reopen': {
        const result = await this.deps.tickets.reopen(number, viewer, undefined, keyed);
        delete state.pending;
        switch (result.kind) {
          case 'ok':
            await this.view.sendTicket(
              dc,
              state,
              result.ticket,
              t(locale, 'requests.reopened', { number: result.ticket.number }),
            );
            return Dialog.EndOfTurn;
          case 'not_found':
            return await this.view.notFound(dc, state, number);
          case 'not_resolved':
            await this.view.sendTicket(
              dc,
              state,
              result.ticket,
              t(locale, 'requests.notResolved', { number: result.ticket.number }),
            );
            return Dialog.EndOfTurn;
          case 'reopen_window_passed': {
            state.mode = 'offer_new';
            state.number = result.ticket.number;
            const message = result.resolvedAt
              ? t(locale, 'requests.reopenWindowPassed', {
                  number: result.ticket.number,
                  when: formatWhen(result.resolvedAt, locale),
                  days,
                })
              : t(locale, 'requests.closedOfferNew', { number: result.ticket.number });
            await dc.context.sendActivity(this.view.yesNo(locale, message));
            return Dialog.EndOfTurn;
          }
        }
      }
    }
  }

  async notAllowed(dc: DialogContext, state: RequestsState, ticket: Ticket): Promise<DialogTurnResult> {
    const { locale } = state;
    if (ticket.status === 'closed') {
      state.mode = 'offer_new';
      state.number = ticket.number;
      await dc.context.sendActivity(
        this.view.yesNo(locale, t(locale, 'requests.notAllowedClosed', { number: ticket.number })),
      );
      return Dialog.EndOfTurn;
    }
    await this.view.sendTicket(
      dc,
      state,
      ticket,
      t(locale, 'requests.notAllowedResolved', { number: ticket.number }),
    );
    return Dialog.EndOfTurn;
  }

  async startNewTicket(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    number: string,
  ): Promise<DialogTurnResult> {
    // The number came from state or a card: confirm the viewer may still see it before linking it.
    const ticket = await this.view.visible(dc, state, known, number);
    if (!ticket) return Dialog.EndOfTurn;
    return await dc.endDialog({
      outcome: 'new_ticket',
      relatedTicketNumber: ticket.number,
    } satisfies MyRequestsResult);
  }
}

/** One action asked for by one activity: its channel, conversation and id. */
function actionKeyFor(activity: Partial<Activity>, kind: string): string {
  const origin = `${activity.channelId}|${activity.conversation?.id}|${activity.id ?? randomUUID()}`;
  return `${kind}-${createHash('sha256').update(origin).digest('hex')}`;
}
