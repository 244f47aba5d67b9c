import { randomUUID } from 'node:crypto';
import { MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { ProductCatalogue } from '../services/catalogue';
import { isAppError, isDatabaseUnavailable } from '../services/errors';
import type { IdentityService, KnownContact } from '../services/identity';
import type { IntentRecognizer } from '../services/intents';
import type { Logger } from '../services/logger';
import type { Ticket, TicketService } from '../services/tickets';
import {
  changeFieldCard,
  FIELD_LABELS,
  severityLabel,
  summaryCard,
  ticketFormCard,
  type FormErrors,
  type IntakeCardAction,
} from './cards/intakeCards';
import {
  extractPlainFields,
  fold,
  INTAKE_FIELDS,
  isDontKnow,
  looksLikeSeveralProblems,
  parseCcs,
  parseDescription,
  parseDevices,
  parseModule,
  parseServerUrl,
  parseSeverity,
  parseSteps,
  parseSubject,
  parseVersion,
  parseYesNo,
  readCommand,
  subjectFrom,
  suggestSeverity,
  type EditableField,
  type IntakeField,
  type Reason,
  type TicketDraft,
} from './intake/fields';
import { imBack } from './cards/actions';
import { BILLING_ASSISTANT_DIALOG } from './billingAssistantDialog';
import type { ArticleTried } from './knowledgeDialog';
import { incidentNotice } from './serviceStatusDialog';
import type { StatusFeed } from '../services/status';
import { t, type Locale, type TextKey } from './texts';
import type { ConversationContextProvider } from './turnContextServices';

export const TICKET_INTAKE_DIALOG = 'TicketIntakeDialog';

export interface TicketIntakeOptions {
  locale: Locale;
  /** The user's first message, when the intake starts from free text: plainly stated fields are taken from it. */
  text?: string | undefined;
  /** What the knowledge step learnt: never asked again. */
  problem?: string | undefined;
  module?: string | undefined;
  articlesTried?: ArticleTried[] | undefined;
  relatedTicketNumber?: string | undefined;
}

export type TicketIntakeResult =
  { outcome: 'opened'; number: string } | { outcome: 'cancelled' } | { outcome: 'refused' };

type Mode =
  'field' | 'confirm_sev1' | 'summary' | 'change_pick' | 'form' | 'access_request' | 'confirm_billing';

interface IntakeState {
  locale: Locale;
  draftId: string;
  draft: TicketDraft;
  mode: Mode;
  field?: EditableField;
  /** After a change from the summary, go back to it. */
  returnToSummary?: boolean;
  /** Fields answered in this conversation, newest last: what "back" undoes. */
  answered: EditableField[];
  articlesTried: ArticleTried[];
  relatedTicketNumber?: string;
  contactId?: string;
  /** Extra note to show with the summary (e.g. a version warning). */
  notes: Reason[];
  /** A billing question asked mid-intake, waiting for the user to say whether to switch. */
  billingQuestion?: string;
  /** The mode to come back to after the billing detour. */
  resumeMode?: Mode;
  /** The module whose active incidents were already looked up. */
  incidentCheckedFor?: string;
}

export interface TicketIntakeDeps {
  tickets: TicketService;
  identities: IdentityService;
  catalogue: ProductCatalogue;
  recognizer: IntentRecognizer;
  context: ConversationContextProvider;
  /** Where active incidents come from; one on the chosen module is mentioned before the rest is asked. */
  statusFeed?: StatusFeed | undefined;
  logger: Logger;
  clock: () => Date;
}

/** Marks a turn whose user was already told the database is unavailable, so the host does not say it twice. */
import { newRequestResult, readNewRequest, readYesNo } from './input';
import { USER_TOLD_UNAVAILABLE } from './shared/flags';
export { USER_TOLD_UNAVAILABLE };

const UNKNOWABLE: ReadonlyArray<EditableField> = [
  'serverUrl',
  'stepsToReproduce',
  'devices',
  'productVersion',
];

/**
 * Flow B: collects a complete technical ticket with as few turns as possible and opens it once.
 * Known fields are never asked (identity, the knowledge step's problem and module, what the first
 * message states plainly); each answer is validated and re-asked with its reason; "cancel",
 * "help", "start over" and "back" work at every step as whole messages. The same data can be
 * entered in one Adaptive Card form. Submit is idempotent: the draft's id is the ticket's
 * idempotency key, so a repeated or concurrent Submit returns the same ticket.
 */
export class TicketIntakeDialog extends Dialog<TicketIntakeOptions> {
  constructor(private readonly deps: TicketIntakeDeps) {
    super(TICKET_INTAKE_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: TicketIntakeOptions): Promise<DialogTurnResult> {
    const locale = options?.locale ?? (await this.deps.context.locale(dc.context));
    const identity = await this.deps.context.identity(dc.context);
    const say = async (key: TextKey, vars?: Record<string, string | number>): Promise<void> => {
      await dc.context.sendActivity(t(locale, key, vars));
    };
    if (identity.kind === 'anonymous') {
      await say('intake.signIn');
      return await dc.endDialog({ outcome: 'refused' } satisfies TicketIntakeResult);
    }
    if (identity.kind === 'unknown') {
      await say('intake.unknownUser');
      return await dc.endDialog({ outcome: 'refused' } satisfies TicketIntakeResult);
    }
    const state = this.newState(locale, options, identity);
    dc.activeDialog!.state = state;
    if (!identity.canOpenTickets) {
      if (identity.reason === 'no_support_plan') {
        await say('intake.noSupportPlan', { manager: identity.organisation.accountManager.name });
        return await dc.endDialog({ outcome: 'refused' } satisfies TicketIntakeResult);
      }
      await say('intake.notAuthorized', { organisation: identity.organisation.name });
      state.mode = 'access_request';
      await dc.context.sendActivity(this.yesNo(locale, t(locale, 'intake.accessRequestAsk')));
      return Dialog.EndOfTurn;
    }

    const firstText = options?.text?.trim();
    if (firstText) this.applyPlainFields(state, firstText);
    await dc.context.sendActivity(
      MessageFactory.suggestedActions([imBack(t(locale, 'intake.formOffer'))], t(locale, 'intake.start')),
    );
    return await this.askNext(dc, state);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as IntakeState;
    const activity = dc.context.activity;
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    const action = readCardAction(activity.value, state.draftId);
    const text = (activity.text ?? '').trim();
    const { locale } = state;

    if (action) return await this.onCardAction(dc, state, action);
    if (state.mode === 'access_request') return await this.onAccessRequest(dc, state, text);

    const command = readCommand(text);
    if (command === 'cancel') {
      await dc.context.sendActivity(t(locale, 'intake.cancelled'));
      return await dc.endDialog({ outcome: 'cancelled' } satisfies TicketIntakeResult);
    }
    if (command === 'help') {
      await dc.context.sendActivity(t(locale, 'intake.help'));
      return await this.reprompt(dc, state);
    }
    if (command === 'start_over') {
      await dc.context.sendActivity(t(locale, 'intake.startOver'));
      state.draft = { ccs: [], unknown: [] };
      state.answered = [];
      state.notes = [];
      state.returnToSummary = false;
      return await this.askNext(dc, state);
    }
    if (command === 'back') return await this.goBack(dc, state);

    if (fold(text) === fold(t(locale, 'intake.formOffer'))) {
      return await this.showForm(dc, state);
    }

    if (state.mode === 'confirm_billing') return await this.onBillingSwitch(dc, state, text);
    if (
      (state.mode === 'field' || state.mode === 'summary') &&
      (await this.isBillingQuestion(text, locale))
    ) {
      state.billingQuestion = text;
      state.resumeMode = state.mode;
      state.mode = 'confirm_billing';
      await dc.context.sendActivity(this.yesNo(locale, t(locale, 'intake.billingHint')));
      return Dialog.EndOfTurn;
    }

    switch (state.mode) {
      case 'field':
        return await this.onFieldAnswer(dc, state, text);
      case 'confirm_sev1':
        return await this.onSev1Confirmation(dc, state, text);
      case 'summary':
        return await this.onSummaryText(dc, state, text);
      case 'change_pick':
        return await this.onChangePickText(dc, state, text);
      case 'form':
        // Typing instead of using the form: carry on in the chat.
        state.mode = 'field';
        return await this.askNext(dc, state);
    }
  }

  /** A clear billing question (not a field answer that merely mentions money). */
  private async isBillingQuestion(text: string, locale: Locale): Promise<boolean> {
    if (text.split(/\s+/).length < 4) return false;
    const recognition = await this.deps.recognizer.recognize(text, { locale });
    return recognition.top === 'billing' && recognition.score >= 0.85;
  }

  private async onBillingSwitch(
    dc: DialogContext,
    state: IntakeState,
    text: string,
  ): Promise<DialogTurnResult> {
    const answer = parseYesNo(text);
    const question = state.billingQuestion ?? '';
    state.mode = state.resumeMode ?? 'field';
    delete state.billingQuestion;
    if (answer === true) {
      // The billing assistant runs on top of this dialog; resumeDialog brings the draft back.
      return await dc.beginDialog(BILLING_ASSISTANT_DIALOG, { locale: state.locale, text: question });
    }
    if (answer === false && question) {
      return state.mode === 'field'
        ? await this.onFieldAnswer(dc, state, question)
        : await this.reprompt(dc, state);
    }
    return await this.reprompt(dc, state);
  }

  /** Back from the billing assistant: the draft is as it was; ask again where we were. */
  override async resumeDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as IntakeState;
    await dc.context.sendActivity(t(state.locale, 'intake.backToDraft'));
    return await this.reprompt(dc, state);
  }

  private newState(
    locale: Locale,
    options: TicketIntakeOptions | undefined,
    identity: KnownContact,
  ): IntakeState {
    const draft: TicketDraft = { ccs: [], unknown: [] };
    const problem = options?.problem?.trim();
    if (options?.module && this.deps.catalogue.get(options.module)?.technical) draft.module = options.module;
    if (problem) {
      const described = parseDescription(problem);
      if (described.ok) {
        draft.description = described.value.description;
        if (described.value.expectedResult) draft.expectedResult = described.value.expectedResult;
        draft.subject = subjectFrom(problem);
      }
    }
    return {
      locale,
      draftId: randomUUID(),
      draft,
      mode: 'field',
      answered: [],
      articlesTried: options?.articlesTried ?? [],
      ...(options?.relatedTicketNumber && { relatedTicketNumber: options.relatedTicketNumber }),
      contactId: identity.contact.id,
      notes: [],
    };
  }

  private applyPlainFields(state: IntakeState, text: string): void {
    const found = extractPlainFields(text, this.deps.catalogue);
    const draft = state.draft;
    draft.module ??= found.module;
    draft.serverUrl ??= found.serverUrl;
    if (found.severity && found.severity !== 1) draft.severity ??= found.severity;
    draft.devices ??= found.devices;
    if (found.productVersion && draft.module === found.module) draft.productVersion ??= found.productVersion;
  }

  // ----- asking -----

  private nextMissing(state: IntakeState): IntakeField | undefined {
    const draft = state.draft;
    for (const field of INTAKE_FIELDS) {
      if (draft.unknown.includes(field as never)) continue;
      if (field === 'devices') {
        const mod = draft.module ? this.deps.catalogue.get(draft.module) : undefined;
        if (mod && !mod.hasDevices) {
          draft.devices ??= [];
          continue;
        }
      }
      if (draft[field] === undefined) return field;
    }
    return undefined;
  }

  private async askNext(dc: DialogContext, state: IntakeState): Promise<DialogTurnResult> {
    const moduleId = state.draft.module;
    if (moduleId && this.deps.statusFeed && state.incidentCheckedFor !== moduleId) {
      state.incidentCheckedFor = moduleId;
      const notice = await incidentNotice(
        this.deps.statusFeed,
        moduleId,
        state.locale,
        this.deps.catalogue,
        this.deps.logger,
      );
      if (notice) await dc.context.sendActivity(notice);
    }
    if (state.returnToSummary) return await this.showSummary(dc, state);
    const field = this.nextMissing(state);
    if (!field) return await this.showSummary(dc, state);
    state.mode = 'field';
    state.field = field;
    await dc.context.sendActivity(this.questionFor(state, field));
    return Dialog.EndOfTurn;
  }

  private async reprompt(dc: DialogContext, state: IntakeState): Promise<DialogTurnResult> {
    switch (state.mode) {
      case 'summary':
        return await this.showSummary(dc, state);
      case 'change_pick':
        await dc.context.sendActivity(
          MessageFactory.attachment(changeFieldCard(state.locale, state.draftId, this.editableFields(state))),
        );
        return Dialog.EndOfTurn;
      case 'confirm_sev1':
        await dc.context.sendActivity(this.yesNo(state.locale, t(state.locale, 'intake.confirm24x7')));
        return Dialog.EndOfTurn;
      case 'form':
        return await this.showForm(dc, state);
      case 'access_request':
        await dc.context.sendActivity(this.yesNo(state.locale, t(state.locale, 'intake.accessRequestAsk')));
        return Dialog.EndOfTurn;
      case 'confirm_billing':
        await dc.context.sendActivity(this.yesNo(state.locale, t(state.locale, 'intake.billingHint')));
        return Dialog.EndOfTurn;
      case 'field':
        if (state.field) {
          await dc.context.sendActivity(this.questionFor(state, state.field));
          return Dialog.EndOfTurn;
        }
        return await this.askNext(dc, state);
    }
  }

  private questionFor(state: IntakeState, field: EditableField, reason?: Reason): Partial<Activity> {
    const { locale, draft } = state;
    const prefix = reason ? `${t(locale, reason.key, reason.vars)}\n\n` : '';
    const withHint = (key: TextKey, vars?: Record<string, string>): string =>
      `${prefix}${t(locale, key, vars)}${UNKNOWABLE.includes(field) && !reason ? ` ${t(locale, 'intake.dontKnowHint')}` : ''}`;
    switch (field) {
      case 'module':
        return MessageFactory.suggestedActions(
          this.deps.catalogue.technicalModules().map((m) => imBack(m.name[locale])),
          `${prefix}${t(locale, 'intake.askModule')}`,
        );
      case 'subject':
        return MessageFactory.text(`${prefix}${t(locale, 'intake.askSubject')}`);
      case 'description':
        return MessageFactory.text(`${prefix}${t(locale, 'intake.askDescription')}`);
      case 'severity': {
        const suggested = draft.description ? suggestSeverity(draft.description) : undefined;
        const suggestion = suggested
          ? t(locale, 'intake.severitySuggestion', { severity: severityLabel(locale, suggested) })
          : '';
        const text = [
          `${prefix}${t(locale, 'intake.askSeverity', { suggestion })}`,
          '',
          `- ${t(locale, 'intake.severity1')}`,
          `- ${t(locale, 'intake.severity2')}`,
          `- ${t(locale, 'intake.severity3')}`,
          `- ${t(locale, 'intake.severity4')}`,
        ].join('\n');
        return MessageFactory.suggestedActions(
          ([1, 2, 3, 4] as const).map((s) => imBack(severityLabel(locale, s))),
          text,
        );
      }
      case 'serverUrl':
        return MessageFactory.text(withHint('intake.askServerUrl'));
      case 'stepsToReproduce':
        return MessageFactory.text(withHint('intake.askSteps'));
      case 'devices':
        return MessageFactory.text(withHint('intake.askDevices'));
      case 'productVersion': {
        const mod = draft.module ? this.deps.catalogue.get(draft.module) : undefined;
        return MessageFactory.text(
          withHint('intake.askVersion', {
            module: mod?.name[locale] ?? '',
            format: mod?.versionFormat[locale] ?? '',
          }),
        );
      }
      case 'ccs':
        return MessageFactory.text(`${prefix}${t(locale, 'intake.askCcs')}`);
    }
  }

  // ----- answering -----

  private async onFieldAnswer(
    dc: DialogContext,
    state: IntakeState,
    text: string,
  ): Promise<DialogTurnResult> {
    const field = state.field;
    if (!field) return await this.askNext(dc, state);
    const { locale, draft } = state;
    const reask = async (reason: Reason): Promise<DialogTurnResult> => {
      await dc.context.sendActivity(this.questionFor(state, field, reason));
      return Dialog.EndOfTurn;
    };

    if (UNKNOWABLE.includes(field) && isDontKnow(text)) {
      delete draft[field as 'serverUrl'];
      if (!draft.unknown.includes(field as never)) draft.unknown.push(field as never);
      return await this.accepted(dc, state, field);
    }

    switch (field) {
      case 'module': {
        const parsed = parseModule(text, this.deps.catalogue);
        if (!parsed.ok) return await reask(parsed.reason);
        if (draft.module !== parsed.value) {
          // A version or devices answer belongs to the module it was given for.
          delete draft.productVersion;
          if (!this.deps.catalogue.get(parsed.value)?.hasDevices) draft.devices = [];
          else if (draft.devices?.length === 0) delete draft.devices;
        }
        draft.module = parsed.value;
        break;
      }
      case 'subject': {
        const parsed = parseSubject(text);
        if (!parsed.ok) return await reask(parsed.reason);
        draft.subject = parsed.value;
        break;
      }
      case 'description': {
        const parsed = parseDescription(text);
        if (!parsed.ok) return await reask(parsed.reason);
        const recognition = await this.deps.recognizer.recognize(text, { locale });
        if (
          (recognition.top === 'feature_request' || recognition.top === 'out_of_scope') &&
          recognition.score >= 0.6
        ) {
          await dc.context.sendActivity(
            t(locale, recognition.top === 'feature_request' ? 'intake.featureRequest' : 'intake.outOfScope'),
          );
          return Dialog.EndOfTurn;
        }
        if (looksLikeSeveralProblems(text))
          await dc.context.sendActivity(t(locale, 'intake.severalProblems'));
        draft.description = parsed.value.description;
        if (parsed.value.expectedResult) draft.expectedResult = parsed.value.expectedResult;
        else delete draft.expectedResult;
        draft.subject ??= subjectFrom(text);
        break;
      }
      case 'severity': {
        const parsed = parseSeverity(text);
        if (!parsed.ok) return await reask(parsed.reason);
        if (parsed.value === 1) {
          state.mode = 'confirm_sev1';
          await dc.context.sendActivity(this.yesNo(locale, t(locale, 'intake.confirm24x7')));
          return Dialog.EndOfTurn;
        }
        draft.severity = parsed.value;
        break;
      }
      case 'serverUrl': {
        const parsed = parseServerUrl(text);
        if (!parsed.ok) return await reask(parsed.reason);
        draft.serverUrl = parsed.value;
        break;
      }
      case 'stepsToReproduce': {
        const parsed = parseSteps(text);
        if (!parsed.ok) return await reask(parsed.reason);
        draft.stepsToReproduce = parsed.value;
        break;
      }
      case 'devices': {
        const mod = draft.module ? this.deps.catalogue.get(draft.module) : undefined;
        const parsed = parseDevices(text, mod);
        if (!parsed.ok) {
          const reason =
            parsed.reason.key === 'intake.invalid.devicesNone'
              ? { ...parsed.reason, vars: { module: mod?.name[locale] ?? '' } }
              : parsed.reason;
          return await reask(reason);
        }
        draft.devices = parsed.value;
        break;
      }
      case 'productVersion': {
        const mod = draft.module ? this.deps.catalogue.get(draft.module) : undefined;
        if (!mod) return await this.askNext(dc, state);
        const parsed = parseVersion(text, mod, this.deps.catalogue, this.deps.clock(), locale);
        if (!parsed.ok) return await reask(parsed.reason);
        draft.productVersion = parsed.value;
        state.notes = state.notes.filter((n) => !n.key.startsWith('intake.version'));
        if (parsed.note) {
          state.notes.push(parsed.note);
          await dc.context.sendActivity(t(locale, parsed.note.key, parsed.note.vars));
        }
        break;
      }
      case 'ccs': {
        const parsed = parseCcs(text);
        if (!parsed.ok) return await reask(parsed.reason);
        draft.ccs = parsed.value;
        break;
      }
    }
    draft.unknown = draft.unknown.filter((f) => f !== field);
    return await this.accepted(dc, state, field);
  }

  private async accepted(
    dc: DialogContext,
    state: IntakeState,
    field: EditableField,
  ): Promise<DialogTurnResult> {
    state.answered = [...state.answered.filter((f) => f !== field), field];
    return await this.askNext(dc, state);
  }

  private async onSev1Confirmation(
    dc: DialogContext,
    state: IntakeState,
    text: string,
  ): Promise<DialogTurnResult> {
    const answer = parseYesNo(text);
    if (answer === undefined) {
      await dc.context.sendActivity(
        this.yesNo(
          state.locale,
          `${t(state.locale, 'intake.invalid.yesNo')} ${t(state.locale, 'intake.confirm24x7')}`,
        ),
      );
      return Dialog.EndOfTurn;
    }
    state.draft.severity = answer ? 1 : 2;
    if (!answer) await dc.context.sendActivity(t(state.locale, 'intake.severityLowered'));
    state.mode = 'field';
    return await this.accepted(dc, state, 'severity');
  }

  private async goBack(dc: DialogContext, state: IntakeState): Promise<DialogTurnResult> {
    if (state.mode === 'summary' || state.mode === 'change_pick') {
      state.mode = 'summary';
      return await this.showSummary(dc, state);
    }
    const previous = state.answered.pop();
    if (!previous) {
      await dc.context.sendActivity(t(state.locale, 'intake.nothingToGoBackTo'));
      return await this.reprompt(dc, state);
    }
    state.mode = 'field';
    state.field = previous;
    await dc.context.sendActivity(this.questionFor(state, previous));
    return Dialog.EndOfTurn;
  }

  // ----- summary, change, submit -----

  private async showSummary(dc: DialogContext, state: IntakeState): Promise<DialogTurnResult> {
    state.mode = 'summary';
    state.returnToSummary = false;
    const identity = await this.deps.context.identity(dc.context);
    const accountManager = identity.kind === 'contact' ? identity.organisation.accountManager : undefined;
    const card = summaryCard(state.draft, {
      locale: state.locale,
      catalogue: this.deps.catalogue,
      draftId: state.draftId,
      accountManager,
      articlesTried: state.articlesTried,
    });
    await dc.context.sendActivity(MessageFactory.attachment(card));
    return Dialog.EndOfTurn;
  }

  private editableFields(state: IntakeState): EditableField[] {
    const mod = state.draft.module ? this.deps.catalogue.get(state.draft.module) : undefined;
    return [...INTAKE_FIELDS, 'ccs'].filter(
      (f) => f !== 'devices' || mod?.hasDevices !== false,
    ) as EditableField[];
  }

  private async onSummaryText(
    dc: DialogContext,
    state: IntakeState,
    text: string,
  ): Promise<DialogTurnResult> {
    const answer = fold(text);
    const { locale } = state;
    if ([fold(t(locale, 'intake.submit')), 'submit', 'send', 'envoyer', 'valider', 'ok'].includes(answer)) {
      return await this.submit(dc, state);
    }
    if ([fold(t(locale, 'intake.change')), 'change', 'modifier', 'edit'].includes(answer)) {
      return await this.onCardAction(dc, state, { intake: 'change', draftId: state.draftId });
    }
    const field = this.fieldNamed(state, text);
    if (field)
      return await this.onCardAction(dc, state, { intake: 'change_field', draftId: state.draftId, field });
    await dc.context.sendActivity(t(locale, 'intake.summaryRetry'));
    return await this.showSummary(dc, state);
  }

  private async onChangePickText(
    dc: DialogContext,
    state: IntakeState,
    text: string,
  ): Promise<DialogTurnResult> {
    const field = this.fieldNamed(state, text);
    if (!field) {
      await dc.context.sendActivity(
        MessageFactory.attachment(changeFieldCard(state.locale, state.draftId, this.editableFields(state))),
      );
      return Dialog.EndOfTurn;
    }
    return await this.onCardAction(dc, state, { intake: 'change_field', draftId: state.draftId, field });
  }

  private fieldNamed(state: IntakeState, text: string): EditableField | undefined {
    const answer = fold(text);
    return this.editableFields(state).find(
      (f) =>
        fold(t('en', FIELD_LABELS[f])) === answer ||
        fold(t('fr', FIELD_LABELS[f])) === answer ||
        fold(f) === answer,
    );
  }

  private async onCardAction(
    dc: DialogContext,
    state: IntakeState,
    action: IntakeCardAction,
  ): Promise<DialogTurnResult> {
    const { locale } = state;
    switch (action.intake) {
      case 'submit':
        if (state.mode !== 'summary') return await this.reprompt(dc, state);
        return await this.submit(dc, state);
      case 'cancel':
        await dc.context.sendActivity(t(locale, 'intake.cancelled'));
        return await dc.endDialog({ outcome: 'cancelled' } satisfies TicketIntakeResult);
      case 'change':
        state.mode = 'change_pick';
        await dc.context.sendActivity(
          MessageFactory.attachment(changeFieldCard(locale, state.draftId, this.editableFields(state))),
        );
        return Dialog.EndOfTurn;
      case 'change_field': {
        if (!this.editableFields(state).includes(action.field)) return await this.reprompt(dc, state);
        state.mode = 'field';
        state.field = action.field;
        state.returnToSummary = action.field !== 'module';
        await dc.context.sendActivity(this.questionFor(state, action.field));
        return Dialog.EndOfTurn;
      }
      case 'form_submit':
        return await this.onFormSubmit(dc, state, action);
    }
  }

  private async submit(dc: DialogContext, state: IntakeState): Promise<DialogTurnResult> {
    const { draft, locale } = state;
    const missing = this.nextMissing(state);
    if (missing) return await this.askNext(dc, state);
    const channel = dc.context.activity.channelId === 'msteams' ? 'msteams' : 'webchat';
    try {
      const { ticket, created } = await this.deps.tickets.create(
        {
          type: 'technical',
          requesterContactId: state.contactId!,
          ccs: draft.ccs,
          channel,
          locale,
          conversationRefId: dc.context.activity.conversation.id,
          module: draft.module!,
          subject: draft.subject!,
          description: draft.description!,
          ...(draft.expectedResult && { expectedResult: draft.expectedResult }),
          severity: draft.severity!,
          ...(draft.serverUrl && { serverUrl: draft.serverUrl }),
          ...(draft.stepsToReproduce && { stepsToReproduce: draft.stepsToReproduce }),
          ...(draft.devices && { devices: draft.devices }),
          ...(draft.productVersion && { productVersion: draft.productVersion }),
          unknownFields: draft.unknown,
          articlesTried: state.articlesTried
            .filter((a): a is ArticleTried & { url: string } => !!a.url)
            .map((a) => ({ key: a.key, title: a.title, url: a.url })),
          ...(state.relatedTicketNumber && { relatedTicketNumber: state.relatedTicketNumber }),
        },
        state.draftId,
      );
      await this.deps.context.rememberOpenedTicket(dc.context, state.draftId, ticket.number);
      await this.confirmCreated(dc.context, locale, ticket, created);
      return await dc.endDialog({ outcome: 'opened', number: ticket.number } satisfies TicketIntakeResult);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        this.deps.logger.warn(
          { err: error, draftId: state.draftId },
          'ticket not opened: database unavailable',
        );
        dc.context.turnState.set(USER_TOLD_UNAVAILABLE, true);
        await dc.context.sendActivity(t(locale, 'intake.unavailable'));
        return Dialog.EndOfTurn;
      }
      if (isAppError(error) && error.code === 'forbidden') {
        await dc.context.sendActivity(t(locale, 'intake.forbidden'));
        return await dc.endDialog({ outcome: 'refused' } satisfies TicketIntakeResult);
      }
      throw error;
    }
  }

  private async confirmCreated(
    context: TurnContext,
    locale: Locale,
    ticket: Ticket,
    created: boolean,
  ): Promise<void> {
    const when = formatDate(ticket.expectedFirstResponse, locale);
    const lines = [
      t(locale, created ? 'intake.created' : 'intake.createdExisting', { number: ticket.number }),
      t(locale, 'intake.firstResponse', { when }),
      t(locale, 'intake.copied', { people: ticket.ccs.join(', ') }),
    ];
    if (ticket.missingInformation.length) {
      lines.push(
        t(locale, 'intake.onHold', {
          fields: ticket.missingInformation
            .map((f) => (f in FIELD_LABELS ? t(locale, FIELD_LABELS[f as EditableField]) : f))
            .join(', '),
        }),
      );
    }
    if (ticket.severity === 1 && ticket.escalated) lines.push(t(locale, 'intake.escalatedSev1'));
    await context.sendActivity(lines.join('\n\n'));
    await context.sendActivity(
      MessageFactory.suggestedActions(
        [imBack(t(locale, 'welcome.myRequests')), imBack(t(locale, 'welcome.searchKb'))],
        t(locale, 'intake.afterCreate'),
      ),
    );
  }

  // ----- the card form -----

  private async showForm(
    dc: DialogContext,
    state: IntakeState,
    errors: FormErrors = {},
    raw: Partial<Record<EditableField, string>> = {},
  ): Promise<DialogTurnResult> {
    state.mode = 'form';
    const card = ticketFormCard(
      state.draft,
      { locale: state.locale, catalogue: this.deps.catalogue, draftId: state.draftId },
      errors,
      raw,
    );
    await dc.context.sendActivity(MessageFactory.attachment(card));
    return Dialog.EndOfTurn;
  }

  /** Validates a form submission field by field with the chat's own rules; errors go back next to their fields. */
  private async onFormSubmit(
    dc: DialogContext,
    state: IntakeState,
    values: Record<string, unknown>,
  ): Promise<DialogTurnResult> {
    const { locale } = state;
    const raw: Partial<Record<EditableField, string>> = {};
    for (const field of [...INTAKE_FIELDS, 'ccs'] as EditableField[]) {
      const value = values[field];
      raw[field] = typeof value === 'string' ? value.slice(0, 6000) : '';
    }
    const errors: FormErrors = {};
    const draft: TicketDraft = { ccs: [], unknown: [] };
    const required: Reason = { key: 'intake.form.required' };

    const mod = parseModule(raw.module ?? '', this.deps.catalogue);
    if (mod.ok) draft.module = mod.value;
    else errors.module = raw.module ? mod.reason : required;
    const subject = parseSubject(raw.subject ?? '');
    if (subject.ok) draft.subject = subject.value;
    else errors.subject = raw.subject ? subject.reason : required;
    const description = parseDescription(raw.description ?? '');
    if (description.ok) {
      draft.description = description.value.description;
      if (description.value.expectedResult) draft.expectedResult = description.value.expectedResult;
    } else errors.description = raw.description ? description.reason : required;
    const severity = parseSeverity(raw.severity ?? '');
    if (severity.ok) draft.severity = severity.value;
    else errors.severity = raw.severity ? severity.reason : required;

    const optional = <T>(
      field: EditableField & keyof TicketDraft,
      parse: (text: string) => { ok: true; value: T; note?: Reason } | { ok: false; reason: Reason },
      assign: (value: T) => void,
    ): void => {
      const text = (raw[field] ?? '').trim();
      if (!text || isDontKnow(text)) {
        draft.unknown.push(field as never);
        return;
      }
      const parsed = parse(text);
      if (parsed.ok) {
        assign(parsed.value);
        if (parsed.note) state.notes.push(parsed.note);
      } else errors[field] = parsed.reason;
    };
    optional('serverUrl', parseServerUrl, (v) => (draft.serverUrl = v));
    optional('stepsToReproduce', parseSteps, (v) => (draft.stepsToReproduce = v));
    const module = draft.module ? this.deps.catalogue.get(draft.module) : undefined;
    if (module && !module.hasDevices) draft.devices = [];
    else
      optional(
        'devices',
        (text) => parseDevices(text, module),
        (v) => (draft.devices = v),
      );
    if (module)
      optional(
        'productVersion',
        (text) => parseVersion(text, module, this.deps.catalogue, this.deps.clock(), locale),
        (v) => (draft.productVersion = v),
      );
    else if (raw.productVersion) errors.productVersion = { key: 'intake.invalid.module' };
    const ccs = parseCcs(raw.ccs ?? '');
    if (ccs.ok) draft.ccs = ccs.value;
    else if ((raw.ccs ?? '').trim()) errors.ccs = ccs.reason;

    if (Object.keys(errors).length) {
      if (errors.devices?.key === 'intake.invalid.devicesNone')
        errors.devices = { ...errors.devices, vars: { module: module?.name[locale] ?? '' } };
      return await this.showForm(dc, state, errors, raw);
    }
    if (draft.severity === 1) {
      state.draft = draft;
      state.mode = 'confirm_sev1';
      state.returnToSummary = true;
      await dc.context.sendActivity(this.yesNo(locale, t(locale, 'intake.confirm24x7')));
      return Dialog.EndOfTurn;
    }
    state.draft = draft;
    for (const note of state.notes) await dc.context.sendActivity(t(locale, note.key, note.vars));
    return await this.showSummary(dc, state);
  }

  // ----- access requests -----

  private async onAccessRequest(
    dc: DialogContext,
    state: IntakeState,
    text: string,
  ): Promise<DialogTurnResult> {
    const answer = readYesNo(text);
    const command = readCommand(text);
    if (answer === undefined && command !== 'cancel') {
      // Not a yes or no: another request ("my requests", a problem) leaves this question.
      const request = await readNewRequest(text, {
        recognizer: this.deps.recognizer,
        locale: state.locale,
        prompt: 'yes_no',
      });
      if (request) return await dc.endDialog(newRequestResult(request));
      await dc.context.sendActivity(this.yesNo(state.locale, t(state.locale, 'intake.invalid.yesNo')));
      return Dialog.EndOfTurn;
    }
    if (answer) {
      const identity = await this.deps.context.identity(dc.context);
      await this.deps.identities.recordAccessRequest({
        contactId: state.contactId,
        ...(identity.kind === 'contact' && { organisationId: identity.organisation.id }),
        channel: dc.context.activity.channelId,
        message: 'Asked to become an authorized contact from the ticket intake.',
      });
      await dc.context.sendActivity(t(state.locale, 'intake.accessRequestSent'));
    } else {
      await dc.context.sendActivity(t(state.locale, 'intake.accessRequestSkipped'));
    }
    return await dc.endDialog({ outcome: 'refused' } satisfies TicketIntakeResult);
  }

  private yesNo(locale: Locale, text: string): Partial<Activity> {
    return MessageFactory.suggestedActions(
      [imBack(t(locale, 'intake.yes')), imBack(t(locale, 'intake.no'))],
      text,
    );
  }
}

