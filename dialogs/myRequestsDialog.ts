import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { ProductCatalogue } from '../services/catalogue';
import type { KnownContact } from '../services/identity';
import type { Logger } from '../services/logger';
import { TICKET_LIMITS, ticketFieldSchemas, type TicketService } from '../services/tickets';
import { readRequestCardAction, type RequestCardAction } from './cards/requestCards';
import { fold } from './intake/fields';
import { readYesNo } from './input';
import { RequestActions } from './requests/requestActions';
import { RequestsView } from './requests/requestsView';
import type { RequestsState } from './requests/state';
import {
  mentionedScope,
  mentionedStatus,
  readRequestsCommand,
  SCOPE_WORDS,
  STATUS_WORDS,
  ticketActionTyped,
  type Command,
} from './requests/words';
import { t, type Locale } from './texts';
import type { ConversationContextProvider } from './turnContextServices';

export const MY_REQUESTS_DIALOG = 'MyRequestsDialog';

/** Tickets per page of a list. */
export const REQUESTS_PAGE_SIZE = 5;

export interface MyRequestsOptions {
  locale: Locale;
  /** Open this ticket directly (the user typed its number, e.g. "what about HL-100042?"). */
  ticketNumber?: string | undefined;
  /** The user's words when the flow starts from free text: a ticket number, a list ("where I'm CC'd") or a status in them is used. */
  text?: string | undefined;
}

/**
 * How "My requests" ended. `new_ticket`: the user wants a new ticket that follows up a ticket
 * that can no longer be reopened; start the intake with `relatedTicketNumber`.
 */
export type MyRequestsResult =
  { outcome: 'cancelled' } | { outcome: 'refused' } | { outcome: 'new_ticket'; relatedTicketNumber: string };

export interface MyRequestsDeps {
  tickets: TicketService;
  context: ConversationContextProvider;
  catalogue: ProductCatalogue;
  logger: Logger;
  clock: () => Date;
}

/**
 * Flow D: the customer's requests. Lists (mine, copied to me, my organisation for authorized
 * contacts), a status filter and a search, five per page newest first; one ticket with its
 * timeline; and the customer's actions on it: comment, ask for escalation, "I no longer need
 * help" (after a confirmation), reopen within the policy's window, or, after it, a new ticket
 * that follows up the old one (ends with `new_ticket`). Identity is resolved again on every turn
 * and every ticket is read through the ticket service with the viewer, so another
 * organisation's ticket gets exactly the answer of a number that does not exist.
 */
export class MyRequestsDialog extends Dialog<MyRequestsOptions> {
  private readonly view: RequestsView;
  private readonly actions: RequestActions;

  constructor(private readonly deps: MyRequestsDeps) {
    super(MY_REQUESTS_DIALOG);
    this.view = new RequestsView(deps);
    this.actions = new RequestActions(deps, this.view);
  }

  override async beginDialog(dc: DialogContext, options?: MyRequestsOptions): Promise<DialogTurnResult> {
    const locale = options?.locale ?? (await this.deps.context.locale(dc.context));
    const state: RequestsState = { locale, scope: 'mine', status: 'all', page: 1, mode: 'list' };
    dc.activeDialog!.state = state;
    return await this.view.safely(dc, state, async () => {
      const known = await this.view.knownContact(dc, locale);
      if (!known) return await dc.endDialog({ outcome: 'refused' } satisfies MyRequestsResult);
      const text = options?.text?.trim() ?? '';
      const folded = fold(text);
      const scope = mentionedScope(folded);
      if (scope) state.scope = scope;
      const status = mentionedStatus(folded);
      if (status) state.status = status;
      const number = options?.ticketNumber?.trim() || this.deps.tickets.findTicketNumbers(text)[0];
      if (number) {
        const shown = await this.view.showTicket(dc, state, known, number);
        if (shown) return Dialog.EndOfTurn;
      }
      return await this.view.showList(dc, state, known);
    });
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as RequestsState;
    const activity = dc.context.activity;
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    const { locale } = state;
    const action = readRequestCardAction(activity.value);
    const text = (activity.text ?? '').trim();
    const command = action ? undefined : readRequestsCommand(text);

    if (command === 'cancel') {
      await dc.context.sendActivity(t(locale, 'requests.cancelled'));
      return await dc.endDialog({ outcome: 'cancelled' } satisfies MyRequestsResult);
    }
    if (command === 'help') {
      await dc.context.sendActivity(t(locale, 'requests.help'));
      return Dialog.EndOfTurn;
    }
    return await this.view.safely(dc, state, async () => {
      const known = await this.view.knownContact(dc, locale);
      if (!known) return await dc.endDialog({ outcome: 'refused' } satisfies MyRequestsResult);
      if (action) return await this.onCardAction(dc, state, known, action);
      if (command === 'retry' && state.pending)
        return await this.actions.perform(dc, state, known, state.pending);
      if (!text) {
        await dc.context.sendActivity(t(locale, 'requests.hint'));
        return Dialog.EndOfTurn;
      }
      switch (state.mode) {
        case 'comment':
          return await this.onCommentText(dc, state, known, text, command);
        case 'reason':
          return await this.onReasonText(dc, state, known, text, command);
        case 'confirm_comment':
        case 'confirm_resolve':
        case 'offer_new': {
          const answer = readYesNo(text);
          if (answer !== undefined) return await this.onConfirmation(dc, state, known, answer);
          if (!command && !this.deps.tickets.findTicketNumbers(text).length) {
            await dc.context.sendActivity(this.view.yesNo(locale, t(locale, 'requests.yesNo')));
            return Dialog.EndOfTurn;
          }
          // Something else entirely: the question is dropped.
          state.mode = state.number ? 'ticket' : 'list';
          delete state.draft;
          return await this.onText(dc, state, known, text, command);
        }
        case 'list':
        case 'ticket':
          return await this.onText(dc, state, known, text, command);
      }
    });
  }

