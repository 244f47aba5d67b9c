import { randomUUID } from 'node:crypto';
import { MessageFactory, type TurnContext } from 'botbuilder';
import {
  ActivityPrompt,
  ChoicePrompt,
  ComponentDialog,
  DialogTurnStatus,
  ListStyle,
  TextPrompt,
  WaterfallDialog,
  type Choice,
  type DialogContext,
  type DialogTurnResult,
  type FoundChoice,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { z } from 'zod';
import type { ProductCatalogue } from '../services/catalogue';
import { isAppError, isDatabaseUnavailable } from '../services/errors';
import type { KnownContact, ResolvedIdentity } from '../services/identity';
import type { BillingTopic, BillingTopicClassifier, IntentRecognizer } from '../services/intents';
import type { KnowledgeBase, SearchHit } from '../services/knowledge';
import type { Logger } from '../services/logger';
import {
  CHANNELS,
  TICKET_LIMITS,
  billingTicketInputSchema,
  type Ticket,
  type TicketChannel,
  type TicketService,
} from '../services/tickets';
import { imBack } from './cards/actions';
import { articleCard } from './cards/articleCards';
import {
  BILLING_TOPIC_LABELS,
  billingSummaryCard,
  readBillingCardAction,
  type BillingTicketTopic,
} from './cards/billingCards';
import { readCommand } from './input';
import { t, type Locale, type TextKey } from './texts';
import type { ConversationContextProvider } from './turnContextServices';

export const BILLING_ASSISTANT_DIALOG = 'BillingAssistantDialog';
const MAIN_WATERFALL = 'BillingAssistantDialog.main';
const TICKET_WATERFALL = 'BillingAssistantDialog.ticket';
const CONFIRM_WATERFALL = 'BillingAssistantDialog.confirm';
const TOPIC_PROMPT = 'BillingAssistantDialog.topic';
const QUESTION_PROMPT = 'BillingAssistantDialog.question';
const ANSWERED_PROMPT = 'BillingAssistantDialog.answered';
const INVOICE_PROMPT = 'BillingAssistantDialog.invoice';
const AMOUNT_PROMPT = 'BillingAssistantDialog.amount';
const DESCRIPTION_PROMPT = 'BillingAssistantDialog.description';
const SUMMARY_PROMPT = 'BillingAssistantDialog.summary';

/** What MainDialog (or any caller) hands the billing assistant. */
export interface BillingOptions {
  locale: Locale;
  /** The user's billing question, when they wrote one. */
  text?: string | undefined;
  /** The billing topic, when the caller already recognized it. */
  topic?: BillingTopic | undefined;
}

/** Why the assistant could not open a billing ticket for this user. */
export type BillingRefusal = 'sign_in' | 'not_a_contact' | 'not_authorized';

/**
 * How the billing assistant ended. `handed_back` carries the technical question the user asked
 * in the middle, for the caller to route; `not_allowed` says why no ticket could be opened.
 */
export interface BillingResult {
  outcome: 'answered' | 'ticket_opened' | 'cancelled' | 'handed_back' | 'not_allowed';
  ticketNumber?: string;
  technicalText?: string;
  refusal?: BillingRefusal;
}

export interface BillingAssistantDialogDeps {
  knowledgeBase: KnowledgeBase;
  tickets: TicketService;
  topics: BillingTopicClassifier;
  recognizer: IntentRecognizer;
  context: ConversationContextProvider;
  catalogue: ProductCatalogue;
  logger: Logger;
}

/** The menu's entries; two of them cover a pair of neighbouring topics. */
const TOPIC_CHOICES = ['invoice_copy', 'charge', 'payment_method', 'renewal', 'other'] as const;
type TopicChoice = (typeof TOPIC_CHOICES)[number];

interface MainState extends BillingOptions {
  /** Set by "start over": the greeting is not repeated. */
  restarted?: boolean;
  askedTopic?: boolean;
  choice?: TopicChoice;
  question?: string;
  ticketTopic?: BillingTicketTopic;
}

interface DraftState {
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

type Decision = 'submit' | 'cancel';
type Permission =
  | { kind: 'allowed'; known: KnownContact }
  | { kind: 'refused'; refusal: BillingRefusal; known?: KnownContact };

const NO_ARTICLE = 'no_article';
const MAX_ARTICLES = 3;
/** An article is shown only when it scores at least this share of the best one. */
const RELATIVE_SCORE_FLOOR = 0.4;
const MAX_AMOUNT = 10_000_000;

const validationsSchema = z.object({ locale: z.enum(['en', 'fr']), draftId: z.string().optional() });

/**
 * Flow C: the Billing & Payments assistant, a separate assistant with its own voice. It answers
 * from the billing articles of the knowledge base and otherwise opens a billing ticket (for the
 * billing team only) after collecting the invoice number and amount when there are any, the
 * description and a confirmation. A technical question asked along the way ends it with
 * `handed_back`, so that the caller routes the question to technical support.
 */
export class BillingAssistantDialog extends ComponentDialog {
  private readonly log: Logger;

  constructor(private readonly deps: BillingAssistantDialogDeps) {
    super(BILLING_ASSISTANT_DIALOG);
    this.log = deps.logger.child({ component: 'billing-assistant' });
    this.addDialog(new ChoicePrompt(TOPIC_PROMPT, (prompt) => this.validateTopic(prompt)));
    this.addDialog(
      new TextPrompt(QUESTION_PROMPT, (prompt) => Promise.resolve(hasWords(prompt.recognized.value))),
    );
    this.addDialog(new ChoicePrompt(ANSWERED_PROMPT));
    this.addDialog(new TextPrompt(INVOICE_PROMPT, (prompt) => this.validateInvoice(prompt)));
    this.addDialog(new TextPrompt(AMOUNT_PROMPT, (prompt) => this.validateAmount(prompt)));
    this.addDialog(new TextPrompt(DESCRIPTION_PROMPT, (prompt) => this.validateDescription(prompt)));
    this.addDialog(new ActivityPrompt(SUMMARY_PROMPT, (prompt) => this.validateSummary(prompt)));
    this.addDialog(
      new WaterfallDialog<MainState>(MAIN_WATERFALL, [
        this.introStep.bind(this),
        this.questionStep.bind(this),
        this.searchStep.bind(this),
        this.answeredStep.bind(this),
        this.finishStep.bind(this),
      ]),
    );
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
    this.initialDialogId = MAIN_WATERFALL;
  }

  /** cancel / help / start over as whole messages, and a technical question, interrupt any step. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? (await super.onContinueDialog(innerDc));
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const activity = innerDc.context.activity;
    const text = activity.type === 'message' ? (activity.text ?? '').trim() : '';
    if (!text) return undefined;
    const locale = await this.deps.context.locale(innerDc.context);
    switch (readCommand(text)) {
      case 'cancel':
        await innerDc.cancelAllDialogs();
        await innerDc.context.sendActivity(t(locale, 'billing.cancelled'));
        return done({ outcome: 'cancelled' });
      case 'help':
        await innerDc.context.sendActivity(t(locale, 'billing.help'));
        await innerDc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      case 'start_over':
        await innerDc.cancelAllDialogs();
        await innerDc.context.sendActivity(t(locale, 'billing.startOver'));
        return await innerDc.beginDialog(MAIN_WATERFALL, { locale, restarted: true } satisfies MainState);
      case 'back':
        // The assistant's steps each take one answer: back is asking the same question again.
        await innerDc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      case 'menu':
      case undefined:
        break;
    }
    if (wordCount(text) >= 3 && !isSkip(text)) {
      const recognition = await this.deps.recognizer.recognize(text, { locale });
      if (recognition.top === 'technical_problem') {
        await innerDc.cancelAllDialogs();
        await innerDc.context.sendActivity(t(locale, 'billing.handBack'));
        return done({ outcome: 'handed_back', technicalText: text });
      }
    }
    return undefined;
  }

  private async introStep(step: WaterfallStepContext<MainState>): Promise<DialogTurnResult> {
    const state = step.options;
    const { locale } = state;
    const text = state.text?.trim() ?? '';
    const repeated = await answerRepeatedBillingSubmit(step.context, this.deps.context, locale);
    if (repeated) return await step.endDialog(repeated);
    if (isQuestion(text)) {
      state.question = text;
      state.topic ??= this.deps.topics.classify(text, { locale });
    } else if (text && !state.topic) {
      const guess = this.deps.topics.classify(text, { locale });
      if (guess !== 'other') state.topic = guess;
    }
    if (!state.restarted) {
      await step.context.sendActivity(
        state.topic && state.topic !== 'other' && state.question
          ? t(locale, 'billing.greetingTopic', {
              topic: t(locale, BILLING_TOPIC_LABELS[toTicketTopic(state.topic)]),
            })
          : t(locale, 'billing.greeting'),
      );
    }
    if (state.topic) return await step.next();
    state.askedTopic = true;
    return await step.prompt(TOPIC_PROMPT, {
      prompt: t(locale, 'billing.askTopic'),
      retryPrompt: t(locale, 'billing.retryTopic'),
      choices: topicChoices(locale),
      style: ListStyle.suggestedAction,
    });
  }

  private async questionStep(step: WaterfallStepContext<MainState>): Promise<DialogTurnResult> {
    const state = step.options;
    const found = step.result as FoundChoice | undefined;
    if (state.askedTopic) {
      // The topic prompt also takes a question written out instead of a button.
      const text = (step.context.activity.text ?? '').trim();
      state.choice = TOPIC_CHOICES.find((choice) => choice === found?.value);
      const pressedButton = topicChoices(state.locale).some(
        (choice) => normalise(choice.action?.title ?? '') === normalise(text),
      );
      if (!state.choice || (isQuestion(text) && !pressedButton)) state.question = text;
    }
    if (state.question) return await step.next(state.question);
    return await step.prompt(QUESTION_PROMPT, { prompt: t(state.locale, 'billing.askQuestion') });
  }

  private async searchStep(step: WaterfallStepContext<MainState>): Promise<DialogTurnResult> {
    const state = step.options;
    const { locale } = state;
    const question = String(step.result ?? '').trim();
    state.question = question;
    state.ticketTopic = this.resolveTopic(state, question);

    const hits = fitting(
      await this.deps.knowledgeBase.search(question, { locale, module: 'billing', limit: MAX_ARTICLES }),
    );
    if (!hits.length) {
      await step.context.sendActivity(t(locale, 'billing.noArticle'));
      return await step.next(NO_ARTICLE);
    }
    const permission = billingPermission(await this.deps.context.identity(step.context));
    const cards = MessageFactory.list(hits.map((hit) => articleCard(hit, locale, this.deps.catalogue)));
    cards.text = t(locale, 'billing.results');
    await step.context.sendActivity(cards);
    return await step.prompt(ANSWERED_PROMPT, {
      prompt: t(locale, 'billing.askAnswered'),
      retryPrompt: t(locale, 'billing.retryAnswered'),
      choices: answeredChoices(locale, permission.kind === 'allowed'),
      style: ListStyle.suggestedAction,
    });
  }

  private async answeredStep(step: WaterfallStepContext<MainState>): Promise<DialogTurnResult> {
    const state = step.options;
    const { locale } = state;
    const answered = step.result !== NO_ARTICLE && (step.result as FoundChoice).value === 'yes';
    if (answered) {
      await step.context.sendActivity(t(locale, 'billing.answered'));
      return await step.endDialog({ outcome: 'answered' } satisfies BillingResult);
    }
    const permission = billingPermission(await this.deps.context.identity(step.context));
    if (permission.kind === 'refused') return await this.refuse(step, locale, permission);
    const { contact, organisation } = permission.known;
    const draft: DraftState = {
      locale,
      topic: state.ticketTopic ?? 'other',
      question: state.question ?? '',
      draftId: randomUUID(),
      organisationName: organisation.name,
      accountManager: { name: organisation.accountManager.name, email: organisation.accountManager.email },
      requesterEmail: contact.email,
    };
    await step.context.sendActivity(t(locale, 'billing.ticketIntro'));
    return await step.beginDialog(TICKET_WATERFALL, draft);
  }

  private async finishStep(step: WaterfallStepContext<MainState | DraftState>): Promise<DialogTurnResult> {
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
      if (permission.kind === 'refused') return await this.refuse(step, locale, permission);
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
        return await this.refuse(step, locale, { kind: 'refused', refusal: 'not_a_contact' });
      }
      if (!isDatabaseUnavailable(error)) throw error;
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

  private async refuse(
    step: WaterfallStepContext<MainState | DraftState>,
    locale: Locale,
    permission: Extract<Permission, { kind: 'refused' }>,
  ): Promise<DialogTurnResult> {
    await step.context.sendActivity(refusalText(locale, permission));
    return await step.endDialog({
      outcome: 'not_allowed',
      refusal: permission.refusal,
    } satisfies BillingResult);
  }

  /** The menu choice covers two topics; the user's own words tell which one. */
  private resolveTopic(state: MainState, question: string): BillingTicketTopic {
    if (state.topic) return toTicketTopic(state.topic);
    const classified = this.deps.topics.classify(question, { locale: state.locale });
    switch (state.choice) {
      case 'charge':
        return classified === 'dispute' ? 'dispute' : 'charge_question';
      case 'renewal':
        return classified === 'licence_count' ? 'licence_count' : 'renewal';
      case 'invoice_copy':
      case 'payment_method':
      case 'other':
        return state.choice;
      case undefined:
        return toTicketTopic(classified);
    }
  }

  private validateTopic(prompt: PromptValidatorContext<FoundChoice>): Promise<boolean> {
    return Promise.resolve(prompt.recognized.succeeded || isQuestion(prompt.context.activity.text ?? ''));
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

function done(result: BillingResult): DialogTurnResult {
  return { status: DialogTurnStatus.complete, result };
}

function localeOf(prompt: PromptValidatorContext<unknown>): Locale {
  return validationsSchema.safeParse(prompt.options.validations).data?.locale ?? 'en';
}

function billingPermission(identity: ResolvedIdentity): Permission {
  switch (identity.kind) {
    case 'anonymous':
      return { kind: 'refused', refusal: 'sign_in' };
    case 'unknown':
      return { kind: 'refused', refusal: 'not_a_contact' };
    case 'contact':
      // A lapsed support plan does not stop billing questions: renewing it is one of them.
      return identity.contact.authorized
        ? { kind: 'allowed', known: identity }
        : { kind: 'refused', refusal: 'not_authorized', known: identity };
  }
}

function refusalText(locale: Locale, permission: Extract<Permission, { kind: 'refused' }>): string {
  switch (permission.refusal) {
    case 'sign_in':
      return t(locale, 'billing.signIn');
    case 'not_a_contact':
      return t(locale, 'billing.notAContact');
    case 'not_authorized': {
      const organisation = permission.known?.organisation;
      return t(locale, 'billing.notAuthorized', {
        organisation: organisation?.name ?? '',
        manager: organisation?.accountManager.name ?? '',
      });
    }
  }
}

function toTicketTopic(topic: BillingTopic): BillingTicketTopic {
  return topic === 'charge' ? 'charge_question' : topic;
}

function toTicketChannel(channelId: string): TicketChannel {
  return CHANNELS.find((channel) => channel === channelId) ?? 'api';
}

/** The best articles, without those far behind the first. */
function fitting(hits: SearchHit[]): SearchHit[] {
  const best = hits[0]?.score ?? 0;
  return hits.filter((hit) => hit.score >= best * RELATIVE_SCORE_FLOOR).slice(0, MAX_ARTICLES);
}

function topicChoices(locale: Locale): Choice[] {
  const entries: Array<[TopicChoice, TextKey, string[]]> = [
    [
      'invoice_copy',
      'billing.choice.invoice_copy',
      ['invoice', 'invoice copy', 'facture', 'copie de facture'],
    ],
    ['charge', 'billing.choice.charge', ['charge', 'dispute', 'montant', 'contestation', 'contester']],
    [
      'payment_method',
      'billing.choice.payment_method',
      ['payment', 'payment method', 'card', 'paiement', 'moyen de paiement', 'carte'],
    ],
    [
      'renewal',
      'billing.choice.renewal',
      ['renewal', 'licence', 'license', 'licences', 'renouvellement', 'nombre de licences'],
    ],
    ['other', 'billing.choice.other', ['other', 'something else', 'autre', 'autre chose']],
  ];
  return entries.map(([value, key, synonyms]) => {
    const title = t(locale, key);
    return { value, action: imBack(title), synonyms: [...synonyms, title] };
  });
}

function answeredChoices(locale: Locale, canOpenTicket: boolean): Choice[] {
  const yes = t(locale, 'billing.choiceYes');
  const no = t(locale, canOpenTicket ? 'billing.choiceNoTicket' : 'billing.choiceNo');
  return [
    { value: 'yes', action: imBack(yes), synonyms: ['yes', 'oui', 'yes thanks', 'oui merci', yes] },
    { value: 'no', action: imBack(no), synonyms: ['no', 'non', 'open a ticket', 'ouvrir un ticket', no] },
  ];
}

/** Lowercase, without accents, apostrophes or surrounding punctuation, single-spaced. */
function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}/ -]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const SKIP_ANSWERS = new Set([
  'skip',
  'none',
  'no',
  'n/a',
  'na',
  'nothing',
  'not applicable',
  'i dont have one',
  'i do not have one',
  'i dont have it',
  'i dont know',
  'dont have one',
  'no invoice',
  'no amount',
  'passer',
  'aucun',
  'aucune',
  'non',
  'rien',
  'sans objet',
  'je nen ai pas',
  'je ne lai pas',
  'je ne sais pas',
  'pas de facture',
  'pas de montant',
]);

/** "skip", "I don't have one", « je n’en ai pas »… */
export function isSkip(text: string): boolean {
  return SKIP_ANSWERS.has(normalise(text));
}

const SUBMIT_ANSWERS = new Set([
  'submit',
  'send',
  'confirm',
  'yes',
  'ok',
  'envoyer',
  'soumettre',
  'valider',
  'confirmer',
  'oui',
]);

function readDecision(activity: { text?: string; value?: unknown }): Decision | undefined {
  const action = readBillingCardAction(activity.value);
  if (action) return action.billing;
  const text = normalise(activity.text ?? '');
  if (SUBMIT_ANSWERS.has(text)) return 'submit';
  return undefined;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function hasWords(text: string | undefined): boolean {
  return /[\p{L}\p{N}]/u.test(text ?? '');
}

/** Enough words to search with and to act on. */
function isQuestion(text: string): boolean {
  return wordCount(text) >= 3;
}

/** Long enough to be a ticket's description as it stands. */
function isDescriptive(text: string): boolean {
  return text.trim().length >= TICKET_LIMITS.description.min && wordCount(text) >= 3;
}

type InvoiceProblem = 'spaces' | 'length' | 'characters';
export type InvoiceNumberAnswer =
  { kind: 'skip' } | { kind: 'valid'; value: string } | { kind: 'invalid'; reason: InvoiceProblem };

const invoiceNumberSchema = billingTicketInputSchema.shape.invoiceNumber.unwrap();

/** An answer to "what is the invoice number?", checked as the billing queue will check it. */
export function parseInvoiceNumber(answer: string): InvoiceNumberAnswer {
  if (isSkip(answer)) return { kind: 'skip' };
  const value = answer
    .trim()
    .replace(/^(?:#|n°|nº|no\.|nr\.?)\s*/i, '')
    .replace(/[.!]+$/, '');
  if (/\s/.test(value)) return { kind: 'invalid', reason: 'spaces' };
  if (value.length < 3 || value.length > 30) return { kind: 'invalid', reason: 'length' };
  const parsed = invoiceNumberSchema.safeParse(value);
  return parsed.success ? { kind: 'valid', value: parsed.data } : { kind: 'invalid', reason: 'characters' };
}

const INVOICE_PREFIXED = /\b((?:inv|fac|fact|fa)[-/]?\d[A-Za-z0-9/_-]{1,26})\b/i;
const INVOICE_NAMED =
  /\b(?:invoice|facture)\s*(?:number|no\.?|nr\.?|n°|nº|num[ée]ro|#)?\s*[:#]?\s*([A-Za-z0-9][A-Za-z0-9/_-]{2,29})/i;

/** An invoice number the user already wrote in their question, if any. */
export function findInvoiceNumber(text: string): string | undefined {
  for (const pattern of [INVOICE_PREFIXED, INVOICE_NAMED]) {
    const candidate = pattern.exec(text)?.[1];
    if (candidate && /\d/.test(candidate)) {
      const parsed = parseInvoiceNumber(candidate);
      if (parsed.kind === 'valid') return parsed.value;
    }
  }
  return undefined;
}

type AmountProblem = 'not_a_number' | 'not_positive' | 'too_large';
export type AmountAnswer =
  | { kind: 'skip' }
  | { kind: 'valid'; amount: number; currency?: string }
  | { kind: 'invalid'; reason: AmountProblem };

const CURRENCY_SYMBOLS: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP' };
const CURRENCY_WORDS: Record<string, string> = {
  euro: 'EUR',
  euros: 'EUR',
  dollar: 'USD',
  dollars: 'USD',
  pound: 'GBP',
  pounds: 'GBP',
  livre: 'GBP',
  livres: 'GBP',
};
const SPACES = '\\s\\u00a0\\u202f';

/**
 * An amount as people write it: "120", "120.50 EUR", "€120,50", "1 200,00 €", "$1,200.00".
 * A lone separator followed by exactly three digits groups thousands ("1,200" and "1.200" are
 * both 1200); followed by one or two digits it is the decimal separator.
 */
export function parseAmount(answer: string): AmountAnswer {
  if (isSkip(answer)) return { kind: 'skip' };
  let currency: string | undefined;
  let rest = answer.trim().replace(/[€$£]/g, (symbol) => {
    currency ??= CURRENCY_SYMBOLS[symbol];
    return ' ';
  });
  rest = rest.replace(/\p{L}+/gu, (word) => {
    const code =
      CURRENCY_WORDS[word.toLowerCase()] ?? (/^[A-Za-z]{3}$/.test(word) ? word.toUpperCase() : undefined);
    if (!code) return word;
    currency ??= code;
    return ' ';
  });
  const amount = readNumber(ungroup(rest.trim()));
  if (amount === undefined) return { kind: 'invalid', reason: 'not_a_number' };
  if (amount <= 0) return { kind: 'invalid', reason: 'not_positive' };
  if (amount > MAX_AMOUNT) return { kind: 'invalid', reason: 'too_large' };
  return currency ? { kind: 'valid', amount, currency } : { kind: 'valid', amount };
}

const SPACED_GROUPS = new RegExp(`^\\d{1,3}(?:[${SPACES}'’]\\d{3})+(?:[.,]\\d{1,2})?$`);

/** "1 200,50" → "1200,50"; digits separated by spaces any other way are not one number. */
function ungroup(text: string): string {
  if (!new RegExp(`\\d[${SPACES}'’]+\\d`).test(text)) return text;
  return SPACED_GROUPS.test(text) ? text.replace(new RegExp(`[${SPACES}'’]`, 'g'), '') : 'x';
}

function readNumber(text: string): number | undefined {
  const match = /^([-−]?)(\d[\d.,]*)$/.exec(text);
  if (!match) return undefined;
  const sign = match[1] ? -1 : 1;
  const digits = match[2] ?? '';
  const lastDot = digits.lastIndexOf('.');
  const lastComma = digits.lastIndexOf(',');
  let integer = digits;
  let fraction = '';
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const at = Math.max(lastDot, lastComma);
    integer = digits.slice(0, at);
    fraction = digits.slice(at + 1);
    if (!isThousands(integer, decimal === '.' ? ',' : '.')) return undefined;
  } else if (lastDot >= 0 || lastComma >= 0) {
    const separator = lastDot >= 0 ? '.' : ',';
    const parts = digits.split(separator);
    const tail = parts[parts.length - 1] ?? '';
    if (parts.length === 2 && tail.length >= 1 && tail.length <= 2) {
      integer = parts[0] ?? '';
      fraction = tail;
    } else if (!isThousands(digits, separator)) {
      return undefined;
    }
  }
  if (fraction.length > 2 || !/^\d*$/.test(fraction)) return undefined;
  const value = Number(`${integer.replace(/[.,]/g, '')}.${fraction || '0'}`);
  return Number.isFinite(value) ? (sign * Math.round(value * 100)) / 100 : undefined;
}

/** "1", "12", "1,200" or "1,200,000" with `separator` between groups of three. */
function isThousands(text: string, separator: string): boolean {
  const groups = text.split(separator);
  if (groups.length === 1) return /^\d+$/.test(text);
  return /^\d{1,3}$/.test(groups[0] ?? '') && groups.slice(1).every((group) => /^\d{3}$/.test(group));
}

const AMOUNT_IN_TEXT = new RegExp(
  `(?:[€$£][${SPACES}]?\\d[\\d.,${SPACES}]*\\d|[€$£][${SPACES}]?\\d)|(?:\\d(?:[\\d.,${SPACES}]*\\d)?[${SPACES}]?(?:[€$£]|\\b(?:EUR|USD|GBP|CHF|CAD|euros?|dollars?)\\b))`,
  'i',
);

/** An amount the user already wrote in their question, only when a currency marks it as money. */
export function findAmount(text: string): { amount: number; currency?: string } | undefined {
  const candidate = AMOUNT_IN_TEXT.exec(text)?.[0];
  if (!candidate) return undefined;
  const parsed = parseAmount(candidate);
  return parsed.kind === 'valid'
    ? { amount: parsed.amount, ...(parsed.currency ? { currency: parsed.currency } : {}) }
    : undefined;
}