/**
 * A summary button pressed again after its ticket was opened (a double click, a repeated
 * delivery): answers with the ticket it opened instead of starting anything new.
 */
export async function answerRepeatedSubmit(
  context: TurnContext,
  conversation: ConversationContextProvider,
  locale: Locale,
): Promise<boolean> {
  const value = context.activity.value as { intake?: unknown; draftId?: unknown } | undefined;
  if (
    !value ||
    typeof value !== 'object' ||
    typeof value.draftId !== 'string' ||
    typeof value.intake !== 'string'
  )
    return false;
  const number = await conversation.openedTicket(context, value.draftId);
  if (number) {
    await context.sendActivity(t(locale, 'intake.createdExisting', { number }));
    return true;
  }
  if (
    value.intake === 'submit' ||
    value.intake === 'form_submit' ||
    value.intake === 'change' ||
    value.intake === 'change_field'
  ) {
    await context.sendActivity(t(locale, 'intake.draftGone'));
    return true;
  }
  return false;
}

/** A card button's value for this draft (values of older summaries or other drafts are ignored). */
function readCardAction(value: unknown, draftId: string): IntakeCardAction | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { intake?: unknown; draftId?: unknown; field?: unknown };
  if (typeof v.intake !== 'string' || v.draftId !== draftId) return undefined;
  if (!['submit', 'change', 'cancel', 'change_field', 'form_submit'].includes(v.intake)) return undefined;
  if (v.intake === 'change_field' && typeof v.field !== 'string') return undefined;
  return value as IntakeCardAction;
}

function formatDate(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(new Date(date));
}
