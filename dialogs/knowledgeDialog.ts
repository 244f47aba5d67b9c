import { MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type PromptOptions,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { ProductCatalogue } from '../services/catalogue';
import type { IntentRecognizer } from '../services/intents';
import type { FeedbackOutcome, FeedbackStore, KnowledgeBase, SearchHit } from '../services/knowledge';
import type { Logger } from '../services/logger';
import { imBack } from './cards/actions';
import { noteTurn } from './giveUp';
import { articleCard } from './cards/articleCards';
import { citedHit, type KnowledgeAnswerStep } from './knowledgeAnswer';
import {
  plainText,
  newRequestResult,
  readChoice,
  readInput,
  readNewRequest,
  type ChoiceOption,
  type NewRequestResult,
} from './input';
import { t, type Locale } from './texts';

export const KNOWLEDGE_DIALOG = 'KnowledgeDialog';
const WATERFALL = 'KnowledgeDialog.waterfall';
const PROBLEM_PROMPT = 'KnowledgeDialog.problem';
const OUTCOME_PROMPT = 'KnowledgeDialog.outcome';

export interface KnowledgeOptions {
  locale: Locale;
  /** The problem as the user already described it; asked for when absent. */
  query?: string | undefined;
  /** The product module, when the context tells it. */
  module?: string | undefined;
  /** The query of the search before "Search again", for "back". */
  previousQuery?: string | undefined;
}

export interface ArticleTried {
  key: string;
  title: string;
  url?: string | undefined;
}

/** How the knowledge step ended; `not_solved` carries everything the ticket intake needs. */
export type KnowledgeResult =
  | { outcome: 'solved' }
  | { outcome: 'cancelled' }
  | NewRequestResult
  | { outcome: 'not_solved'; problem: string; module?: string | undefined; articlesTried: ArticleTried[] };

/**
 * What the later steps need of an article shown: the ticket's "articles tried", the module the
 * results agree on, the feedback record. The rest (summary, snippet, matched words) was for the
 * card already sent; conversation state is read and written on every turn, so it is not kept.
 */
type ShownHit = Pick<SearchHit, 'key' | 'locale' | 'title' | 'url' | 'module' | 'score'>;

interface KnowledgeState extends KnowledgeOptions {
  hits?: ShownHit[];
}

type OutcomeChoice = 'solved' | 'not_solved' | 'search_again';

export interface KnowledgeDialogDeps {
  knowledgeBase: KnowledgeBase;
  /** Tells a new request from an answer at the dialog's prompts. */
  recognizer: IntentRecognizer;
  feedback: FeedbackStore;
  catalogue: ProductCatalogue;
  logger: Logger;
  /** With a language model: a short answer from the articles found, before them. */
  answer?: KnowledgeAnswerStep | undefined;
}

/**
 * Flow A: before any ticket, find the article that answers. Shows the best three articles, then
 * Solved / Not solved, open a ticket / Search again, and records what was shown and how it ended.
 */
export class KnowledgeDialog extends ComponentDialog {
  constructor(private readonly deps: KnowledgeDialogDeps) {
    super(KNOWLEDGE_DIALOG);
    this.addDialog(new TextPrompt(PROBLEM_PROMPT));
    this.addDialog(new OutcomePrompt(OUTCOME_PROMPT, (prompt) => this.validateOutcome(prompt)));
    this.addDialog(
      new WaterfallDialog<KnowledgeState>(WATERFALL, [
        this.askProblemStep.bind(this),
        this.searchStep.bind(this),
        this.outcomeStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  /**
   * Commands and new requests at either prompt, read by the input layer before the prompt sees
   * the message: nothing the user can say here repeats the question blindly.
   */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const activity = innerDc.context.activity;
    const prompt = innerDc.activeDialog?.id;
    // The waterfall under the prompt holds the state (its options).
    const waterfall = innerDc.stack.find((entry) => entry.id === WATERFALL)?.state as
      { options?: KnowledgeState } | undefined;
    const options = waterfall?.options;
    if (activity.type !== 'message' || !options || (prompt !== PROBLEM_PROMPT && prompt !== OUTCOME_PROMPT)) {
      return await super.onContinueDialog(innerDc);
    }
    const { locale } = options;
    const input = readInput(activity);
    if (input.kind === 'command') {
      switch (input.command) {
        case 'cancel':
          await innerDc.cancelAllDialogs();
          await innerDc.context.sendActivity(t(locale, 'kb.cancelled'));
          return {
            status: DialogTurnStatus.complete,
            result: { outcome: 'cancelled' } satisfies KnowledgeResult,
          };
        case 'help':
          await innerDc.context.sendActivity(
            t(locale, prompt === OUTCOME_PROMPT ? 'kb.help' : 'kb.helpProblem'),
          );
          await innerDc.repromptDialog();
          return { status: DialogTurnStatus.waiting };
        case 'start_over':
          await innerDc.cancelAllDialogs();
          return await innerDc.beginDialog(WATERFALL, {
            locale,
            module: options.module,
          } satisfies KnowledgeOptions);
        case 'back': {
          await innerDc.cancelAllDialogs();
          // Back from "describe it differently" is the search before; back from the results, the question.
          const query = prompt === PROBLEM_PROMPT ? options.previousQuery : undefined;
          return await innerDc.beginDialog(WATERFALL, {
            locale,
            module: options.module,
            query,
            previousQuery: prompt === OUTCOME_PROMPT ? options.query : undefined,
          } satisfies KnowledgeOptions);
        }
        case 'menu':
          break;
      }
    }
    if (input.kind === 'text') {
      const answered = prompt === OUTCOME_PROMPT && readOutcome(input.text, locale, !!options.hits?.length);
      if (!answered) {
        const request = await readNewRequest(input.text, {
          recognizer: this.deps.recognizer,
          locale,
          prompt: prompt === OUTCOME_PROMPT ? 'choice' : 'text',
          // At "describe the problem", a problem is the answer.
          stay: prompt === PROBLEM_PROMPT ? ['technical_problem', 'search_kb'] : [],
        });
        if (request) {
          await innerDc.cancelAllDialogs();
          return { status: DialogTurnStatus.complete, result: newRequestResult(request) };
        }
      }
    }
    return await super.onContinueDialog(innerDc);
  }

  private async askProblemStep(step: WaterfallStepContext<KnowledgeState>): Promise<DialogTurnResult> {
    const state = step.options;
    if (state.query?.trim()) return await step.next(state.query);
    return await step.prompt(PROBLEM_PROMPT, { prompt: t(state.locale, 'kb.askProblem') });
  }

  private async searchStep(step: WaterfallStepContext<KnowledgeState>): Promise<DialogTurnResult> {
    const state = step.options;
    const query = String(step.result ?? '').trim();
    state.query = query;
    const locale = state.locale;
    const found = await this.deps.knowledgeBase.search(query, { locale, module: state.module, limit: 3 });
    const hits = found.filter(isClose);
    state.hits = hits.map(({ key, locale, title, url, module, score }) => ({
      key,
      locale,
      title,
      url,
      module,
      score,
    }));
    const shown = plainText(quote(query));

    if (!hits.length) {
      await this.record(step.context, state, 'no_results');
      const key = found.length ? 'kb.nothingClose' : 'kb.nothingFound';
      return await step.prompt(OUTCOME_PROMPT, {
        validations: { locale, found: false, nothing: key, query: shown } satisfies OutcomeValidations,
      });
    }

    const answer = await this.deps.answer?.compose({
      question: query,
      locale,
      hits,
      conversationId: step.context.activity.conversation.id,
    });
    if (answer) await step.context.sendActivity(answer.text);
    // One message: the articles, then the question with its buttons (the prompt's own question
    // is for when it is asked again).
    const lines = [t(locale, 'kb.results', { query: shown })];
    if (hits.some((hit) => hit.locale !== locale)) {
      lines.push(
        t(locale, 'kb.resultsOtherLanguage', {
          language: t(locale, locale === 'en' ? 'language.french' : 'language.english'),
        }),
      );
    }
    lines.push(t(locale, 'kb.askOutcome'));
    const results = outcomeButtons(locale, true, lines.join(' '));
    results.attachmentLayout = 'list';
    results.attachments = hits.map((hit, i) =>
      articleCard(answer?.cites ? citedHit(hit, i) : hit, locale, this.deps.catalogue),
    );
    await step.context.sendActivity(results);
    return await step.prompt(OUTCOME_PROMPT, {
      validations: { locale, found: true } satisfies OutcomeValidations,
    });
  }

  private async outcomeStep(step: WaterfallStepContext<KnowledgeState>): Promise<DialogTurnResult> {
    const state = step.options;
    const locale = state.locale;
    const hits = state.hits ?? [];
    const choice = readOutcome(String(step.result ?? ''), locale, hits.length > 0) || 'not_solved';

    if (choice === 'solved') {
      await this.record(step.context, state, 'solved');
      await step.context.sendActivity(t(locale, 'kb.solved'));
      return await step.endDialog({ outcome: 'solved' } satisfies KnowledgeResult);
    }
    if (choice === 'search_again') {
      if (hits.length) await this.record(step.context, state, 'search_again');
      await step.context.sendActivity(t(locale, 'kb.searchAgain'));
      return await step.replaceDialog(WATERFALL, {
        locale,
        module: state.module,
        previousQuery: state.query,
      } satisfies KnowledgeOptions);
    }
    if (hits.length) await this.record(step.context, state, 'not_solved');
    const result: KnowledgeResult = {
      outcome: 'not_solved',
      problem: state.query ?? '',
      module: state.module ?? inferModule(hits),
      articlesTried: hits.map((hit) => ({ key: hit.key, title: hit.title, url: hit.url })),
    };
    return await step.endDialog(result);
  }

  private validateOutcome(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const { locale, found } = (prompt.options.validations ?? {}) as Partial<OutcomeValidations>;
    const valid = !!readOutcome(prompt.recognized.value ?? '', locale ?? 'en', found ?? true);
    if (!valid) noteTurn(prompt.context, { invalidAnswer: OUTCOME_PROMPT });
    return Promise.resolve(valid);
  }

  /** Feedback is for improving the KB: a failure to record it must never cost the user the answer. */
  private async record(context: TurnContext, state: KnowledgeState, outcome: FeedbackOutcome): Promise<void> {
    noteTurn(context, { search: outcome === 'solved' ? 'solved' : 'failed' });
    try {
      await this.deps.feedback.record({
        query: (state.query ?? '').slice(0, 4000),
        locale: state.locale,
        module: state.module,
        articles: (state.hits ?? []).map((hit, index) => ({
          key: hit.key,
          locale: hit.locale,
          rank: index + 1,
        })),
        outcome,
        conversationId: context.activity.conversation.id,
        channel: context.activity.channelId,
      });
    } catch (error) {
      this.deps.logger.warn(
        { err: error, conversationId: context.activity.conversation.id },
        'feedback not recorded',
      );
    }
  }
}

/** The module the best articles agree on: the top hit's, when the second does not contradict it. */
function inferModule(hits: ShownHit[]): string | undefined {
  const [first, second] = hits;
  if (!first) return undefined;
  if (second && second.module !== first.module && second.score > first.score * 0.9) return undefined;
  return first.module;
}

/**
 * Below this share of the query's words, an article is not shown: it matched a word or two of
 * the message, not the problem ("the coffee machine is broken" is not about the agent).
 */
export const RELEVANCE_FLOOR = 0.34;

function isClose(hit: SearchHit): boolean {
  if (hit.coverage === undefined && hit.similarity === undefined) return true;
  // Hybrid scores are fusion ranks (~0.016-0.033), not evidence: judge the words and the
  // meaning on their own scales. A hybrid search marks only articles above its similarity floor.
  return (hit.coverage ?? 0) >= RELEVANCE_FLOOR || hit.similarity !== undefined;
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}…` : oneLine;
}

function outcomeOptions(locale: Locale, found: boolean): Array<ChoiceOption<OutcomeChoice>> {
  const solved: ChoiceOption<OutcomeChoice> = {
    value: 'solved',
    words: [
      t(locale, 'kb.choiceSolved'),
      'solved',
      'résolu',
      'yes',
      'oui',
      'it worked',
      'ça marche',
      'that worked',
    ],
  };
  const notSolved: ChoiceOption<OutcomeChoice> = {
    value: 'not_solved',
    words: [
      t(locale, found ? 'kb.choiceNotSolved' : 'kb.choiceOpenTicket'),
      t(locale, 'kb.choiceNotSolved'),
      t(locale, 'kb.choiceOpenTicket'),
      'not solved',
      'non résolu',
      'no',
      'non',
      'open a ticket',
      'ouvrir un ticket',
      'ticket',
      'no open a ticket',
      'non ouvrir un ticket',
      "it didn't work",
      'ça ne marche pas',
    ],
  };
  const again: ChoiceOption<OutcomeChoice> = {
    value: 'search_again',
    words: [
      t(locale, 'kb.choiceSearchAgain'),
      'search again',
      'chercher à nouveau',
      'again',
      'encore',
      'new search',
      'nouvelle recherche',
    ],
  };
  return found ? [solved, notSolved, again] : [notSolved, again];
}

function readOutcome(text: string, locale: Locale, found: boolean): OutcomeChoice | undefined {
  return readChoice(text, outcomeOptions(locale, found));
}

interface OutcomeValidations {
  locale: Locale;
  /** Articles were found: the question then went out with them, in the same message. */
  found: boolean;
  /** With no article: what the first question says, and the query it quotes (as shown). */
  nothing?: 'kb.nothingClose' | 'kb.nothingFound';
  query?: string;
}

/**
 * "Did one of these solve your problem?" The first time, the question rides on the results message
 * (one message instead of two, in the chat and on the wire); the prompt sends it itself only when
 * it is asked again: after "help", on a return from another dialog, or with a retry. Its messages
 * are made from its validations when sent, not kept in the conversation's state (read and written
 * on every turn) as two whole activities.
 */
class OutcomePrompt extends TextPrompt {
  protected override async onPrompt(
    context: TurnContext,
    state: { askedWithResults?: boolean },
    options: PromptOptions,
    isRetry: boolean,
  ): Promise<void> {
    const {
      locale = 'en',
      found = true,
      nothing,
      query = '',
    } = (options.validations as Partial<OutcomeValidations> | undefined) ?? {};
    if (!isRetry && found && !state.askedWithResults) {
      state.askedWithResults = true;
      return;
    }
    const text = isRetry
      ? t(locale, found ? 'kb.retryOutcome' : 'kb.retryOutcomeNothing')
      : found
        ? t(locale, 'kb.askOutcome')
        : t(locale, nothing ?? 'kb.nothingFound', { query });
    await context.sendActivity(outcomeButtons(locale, found, text));
  }
}

function outcomeButtons(locale: Locale, found: boolean, text: string): Partial<Activity> {
  const labels = found
    ? [t(locale, 'kb.choiceSolved'), t(locale, 'kb.choiceNotSolved'), t(locale, 'kb.choiceSearchAgain')]
    : [t(locale, 'kb.choiceOpenTicket'), t(locale, 'kb.choiceSearchAgain')];
  return MessageFactory.suggestedActions(labels.map(imBack), text);
}
