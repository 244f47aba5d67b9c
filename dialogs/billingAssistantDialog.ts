import { randomUUID } from 'node:crypto';
import { MessageFactory } from 'botbuilder';
import {
  ChoicePrompt,
  ComponentDialog,
  DialogTurnStatus,
  ListStyle,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type FoundChoice,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { ProductCatalogue } from '../services/catalogue';
import { isDatabaseUnavailable } from '../services/errors';
import type { BillingTopic, BillingTopicClassifier, IntentRecognizer } from '../services/intents';
import type { KnowledgeBase, SearchHit } from '../services/knowledge';
import type { Logger } from '../services/logger';
import type { TicketService } from '../services/tickets';
import {
  answerRepeatedBillingSubmit,
  BillingTicketDialog,
  type DraftState,
} from './billing/billingTicketDialog';
import { hasWords, isQuestion, isSkip, wordCount } from './billing/parsing';
import { billingPermission, refuse, type BillingRefusal } from './billing/permission';
import {
  answeredChoices,
  TOPIC_CHOICES,
  topicChoices,
  toTicketTopic,
  type TopicChoice,
} from './billing/words';
import { articleCard } from './cards/articleCards';
import { BILLING_TOPIC_LABELS, type BillingTicketTopic } from './cards/billingCards';
import { normalise, readCommand } from './input';
import { markUserToldUnavailable, userToldUnavailable } from './shared/flags';
import { t, type Locale } from './texts';
import type { ConversationContextProvider } from './turnContextServices';

export { answerRepeatedBillingSubmit, BillingTicketDialog };
export const BILLING_ASSISTANT_DIALOG = 'BillingAssistantDialog';
const MAIN_WATERFALL = 'BillingAssistantDialog.main';
const NO_ARTICLE = 'no_article';
const MAX_ARTICLES = 3;
/** An article is shown only when it scores at least this share of the best one. */
const RELATIVE_SCORE_FLOOR = 0.4;
const TOPIC_PROMPT = 'BillingAssistantDialog.topic';
const QUESTION_PROMPT = 'BillingAssistantDialog.question';
const ANSWERED_PROMPT = 'BillingAssistantDialog.answered';

/** What MainDialog (or any caller) hands the billing assistant. */
export interface BillingOptions {
  locale: Locale;
  /** The user's billing question, when they wrote one. */
  text?: string | undefined;
  /** The billing topic, when the caller already recognized it. */
  topic?: BillingTopic | undefined;
}

export type { BillingRefusal } from './billing/permission';
export {
  findAmount,
  findInvoiceNumber,
  isSkip,
  parseAmount,
  parseInvoiceNumber,
  type AmountAnswer,
  type InvoiceNumberAnswer,
} from './billing/parsing';

/**
 * How the billing assistant ended. `handed_back` carries the technical question the user asked
 * in the middle, for the caller to route; `not_allowed` says why no ticket could be opened.
 */
export interface BillingResult {
  outcome: 'answered' | 'ticket_opened' | 'cancelled' | 'handed_back' | 'not_allowed' | 'unavailable';
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
  /** The dialog that writes the billing ticket; made from these deps when not given. */
  ticket?: BillingTicketDialog;
}

interface MainState extends BillingOptions {
  /** Set by "start over": the greeting is not repeated. */
  restarted?: boolean;
  askedTopic?: boolean;
  choice?: TopicChoice;
  question?: string;
  ticketTopic?: BillingTicketTopic;
}

/**
 * Flow C: the Billing & Payments assistant, a separate assistant with its own voice. It answers
 * from the billing articles of the knowledge base and otherwise opens a billing ticket (for the
 * billing team only) after collecting the invoice number and amount when there are any, the
 * description and a confirmation. A technical question asked along the way ends it with
 * `handed_back`, so that the caller routes the question to technical support.
 */
export class BillingAssistantDialog extends ComponentDialog {
  private readonly log: Logger;
  private readonly ticket: BillingTicketDialog;

  constructor(private readonly deps: BillingAssistantDialogDeps) {
    super(BILLING_ASSISTANT_DIALOG);
    this.log = deps.logger.child({ component: 'billing-assistant' });
    this.ticket = deps.ticket ?? new BillingTicketDialog(deps);
    this.addDialog(new ChoicePrompt(TOPIC_PROMPT, (prompt) => this.validateTopic(prompt)));
    this.addDialog(
      new TextPrompt(QUESTION_PROMPT, (prompt) => Promise.resolve(hasWords(prompt.recognized.value))),
    );
    this.addDialog(new ChoicePrompt(ANSWERED_PROMPT));
    this.addDialog(
      new WaterfallDialog<MainState>(MAIN_WATERFALL, [
        this.introStep.bind(this),
        this.questionStep.bind(this),
        this.searchStep.bind(this),
        this.answeredStep.bind(this),
        this.finishStep.bind(this),
      ]),
    );
    this.addDialog(this.ticket);
    this.initialDialogId = MAIN_WATERFALL;
  }

  /** cancel / help / start over as whole messages, and a technical question, interrupt any step. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return await this.safely(
      innerDc,
      async () => (await this.interrupt(innerDc)) ?? (await super.onContinueDialog(innerDc)),
    );
  }

  protected override async onBeginDialog(
    innerDc: DialogContext,
    options?: object,
  ): Promise<DialogTurnResult> {
    return await this.safely(innerDc, async () => await super.onBeginDialog(innerDc, options));
  }

  /**
   * A database outage (reading who the user is, the knowledge base) is told once, kindly, and
   * the conversation stays where it was; the turn's error handler is told not to repeat it.
   */
  private async safely(
    innerDc: DialogContext,
    run: () => Promise<DialogTurnResult>,
  ): Promise<DialogTurnResult> {
    try {
      return await run();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.log.warn(
        { err: error, conversationId: innerDc.context.activity.conversation.id },
        'billing: database unavailable',
      );
      if (!userToldUnavailable(innerDc.context)) {
        markUserToldUnavailable(innerDc.context);
        const locale = await this.deps.context.locale(innerDc.context);
        await innerDc.context.sendActivity(t(locale, 'errors.unavailable'));
      }
      // Still at a prompt: wait for the next answer there. Nothing started: end, said once.
      return innerDc.stack.length ? { status: DialogTurnStatus.waiting } : done({ outcome: 'unavailable' });
    }
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
    if (permission.kind === 'refused') return await refuse(step, locale, permission);
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
    return await step.beginDialog(this.ticket.id, draft);
  }

  private async finishStep(step: WaterfallStepContext<MainState | DraftState>): Promise<DialogTurnResult> {
    return await step.endDialog(step.result);
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
}

function done(result: BillingResult): DialogTurnResult {
  return { status: DialogTurnStatus.complete, result };
}

/** The best articles, without those far behind the first. */
function fitting(hits: SearchHit[]): SearchHit[] {
  const best = hits[0]?.score ?? 0;
  return hits.filter((hit) => hit.score >= best * RELATIVE_SCORE_FLOOR).slice(0, MAX_ARTICLES);
}
