import { MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type Dialog,
  type DialogContext,
  type DialogState,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Intent } from '../services/intents';
import { readRequestCardAction } from './cards/requestCards';
import { withWayOn } from './cards/wayOn';
import { welcomeCard, type WelcomeAction } from './cards/welcomeCard';
import { isNewRequestResult, readInput, turnFacts } from './input';
import { looksLikeFeatureRequest } from './intake/extract';
import { isSeverityOneSituation } from './intake/severity';
import { KNOWLEDGE_DIALOG, type KnowledgeOptions, type KnowledgeResult } from './knowledgeDialog';
import { t, type Locale, type TextKey } from './texts';
import type { MainDialogDeps, RouteRequest } from './mainRouting';
import { answerRepeatedSubmit } from './ticketIntakeDialog';
import { answerRepeatedBillingSubmit, type BillingResult } from './billingAssistantDialog';
import type { MyRequestsResult } from './myRequestsDialog';
import { readHandoffCardAction, readSatisfactionCardAction } from './cards/handoffCards';
import { asksForPerson, type HandoffResult } from './handoffDialog';
import { noteTurn } from './giveUp';

export const MAIN_DIALOG = 'MainDialog';
const MAIN_WATERFALL = 'MainDialog.waterfall';

/** The most text Helpline takes in one message; longer messages are refused kindly. */
export const MAX_MESSAGE_LENGTH = 4000;

export type { MainDialogChildren, MainDialogDeps, RouteRequest } from './mainRouting';

const ACTION_INTENTS: Record<WelcomeAction, Intent> = {
  search_kb: 'search_kb',
  open_ticket: 'open_ticket',
  my_requests: 'my_requests',
  billing: 'billing',
  service_status: 'service_status',
};

const ACTION_LABELS: Partial<Record<Intent, TextKey>> = {
  open_ticket: 'welcome.openTicket',
  my_requests: 'welcome.myRequests',
  billing: 'welcome.billing',
  service_status: 'welcome.status',
};

interface MainState {
  request?: RouteRequest;
  /** A request a child handed back (a new request at its prompt): routed without asking again. */
  handed?: RouteRequest;
  /** What the knowledge step learnt, for the intake a `handed` open_ticket starts. */
  fromKnowledge?: KnowledgeResult;
}

/**
 * The root dialog: takes each new request (a welcome-card button or free text), works out what
 * the user wants with the intent recognizer, and hands it to the dialog for that job. A problem
 * that the knowledge base did not solve goes on to the ticket intake with what was learnt.
 */
export class MainDialog extends ComponentDialog {
  constructor(private readonly deps: MainDialogDeps) {
    super(MAIN_DIALOG);
    this.addDialog(deps.children.knowledge);
    for (const child of [
      deps.children.ticketIntake,
      deps.children.billing,
      deps.children.myRequests,
      deps.children.serviceStatus,
      deps.children.handoff,
      deps.children.satisfaction,
    ]) {
      if (child) this.addDialog(child.dialog);
    }
    this.addDialog(
      new WaterfallDialog<MainState>(MAIN_WATERFALL, [
        this.routeStep.bind(this),
        this.afterChildStep.bind(this),
      ]),
    );
    this.initialDialogId = MAIN_WATERFALL;
  }

  override async beginDialog(outerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    return await this.watched(outerDc, await super.beginDialog(outerDc, options));
  }

  override async continueDialog(outerDc: DialogContext): Promise<DialogTurnResult> {
    return await this.watched(outerDc, await super.continueDialog(outerDc));
  }

  /** At the end of each turn, whatever ran: does the bot give up and offer a person? */
  private async watched(dc: DialogContext, result: DialogTurnResult): Promise<DialogTurnResult> {
    if (this.deps.giveUp) {
      const { locale } = await turnFacts(dc.context, this.deps.context);
      await this.deps.giveUp.afterTurn(dc.context, locale, result.status === DialogTurnStatus.waiting);
    }
    return result;
  }

