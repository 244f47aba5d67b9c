import { MessageFactory } from 'botbuilder';
import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Logger } from '../services/logger';
import type { SatisfactionService } from '../services/satisfaction';
import { imBack } from './cards/actions';
import { satisfactionCard, type SatisfactionCardAction } from './cards/handoffCards';
import { readCommand } from './intake/fields';
import { t, type Locale } from './texts';

export const SATISFACTION_DIALOG = 'SatisfactionDialog';
const WATERFALL = 'SatisfactionDialog.waterfall';
const COMMENT_PROMPT = 'SatisfactionDialog.comment';

export interface SatisfactionOptions {
  locale: Locale;
  /** A score button pressed; absent: ask now (a knowledge conversation just marked solved). */
  action?: SatisfactionCardAction | undefined;
}

interface SatisfactionState extends SatisfactionOptions {
  surveyId?: string;
}

export interface SatisfactionDialogDeps {
  satisfaction: SatisfactionService;
  logger: Logger;
}

/**
 * The satisfaction question (product.md flow I): 1–5, then an optional comment. Asked once per
 * resolution (the service decides); a second press of a score is thanked, not counted.
 */
export class SatisfactionDialog extends ComponentDialog {
  constructor(private readonly deps: SatisfactionDialogDeps) {
    super(SATISFACTION_DIALOG);
    this.addDialog(new TextPrompt(COMMENT_PROMPT));
    this.addDialog(
      new WaterfallDialog<SatisfactionState>(WATERFALL, [
        this.scoreStep.bind(this),
        this.commentStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  private async scoreStep(step: WaterfallStepContext<SatisfactionState>): Promise<DialogTurnResult> {
    const { locale, action } = step.options;
    if (!action) {
      const survey = await this.deps.satisfaction.startKnowledgeSurvey(
        step.context.activity.conversation.id,
        locale,
      );
      await step.context.sendActivity(
        MessageFactory.attachment(
          satisfactionCard(locale, t(locale, 'satisfaction.askKnowledge'), survey.id),
        ),
      );
      return await step.endDialog();
    }
    const result = await this.deps.satisfaction.answer(action.surveyId, action.score);
    if (result.kind !== 'recorded') {
      await step.context.sendActivity(t(locale, 'satisfaction.already'));
      return await step.endDialog();
    }
    step.options.surveyId = action.surveyId;
    const noComment = t(locale, 'satisfaction.noComment');
    return await step.prompt(COMMENT_PROMPT, {
      prompt: MessageFactory.suggestedActions([imBack(noComment)], t(locale, 'satisfaction.askComment')),
    });
  }

  private async commentStep(step: WaterfallStepContext<SatisfactionState>): Promise<DialogTurnResult> {
    const { locale, surveyId } = step.options;
    const text = String(step.result ?? '').trim();
    const skipped = !text || text === t(locale, 'satisfaction.noComment') || readCommand(text) !== undefined;
    if (!skipped && surveyId) await this.deps.satisfaction.comment(surveyId, text);
    await step.context.sendActivity(t(locale, 'satisfaction.thanks'));
    return await step.endDialog();
  }
}
