import { MessageFactory, type TurnContext } from 'botbuilder';
import {
  ChoicePrompt,
  ComponentDialog,
  ListStyle,
  TextPrompt,
  WaterfallDialog,
  type Choice,
  type DialogTurnResult,
  type FoundChoice,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { ProductCatalogue } from '../services/catalogue';
import type { FeedbackOutcome, FeedbackStore, KnowledgeBase, SearchHit } from '../services/knowledge';
import type { Logger } from '../services/logger';
import { imBack } from './cards/actions';
import { articleCard } from './cards/articleCards';
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
}

export interface ArticleTried {
  key: string;
  title: string;
  url?: string | undefined;
}

/** How the knowledge step ended; `not_solved` carries everything the ticket intake needs. */
export type KnowledgeResult =
  | { outcome: 'solved' }
  | { outcome: 'not_solved'; problem: string; module?: string | undefined; articlesTried: ArticleTried[] };

interface KnowledgeState extends KnowledgeOptions {
  hits?: SearchHit[];
}

type OutcomeChoice = 'solved' | 'not_solved' | 'search_again';

export interface KnowledgeDialogDeps {
  knowledgeBase: KnowledgeBase;
  feedback: FeedbackStore;
  catalogue: ProductCatalogue;
  logger: Logger;
}

/**
 * Flow A: before any ticket, find the article that answers. Shows the best three articles, then
 * Solved / Not solved, open a ticket / Search again, and records what was shown and how it ended.
 */
export class KnowledgeDialog extends ComponentDialog {
  constructor(private readonly deps: KnowledgeDialogDeps) {
    super(KNOWLEDGE_DIALOG);
    this.addDialog(new TextPrompt(PROBLEM_PROMPT));
    this.addDialog(new ChoicePrompt(OUTCOME_PROMPT));
    this.addDialog(
      new WaterfallDialog<KnowledgeState>(WATERFALL, [
        this.askProblemStep.bind(this),
        this.searchStep.bind(this),
        this.outcomeStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
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
    const hits = await this.deps.knowledgeBase.search(query, { locale, module: state.module, limit: 3 });
    state.hits = hits;
    const shown = quote(query);

    if (!hits.length) {
      await this.record(step.context, state, 'no_results');
      return await step.prompt(OUTCOME_PROMPT, {
        prompt: t(locale, 'kb.nothingFound', { query: shown }),
        retryPrompt: t(locale, 'kb.retryOutcome'),
        choices: this.choices(locale, false),
        style: ListStyle.suggestedAction,
      });
    }

    const cards = MessageFactory.list(hits.map((hit) => articleCard(hit, locale, this.deps.catalogue)));
    cards.text = t(locale, 'kb.results', { query: shown });
    if (hits.some((hit) => hit.locale !== locale)) {
      cards.text += ` ${t(locale, 'kb.resultsOtherLanguage', { language: t(locale, locale === 'en' ? 'language.french' : 'language.english') })}`;
    }
    await step.context.sendActivity(cards);
    return await step.prompt(OUTCOME_PROMPT, {
      prompt: t(locale, 'kb.askOutcome'),
      retryPrompt: t(locale, 'kb.retryOutcome'),
      choices: this.choices(locale, true),
      style: ListStyle.suggestedAction,
    });
  }

  private async outcomeStep(step: WaterfallStepContext<KnowledgeState>): Promise<DialogTurnResult> {
    const state = step.options;
    const choice = (step.result as FoundChoice).value as OutcomeChoice;
    const locale = state.locale;
    const hits = state.hits ?? [];

    if (choice === 'solved') {
      await this.record(step.context, state, 'solved');
      await step.context.sendActivity(t(locale, 'kb.solved'));
      return await step.endDialog({ outcome: 'solved' } satisfies KnowledgeResult);
    }
    if (choice === 'search_again') {
      if (hits.length) await this.record(step.context, state, 'search_again');
      await step.context.sendActivity(t(locale, 'kb.searchAgain'));
      return await step.replaceDialog(this.id, { locale, module: state.module } satisfies KnowledgeOptions);
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

  private choices(locale: Locale, found: boolean): Choice[] {
    const solved: Choice = {
      value: 'solved',
      action: imBack(t(locale, 'kb.choiceSolved')),
      synonyms: ['solved', 'résolu', 'resolu', 'yes', 'oui'],
    };
    const notSolved: Choice = {
      value: 'not_solved',
      action: imBack(t(locale, found ? 'kb.choiceNotSolved' : 'kb.choiceOpenTicket')),
      synonyms: [
        'not solved',
        'non résolu',
        'non resolu',
        'no',
        'non',
        'open a ticket',
        'ouvrir un ticket',
        'ticket',
      ],
    };
    const again: Choice = {
      value: 'search_again',
      action: imBack(t(locale, 'kb.choiceSearchAgain')),
      synonyms: ['search again', 'chercher à nouveau', 'chercher a nouveau', 'again', 'encore'],
    };
    const list = found ? [solved, notSolved, again] : [notSolved, again];
    return list.map((c) => ({ ...c, synonyms: [...(c.synonyms ?? []), c.action!.title] }));
  }

  /** Feedback is for improving the KB: a failure to record it must never cost the user the answer. */
  private async record(context: TurnContext, state: KnowledgeState, outcome: FeedbackOutcome): Promise<void> {
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
function inferModule(hits: SearchHit[]): string | undefined {
  const [first, second] = hits;
  if (!first) return undefined;
  if (second && second.module !== first.module && second.score > first.score * 0.9) return undefined;
  return first.module;
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}…` : oneLine;
}
