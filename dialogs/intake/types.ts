import type { ProductCatalogue } from '../../services/catalogue';
import type { IdentityService } from '../../services/identity';
import type { IntentRecognizer } from '../../services/intents';
import type { TicketFieldExtractor } from '../../services/llm';
import type { Logger } from '../../services/logger';
import type { StatusFeed } from '../../services/status';
import type { TicketService } from '../../services/tickets';
import type { ArticleTried } from '../knowledgeDialog';
import type { Locale } from '../texts';
import type { ConversationContextProvider } from '../turnContextServices';

export interface TicketIntakeOptions {
  locale: Locale;
  /** The user's first message, when the intake starts from free text: what it states is taken. */
  text?: string | undefined;
  /** What the knowledge step learnt: never asked again. */
  problem?: string | undefined;
  module?: string | undefined;
  articlesTried?: ArticleTried[] | undefined;
  relatedTicketNumber?: string | undefined;
  /** The intake starts before any article because the situation is critical. */
  severityOneFirst?: boolean | undefined;
}

export type TicketIntakeResult =
  { outcome: 'opened'; number: string } | { outcome: 'cancelled' } | { outcome: 'refused' };

export interface TicketIntakeDeps {
  tickets: TicketService;
  identities: IdentityService;
  catalogue: ProductCatalogue;
  recognizer: IntentRecognizer;
  context: ConversationContextProvider;
  /** The language model's field extractor, when one is configured (rules first, it fills gaps). */
  extractor?: TicketFieldExtractor | undefined;
  /** Where active incidents come from; one on the chosen module is mentioned before the rest is asked. */
  statusFeed?: StatusFeed | undefined;
  logger: Logger;
  clock: () => Date;
}

/** Marks a turn whose user was already told the database is unavailable, so the host does not say it twice. */
export const USER_TOLD_UNAVAILABLE = Symbol('helpline.userToldUnavailable');