  // ----- typed text -----

  private async onText(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    text: string,
    command: Command | undefined,
  ): Promise<DialogTurnResult> {
    const { locale } = state;
    const number = this.deps.tickets.findTicketNumbers(text)[0];
    if (number) {
      await this.view.showTicket(dc, state, known, number);
      return Dialog.EndOfTurn;
    }
    const folded = fold(text);
    if (command === 'next' || command === 'previous') {
      if (state.mode === 'ticket') return await this.view.showList(dc, state, known);
      if (command === 'previous' && state.page <= 1) {
        await dc.context.sendActivity(t(locale, 'requests.firstPage'));
        return Dialog.EndOfTurn;
      }
      return await this.view.showList(dc, state, known, command === 'next' ? state.page + 1 : state.page - 1);
    }
    if (command === 'back') return await this.view.showList(dc, state, known);
    if (command === 'all') {
      state.status = 'all';
      delete state.text;
      return await this.view.showList(dc, state, known, 1);
    }
    if (command === 'retry') {
      await dc.context.sendActivity(t(locale, 'requests.hint'));
      return Dialog.EndOfTurn;
    }
    const scope = SCOPE_WORDS[folded];
    if (scope) {
      state.scope = scope;
      delete state.text;
      return await this.view.showList(dc, state, known, 1);
    }
    const status = STATUS_WORDS[folded];
    if (status) {
      state.status = status;
      return await this.view.showList(dc, state, known, 1);
    }
    if (state.mode === 'ticket' && state.number) {
      const act = ticketActionTyped(locale, folded);
      if (act) return await this.onCardAction(dc, state, known, { requests: act, number: state.number });
      // Words typed while a ticket is open are most likely for support: offer to add them, never post silently.
      state.mode = 'confirm_comment';
      state.draft = text;
      await dc.context.sendActivity(
        this.view.yesNo(locale, t(locale, 'requests.confirmComment', { number: state.number })),
      );
      return Dialog.EndOfTurn;
    }
    const query = text
      .replace(/^\s*(search( for)?|find|look for|chercher|rechercher|trouver)\s+/i, '')
      .trim();
    state.text = query.slice(0, 200);
    // A new search is over all statuses: a filter chosen earlier must not hide results silently.
    state.status = mentionedStatus(fold(query)) ?? 'all';
    return await this.view.showList(dc, state, known, 1);
  }

  private async onCommentText(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    text: string,
    command: Command | undefined,
  ): Promise<DialogTurnResult> {
    if (command === 'back' || !state.number) return await this.view.backToTicket(dc, state, known);
    if (!ticketFieldSchemas.comment.safeParse(text).success) {
      await dc.context.sendActivity(
        t(state.locale, 'requests.invalidComment', { max: TICKET_LIMITS.comment.max }),
      );
      return Dialog.EndOfTurn;
    }
    return await this.actions.perform(dc, state, known, { kind: 'comment', number: state.number, text });
  }

  private async onReasonText(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    text: string,
    command: Command | undefined,
  ): Promise<DialogTurnResult> {
    if (command === 'back' || !state.number) return await this.view.backToTicket(dc, state, known);
    if (!ticketFieldSchemas.reason.safeParse(text).success) {
      await dc.context.sendActivity(
        t(state.locale, 'requests.invalidReason', { max: TICKET_LIMITS.reason.max }),
      );
      return Dialog.EndOfTurn;
    }
    return await this.actions.perform(dc, state, known, {
      kind: 'escalate',
      number: state.number,
      reason: text,
    });
  }

