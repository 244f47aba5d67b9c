import type { TurnContext } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import type { Intent, IntentRecognizer, IntentResult } from '../services/intents';
import type { GiveUpWatch } from './giveUp';
import type { KnowledgeResult } from './knowledgeDialog';
import type { Locale } from './texts';
import type { ConversationContextProvider } from './turnContextServices';

/** A request MainDialog hands to a child dialog, with what the router already knows. */
export interface RouteRequest {
  intent: Intent;
  locale: Locale;
  /** The user's words, when the request came as free text. */
  text?: string | undefined;
  recognition?: IntentResult | undefined;
  /** An earlier ticket a new one follows up. */
  relatedTicketNumber?: string | undefined;
  /** The card button that started it (handoff and satisfaction cards). */
  value?: unknown;
}

/**
 * Dialogs MainDialog can start, by job. Each is optional so that the router works while a
 * flow is being built; a missing one answers "coming soon".
 */
export interface MainDialogChildren {
  knowledge: Dialog;
  ticketIntake?: {
    dialog: Dialog;
    options: (request: RouteRequest, fromKnowledge?: KnowledgeResult) => object;
  };
  billing?: { dialog: Dialog; options: (request: RouteRequest) => object };
  myRequests?: {
    dialog: Dialog;
    options: (request: RouteRequest) => object;
    /** Shown first (e.g. access requests waiting for this contact's decision). */
    before?: (context: TurnContext, locale: Locale) => Promise<void>;
  };
  serviceStatus?: { dialog: Dialog; options: (request: RouteRequest) => object };
  /** "Talk to a person" (flow F) and its ticket offer. */
  handoff?: { dialog: Dialog; options: (request: RouteRequest) => object };
  /** The satisfaction question (card answers, and after a knowledge conversation marked solved). */
  satisfaction?: { dialog: Dialog; options: (request: RouteRequest) => object };
}

export interface MainDialogDeps {
  context: ConversationContextProvider;
  recognizer: IntentRecognizer;
  children: MainDialogChildren;
  /** Offers a person where the bot gives up (repeated failures, frustration, severity 1). */
  giveUp?: GiveUpWatch | undefined;
}
