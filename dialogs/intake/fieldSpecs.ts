import type { ProductCatalogue, ProductModule } from '../../services/catalogue';
import { t, type Locale, type TextKey } from '../texts';
import {
  isDontKnow,
  parseCcs,
  parseDescription,
  parseDevices,
  parseModule,
  parseServerUrl,
  parseSeverity,
  parseSteps,
  parseSubject,
  parseVersion,
  subjectFrom,
  type Device,
  type EditableField,
  type FieldParse,
  type Reason,
  type Severity,
  type TicketDraft,
} from './fields';
import { suggestSeverity } from './severity';

/** What a field's question and parse may read: plain data, the same for chat and form. */
export interface SpecContext {
  locale: Locale;
  catalogue: ProductCatalogue;
  today: Date;
  draft: TicketDraft;
  /** The organisation's last-used answers for the draft's module, offered as one tap. */
  lastUsed?: { serverUrl?: string | undefined; productVersion?: string | undefined } | undefined;
}

/** A question: its text and the one-tap answers shown under it. */
export interface Question {
  text: string;
  choices: string[];
}

/**
 * One ticket field: how to ask it, how to read an answer (typed in chat, a form input, or a
 * candidate extracted from a message), and how the value goes into the draft. The chat, the
 * form and the extraction all go through these, so every rule (and every warning, like the
 * out-of-support version) holds for all three.
 */
export interface FieldSpec<V = unknown> {
  field: EditableField;
  /** "I don't know" is an answer: the ticket then waits on hold for this field. */
  unknowable: boolean;
  ask(ctx: SpecContext): Question;
  parse(text: string, ctx: SpecContext): FieldParse<V>;
  apply(draft: TicketDraft, value: V): TicketDraft;
}

function moduleOf(ctx: SpecContext): ProductModule | undefined {
  return ctx.draft.module ? ctx.catalogue.get(ctx.draft.module) : undefined;
}

const versionSettled = (draft: TicketDraft): boolean =>
  draft.productVersion !== undefined || draft.unknown.includes('productVersion');

const plain = (text: string, choices: string[] = []): Question => ({ text, choices });
const withHint = (ctx: SpecContext, key: TextKey, vars?: Record<string, string>): string =>
  `${t(ctx.locale, key, vars)} ${t(ctx.locale, 'intake.dontKnowHint')}`;
const dontKnow = (ctx: SpecContext): string => t(ctx.locale, 'intake.dontKnowChoice');

export const SEVERITY_CHOICE_KEYS: Record<Severity, TextKey> = {
  1: 'intake.severityChoice1',
  2: 'intake.severityChoice2',
  3: 'intake.severityChoice3',
  4: 'intake.severityChoice4',
};

const moduleSpec: FieldSpec<string> = {
  field: 'module',
  unknowable: false,
  ask: (ctx) =>
    plain(
      t(ctx.locale, 'intake.askModule'),
      ctx.catalogue.technicalModules().map((m) => m.name[ctx.locale]),
    ),
  parse: (text, ctx) => parseModule(text, ctx.catalogue),
  apply: (draft, value) => {
    if (draft.module === value) return draft;
    // A version or devices answer belongs to the module it was given for.
    const next: TicketDraft = { ...draft, module: value };
    delete next.productVersion;
    if (next.devices?.length === 0) delete next.devices;
    next.unknown = next.unknown.filter((f) => f !== 'productVersion');
    return next;
  },
};

const subjectSpec: FieldSpec<string> = {
  field: 'subject',
  unknowable: false,
  ask: (ctx) => plain(t(ctx.locale, 'intake.askSubject')),
  parse: (text) => parseSubject(text),
  apply: (draft, value) => ({ ...draft, subject: value }),
};

const descriptionSpec: FieldSpec<{ description: string; expectedResult?: string }> = {
  field: 'description',
  unknowable: false,
  // Without a subject yet, one question asks for both: the subject is the answer's first sentence.
  ask: (ctx) => plain(t(ctx.locale, ctx.draft.subject ? 'intake.askDescription' : 'intake.askProblem')),
  parse: (text) => parseDescription(text),
  apply: (draft, value) => {
    const next: TicketDraft = { ...draft, description: value.description };
    if (value.expectedResult) next.expectedResult = value.expectedResult;
    else delete next.expectedResult;
    const subject = next.subject ?? subjectFrom(value.description);
    if (subject) next.subject = subject;
    return next;
  },
};

const severitySpec: FieldSpec<Severity> = {
  field: 'severity',
  unknowable: false,
  ask: (ctx) => {
    const { locale, draft } = ctx;
    const guess = draft.description ? suggestSeverity(draft.description).severity : undefined;
    const suggestion = guess
      ? t(locale, 'intake.severitySuggestion', { severity: t(locale, SEVERITY_CHOICE_KEYS[guess]) })
      : '';
    const text = [
      t(locale, 'intake.askSeverity', { suggestion }),
      '',
      ...([1, 2, 3, 4] as const).map((s) => `- ${t(locale, `intake.severity${s}`)}`),
    ].join('\n');
    // The suggested level first: one tap when it is right.
    const order = guess ? [guess, ...([1, 2, 3, 4] as const).filter((s) => s !== guess)] : [1, 2, 3, 4];
    return plain(
      text,
      order.map((s) => t(locale, SEVERITY_CHOICE_KEYS[s as Severity])),
    );
  },
  parse: (text) => parseSeverity(text),
  apply: (draft, value) => ({ ...draft, severity: value }),
};

