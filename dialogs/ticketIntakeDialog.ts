import { randomUUID } from 'node:crypto';
import { MessageFactory } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { BILLING_ASSISTANT_DIALOG } from './billingAssistantDialog';
import { changeFieldCard, ticketFormCard, type IntakeCardAction } from './cards/intakeCards';
import { fold, type EditableField, type Reason } from './intake/fields';
import { newRequestResult, readInput, readNewRequest, readYesNo, type PromptKind } from './input';
import type { Intent } from '../services/intents';
import { FIELD_SPECS, readAnswer, type SpecContext } from './intake/fieldSpecs';
import { readForm, type FormErrors } from './intake/form';
import {
  notYesNoActivity,
  questionActivity,
  readCardAction,
  summaryActivity,
  yesNoActivity,
} from './intake/messages';
import { answerAccessRequest, openTicket, refuse } from './intake/endings';
import { noteTurn } from './giveUp';
import * as tr from './intake/transitions';
import type { TicketIntakeDeps, TicketIntakeOptions, TicketIntakeResult } from './intake/types';
import { isBillingQuestion, isFeatureRequest, moduleFacts, understand } from './intake/understanding';
import { t, type TextKey } from './texts';

export { answerRepeatedSubmit } from './intake/messages';
export {
  USER_TOLD_UNAVAILABLE,
  type TicketIntakeDeps,
  type TicketIntakeOptions,
  type TicketIntakeResult,
} from './intake/types';
export const TICKET_INTAKE_DIALOG = 'TicketIntakeDialog';

type State = tr.IntakeState;
/** What a message at an intake prompt may be about and still be an answer, not a new request. */
const STAY: Intent[] = [
  'technical_problem',
  'search_kb',
  'open_ticket',
  'feature_request',
  'out_of_scope',
  'unknown',
];
type Turn = Promise<DialogTurnResult>;

/**
 * Flow B: collects a complete technical ticket asking only what is not known yet. Each message
 * is read for every field it states (rules first, then the language model when there is one),
 * each through its field spec (`intake/fieldSpecs`), shared with the card form. The state
 * changes are pure functions (`intake/transitions`); Submit is idempotent (the draft id is the
 * ticket's idempotency key).
 */