  /** "Talk to a person" (typed, or its button) works at every prompt: it leaves the flow in progress for the handoff. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const text = (innerDc.context.activity.text ?? '').trim();
    const pressed = readHandoffCardAction(innerDc.context.activity.value)?.helpline === 'handoff_start';
    if (this.deps.children.handoff && (pressed || (text.length < 80 && asksForPerson(text)))) {
      await innerDc.cancelAllDialogs();
      return await innerDc.beginDialog(MAIN_WATERFALL, {});
    }
    return await super.onContinueDialog(innerDc);
  }

  /** Runs the dialog stack for one turn: continues the active dialog or starts MainDialog. */
  async run(context: TurnContext, accessor: StatePropertyAccessor<DialogState>): Promise<void> {
    const dialogSet = new DialogSet(accessor);
    dialogSet.add(this);
    const dialogContext = await dialogSet.createContext(context);
    const facts = await turnFacts(context, this.deps.context);
    if (context.activity.type === 'message' && dialogContext.activeDialog) {
      // The welcome card's buttons and "menu" leave whatever is in progress, from any prompt.
      const input = readInput(context.activity);
      const leaves = input.kind === 'welcome' || (input.kind === 'command' && input.command === 'menu');
      if (leaves) {
        await dialogContext.cancelAllDialogs();
        if (input.kind === 'command') {
          await context.sendActivity(
            MessageFactory.attachment(welcomeCard(facts.locale), t(facts.locale, 'main.menu')),
          );
          return;
        }
      }
    }
    const result = await dialogContext.continueDialog();
    if (result.status === DialogTurnStatus.empty) {
      await dialogContext.beginDialog(this.id, {});
    }
  }

  private async routeStep(step: WaterfallStepContext<MainState>): Promise<DialogTurnResult> {
    const context = step.context;
    const facts = await turnFacts(context, this.deps.context);
    const locale = facts.locale;
    const activity = context.activity;
    const handed = step.options.handed;
    if (handed) {
      delete step.options.handed;
      const fromKnowledge = step.options.fromKnowledge;
      delete step.options.fromKnowledge;
      const intake = this.deps.children.ticketIntake;
      if (handed.intent === 'open_ticket' && intake) {
        step.options.request = spent({ ...handed, locale });
        return await step.beginDialog(intake.dialog.id, intake.options({ ...handed, locale }, fromKnowledge));
      }
      return await this.route(step, { ...handed, locale });
    }

    if (await answerRepeatedSubmit(context, this.deps.context, locale)) return await step.endDialog();
    if (await answerRepeatedBillingSubmit(context, this.deps.context, locale)) return await step.endDialog();
    const input = readInput(activity);
    if (input.kind === 'welcome') {
      return await this.route(step, { intent: ACTION_INTENTS[input.action], locale });
    }
    // A ticket card's button pressed outside its flow (a card shown earlier, or to a colleague in
    // a channel thread): My requests opens that ticket for whoever pressed it, if they may see it.
    const requestAction = readRequestCardAction(activity.value);
    if (requestAction && 'number' in requestAction) {
      return await this.route(step, { intent: 'my_requests', locale, text: requestAction.number });
    }

    if (readHandoffCardAction(activity.value) && this.deps.children.handoff) {
      return await this.startChild(
        step,
        { intent: 'talk_to_person', locale, value: activity.value },
        this.deps.children.handoff,
      );
    }
    if (readSatisfactionCardAction(activity.value) && this.deps.children.satisfaction) {
      return await this.startChild(
        step,
        { intent: 'greeting_help', locale, value: activity.value },
        this.deps.children.satisfaction,
      );
    }

    const text = (activity.text ?? '').trim();
    if (text && asksForPerson(text))
      return await this.route(step, { intent: 'talk_to_person', locale, text });
    if (!text) {
      await context.sendActivity(MessageFactory.attachment(welcomeCard(locale)));
      return await step.endDialog();
    }
    if (text.length > MAX_MESSAGE_LENGTH) {
      await context.sendActivity(t(locale, 'main.tooLong', { length: text.length, max: MAX_MESSAGE_LENGTH }));
      return await step.endDialog();
    }
    if (input.kind === 'command') {
      // "cancel", "help", "back"... with nothing in progress: show what can be done.
      await context.sendActivity(MessageFactory.attachment(welcomeCard(locale), t(locale, 'main.help')));
      return await step.endDialog();
    }
    if (facts.languageChange === 'asked') {
      await context.sendActivity(
        MessageFactory.attachment(welcomeCard(locale), t(locale, 'main.languageSwitched')),
      );
      return await step.endDialog();
    }
    const recognition = await this.deps.recognizer.recognize(text, { locale });
    return await this.route(step, { intent: recognition.top, locale, text, recognition });
  }

