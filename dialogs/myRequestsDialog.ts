import { MessageFactory, type Activity, type Attachment } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { ProductCatalogue } from '../services/catalogue';
import { isDatabaseUnavailable } from '../services/errors';
import type { KnownContact } from '../services/identity';
import type { Logger } from '../services/logger';
import {
  TICKET_LIMITS,
  ticketFieldSchemas,
  viewerFromContact,
  type Ticket,
  type TicketService,
} from '../services/tickets';
import {
  formatWhen,
  readRequestCardAction,
  requestListCard,
  STATUSES_OF_FILTER,
  ticketCard,
  type RequestCardAction,
  type RequestScope,
  type RequestStatusFilter,
} from './cards/requestCards';
import { imBack } from './cards/actions';
import { fold } from './intake/fields';
import { readCommand, readYesNo } from './input';
import { t, type Locale, type TextKey } from './texts';
import { USER_TOLD_UNAVAILABLE } from './ticketIntakeDialog';
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

type Mode = 'list' | 'ticket' | 'comment' | 'reason' | 'confirm_comment' | 'confirm_resolve' | 'offer_new';

/** An action the database did not take; kept so that "try again" sends it without retyping. */
type PendingAction =
  | { kind: 'comment'; number: string; text: string }
  | { kind: 'escalate'; number: string; reason: string }
  | { kind: 'resolve'; number: string }
  | { kind: 'reopen'; number: string };

interface RequestsState {
  locale: Locale;
  scope: RequestScope;
  status: RequestStatusFilter;
  text?: string;
  page: number;
  mode: Mode;
  /** The ticket on screen (and the one the current question is about). */
  number?: string;
  /** A message typed while a ticket was open, waiting for "add it as a comment?". */
  draft?: string;
  pending?: PendingAction;
  hinted?: boolean;
}

type Command = 'cancel' | 'help' | 'next' | 'previous' | 'back' | 'retry' | 'all';

/** Words of this dialog only; cancel, help, back… come from the one input layer. */
const OWN_WORDS: Record<string, Command> = {
  sortir: 'cancel',
  next: 'next',
  'next page': 'next',
  more: 'next',
  suivant: 'next',
  suivante: 'next',
  'page suivante': 'next',
  previous: 'previous',
  prev: 'previous',
  'previous page': 'previous',
  precedent: 'previous',
  precedente: 'previous',
  'page precedente': 'previous',
  list: 'back',
  liste: 'back',
  'back to the list': 'back',
  'retour a la liste': 'back',
  retry: 'retry',
  'try again': 'retry',
  reessayer: 'retry',
  'essayer a nouveau': 'retry',
  all: 'all',
  'show all': 'all',
  'all statuses': 'all',
  tous: 'all',
  toutes: 'all',
  'tous les statuts': 'all',
};

const SCOPE_WORDS: Record<string, RequestScope> = {
  mine: 'mine',
  'my requests': 'mine',
  'my tickets': 'mine',
  'les miennes': 'mine',
  'mes demandes': 'mine',
  'mes tickets': 'mine',
  cc: 'cc',
  "cc'd": 'cc',
  copied: 'cc',
  'copied to me': 'cc',
  'en copie': 'cc',
  organisation: 'organisation',
  organization: 'organisation',
  'my organisation': 'organisation',
  'my organization': 'organisation',
  'mon organisation': 'organisation',
  'my company': 'organisation',
  'mon entreprise': 'organisation',
};

const STATUS_WORDS: Record<string, RequestStatusFilter> = {
  new: 'new',
  'new tickets': 'new',
  nouveau: 'new',
  nouveaux: 'new',
  nouvelles: 'new',
  open: 'active',
  'in progress': 'active',
  active: 'active',
  'en cours': 'active',
  ouverts: 'active',
  ouvertes: 'active',
  waiting: 'waiting',
  pending: 'waiting',
  'waiting for me': 'waiting',
  'en attente': 'waiting',
  'en attente de ma part': 'waiting',
  resolved: 'resolved',
  resolus: 'resolved',
  resolues: 'resolved',
  closed: 'closed',
  fermes: 'closed',
  fermees: 'closed',
  clos: 'closed',
};