const serverUrlSpec: FieldSpec<string> = {
  field: 'serverUrl',
  unknowable: true,
  ask: (ctx) => {
    const mod = moduleOf(ctx);
    const last = ctx.lastUsed;
    // The version is asked with the server when it is still to ask: one answer gives both (the
    // version is read from the rest of the answer), and is asked alone later when left out.
    const withVersion = mod && !versionSettled(ctx.draft);
    if (!withVersion) {
      return plain(withHint(ctx, 'intake.askServerUrl'), [
        ...(last?.serverUrl ? [last.serverUrl] : []),
        dontKnow(ctx),
      ]);
    }
    const both =
      last?.serverUrl && last.productVersion
        ? [
            t(ctx.locale, 'intake.serverAndVersionChoice', {
              url: last.serverUrl,
              version: last.productVersion,
            }),
          ]
        : [];
    return plain(
      withHint(ctx, 'intake.askServerAndVersion', {
        module: mod.name[ctx.locale],
        format: mod.versionFormat[ctx.locale],
      }),
      [...both, ...(last?.serverUrl && !both.length ? [last.serverUrl] : []), dontKnow(ctx)],
    );
  },
  parse: (text) => {
    const whole = parseServerUrl(text);
    if (whole.ok) return whole;
    // An answer that gives the address among other words ("https://…, version 7.1.4"): the one
    // address in it; none or several is asked again.
    const urls = text.match(/https?:\/\/[^\s,;<>"']+/gi) ?? [];
    const only = urls.length === 1 ? parseServerUrl((urls[0] ?? '').replace(/[.)]+$/, '')) : undefined;
    return only?.ok ? only : whole;
  },
  apply: (draft, value) => ({ ...draft, serverUrl: value }),
};

const stepsSpec: FieldSpec<string> = {
  field: 'stepsToReproduce',
  unknowable: true,
  ask: (ctx) => plain(withHint(ctx, 'intake.askSteps'), [dontKnow(ctx)]),
  parse: (text) => parseSteps(text),
  apply: (draft, value) => ({ ...draft, stepsToReproduce: value }),
};

const devicesSpec: FieldSpec<Device[]> = {
  field: 'devices',
  unknowable: true,
  ask: (ctx) => plain(withHint(ctx, 'intake.askDevices'), [dontKnow(ctx)]),
  parse: (text, ctx) => {
    const mod = moduleOf(ctx);
    const parsed = parseDevices(text, mod);
    if (!parsed.ok && parsed.reason.key === 'intake.invalid.devicesNone')
      return { ok: false, reason: { ...parsed.reason, vars: { module: mod?.name[ctx.locale] ?? '' } } };
    return parsed;
  },
  apply: (draft, value) => ({ ...draft, devices: value }),
};

const versionSpec: FieldSpec<string> = {
  field: 'productVersion',
  unknowable: true,
  ask: (ctx) => {
    const mod = moduleOf(ctx);
    return plain(
      withHint(ctx, 'intake.askVersion', {
        module: mod?.name[ctx.locale] ?? '',
        format: mod?.versionFormat[ctx.locale] ?? '',
      }),
      [...(ctx.lastUsed?.productVersion ? [ctx.lastUsed.productVersion] : []), dontKnow(ctx)],
    );
  },
  parse: (text, ctx) => {
    const mod = moduleOf(ctx);
    if (!mod) return { ok: false, reason: { key: 'intake.invalid.versionNeedsModule' } };
    return parseVersion(text, mod, ctx.catalogue, ctx.today, ctx.locale);
  },
  apply: (draft, value) => ({ ...draft, productVersion: value }),
};

const ccsSpec: FieldSpec<string[]> = {
  field: 'ccs',
  unknowable: false,
  ask: (ctx) => plain(t(ctx.locale, 'intake.askCcs')),
  parse: (text) => parseCcs(text),
  apply: (draft, value) => ({ ...draft, ccs: value }),
};

/** The intake's fields in the order they are asked; `ccs` is only changed from the summary. */
export const FIELD_SPECS: Record<EditableField, FieldSpec<never>> = {
  module: moduleSpec,
  subject: subjectSpec,
  description: descriptionSpec,
  severity: severitySpec,
  serverUrl: serverUrlSpec,
  stepsToReproduce: stepsSpec,
  devices: devicesSpec,
  productVersion: versionSpec,
  ccs: ccsSpec,
} as unknown as Record<EditableField, FieldSpec<never>>;

export type ReadResult =
  | { kind: 'value'; draft: TicketDraft; note?: Reason | undefined }
  | { kind: 'unknown'; draft: TicketDraft }
  | { kind: 'invalid'; reason: Reason };

/**
 * Reads one answer for one field into the draft: "I don't know" for the fields that allow it,
 * else the field's parse and apply. Pure; the caller decides what to say.
 */
export function readAnswer(field: EditableField, text: string, ctx: SpecContext): ReadResult {
  const spec = FIELD_SPECS[field] as unknown as FieldSpec<unknown>;
  const draft = ctx.draft;
  if (spec.unknowable && isDontKnow(text)) {
    const next: TicketDraft = {
      ...draft,
      unknown: [...draft.unknown.filter((f) => f !== field), field as never],
    };
    delete next[field as 'serverUrl'];
    return { kind: 'unknown', draft: next };
  }
  const parsed = spec.parse(text, ctx);
  if (!parsed.ok) return { kind: 'invalid', reason: parsed.reason };
  const next = spec.apply(draft, parsed.value);
  return {
    kind: 'value',
    draft: { ...next, unknown: next.unknown.filter((f) => f !== field) },
    note: parsed.note,
  };
}
