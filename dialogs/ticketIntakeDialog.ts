import { randomUUID } from 'node:crypto';
import { MessageFactory } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { BILLING_ASSISTANT_DIALOG } from './billingAssistantDialog';
import { changeFieldCard, FIELD_LABELS, ticketFormCard, type IntakeCardAction } from './cards/intakeCards';
import { fold, parseYesNo, readCommand, type EditableField, type Reason } from './intake/fields';
import { FIELD_SPECS, readAnswer, type SpecContext } from './intake/fieldSpecs';
import { readForm, type FormErrors } from './intake/form';
import { questionActivity, readCardAction, summaryActivity, yesNoActivity } from './intake/messages';
import { answerAccessRequest, openTicket } from './intake/endings';
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
    if (!identity.canOpenTickets) {
      if (identity.reason === 'no_support_plan') {
        await say('intake.noSupportPlan', { manager: identity.organisation.accountManager.name });
        return await dc.endDialog({ outcome: 'refused' } satisfies TicketIntakeResult);
      }
      await say('intake.notAuthorized', { organisation: identity.organisation.name });
      this.save(dc, { ...state, mode: 'access_request' });
      await dc.context.sendActivity(yesNoActivity(locale, t(locale, 'intake.accessRequestAsk')));
      return Dialog.EndOfTurn;
    }
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
    const text = (activity.text ?? '').trim();
    const { locale } = state;
    if (state.mode === 'access_request') return await answerAccessRequest(dc, state, text, this.deps);

    switch (readCommand(text)) {
      case 'cancel':
        await dc.context.sendActivity(t(locale, 'intake.cancelled'));
        return await dc.endDialog({ outcome: 'cancelled' } satisfies TicketIntakeResult);
      case 'help':
        await dc.context.sendActivity(t(locale, 'intake.help'));
        return await this.reprompt(dc, state);
      case 'start_over':
        await dc.context.sendActivity(t(locale, 'intake.startOver'));
        return await this.askNext(dc, tr.restarted(state));
      case 'back':
        return await this.goBack(dc, state);
      default:
    }
    if (fold(text) === fold(t(locale, 'intake.formOffer'))) return await this.showForm(dc, state);
    if (state.mode === 'confirm_billing') return await this.onBillingSwitch(dc, state, text);
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
      case 'confirm_sev1':
        return await this.onSev1Confirmation(dc, state, text);
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

  /** Takes every field a message states that is still empty; says what only the message tells (two problems, a feature request). */
  private async takeFrom(dc: DialogContext, state: State, text: string, answerOnly = false): Promise<State> {
    const { locale } = state;
    let next = tr.withMessage(state, text);
    const read = await understand(
      text,
      next.messages,
      locale,
      dc.context.activity.conversation.id,
      this.deps,
    );
    // A later answer is not a new subject or description: only the other fields it states are taken.
    if (answerOnly) {
      delete read.candidates.subject;
      delete read.candidates.description;
    }
    if (read.featureRequest) {
      await dc.context.sendActivity(t(locale, 'intake.featureRequestNotice'));
      return this.save(dc, next);
    }
    if (read.severalProblems && !next.messages.slice(0, -1).length)
      await dc.context.sendActivity(t(locale, 'intake.severalProblems'));
    const candidates = { ...next.pending, ...read.candidates };
    const taken = tr.takeCandidates(next.draft, candidates, this.specContext(next), this.deps.catalogue);
    next = { ...next, draft: taken.draft, pending: taken.pending, notes: [...next.notes, ...taken.notes] };
    next.understood = [...next.understood.filter((f) => !taken.taken.includes(f)), ...taken.taken];
    for (const note of taken.notes) await dc.context.sendActivity(t(locale, note.key, note.vars));
    if (taken.severityOne) next = await this.severityOne(dc, next);
    return this.save(dc, next);
  }

  /** Severity 1 asked for: kept at once for a contact recorded as reachable 24×7, else confirmed. */
  private async severityOne(dc: DialogContext, state: State): Promise<State> {
    if (state.reachable24x7) {
      await dc.context.sendActivity(t(state.locale, 'intake.reachableKnown'));
      return tr.answered({ ...state, draft: { ...state.draft, severity: 1 } }, 'severity');
    }
    return { ...state, mode: 'confirm_sev1' };
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
  private async onFieldAnswer(dc: DialogContext, state: State, text: string): Turn {
    const field = state.field;
    if (!field) return await this.askNext(dc, state);
    const { locale } = state;
    if (field === 'description' && (await isFeatureRequest(this.deps.recognizer, text, locale))) {
      await dc.context.sendActivity(t(locale, 'intake.featureRequestNotice'));
      return Dialog.EndOfTurn;
    }
    const read = readAnswer(field, text, this.specContext(state));
    if (read.kind === 'invalid') {
      // The message may still carry other fields (a version when asked for steps…).
      const after = field === 'module' ? state : await this.takeFrom(dc, state, text, true);
      if (after.understood.length > state.understood.length && tr.nextMissing(after.draft) !== field)
        return await this.askNext(dc, after);
      return await this.ask(dc, after, read.reason);
    }
    if (field === 'severity' && read.draft.severity === 1) {
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

  private async onBillingSwitch(dc: DialogContext, state: State, text: string): Turn {
    const answer = parseYesNo(text);
    const question = state.billingQuestion ?? '';
    const next = this.save(dc, { ...state, mode: state.resumeMode ?? 'field', billingQuestion: undefined });
    if (answer === true)
      return await dc.beginDialog(BILLING_ASSISTANT_DIALOG, { locale: state.locale, text: question });
    if (answer === false && question && next.mode === 'field')
      return await this.onFieldAnswer(dc, next, question);
    return await this.reprompt(dc, next);
  }

  private async onSev1Confirmation(dc: DialogContext, state: State, text: string): Turn {
    const answer = parseYesNo(text);
    if (answer === undefined) {
      const again = `${t(state.locale, 'intake.invalid.yesNo')} ${t(state.locale, 'intake.confirm24x7')}`;
      await dc.context.sendActivity(yesNoActivity(state.locale, again));
      return Dialog.EndOfTurn;
    }
    if (!answer) await dc.context.sendActivity(t(state.locale, 'intake.severityLowered'));
    const draft = { ...state.draft, severity: answer ? 1 : 2 } as const;
    return await this.askNext(dc, tr.answered({ ...state, draft, mode: 'field' }, 'severity'));
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
    const answer = fold(text);
    const { locale } = state;
    if (
      state.mode === 'summary' &&
      [fold(t(locale, 'intake.submit')), 'submit', 'send', 'envoyer', 'valider', 'ok'].includes(answer)
    )
      return await this.submit(dc, state);
    if ([fold(t(locale, 'intake.change')), 'change', 'modifier', 'edit'].includes(answer))
      return await this.onCardAction(dc, state, { intake: 'change', draftId: state.draftId });
    const field = tr
      .editableFields(state.draft, this.deps.catalogue)
      .find((f) => [t('en', FIELD_LABELS[f]), t('fr', FIELD_LABELS[f]), f].map(fold).includes(answer));
    if (field)
      return await this.onCardAction(dc, state, { intake: 'change_field', draftId: state.draftId, field });
    if (state.mode === 'summary') await dc.context.sendActivity(t(locale, 'intake.summaryRetry'));
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
    const { locale } = state;
    const form = readForm(values, { locale, catalogue: this.deps.catalogue, today: this.deps.clock() });
    if (Object.keys(form.errors).length) return await this.showForm(dc, state, form.errors, form.raw);
    for (const note of form.notes) await dc.context.sendActivity(t(locale, note.key, note.vars));
    const severity = form.draft.severity;
    let next: State = {
      ...state,
      draft: form.draft,
      notes: form.notes,
      understood: [],
      mode: 'field',
      returnToSummary: true,
    };
    if (severity === 1) {
      const rest = { ...form.draft };
      delete rest.severity;
      next = await this.severityOne(dc, { ...next, draft: rest });
    }
    if (next.mode === 'confirm_sev1') return await this.reprompt(dc, this.save(dc, next));
    return await this.showSummary(dc, next);
  }
}