export class TicketIntakeDialog extends Dialog<TicketIntakeOptions> {
  constructor(private readonly deps: TicketIntakeDeps) {
    super(TICKET_INTAKE_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: TicketIntakeOptions): Turn {
    const locale = options?.locale ?? (await this.deps.context.locale(dc.context));
    const identity = await this.deps.context.identity(dc.context);
    const say = async (key: TextKey, vars?: Record<string, string | number>): Promise<void> => {
      await dc.context.sendActivity(t(locale, key, vars));
    };
    if (identity.kind !== 'contact') {
      await say(identity.kind === 'anonymous' ? 'intake.signIn' : 'intake.unknownUser');
      return await dc.endDialog({ outcome: 'refused' } satisfies TicketIntakeResult);
    }
    let state = tr.newState(
      locale,
      randomUUID(),
      identity.contact,
      options?.articlesTried,
      options?.relatedTicketNumber,
    );
    this.save(dc, state);
    if (!identity.canOpenTickets) return await refuse(dc, state, identity);
    if (options?.severityOneFirst) await say('intake.severityOneFirst');
    else await say('intake.start');
    const first = [options?.problem, options?.text].map((s) => s?.trim()).find((s) => s);
    if (first) state = await this.takeFrom(dc, state, first);
    // The knowledge step's module only when the words name none.
    if (!state.draft.module && options?.module && this.deps.catalogue.get(options.module)?.technical)
      state = { ...state, draft: tr.settle({ ...state.draft, module: options.module }, this.deps.catalogue) };
    return await this.askNext(dc, state);
  }

  override async continueDialog(dc: DialogContext): Turn {
    const state = dc.activeDialog?.state as State;
    const activity = dc.context.activity;
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    const action = readCardAction(activity.value, state.draftId);
    if (action) return await this.onCardAction(dc, state, action);
    const input = readInput(activity);
    const text = input.kind === 'text' || input.kind === 'command' ? input.text : '';
    const { locale } = state;
    switch (input.kind === 'command' ? input.command : undefined) {
      case 'cancel':
      case 'menu':
        await dc.context.sendActivity(t(locale, 'intake.cancelled'));
        return await dc.endDialog({ outcome: 'cancelled' } satisfies TicketIntakeResult);
      case 'help':
        await dc.context.sendActivity(t(locale, 'intake.help'));
        return await this.reprompt(dc, state);
      case 'start_over':
        if (state.mode === 'access_request') return await this.reprompt(dc, state);
        await dc.context.sendActivity(t(locale, 'intake.startOver'));
        return await this.askNext(dc, tr.restarted(state));
      case 'back':
        return await this.goBack(dc, state);
      default:
    }
    if (!text) return await this.reprompt(dc, state);
    if (
      state.mode === 'access_request' ||
      state.mode === 'confirm_billing' ||
      state.mode === 'confirm_sev1'
    ) {
      const answer = readYesNo(text);
      // Asked to send an access request, the contact has no ticket to describe: a problem or a
      // search typed there is a new request (the knowledge base can still help).
      const stay = state.mode === 'access_request' ? [] : STAY;
      const left = answer === undefined ? await this.leaveFor(dc, text, 'yes_no', stay) : undefined;
      if (left) return left;
      if (answer === undefined) noteTurn(dc.context, { invalidAnswer: `intake.${state.mode}` });
      if (answer === undefined) await dc.context.sendActivity(notYesNoActivity(state));
      if (answer === undefined) return Dialog.EndOfTurn;
      if (state.mode === 'access_request') return await answerAccessRequest(dc, state, answer, this.deps);
      if (state.mode === 'confirm_sev1') return await this.onSev1Confirmation(dc, state, answer);
      return await this.onBillingSwitch(dc, state, answer);
    }
    if (fold(text) === fold(t(locale, 'intake.formOffer'))) return await this.showForm(dc, state);
    if (
      (state.mode === 'field' || state.mode === 'summary') &&
      (await isBillingQuestion(this.deps.recognizer, text, locale))
    ) {
      this.save(dc, { ...state, billingQuestion: text, resumeMode: state.mode, mode: 'confirm_billing' });
      await dc.context.sendActivity(yesNoActivity(locale, t(locale, 'intake.billingHint')));
      return Dialog.EndOfTurn;
    }
    switch (state.mode) {
      case 'field':
        return await this.onFieldAnswer(dc, state, text);
      case 'summary':
      case 'change_pick':
        return await this.onSummaryText(dc, state, text);
      default:
        // Typing instead of using the form: carry on in the chat with what the words say.
        return await this.askNext(dc, await this.takeFrom(dc, { ...state, mode: 'field' }, text));
    }
  }

  /** Back from the billing assistant: the draft is as it was; ask again where we were. */
  override async resumeDialog(dc: DialogContext): Turn {
    const state = dc.activeDialog?.state as State;
    await dc.context.sendActivity(t(state.locale, 'intake.backToDraft'));
    return await this.reprompt(dc, state);
  }

  private save(dc: DialogContext, state: State): State {
    if (dc.activeDialog) dc.activeDialog.state = state;
    return state;
  }

  private specContext(state: State): SpecContext {
    const lastUsed = state.lastUsed?.module === state.draft.module ? state.lastUsed : undefined;
    return {
      locale: state.locale,
      catalogue: this.deps.catalogue,
      today: this.deps.clock(),
      draft: state.draft,
      lastUsed,
    };
  }

  /** Takes every field a message states that is still empty, and says what the message tells. */
  private async takeFrom(dc: DialogContext, state: State, text: string, answerOnly = false): Promise<State> {
    const next = tr.withMessage(state, text);
    const conversationId = dc.context.activity.conversation.id;
    const read = await understand(text, next.messages, next.locale, conversationId, this.deps);
    const result = tr.absorb(next, read, answerOnly, this.specContext(next), this.deps.catalogue);
    await this.tell(dc, state, result.say);
    return this.save(dc, result.state);
  }

  /** Severity 1 asked for: kept at once for a contact recorded as reachable 24×7, else confirmed. */
  private async severityOne(dc: DialogContext, state: State): Promise<State> {
    const result = tr.severityOne(state);
    await this.tell(dc, state, result.say);
    return result.state;
  }

  private async tell(dc: DialogContext, state: State, reasons: Reason[]): Promise<void> {
    for (const r of reasons) await dc.context.sendActivity(t(state.locale, r.key, r.vars));
  }

  private async askNext(dc: DialogContext, state: State): Turn {
    const moduleId = state.draft.module;
    let next = state;
    if (moduleId && next.incidentCheckedFor !== moduleId) {
      const identity = await this.deps.context.identity(dc.context);
      const found = await moduleFacts(moduleId, next.locale, identity, this.deps);
      if (found.notice) await dc.context.sendActivity(found.notice);
      next = { ...next, incidentCheckedFor: moduleId, lastUsed: { module: moduleId, ...found.lastUsed } };
    }
    if (next.mode === 'confirm_sev1') return await this.reprompt(dc, this.save(dc, next));
    const field = next.returnToSummary ? undefined : tr.nextMissing(next.draft);
    if (!field) return await this.showSummary(dc, next);
    return await this.ask(dc, { ...next, mode: 'field', field });
  }

  private async ask(dc: DialogContext, state: State, reason?: Reason): Turn {
    const field = state.field ?? 'module';
    const spec = FIELD_SPECS[field];
    await dc.context.sendActivity(questionActivity(state.locale, spec.ask(this.specContext(state)), reason));
    this.save(dc, { ...state, mode: 'field', field });
    return Dialog.EndOfTurn;
  }

  private async reprompt(dc: DialogContext, state: State): Turn {
    const { locale } = state;
    const yesNo = async (key: TextKey): Turn => {
      await dc.context.sendActivity(yesNoActivity(locale, t(locale, key)));
      return Dialog.EndOfTurn;
    };
    switch (state.mode) {
      case 'summary':
        return await this.showSummary(dc, state);
      case 'change_pick':
        return await this.onCardAction(dc, state, { intake: 'change', draftId: state.draftId });
      case 'confirm_sev1':
        return await yesNo('intake.confirm24x7');
      case 'form':
        return await this.showForm(dc, state);
      case 'access_request':
        return await yesNo('intake.accessRequestAsk');
      case 'confirm_billing':
        return await yesNo('intake.billingHint');
      case 'field':
        return state.field ? await this.ask(dc, state) : await this.askNext(dc, state);
    }
  }

  /** An answer to the field asked; anything else the message states is taken as well. */
  private async onFieldAnswer(dc: DialogContext, state: State, text: string, declined = false): Turn {
    const field = state.field;
    if (!field) return await this.askNext(dc, state);
    const { locale } = state;
    const choice = field === 'module' || field === 'severity';
    const left = choice || declined ? undefined : await this.leaveFor(dc, text, 'text');
    if (left) return left;
    if (field === 'description' && (await isFeatureRequest(this.deps.recognizer, text, locale))) {
      await dc.context.sendActivity(t(locale, 'intake.featureRequestNotice'));
      return Dialog.EndOfTurn;
    }
    const read = readAnswer(field, text, this.specContext(state));
    if (read.kind === 'invalid' && choice) {
      const leaves = declined ? undefined : await this.leaveFor(dc, text, 'choice');
      if (leaves) return leaves;
    }
    if (read.kind === 'invalid') {
      // The message may still carry other fields (a version when asked for steps…).
      const after = field === 'module' ? state : await this.takeFrom(dc, state, text, true);
      if (after.understood.length > state.understood.length && tr.nextMissing(after.draft) !== field)
        return await this.askNext(dc, after);
      noteTurn(dc.context, { invalidAnswer: `intake.${field}` });
      return await this.ask(dc, after, read.reason);
    }
    if (field === 'severity' && read.draft.severity === 1) {
      noteTurn(dc.context, { severityOne: true });
      const next = await this.severityOne(dc, state);
      return next.mode === 'confirm_sev1'
        ? await this.reprompt(dc, this.save(dc, next))
        : await this.askNext(dc, next);
    }
    let next: State = tr.answered({ ...state, draft: tr.settle(read.draft, this.deps.catalogue) }, field);
    if (read.kind === 'value' && read.note) {
      next.notes = [...next.notes.filter((n) => !n.key.startsWith('intake.version')), read.note];
      await dc.context.sendActivity(t(locale, read.note.key, read.note.vars));
    }
    if (field !== 'severity' && field !== 'ccs') next = await this.takeFrom(dc, next, text, true);
    return await this.askNext(dc, next);
  }

  private async onBillingSwitch(dc: DialogContext, state: State, answer: boolean): Turn {
    const question = state.billingQuestion ?? '';
    const next = this.save(dc, { ...state, mode: state.resumeMode ?? 'field', billingQuestion: undefined });
    if (answer)
      return await dc.beginDialog(BILLING_ASSISTANT_DIALOG, { locale: state.locale, text: question });
    if (question && next.mode === 'field') return await this.onFieldAnswer(dc, next, question, true);
    return await this.reprompt(dc, next);
  }

  private async onSev1Confirmation(dc: DialogContext, state: State, answer: boolean): Turn {
    if (!answer) await dc.context.sendActivity(t(state.locale, 'intake.severityLowered'));
    const draft = { ...state.draft, severity: answer ? 1 : 2 } as const;
    return await this.askNext(dc, tr.answered({ ...state, draft, mode: 'field' }, 'severity'));
  }

  /** A clearly new request typed at a prompt ends the intake; MainDialog routes it. */
  private async leaveFor(
    dc: DialogContext,
    text: string,
    prompt: PromptKind,
    stay: readonly Intent[] = STAY,
  ): Promise<DialogTurnResult | undefined> {
    const locale = (dc.activeDialog?.state as State).locale;
    const request = await readNewRequest(text, { recognizer: this.deps.recognizer, locale, prompt, stay });
    return request ? await dc.endDialog(newRequestResult(request)) : undefined;
  }

  private async goBack(dc: DialogContext, state: State): Turn {
    if (state.mode === 'summary' || state.mode === 'change_pick') return await this.showSummary(dc, state);
    const { state: next, field } = tr.previousField(state);
    if (!field) {
      await dc.context.sendActivity(t(state.locale, 'intake.nothingToGoBackTo'));
      return await this.reprompt(dc, state);
    }
    return await this.ask(dc, { ...next, field });
  }

  // ----- summary, change, submit -----

  private async showSummary(dc: DialogContext, state: State): Turn {
    const next = this.save(dc, { ...state, mode: 'summary', returnToSummary: false });
    const identity = await this.deps.context.identity(dc.context);
    const manager = identity.kind === 'contact' ? identity.organisation.accountManager : undefined;
    await dc.context.sendActivity(summaryActivity(next, this.deps.catalogue, manager));
    return Dialog.EndOfTurn;
  }

  private async onSummaryText(dc: DialogContext, state: State, text: string): Turn {
    const picked = tr.readSummaryAnswer(text, state, this.deps.catalogue);
    if (picked === 'submit') return await this.submit(dc, state);
    if (picked) return await this.onCardAction(dc, state, { ...picked, draftId: state.draftId });
    const left = await this.leaveFor(dc, text, 'choice');
    if (left) return left;
    if (state.mode === 'summary') await dc.context.sendActivity(t(state.locale, 'intake.summaryRetry'));
    return await this.reprompt(dc, state);
  }

  private async onCardAction(dc: DialogContext, state: State, action: IntakeCardAction): Turn {
    const { locale } = state;
    switch (action.intake) {
      case 'submit':
        return state.mode === 'summary' ? await this.submit(dc, state) : await this.reprompt(dc, state);
      case 'cancel':
        await dc.context.sendActivity(t(locale, 'intake.cancelled'));
        return await dc.endDialog({ outcome: 'cancelled' } satisfies TicketIntakeResult);
      case 'change': {
        const fields = tr.editableFields(state.draft, this.deps.catalogue);
        await dc.context.sendActivity(
          MessageFactory.attachment(changeFieldCard(locale, state.draftId, fields)),
        );
        this.save(dc, { ...state, mode: 'change_pick' });
        return Dialog.EndOfTurn;
      }
      case 'change_field':
        if (!tr.editableFields(state.draft, this.deps.catalogue).includes(action.field))
          return await this.reprompt(dc, state);
        return await this.ask(dc, {
          ...state,
          field: action.field,
          returnToSummary: action.field !== 'module',
        });
      case 'form_submit':
        return await this.onFormSubmit(dc, state, action);
    }
  }

  private async submit(dc: DialogContext, state: State): Turn {
    return (await openTicket(dc, state, this.deps)) ?? (await this.askNext(dc, state));
  }

  // ----- the card form: the same field specs as the chat -----

  private async showForm(
    dc: DialogContext,
    state: State,
    errors: FormErrors = {},
    raw: Partial<Record<EditableField, string>> = {},
  ): Turn {
    this.save(dc, { ...state, mode: 'form' });
    const ctx = { locale: state.locale, catalogue: this.deps.catalogue, draftId: state.draftId };
    await dc.context.sendActivity(MessageFactory.attachment(ticketFormCard(state.draft, ctx, errors, raw)));
    return Dialog.EndOfTurn;
  }

  private async onFormSubmit(dc: DialogContext, state: State, values: Record<string, unknown>): Turn {
    const ctx = { locale: state.locale, catalogue: this.deps.catalogue, today: this.deps.clock() };
    const form = readForm(values, ctx);
    if (Object.keys(form.errors).length) return await this.showForm(dc, state, form.errors, form.raw);
    await this.tell(dc, state, form.notes);
    const { severity, ...rest } = form.draft;
    const next: State = { ...state, draft: rest, notes: form.notes, understood: [], returnToSummary: true };
    return severity === 1
      ? await this.askNext(dc, await this.severityOne(dc, next))
      : await this.showSummary(dc, { ...next, draft: form.draft });
  }
}
