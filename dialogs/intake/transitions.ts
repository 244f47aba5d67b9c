import type { ProductCatalogue } from '../../services/catalogue';
import { FIELD_LABELS } from '../cards/intakeCards';
import { t, type Locale } from '../texts';
import type { Candidates, RuleExtraction } from './extract';
import {
  fold,
  INTAKE_FIELDS,
  type EditableField,
  type IntakeField,
  type Reason,
  type TicketDraft,
} from './fields';
import { FIELD_SPECS, readAnswer, type SpecContext } from './fieldSpecs';

export type Mode =
  'field' | 'confirm_sev1' | 'summary' | 'change_pick' | 'form' | 'access_request' | 'confirm_billing';

/** The intake's dialog state: plain data, saved between turns. */
export interface IntakeState {
  locale: Locale;
  draftId: string;
  draft: TicketDraft;
  mode: Mode;
  field?: EditableField;
  /** After a change from the summary, go back to it. */
  returnToSummary?: boolean;
  /** Fields answered in this conversation, newest last: what "back" undoes. */
  answered: EditableField[];
  /** Fields taken from what the user wrote rather than asked: shown on the summary. */
  understood: EditableField[];
  /** Candidates that need another field first (a version before the module is known). */
  pending: Candidates;
  articlesTried: Array<{ key: string; title: string; url?: string | undefined }>;
  relatedTicketNumber?: string;
  contactId: string;
  /** The contact is recorded as reachable around the clock: severity 1 needs no confirmation. */
  reachable24x7: boolean;
  /** Notes to show with the summary (e.g. a version warning). */
  notes: Reason[];
  /** What the user wrote, newest last (for the language model, when there is one). */
  messages: string[];
  /** The organisation's last answers for a module, looked up once per module. */
  lastUsed?: { module: string; serverUrl?: string; productVersion?: string };
  billingQuestion?: string | undefined;
  resumeMode?: Mode;
  incidentCheckedFor?: string;
}

/** A new intake for a contact: an empty draft, with what the knowledge step already tried. */
export function newState(
  locale: Locale,
  draftId: string,
  contact: { id: string; reachable24x7: boolean },
  articlesTried: IntakeState['articlesTried'] = [],
  relatedTicketNumber?: string,
): IntakeState {
  return {
    locale,
    draftId,
    draft: { ccs: [], unknown: [] },
    mode: 'field',
    answered: [],
    understood: [],
    pending: {},
    articlesTried,
    ...(relatedTicketNumber && { relatedTicketNumber }),
    contactId: contact.id,
    reachable24x7: contact.reachable24x7,
    notes: [],
    messages: [],
  };
}

/** The draft with what the catalogue implies (no devices for modules without devices). */
export function settle(draft: TicketDraft, catalogue: ProductCatalogue): TicketDraft {
  const mod = draft.module ? catalogue.get(draft.module) : undefined;
  if (mod && !mod.hasDevices && draft.devices === undefined) return { ...draft, devices: [] };
  return draft;
}

/** The next field to ask, in the intake's order, or undefined when the draft is complete. */
export function nextMissing(draft: TicketDraft): IntakeField | undefined {
  const field = INTAKE_FIELDS.find((f) => draft[f] === undefined && !draft.unknown.includes(f as never));
  // Neither subject nor description: one question for the problem, the subject taken from it.
  return field === 'subject' && draft.description === undefined ? 'description' : field;
}

export interface Taken {
  draft: TicketDraft;
  taken: EditableField[];
  notes: Reason[];
  pending: Candidates;
  /** A severity 1 read from the message, waiting for the 24×7 rule. */
  severityOne: boolean;
}

/**
 * Takes the candidates that fill fields still empty, each through its field's parse (an
 * invalid candidate is dropped and the field is asked as usual). Module first, so that a
 * version or devices can be read for it; those that need a module not yet known wait.
 */
export function takeCandidates(
  draft: TicketDraft,
  candidates: Candidates,
  ctx: Omit<SpecContext, 'draft'>,
  catalogue: ProductCatalogue,
): Taken {
  let next = draft;
  const taken: EditableField[] = [];
  const notes: Reason[] = [];
  const pending: Candidates = {};
  let severityOne = false;
  for (const field of INTAKE_FIELDS) {
    const text = candidates[field]?.trim();
    if (!text || next[field] !== undefined || next.unknown.includes(field as never)) continue;
    if ((field === 'productVersion' || field === 'devices') && !next.module) {
      pending[field] = text;
      continue;
    }
    const read = readAnswer(field, text, { ...ctx, draft: next });
    if (read.kind !== 'value') continue;
    if (field === 'severity' && read.draft.severity === 1) {
      severityOne = true;
      continue;
    }
    next = settle(read.draft, catalogue);
    taken.push(field);
    if (read.note) notes.push(read.note);
  }
  return { draft: next, taken, notes, pending, severityOne };
}

