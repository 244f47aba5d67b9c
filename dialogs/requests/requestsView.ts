import { MessageFactory, type Activity, type Attachment } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { isDatabaseUnavailable } from '../../services/errors';
import type { KnownContact } from '../../services/identity';
import { viewerFromContact, type Ticket, type TicketService } from '../../services/tickets';
import { imBack } from '../cards/actions';
import { requestListCard, STATUSES_OF_FILTER, ticketCard } from '../cards/requestCards';
import { fold } from '../intake/fields';
import { markUserToldUnavailable } from '../shared/flags';
import { t, type Locale } from '../texts';
import type { MyRequestsDeps } from '../myRequestsDialog';
import { REQUESTS_PAGE_SIZE } from '../myRequestsDialog';
import type { RequestsState } from './state';
import { displayNumber } from './words';

/**
 * What My requests shows: the list, one ticket, "not found" (the same for another
 * organisation's ticket), who may look, and the kind message of a database outage.
 */
export class RequestsView {
  constructor(private readonly deps: MyRequestsDeps) {}

  // ----- showing -----

  async showList(
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
  async showTicket(
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

  async visible(
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

  async notFound(dc: DialogContext, state: RequestsState, number: string): Promise<DialogTurnResult> {
    if (state.mode !== 'list') state.mode = state.number ? 'ticket' : 'list';
    if (state.number && fold(state.number) === fold(number)) {
      state.mode = 'list';
      delete state.number;
    }
    await dc.context.sendActivity(t(state.locale, 'requests.notFound', { number: displayNumber(number) }));
    return Dialog.EndOfTurn;
  }

  async backToTicket(
    dc: DialogContext,
    state: RequestsState,
    known: KnownContact,
  ): Promise<DialogTurnResult> {
    if (!state.number) return await this.showList(dc, state, known);
    const shown = await this.showTicket(dc, state, known, state.number);
    return shown ? Dialog.EndOfTurn : await this.showList(dc, state, known);
  }

  async sendTicket(dc: DialogContext, state: RequestsState, ticket: Ticket, text?: string): Promise<void> {
    const card = this.card(state.locale, ticket);
    await dc.context.sendActivity(MessageFactory.attachment(card, text));
  }

  card(locale: Locale, ticket: Ticket): Attachment {
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
  async knownContact(dc: DialogContext, locale: Locale): Promise<KnownContact | undefined> {
    const identity = await this.deps.context.identity(dc.context);
    if (identity.kind === 'contact') return identity;
    await dc.context.sendActivity(
      t(locale, identity.kind === 'anonymous' ? 'requests.signIn' : 'requests.unknownUser'),
    );
    return undefined;
  }

  /** Database failures become a kind message; the dialog and anything the user typed are kept. */
  async safely(
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
      markUserToldUnavailable(dc.context);
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

  yesNo(locale: Locale, text: string): Partial<Activity> {
    return MessageFactory.suggestedActions(
      [imBack(t(locale, 'requests.yes')), imBack(t(locale, 'requests.no'))],
      text,
    );
  }
}