  private async onConfirmation(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    yes: boolean,
  ): Promise<DialogTurnResult> {
    const { locale } = state;
    const number = state.number;
    const mode = state.mode;
    const draft = state.draft;
    state.mode = 'ticket';
    delete state.draft;
    if (!number) return await this.view.showList(dc, state, known);
    if (mode === 'confirm_comment') {
      if (yes && draft)
        return await this.actions.perform(dc, state, known, { kind: 'comment', number, text: draft });
      await dc.context.sendActivity(t(locale, 'requests.commentNotAdded', { number }));
      return Dialog.EndOfTurn;
    }
    if (mode === 'confirm_resolve') {
      if (yes) return await this.actions.perform(dc, state, known, { kind: 'resolve', number });
      await dc.context.sendActivity(t(locale, 'requests.resolveKept', { number }));
      return Dialog.EndOfTurn;
    }
    if (yes) return await this.actions.startNewTicket(dc, state, known, number);
    await dc.context.sendActivity(t(locale, 'requests.newTicketDeclined', { number }));
    return Dialog.EndOfTurn;
  }

  // ----- card buttons -----

  private async onCardAction(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    action: RequestCardAction,
  ): Promise<DialogTurnResult> {
    const { locale } = state;
    delete state.draft;
    switch (action.requests) {
      case 'list':
        return await this.view.showList(dc, state, known);
      case 'page':
        state.scope = action.scope;
        state.status = action.status;
        if (action.text) state.text = action.text;
        else delete state.text;
        return await this.view.showList(dc, state, known, action.page);
      case 'scope':
        state.scope = action.scope;
        delete state.text;
        return await this.view.showList(dc, state, known, 1);
      case 'filter': {
        if (action.statusFilter) state.status = action.statusFilter;
        const search = action.searchText?.trim();
        if (search) state.text = search;
        else delete state.text;
        return await this.view.showList(dc, state, known, 1);
      }
      case 'open':
        await this.view.showTicket(dc, state, known, action.number);
        return Dialog.EndOfTurn;
      case 'comment':
      case 'escalate': {
        const typed = (action.requests === 'comment' ? action.comment : action.reason)?.trim();
        if (typed) {
          return action.requests === 'comment'
            ? await this.onCommentTyped(dc, state, known, action.number, typed)
            : await this.onReasonTyped(dc, state, known, action.number, typed);
        }
        const ticket = await this.view.visible(dc, state, known, action.number);
        if (!ticket) return Dialog.EndOfTurn;
        state.number = ticket.number;
        state.mode = action.requests === 'comment' ? 'comment' : 'reason';
        await dc.context.sendActivity(
          t(locale, action.requests === 'comment' ? 'requests.askComment' : 'requests.askReason', {
            number: ticket.number,
          }),
        );
        return Dialog.EndOfTurn;
      }
      case 'resolve': {
        const ticket = await this.view.visible(dc, state, known, action.number);
        if (!ticket) return Dialog.EndOfTurn;
        state.number = ticket.number;
        if (ticket.status === 'resolved' || ticket.status === 'closed') {
          state.mode = 'ticket';
          await this.view.sendTicket(
            dc,
            state,
            ticket,
            t(locale, 'requests.alreadyResolved', { number: ticket.number }),
          );
          return Dialog.EndOfTurn;
        }
        state.mode = 'confirm_resolve';
        await dc.context.sendActivity(
          this.view.yesNo(
            locale,
            t(locale, 'requests.confirmResolve', {
              number: ticket.number,
              days: this.deps.tickets.policy.reopenWindowDays,
            }),
          ),
        );
        return Dialog.EndOfTurn;
      }
      case 'reopen':
        return await this.actions.perform(dc, state, known, { kind: 'reopen', number: action.number });
      case 'new_ticket': {
        const ticket = await this.view.visible(dc, state, known, action.number);
        if (!ticket) return Dialog.EndOfTurn;
        return await this.actions.startNewTicket(dc, state, known, ticket.number);
      }
    }
  }

  private async onCommentTyped(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    number: string,
    text: string,
  ): Promise<DialogTurnResult> {
    state.number = number;
    state.mode = 'comment';
    return await this.onCommentText(dc, state, known, text, undefined);
  }

  private async onReasonTyped(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    number: string,
    text: string,
  ): Promise<DialogTurnResult> {
    state.number = number;
    state.mode = 'reason';
    return await this.onReasonText(dc, state, known, text, undefined);
  }
}
