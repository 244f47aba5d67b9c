import { MessageFactory, type TurnContext } from 'botbuilder';
import {
  ActivityPrompt,
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { z } from 'zod';
import { isAppError, isDatabaseUnavailable } from '../../services/errors';
import type { Logger } from '../../services/logger';
import {
  CHANNELS,
  TICKET_LIMITS,
  type Ticket,
  type TicketChannel,
  type TicketService,
} from '../../services/tickets';
import type { BillingResult } from '../billingAssistantDialog';
import { billingSummaryCard, readBillingCardAction, type BillingTicketTopic } from '../cards/billingCards';
import { markUserToldUnavailable } from '../shared/flags';
import { t, type Locale, type TextKey } from '../texts';
import type { ConversationContextProvider } from '../turnContextServices';
import {
  findAmount,
  findInvoiceNumber,
  isDescriptive,
  MAX_AMOUNT,
  parseAmount,
  parseInvoiceNumber,
  readDecision,
  type AmountProblem,
  type InvoiceProblem,
} from './parsing';
import { billingPermission, refuse } from './permission';

export const BILLING_TICKET_DIALOG = 'BillingTicketDialog';
const TICKET_WATERFALL = 'BillingTicketDialog.ticket';
const CONFIRM_WATERFALL = 'BillingTicketDialog.confirm';
const INVOICE_PROMPT = 'BillingTicketDialog.invoice';
const AMOUNT_PROMPT = 'BillingTicketDialog.amount';
const DESCRIPTION_PROMPT = 'BillingTicketDialog.description';
const SUMMARY_PROMPT = 'BillingTicketDialog.summary';

/** A billing ticket being written (the dialog's options and state). */
export interface DraftState {
  locale: Locale;
  topic: BillingTicketTopic;
  question: string;
  /** Made once per draft: the summary card's buttons and the ticket's idempotency key carry it. */
  draftId: string;
  organisationName: string;
  accountManager: { name: string; email: string };
  requesterEmail: string;
  invoiceNumber?: string;
  amount?: number;
  currency?: string;
  description?: string;
  /** The last submit failed because the database was unreachable. */
  unavailable?: boolean;
}

export interface BillingTicketDialogDeps {
  tickets: TicketService;
  context: ConversationContextProvider;
  logger: Logger;
}

const validationsSchema = z.object({ locale: z.enum(['en', 'fr']), draftId: z.string().optional() });

/**
 * The billing ticket, once the assistant decided one is needed: the invoice number and the
 * amount when the question did not carry them, the description, the summary card and the
 * submit (idempotent: the draft's id is the ticket's key). A database outage keeps the draft
 * and says so once.
 */
export class BillingTicketDialog extends ComponentDialog {
  private readonly log: Logger;

  constructor(private readonly deps: BillingTicketDialogDeps) {
    super(BILLING_TICKET_DIALOG);
    this.log = deps.logger.child({ component: 'billing-ticket' });
    this.addDialog(new TextPrompt(INVOICE_PROMPT, (prompt) => this.validateInvoice(prompt)));
    this.addDialog(new TextPrompt(AMOUNT_PROMPT, (prompt) => this.validateAmount(prompt)));
    this.addDialog(new TextPrompt(DESCRIPTION_PROMPT, (prompt) => this.validateDescription(prompt)));
    this.addDialog(new ActivityPrompt(SUMMARY_PROMPT, (prompt) => this.validateSummary(prompt)));
    this.addDialog(
      new WaterfallDialog<DraftState>(TICKET_WATERFALL, [
        this.invoiceStep.bind(this),
        this.amountStep.bind(this),
        this.descriptionStep.bind(this),
        this.confirmStep.bind(this),
        this.finishStep.bind(this),
      ]),
    );
    this.addDialog(
      new WaterfallDialog<DraftState>(CONFIRM_WATERFALL, [
        this.summaryStep.bind(this),
        this.submitStep.bind(this),
      ]),
    );
    this.initialDialogId = TICKET_WATERFALL;
  }

  private async finishStep(step: WaterfallStepContext<DraftState>): Promise<DialogTurnResult> {
    return await step.endDialog(step.result);
  }

  private async invoiceStep(step: WaterfallStepContext<DraftState>): Promise<DialogTurnResult> {
    const draft = step.options;
    const known = findInvoiceNumber(draft.question);
    if (known) {
      draft.invoiceNumber = known;
      return await step.next();
    }
    return await step.prompt(INVOICE_PROMPT, {
      prompt: t(draft.locale, 'billing.askInvoice'),
      validations: { locale: draft.locale },
    });
  }

  private async amountStep(step: WaterfallStepContext<DraftState>): Promise<DialogTurnResult> {
    const draft = step.options;
    if (typeof step.result === 'string') {
      const invoice = parseInvoiceNumber(step.result);
      if (invoice.kind === 'valid') draft.invoiceNumber = invoice.value;
    }
    const known = findAmount(draft.question);
    if (known) {
      draft.amount = known.amount;
      if (known.currency) draft.currency = known.currency;
      return await step.next();
    }
    return await step.prompt(AMOUNT_PROMPT, {
      prompt: t(draft.locale, 'billing.askAmount'),
      validations: { locale: draft.locale },
    });
  }

  private async descriptionStep(step: WaterfallStepContext<DraftState>): Promise<DialogTurnResult> {
    const draft = step.options;
    if (typeof step.result === 'string') {
      const amount = parseAmount(step.result);
      if (amount.kind === 'valid') {
        draft.amount = amount.amount;
        if (amount.currency) draft.currency = amount.currency;
      }
    }
    if (isDescriptive(draft.question)) return await step.next(draft.question);
    return await step.prompt(DESCRIPTION_PROMPT, {
      prompt: t(draft.locale, 'billing.askDescription'),
      validations: { locale: draft.locale },
    });
  }

  private async confirmStep(step: WaterfallStepContext<DraftState>): Promise<DialogTurnResult> {
    const draft = step.options;
    draft.description = String(step.result ?? '').trim();
    return await step.beginDialog(CONFIRM_WATERFALL, draft);
  }

  private async summaryStep(step: WaterfallStepContext<DraftState>): Promise<DialogTurnResult> {
    const draft = step.options;
    const { locale } = draft;
    const prompt = draft.unavailable
      ? MessageFactory.text(t(locale, 'billing.submitUnavailable'))
      : MessageFactory.attachment(
          billingSummaryCard(
            {
              draftId: draft.draftId,
              topic: draft.topic,
              organisationName: draft.organisationName,
              invoiceNumber: draft.invoiceNumber,
              amount: draft.amount,
              currency: draft.currency,
              description: draft.description ?? '',
              copied:
                draft.accountManager.email.toLowerCase() === draft.requesterEmail.toLowerCase()
                  ? []
                  : [t(locale, 'billing.accountManager', { name: draft.accountManager.name })],
            },
            locale,
          ),
          t(locale, 'billing.summaryPrompt'),
        );
    return await step.prompt(SUMMARY_PROMPT, {
      prompt,
      retryPrompt: MessageFactory.text(t(locale, 'billing.summaryRetry')),
      validations: { locale, draftId: draft.draftId },
    });
  }

  private async submitStep(step: WaterfallStepContext<DraftState>): Promise<DialogTurnResult> {
    const draft = step.options;
    const { locale } = draft;
    if (readDecision(step.context.activity) === 'cancel') {
      await step.context.sendActivity(t(locale, 'billing.cancelled'));
      return await step.endDialog({ outcome: 'cancelled' } satisfies BillingResult);
    }
    let ticket: Ticket;
    try {
      const permission = billingPermission(await this.deps.context.identity(step.context));
      if (permission.kind === 'refused') return await refuse(step, locale, permission);
      const { ticket: opened, created } = await this.deps.tickets.createBilling(
        {
          requesterContactId: permission.known.contact.id,
          ccs: [],
          channel: toTicketChannel(step.context.activity.channelId),
          conversationRefId: step.context.activity.conversation.id,
          locale,
          topic: draft.topic,
          description: draft.description ?? draft.question,
          ...(draft.invoiceNumber === undefined ? {} : { invoiceNumber: draft.invoiceNumber }),
          ...(draft.amount === undefined ? {} : { amount: draft.amount }),
          ...(draft.currency === undefined ? {} : { currency: draft.currency }),
        },
        `billing-${draft.draftId}`,
      );
      ticket = opened;
      await this.deps.context.rememberOpenedTicket(step.context, draft.draftId, ticket.number);
      this.log.info({ ticketNumber: ticket.number, topic: draft.topic, created }, 'billing ticket submitted');
    } catch (error) {
      if (isAppError(error) && error.code === 'forbidden') {
        return await refuse(step, locale, { kind: 'refused', refusal: 'not_a_contact' });
      }
      if (!isDatabaseUnavailable(error)) throw error;
      // The summary says it once; the turn's error handler must not say it again.
      markUserToldUnavailable(step.context);
      this.log.warn(
        { err: error, conversationId: step.context.activity.conversation.id },
        'billing ticket not submitted: database unavailable',
      );
      return await step.replaceDialog(CONFIRM_WATERFALL, {
        ...draft,
        unavailable: true,
      } satisfies DraftState);
    }
    await step.context.sendActivity(t(locale, 'billing.ticketOpened', { number: ticket.number }));
    const copied = ticket.ccs.map((email) =>
      email === draft.accountManager.email.toLowerCase()
        ? t(locale, 'billing.accountManager', { name: draft.accountManager.name })
        : email,
    );
    await step.context.sendActivity(
      copied.length
        ? t(locale, 'billing.ticketCopied', { copied: copied.join(', ') })
        : t(locale, 'billing.ticketNoCopy'),
    );
    return await step.endDialog({
      outcome: 'ticket_opened',
      ticketNumber: ticket.number,
    } satisfies BillingResult);
  }

  private async validateInvoice(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const result = parseInvoiceNumber(prompt.recognized.value ?? '');
    if (result.kind !== 'invalid') return true;
    const key: Record<InvoiceProblem, TextKey> = {
      spaces: 'billing.invoiceSpaces',
      length: 'billing.invoiceLength',
      characters: 'billing.invoiceCharacters',
    };
    await prompt.context.sendActivity(t(localeOf(prompt), key[result.reason]));
    return false;
  }

  private async validateAmount(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const result = parseAmount(prompt.recognized.value ?? '');
    if (result.kind !== 'invalid') return true;
    const locale = localeOf(prompt);
    const key: Record<AmountProblem, TextKey> = {
      not_a_number: 'billing.amountNotANumber',
      not_positive: 'billing.amountNotPositive',
      too_large: 'billing.amountTooLarge',
    };
    await prompt.context.sendActivity(
      t(locale, key[result.reason], {
        max: new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB').format(MAX_AMOUNT),
      }),
    );
    return false;
  }

  private async validateDescription(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const text = (prompt.recognized.value ?? '').trim();
    const locale = localeOf(prompt);
    if (text.length < TICKET_LIMITS.description.min) {
      await prompt.context.sendActivity(
        t(locale, 'billing.descriptionTooShort', { min: TICKET_LIMITS.description.min }),
      );
      return false;
    }
    if (text.length > TICKET_LIMITS.description.max) {
      await prompt.context.sendActivity(
        t(locale, 'billing.descriptionTooLong', { max: TICKET_LIMITS.description.max }),
      );
      return false;
    }
    return true;
  }

  private async validateSummary(prompt: PromptValidatorContext<unknown>): Promise<boolean> {
    const activity = prompt.context.activity;
    const action = readBillingCardAction(activity.value);
    const draftId = validationsSchema.safeParse(prompt.options.validations).data?.draftId;
    if (action && action.draftId !== draftId) {
      const locale = localeOf(prompt);
      await answerRepeatedBillingSubmit(prompt.context, this.deps.context, locale);
      await prompt.context.sendActivity(t(locale, 'billing.summaryRetry'));
      return false;
    }
    return readDecision(activity) !== undefined;
  }
}

/**
 * A billing summary button pressed after its request ended (a double click, a repeated
 * delivery): answers with the ticket that draft opened, or says the request is over. Returns
 * how it ended, or undefined when the activity is not a billing card action.
 */
export async function answerRepeatedBillingSubmit(
  context: TurnContext,
  conversation: ConversationContextProvider,
  locale: Locale,
): Promise<BillingResult | undefined> {
  const action = readBillingCardAction(context.activity.value);
  if (!action) return undefined;
  const number = await conversation.openedTicket(context, action.draftId);
  if (number) {
    await context.sendActivity(t(locale, 'billing.alreadyOpened', { number }));
    return { outcome: 'ticket_opened', ticketNumber: number };
  }
  await context.sendActivity(t(locale, 'billing.staleCard'));
  return { outcome: 'cancelled' };
}

function localeOf(prompt: PromptValidatorContext<unknown>): Locale {
  return validationsSchema.safeParse(prompt.options.validations).data?.locale ?? 'en';
}

function toTicketChannel(channelId: string): TicketChannel {
  return CHANNELS.find((channel) => channel === channelId) ?? 'api';
}
