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
  /**
   * Remembers that this conversation asked for a person, so that the turns of conversations that
   * never did skip the live-handoff lookup. A host without it is asked on every turn.
   */
  rememberHandoff?(context: TurnContext, handoffId: string): Promise<void>;
  /** Whether this conversation asked for a person since the last turn that found no live handoff. */
  handoffRequested?(context: TurnContext): Promise<boolean>;
  forgetHandoff?(context: TurnContext): Promise<void>;
}
