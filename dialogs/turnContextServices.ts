import type { TurnContext } from 'botbuilder';
import type { ResolvedIdentity } from '../services/identity';
import type { Locale } from './texts';

/**
 * What the dialogs ask the host about the current turn: the conversation's language and who is
 * talking. The host resolves identity from trusted sources only (the Teams activity's tenant and
 * AAD object id, or the identity the local Direct Line bound to the conversation), never from
 * anything the user typed or the web client's `from` field.
 */
export interface ConversationContextProvider {
  locale(context: TurnContext): Promise<Locale>;
  setLocale(context: TurnContext, locale: Locale): Promise<void>;
  identity(context: TurnContext): Promise<ResolvedIdentity>;
  /** Remembers the ticket a draft opened, so a late repeat of its Submit gets the same answer. */
  rememberOpenedTicket(context: TurnContext, draftId: string, ticketNumber: string): Promise<void>;
  openedTicket(context: TurnContext, draftId: string): Promise<string | undefined>;
}