  private async route(
    step: WaterfallStepContext<MainState>,
    request: RouteRequest,
  ): Promise<DialogTurnResult> {
    step.options.request = spent(request);
    const { locale } = request;
    const send = async (key: TextKey, wayOn: readonly WelcomeAction[]): Promise<DialogTurnResult> => {
      await step.context.sendActivity(withWayOn(locale, t(locale, key), wayOn));
      return await step.endDialog();
    };
    const children = this.deps.children;
    switch (request.intent) {
      case 'technical_problem':
      case 'search_kb':
      case 'unknown': {
        const words = request.text?.split(/\s+/).filter(Boolean).length ?? 0;
        if (request.intent === 'unknown' && words < 3) {
          await step.context.sendActivity(
            MessageFactory.attachment(welcomeCard(locale), t(locale, 'main.notUnderstood')),
          );
          return await step.endDialog();
        }
        if (request.text && looksLikeFeatureRequest(request.text))
          return await send('main.featureRequest', ['search_kb', 'open_ticket']);
        const intake = children.ticketIntake;
        if (request.text && intake && isSeverityOneSituation(request.text)) {
          // A critical outage is offered the ticket first, not articles (and a person, when one is there).
          noteTurn(step.context, { severityOne: true });
          const options = intake.options({ ...request, intent: 'open_ticket' });
          return await step.beginDialog(intake.dialog.id, { ...options, severityOneFirst: true });
        }
        const query = request.intent === 'search_kb' && words < 4 ? undefined : request.text;
        return await step.beginDialog(KNOWLEDGE_DIALOG, { locale, query } satisfies KnowledgeOptions);
      }
      case 'open_ticket':
        return await this.startChild(step, request, children.ticketIntake);
      case 'billing':
        return await this.startChild(step, request, children.billing);
      case 'my_requests':
        return await this.startChild(step, request, children.myRequests);
      case 'service_status':
        return await this.startChild(step, request, children.serviceStatus);
      case 'talk_to_person':
        if (children.handoff) return await this.startChild(step, request, children.handoff);
        return await send('main.talkToPerson', ['open_ticket', 'my_requests', 'service_status']);
      case 'feature_request':
        return await send('main.featureRequest', ['search_kb', 'open_ticket']);
      case 'out_of_scope':
        return await send('main.outOfScope', ['billing', 'search_kb']);
      case 'greeting_help':
        await step.context.sendActivity(
          MessageFactory.attachment(welcomeCard(locale), t(locale, 'main.help')),
        );
        return await step.endDialog();
    }
  }

  private async startChild(
    step: WaterfallStepContext<MainState>,
    request: RouteRequest,
    child:
      | {
          dialog: Dialog;
          options: (request: RouteRequest) => object;
          before?: (context: TurnContext, locale: Locale) => Promise<void>;
        }
      | undefined,
  ): Promise<DialogTurnResult> {
    if (!child) {
      const label = ACTION_LABELS[request.intent];
      await step.context.sendActivity(
        t(request.locale, 'main.comingSoon', { feature: label ? t(request.locale, label) : request.intent }),
      );
      return await step.endDialog();
    }
    await child.before?.(step.context, request.locale);
    return await step.beginDialog(child.dialog.id, child.options(request));
  }

