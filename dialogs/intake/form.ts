import type { ProductCatalogue } from '../../services/catalogue';
import type { Locale } from '../texts';
import type { EditableField, Reason, TicketDraft } from './fields';
import { FIELD_SPECS, readAnswer } from './fieldSpecs';
import { settle } from './transitions';

export type FormErrors = Partial<Record<EditableField, Reason>>;

export interface FormReading {
  draft: TicketDraft;
  errors: FormErrors;
  /** Warnings the chat would give for the same answers (an out-of-support version…). */
  notes: Reason[];
  raw: Partial<Record<EditableField, string>>;
}

const REQUIRED: ReadonlyArray<EditableField> = ['module', 'subject', 'description', 'severity'];

/**
 * Reads a submitted form with the chat's own field specs, in the chat's order (the module
 * first, so that devices and version are read for it). Empty optional fields are "not known".
 */
export function readForm(
  values: Record<string, unknown>,
  ctx: { locale: Locale; catalogue: ProductCatalogue; today: Date },
): FormReading {
  const raw: Partial<Record<EditableField, string>> = {};
  const fields = Object.keys(FIELD_SPECS) as EditableField[];
  for (const field of fields) {
    const value = values[field];
    raw[field] = typeof value === 'string' ? value.slice(0, 6000) : '';
  }
  let draft: TicketDraft = { ccs: [], unknown: [] };
  const errors: FormErrors = {};
  const notes: Reason[] = [];
  for (const field of fields) {
    const text = (raw[field] ?? '').trim();
    if (field === 'devices') draft = settle(draft, ctx.catalogue);
    if (field === 'devices' && draft.devices !== undefined) continue;
    if (!text) {
      if (REQUIRED.includes(field)) errors[field] = { key: 'intake.form.required' };
      else if (FIELD_SPECS[field].unknowable)
        draft = { ...draft, unknown: [...draft.unknown, field as never] };
      continue;
    }
    if (field === 'productVersion' && !draft.module) {
      if (!errors.module) errors.productVersion = { key: 'intake.invalid.versionNeedsModule' };
      continue;
    }
    const read = readAnswer(field, text, { ...ctx, draft });
    if (read.kind === 'invalid') errors[field] = read.reason;
    else {
      draft = read.draft;
      if (read.kind === 'value' && read.note) notes.push(read.note);
    }
  }
  // The form's description box holds the whole text; the subject typed in the form wins.
  if (raw.subject?.trim() && draft.subject !== undefined && !errors.subject) {
    const subject = FIELD_SPECS.subject.parse(raw.subject, { ...ctx, draft });
    if (subject.ok) draft = { ...draft, subject: subject.value };
  }
  return { draft, errors, notes, raw };
}