/** Fields the summary lets the user change for this draft. */
export function editableFields(draft: TicketDraft, catalogue: ProductCatalogue): EditableField[] {
  const mod = draft.module ? catalogue.get(draft.module) : undefined;
  return (Object.keys(FIELD_SPECS) as EditableField[]).filter(
    (f) => f !== 'devices' || mod?.hasDevices !== false,
  );
}

/** The state after a field was answered: remembered for "back", no longer "understood". */
export function answered(state: IntakeState, field: EditableField): IntakeState {
  return {
    ...state,
    answered: [...state.answered.filter((f) => f !== field), field],
    understood: state.understood.filter((f) => f !== field),
  };
}

/** "Back": the question before, or undefined when there is none. */
export function previousField(state: IntakeState): { state: IntakeState; field?: EditableField } {
  const list = [...state.answered];
  const field = list.pop();
  return field ? { state: { ...state, answered: list }, field } : { state };
}

/** "Start over": an empty draft, the same ids. */
export function restarted(state: IntakeState): IntakeState {
  return {
    ...state,
    draft: { ccs: [], unknown: [] },
    answered: [],
    understood: [],
    pending: {},
    notes: [],
    mode: 'field',
    returnToSummary: false,
  };
}

/** Keeps the last dozen messages for extraction. */
export function withMessage(state: IntakeState, text: string): IntakeState {
  return text.trim() ? { ...state, messages: [...state.messages, text.trim()].slice(-12) } : state;
}

/** What a message typed at the summary (or at "which field?") picks, if anything. */
export function readSummaryAnswer(
  text: string,
  state: IntakeState,
  catalogue: ProductCatalogue,
): 'submit' | { intake: 'change' } | { intake: 'change_field'; field: EditableField } | undefined {
  const answer = fold(text);
  const { locale } = state;
  const submitWords = [fold(t(locale, 'intake.submit')), 'submit', 'send', 'envoyer', 'valider', 'ok'];
  if (state.mode === 'summary' && submitWords.includes(answer)) return 'submit';
  if ([fold(t(locale, 'intake.change')), 'change', 'modifier', 'edit'].includes(answer))
    return { intake: 'change' };
  const field = editableFields(state.draft, catalogue).find((f) =>
    [t('en', FIELD_LABELS[f]), t('fr', FIELD_LABELS[f]), f].map(fold).includes(answer),
  );
  return field ? { intake: 'change_field', field } : undefined;
}

/** Severity 1: kept at once for a contact recorded as reachable 24×7 (saying so), else to confirm. */
export function severityOne(state: IntakeState): { state: IntakeState; say: Reason[] } {
  if (!state.reachable24x7) return { state: { ...state, mode: 'confirm_sev1' }, say: [] };
  return {
    state: answered({ ...state, draft: { ...state.draft, severity: 1 } }, 'severity'),
    say: [{ key: 'intake.reachableKnown' }],
  };
}

/**
 * The state after reading one message: the fields it states that were still empty, and what to
 * tell the user (a feature request, two problems in the first message, a version warning). A
 * later answer (`answerOnly`) is not a new subject or description.
 */
export function absorb(
  state: IntakeState,
  read: RuleExtraction,
  answerOnly: boolean,
  ctx: Omit<SpecContext, 'draft'>,
  catalogue: ProductCatalogue,
): { state: IntakeState; say: Reason[] } {
  if (read.featureRequest) return { state, say: [{ key: 'intake.featureRequestNotice' }] };
  const say: Reason[] = [];
  if (read.severalProblems && state.messages.length <= 1) say.push({ key: 'intake.severalProblems' });
  const candidates: Candidates = { ...state.pending, ...read.candidates };
  if (answerOnly) {
    delete candidates.subject;
    delete candidates.description;
  }
  const taken = takeCandidates(state.draft, candidates, ctx, catalogue);
  let next: IntakeState = {
    ...state,
    draft: taken.draft,
    pending: taken.pending,
    notes: [...state.notes, ...taken.notes],
    understood: [...state.understood.filter((f) => !taken.taken.includes(f)), ...taken.taken],
  };
  say.push(...taken.notes);
  if (taken.severityOne) {
    const one = severityOne(next);
    next = one.state;
    say.push(...one.say);
  }
  return { state: next, say };
}
