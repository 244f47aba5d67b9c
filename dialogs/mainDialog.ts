import { MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogState,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { welcomeCard, type WelcomeAction } from './cards/welcomeCard';
import { t, type Locale, type TextKey } from './texts';

export const MAIN_DIALOG = 'MainDialog';
const MAIN_WATERFALL = 'MainDialog.waterfall';

/** The most text Helpline takes in one message; longer messages are refused kindly. */
export const MAX_MESSAGE_LENGTH = 4000;

/** What MainDialog needs to know about the turn that the bot host resolved. */
export interface TurnInfo {
  locale: Locale;
}

const ACTION_LABELS: Record<WelcomeAction, TextKey> = {
  search_kb: 'welcome.searchKb',
  open_ticket: 'welcome.openTicket',
  my_requests: 'welcome.myRequests',
  billing: 'welcome.billing',
  service_status: 'welcome.status',
};

/**
 * The root dialog: takes each new request (a welcome-card button or free text) and hands it to
 * the dialog for that job. Dialogs not built yet answer with a polite "coming soon".
 */
export class MainDialog extends ComponentDialog {
  constructor(private readonly turnInfo: (context: TurnContext) => Promise<TurnInfo>) {
    super(MAIN_DIALOG);
    this.addDialog(new WaterfallDialog(MAIN_WATERFALL, [this.routeStep.bind(this), this.finalStep.bind(this)]));
    this.initialDialogId = MAIN_WATERFALL;
  }

  /** Runs the dialog stack for one turn: continues the active dialog or starts MainDialog. */
  async run(context: TurnContext, accessor: StatePropertyAccessor<DialogState>): Promise<void> {
    const dialogSet = new DialogSet(accessor);
    dialogSet.add(this);
    const dialogContext = await dialogSet.createContext(context);
    const result = await dialogContext.continueDialog();
    if (result.status === DialogTurnStatus.empty) {
      await dialogContext.beginDialog(this.id);
    }
  }

  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { locale } = await this.turnInfo(step.context);
    const activity = step.context.activity;
    const action = readWelcomeAction(activity.value);
    if (action) {
      await step.context.sendActivity(t(locale, 'main.comingSoon', { feature: t(locale, ACTION_LABELS[action]) }));
      return await step.endDialog();
    }
    const text = (activity.text ?? '').trim();
    if (text.length > MAX_MESSAGE_LENGTH) {
      await step.context.sendActivity(t(locale, 'main.tooLong', { length: text.length, max: MAX_MESSAGE_LENGTH }));
      return await step.endDialog();
    }
    await step.context.sendActivity(
      MessageFactory.attachment(welcomeCard(locale), t(locale, 'main.notUnderstood')),
    );
    return await step.endDialog();
  }

  private async finalStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return await step.endDialog();
  }
}

export function readWelcomeAction(value: unknown): WelcomeAction | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const action = (value as { helpline?: unknown }).helpline;
  const known: WelcomeAction[] = ['search_kb', 'open_ticket', 'my_requests', 'billing', 'service_status'];
  return known.find((a) => a === action);
}