/** Typed equivalents of the ticket card's buttons (their labels are accepted too). */
const ACTION_WORDS: Record<string, 'comment' | 'escalate' | 'resolve' | 'reopen' | 'new_ticket'> = {
  comment: 'comment',
  'add comment': 'comment',
  commenter: 'comment',
  escalate: 'escalate',
  escalation: 'escalate',
  escalader: 'escalate',
  escalade: 'escalate',
  resolve: 'resolve',
  'close it': 'resolve',
  "i don't need help anymore": 'resolve',
  'no longer needed': 'resolve',
  resoudre: 'resolve',
  reopen: 'reopen',
  rouvrir: 'reopen',
  'new ticket': 'new_ticket',
  'nouveau ticket': 'new_ticket',
};

const TICKET_BUTTONS: Array<[TextKey, 'comment' | 'escalate' | 'resolve' | 'reopen' | 'new_ticket']> = [
  ['requests.action.comment', 'comment'],
  ['requests.action.escalate', 'escalate'],
  ['requests.action.resolve', 'resolve'],
  ['requests.action.reopen', 'reopen'],
  ['requests.action.newTicket', 'new_ticket'],
];

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
  constructor(private readonly deps: MyRequestsDeps) {
    super(MY_REQUESTS_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: MyRequestsOptions): Promise<DialogTurnResult> {
    const locale = options?.locale ?? (await this.deps.context.locale(dc.context));
    const state: RequestsState = { locale, scope: 'mine', status: 'all', page: 1, mode: 'list' };
    dc.activeDialog!.state = state;
    return await this.safely(dc, state, async () => {
      const known = await this.knownContact(dc, locale);
      if (!known) return await dc.endDialog({ outcome: 'refused' } satisfies MyRequestsResult);
      const text = options?.text?.trim() ?? '';
      const folded = fold(text);
      const scope = mentionedScope(folded);
      if (scope) state.scope = scope;
      const status = mentionedStatus(folded);
      if (status) state.status = status;
      const number = options?.ticketNumber?.trim() || this.deps.tickets.findTicketNumbers(text)[0];
      if (number) {
        const shown = await this.showTicket(dc, state, known, number);
        if (shown) return Dialog.EndOfTurn;
      }
      return await this.showList(dc, state, known);
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
    return await this.safely(dc, state, async () => {
      const known = await this.knownContact(dc, locale);
      if (!known) return await dc.endDialog({ outcome: 'refused' } satisfies MyRequestsResult);
      if (action) return await this.onCardAction(dc, state, known, action);
      if (command === 'retry' && state.pending) return await this.perform(dc, state, known, state.pending);
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
            await dc.context.sendActivity(this.yesNo(locale, t(locale, 'requests.yesNo')));
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
      await this.showTicket(dc, state, known, number);
      return Dialog.EndOfTurn;
    }
    const folded = fold(text);
    if (command === 'next' || command === 'previous') {
      if (state.mode === 'ticket') return await this.showList(dc, state, known);
      if (command === 'previous' && state.page <= 1) {
        await dc.context.sendActivity(t(locale, 'requests.firstPage'));
        return Dialog.EndOfTurn;
      }
      return await this.showList(dc, state, known, command === 'next' ? state.page + 1 : state.page - 1);
    }
    if (command === 'back') return await this.showList(dc, state, known);
    if (command === 'all') {
      state.status = 'all';
      delete state.text;
      return await this.showList(dc, state, known, 1);
    }
    if (command === 'retry') {
      await dc.context.sendActivity(t(locale, 'requests.hint'));
      return Dialog.EndOfTurn;
    }
    const scope = SCOPE_WORDS[folded];
    if (scope) {
      state.scope = scope;
      delete state.text;
      return await this.showList(dc, state, known, 1);
    }
    const status = STATUS_WORDS[folded];
    if (status) {
      state.status = status;
      return await this.showList(dc, state, known, 1);
    }
    if (state.mode === 'ticket' && state.number) {
      const act = ticketActionTyped(locale, folded);
      if (act) return await this.onCardAction(dc, state, known, { requests: act, number: state.number });
      // Words typed while a ticket is open are most likely for support: offer to add them, never post silently.
      state.mode = 'confirm_comment';
      state.draft = text;
      await dc.context.sendActivity(
        this.yesNo(locale, t(locale, 'requests.confirmComment', { number: state.number })),
      );
      return Dialog.EndOfTurn;
    }
    const query = text
      .replace(/^\s*(search( for)?|find|look for|chercher|rechercher|trouver)\s+/i, '')
      .trim();
    state.text = query.slice(0, 200);
    // A new search is over all statuses: a filter chosen earlier must not hide results silently.
    state.status = mentionedStatus(fold(query)) ?? 'all';
    return await this.showList(dc, state, known, 1);
  }

  private async onCommentText(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    text: string,
    command: Command | undefined,
  ): Promise<DialogTurnResult> {
    if (command === 'back' || !state.number) return await this.backToTicket(dc, state, known);
    if (!ticketFieldSchemas.comment.safeParse(text).success) {
      await dc.context.sendActivity(
        t(state.locale, 'requests.invalidComment', { max: TICKET_LIMITS.comment.max }),
      );
      return Dialog.EndOfTurn;
    }
    return await this.perform(dc, state, known, { kind: 'comment', number: state.number, text });
  }

  private async onReasonText(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    text: string,
    command: Command | undefined,
  ): Promise<DialogTurnResult> {
    if (command === 'back' || !state.number) return await this.backToTicket(dc, state, known);
    if (!ticketFieldSchemas.reason.safeParse(text).success) {
      await dc.context.sendActivity(
        t(state.locale, 'requests.invalidReason', { max: TICKET_LIMITS.reason.max }),
      );
      return Dialog.EndOfTurn;
    }
    return await this.perform(dc, state, known, { kind: 'escalate', number: state.number, reason: text });
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
    if (!number) return await this.showList(dc, state, known);
    if (mode === 'confirm_comment') {
      if (yes && draft) return await this.perform(dc, state, known, { kind: 'comment', number, text: draft });
      await dc.context.sendActivity(t(locale, 'requests.commentNotAdded', { number }));
      return Dialog.EndOfTurn;
    }
    if (mode === 'confirm_resolve') {
      if (yes) return await this.perform(dc, state, known, { kind: 'resolve', number });
      await dc.context.sendActivity(t(locale, 'requests.resolveKept', { number }));
      return Dialog.EndOfTurn;
    }
    if (yes) return await this.startNewTicket(dc, state, known, number);
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
        return await this.showList(dc, state, known);
      case 'page':
        state.scope = action.scope;
        state.status = action.status;
        if (action.text) state.text = action.text;
        else delete state.text;
        return await this.showList(dc, state, known, action.page);
      case 'scope':
        state.scope = action.scope;
        delete state.text;
        return await this.showList(dc, state, known, 1);
      case 'filter': {
        if (action.statusFilter) state.status = action.statusFilter;
        const search = action.searchText?.trim();
        if (search) state.text = search;
        else delete state.text;
        return await this.showList(dc, state, known, 1);
      }
      case 'open':
        await this.showTicket(dc, state, known, action.number);
        return Dialog.EndOfTurn;
      case 'comment':
      case 'escalate': {
        const typed = (action.requests === 'comment' ? action.comment : action.reason)?.trim();
        if (typed) {
          return action.requests === 'comment'
            ? await this.onCommentTyped(dc, state, known, action.number, typed)
            : await this.onReasonTyped(dc, state, known, action.number, typed);
        }
        const ticket = await this.visible(dc, state, known, action.number);
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
        const ticket = await this.visible(dc, state, known, action.number);
        if (!ticket) return Dialog.EndOfTurn;
        state.number = ticket.number;
        if (ticket.status === 'resolved' || ticket.status === 'closed') {
          state.mode = 'ticket';
          await this.sendTicket(
            dc,
            state,
            ticket,
            t(locale, 'requests.alreadyResolved', { number: ticket.number }),
          );
          return Dialog.EndOfTurn;
        }
        state.mode = 'confirm_resolve';
        await dc.context.sendActivity(
          this.yesNo(
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
        return await this.perform(dc, state, known, { kind: 'reopen', number: action.number });
      case 'new_ticket': {
        const ticket = await this.visible(dc, state, known, action.number);
        if (!ticket) return Dialog.EndOfTurn;
        return await this.startNewTicket(dc, state, known, ticket.number);
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

  // ----- actions on a ticket -----

  /** Runs one change through the ticket service; a database failure keeps it for "try again". */
  private async perform(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    action: PendingAction,
  ): Promise<DialogTurnResult> {
    const { locale } = state;
    const viewer = viewerFromContact(known);
    const { number } = action;
    state.mode = 'ticket';
    state.number = number;
    state.pending = action;
    const days = this.deps.tickets.policy.reopenWindowDays;
    switch (action.kind) {
      case 'comment': {
        const result = await this.deps.tickets.addComment(number, { kind: 'customer', viewer }, action.text);
        delete state.pending;
        if (result.kind === 'ok') {
          const last = result.ticket.timeline.at(-1);
          const replied = last?.type === 'status_changed' && last.data.reason === 'customer_replied';
          await this.sendTicket(
            dc,
            state,
            result.ticket,
            t(locale, replied ? 'requests.commentAddedReplied' : 'requests.commentAdded', {
              number: result.ticket.number,
            }),
          );
          return Dialog.EndOfTurn;
        }
        if (result.kind === 'not_found') return await this.notFound(dc, state, number);
        return await this.notAllowed(dc, state, result.ticket);
      }
      case 'escalate': {
        const result = await this.deps.tickets.requestEscalation(number, viewer, action.reason);
        delete state.pending;
        if (result.kind === 'ok') {
          await this.sendTicket(
            dc,
            state,
            result.ticket,
            t(locale, 'requests.escalationDone', { number: result.ticket.number }),
          );
          return Dialog.EndOfTurn;
        }
        if (result.kind === 'not_found') return await this.notFound(dc, state, number);
        return await this.notAllowed(dc, state, result.ticket);
      }
      case 'resolve': {
        const result = await this.deps.tickets.resolveByCustomer(number, viewer);
        delete state.pending;
        if (result.kind === 'not_found') return await this.notFound(dc, state, number);
        const key: TextKey = result.kind === 'ok' ? 'requests.resolvedDone' : 'requests.alreadyResolved';
        await this.sendTicket(
          dc,
          state,
          result.ticket,
          t(locale, key, { number: result.ticket.number, days }),
        );
        return Dialog.EndOfTurn;
      }
      case 'reopen': {
        const result = await this.deps.tickets.reopen(number, viewer);
        delete state.pending;
        switch (result.kind) {
          case 'ok':
            await this.sendTicket(
              dc,
              state,
              result.ticket,
              t(locale, 'requests.reopened', { number: result.ticket.number }),
            );
            return Dialog.EndOfTurn;
          case 'not_found':
            return await this.notFound(dc, state, number);
          case 'not_resolved':
            await this.sendTicket(
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
            await dc.context.sendActivity(this.yesNo(locale, message));
            return Dialog.EndOfTurn;
          }
        }
      }
    }
  }

  private async notAllowed(
    dc: DialogContext,
    state: RequestsState,
    ticket: Ticket,
  ): Promise<DialogTurnResult> {
    const { locale } = state;
    if (ticket.status === 'closed') {
      state.mode = 'offer_new';
      state.number = ticket.number;
      await dc.context.sendActivity(
        this.yesNo(locale, t(locale, 'requests.notAllowedClosed', { number: ticket.number })),
      );
      return Dialog.EndOfTurn;
    }
    await this.sendTicket(
      dc,
      state,
      ticket,
      t(locale, 'requests.notAllowedResolved', { number: ticket.number }),
    );
    return Dialog.EndOfTurn;
  }

  private async startNewTicket(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    number: string,
  ): Promise<DialogTurnResult> {
    // The number came from state or a card: confirm the viewer may still see it before linking it.
    const ticket = await this.visible(dc, state, known, number);
    if (!ticket) return Dialog.EndOfTurn;
    return await dc.endDialog({
      outcome: 'new_ticket',
      relatedTicketNumber: ticket.number,
    } satisfies MyRequestsResult);
  }

  // ----- showing -----

  private async showList(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    page = state.page,
  ): Promise<DialogTurnResult> {
    const { locale } = state;
    const viewer = viewerFromContact(known);
    if (state.scope === 'organisation' && !viewer.authorized) {
      await dc.context.sendActivity(
        t(locale, 'requests.organisationOnlyAuthorized', { organisation: known.organisation.name }),
      );
      state.scope = 'mine';
    }
    const query = (at: number): Parameters<TicketService['list']>[0] => ({
      viewer,
      scope: state.scope,
      ...(STATUSES_OF_FILTER[state.status] ? { status: STATUSES_OF_FILTER[state.status] } : {}),
      ...(state.text ? { text: state.text } : {}),
      page: at,
      pageSize: REQUESTS_PAGE_SIZE,
    });
    let result = await this.deps.tickets.list(query(Math.max(1, page)));
    if (!result.items.length && result.total > 0 && result.page > 1) {
      await dc.context.sendActivity(t(locale, 'requests.lastPage'));
      result = await this.deps.tickets.list(query(Math.ceil(result.total / REQUESTS_PAGE_SIZE)));
    }
    state.page = result.page;
    state.mode = 'list';
    delete state.number;
    const card = requestListCard(result, {
      locale,
      scope: state.scope,
      status: state.status,
      text: state.text,
      organisationName: known.organisation.name,
      canSeeOrganisation: viewer.authorized,
      now: this.deps.clock(),
    });
    const lines = [
      t(locale, `requests.listText.${state.scope}`, {
        total: result.total,
        organisation: known.organisation.name,
      }),
    ];
    if (!state.hinted) {
      lines.push(t(locale, 'requests.hint'));
      state.hinted = true;
    }
    await dc.context.sendActivity(MessageFactory.attachment(card, lines.join(' ')));
    return Dialog.EndOfTurn;
  }

  /** Shows the ticket when the viewer may see it; otherwise says so, exactly as for a number that does not exist. */
  private async showTicket(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    number: string,
  ): Promise<boolean> {
    const ticket = await this.visible(dc, state, known, number);
    if (!ticket) return false;
    state.mode = 'ticket';
    state.number = ticket.number;
    await this.sendTicket(dc, state, ticket);
    return true;
  }

  private async visible(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
    number: string,
  ): Promise<Ticket | undefined> {
    const found = await this.deps.tickets.getForViewer(number, viewerFromContact(known));
    if (found.kind === 'found') return found.ticket;
    await this.notFound(dc, state, number);
    return undefined;
  }

  private async notFound(dc: DialogContext, state: RequestsState, number: string): Promise<DialogTurnResult> {
    if (state.mode !== 'list') state.mode = state.number ? 'ticket' : 'list';
    if (state.number && fold(state.number) === fold(number)) {
      state.mode = 'list';
      delete state.number;
    }
    await dc.context.sendActivity(t(state.locale, 'requests.notFound', { number: displayNumber(number) }));
    return Dialog.EndOfTurn;
  }

  private async backToTicket(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
  ): Promise<DialogTurnResult> {
    if (!state.number) return await this.showList(dc, state, known);
    const shown = await this.showTicket(dc, state, known, state.number);
    return shown ? Dialog.EndOfTurn : await this.showList(dc, state, known);
  }

  private async sendTicket(
    dc: DialogContext,
    state: RequestsState,
    ticket: Ticket,
    text?: string,
  ): Promise<void> {
    const card = this.card(state.locale, ticket);
    await dc.context.sendActivity(MessageFactory.attachment(card, text));
  }

  private card(locale: Locale, ticket: Ticket): Attachment {
    const policy = this.deps.tickets.policy;
    return ticketCard(ticket, {
      locale,
      catalogue: this.deps.catalogue,
      now: this.deps.clock(),
      reopenWindowDays: policy.reopenWindowDays,
      autoResolveDays: policy.pendingAutoResolveDays,
    });
  }

  // ----- identity and failures -----

  /** The contact talking now, or undefined after telling an anonymous or unknown user why there is nothing to show. */
  private async knownContact(dc: DialogContext, locale: Locale): Promise<KnownContact | undefined> {
    const identity = await this.deps.context.identity(dc.context);
    if (identity.kind === 'contact') return identity;
    await dc.context.sendActivity(
      t(locale, identity.kind === 'anonymous' ? 'requests.signIn' : 'requests.unknownUser'),
    );
    return undefined;
  }

  /** Database failures become a kind message; the dialog and anything the user typed are kept. */
  private async safely(
    dc: DialogContext,
    state: RequestsState,
    run: () => Promise<DialogTurnResult>,
  ): Promise<DialogTurnResult> {
    try {
      return await run();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.deps.logger.warn(
        { err: error, conversationId: dc.context.activity.conversation.id, pending: state.pending?.kind },
        'my requests: database unavailable',
      );
      dc.context.turnState.set(USER_TOLD_UNAVAILABLE, true);
      if (state.pending) {
        await dc.context.sendActivity(
          MessageFactory.suggestedActions(
            [imBack(t(state.locale, 'requests.tryAgain'))],
            t(state.locale, 'requests.unavailableKept'),
          ),
        );
      } else {
        await dc.context.sendActivity(t(state.locale, 'requests.unavailable'));
      }
      return Dialog.EndOfTurn;
    }
  }

  private yesNo(locale: Locale, text: string): Partial<Activity> {
    return MessageFactory.suggestedActions(
      [imBack(t(locale, 'requests.yes')), imBack(t(locale, 'requests.no'))],
      text,
    );
  }
}

/** The list a start message names ("tickets where I'm CC'd", "les demandes de mon organisation"). */
function mentionedScope(folded: string): RequestScope | undefined {
  if (/\b(cc'?d?|copied|in copy|en copie)\b/.test(folded)) return 'cc';
  if (/\b(organi[sz]ation|company|entreprise|societe)\b/.test(folded)) return 'organisation';
  return undefined;
}

function mentionedStatus(folded: string): RequestStatusFilter | undefined {
  if (/\b(resolved|resolus|resolues)\b/.test(folded)) return 'resolved';
  if (/\b(closed|fermes|fermees|clos)\b/.test(folded)) return 'closed';
  if (/\b(pending|waiting|en attente)\b/.test(folded)) return 'waiting';
  if (/\b(open (tickets|requests)|in progress|en cours|ouverts|ouvertes)\b/.test(folded)) return 'active';
  if (/\b(new (tickets|requests)|nouveaux tickets|nouvelles demandes)\b/.test(folded)) return 'new';
  return undefined;
}

function ticketActionTyped(locale: Locale, folded: string): (typeof TICKET_BUTTONS)[number][1] | undefined {
  const byLabel = TICKET_BUTTONS.find(([key]) => fold(t(locale, key)) === folded);
  return byLabel?.[1] ?? ACTION_WORDS[folded];
}

/** A number as the user typed it, made safe to repeat back (short, one line). */
function displayNumber(number: string): string {
  return number.replace(/\s+/g, ' ').trim().toUpperCase().slice(0, 40);
}

/** This dialog's page words first ("précédent" is the previous page here), then the shared commands. */
function readRequestsCommand(text: string): Command | undefined {
  const own = OWN_WORDS[fold(text)];
  if (own) return own;
  const shared = readCommand(text);
  switch (shared) {
    case 'cancel':
    case 'help':
    case 'back':
      return shared;
    case 'start_over':
      return 'all';
    case 'menu':
    case undefined:
      return undefined;
  }
}