  private async afterChildStep(step: WaterfallStepContext<MainState>): Promise<DialogTurnResult> {
    const result = step.result as KnowledgeResult | undefined;
    const request = step.options.request;
    if (isNewRequestResult(step.result)) {
      // Something else asked at a child's prompt: route it as if it had just been written.
      const { locale } = await turnFacts(step.context, this.deps.context);
      const recognition =
        step.result.recognition ?? (await this.deps.recognizer.recognize(step.result.text, { locale }));
      return await step.replaceDialog(MAIN_WATERFALL, {
        handed: { intent: recognition.top, locale, text: step.result.text, recognition },
      } satisfies MainState);
    }
    const requests = step.result as MyRequestsResult | undefined;
    if (requests?.outcome === 'new_ticket' && request && this.deps.children.ticketIntake) {
      const { locale } = await turnFacts(step.context, this.deps.context);
      return await step.replaceDialog(MAIN_WATERFALL, {
        handed: { intent: 'open_ticket', locale, relatedTicketNumber: requests.relatedTicketNumber },
      } satisfies MainState);
    }
    const billing = step.result as BillingResult | undefined;
    if (billing?.outcome === 'handed_back' && billing.technicalText) {
      // A technical question asked in the billing assistant: back to the technical flow with it,
      // through this router, so that what the search ends with (a ticket) is taken on too.
      const { locale } = await turnFacts(step.context, this.deps.context);
      return await step.replaceDialog(MAIN_WATERFALL, {
        handed: { intent: 'technical_problem', locale, text: billing.technicalText },
      } satisfies MainState);
    }
    const handoff = step.result as HandoffResult | undefined;
    if (handoff?.outcome === 'ticket' && this.deps.children.ticketIntake) {
      const locale = await this.deps.context.locale(step.context);
      const intake = this.deps.children.ticketIntake;
      return await step.replaceDialog(
        intake.dialog.id,
        intake.options(
          { intent: 'open_ticket', locale },
          { outcome: 'not_solved', problem: handoff.problem, articlesTried: [] },
        ),
      );
    }
    if (result?.outcome === 'solved' && this.deps.children.satisfaction) {
      const locale = await this.deps.context.locale(step.context);
      const satisfaction = this.deps.children.satisfaction;
      return await step.replaceDialog(
        satisfaction.dialog.id,
        satisfaction.options({ intent: 'search_kb', locale }),
      );
    }
    if (result?.outcome === 'not_solved' && request) {
      const { locale } = await turnFacts(step.context, this.deps.context);
      const intake = this.deps.children.ticketIntake;
      if (!intake) {
        await step.context.sendActivity(
          t(locale, 'main.comingSoon', { feature: t(locale, 'welcome.openTicket') }),
        );
        return await step.endDialog();
      }
      // Through this router again, so that how the intake ends (a refusal) is answered here too.
      return await step.replaceDialog(MAIN_WATERFALL, {
        handed: { ...request, locale, intent: 'open_ticket' },
        fromKnowledge: result,
      } satisfies MainState);
    }
    const ended = (step.result as { outcome?: string } | undefined)?.outcome;
    if (ended === 'refused' || ended === 'not_allowed' || ended === 'unavailable') {
      // The child said what cannot be done; offer what can.
      const { locale } = await turnFacts(step.context, this.deps.context);
      const request = step.options.request?.intent;
      const ways = WAYS_ON.filter((action) => ACTION_INTENTS[action] !== request);
      await step.context.sendActivity(withWayOn(locale, t(locale, 'main.wayOn'), ways));
    }
    return await step.endDialog(step.result);
  }
}

/** What a dead end offers instead, in this order (the flow that just refused is left out). */
const WAYS_ON: readonly WelcomeAction[] = ['search_kb', 'service_status', 'my_requests', 'billing'];

/**
 * The request as kept in state while its child runs: the recognition that routed it (every intent
 * with its score) is not read again, and state is read and written on every turn.
 */
function spent(request: RouteRequest): RouteRequest {
  return { ...request, recognition: undefined };
}
