import { CardFactory, type Attachment } from 'botbuilder';
import type { ProductCatalogue } from '../../services/catalogue';
import type { EditableField, Reason, TicketDraft } from '../intake/fields';
import { t, type Locale, type TextKey } from '../texts';
import { splitSteps } from './fieldBlocks';

/** What the summary and form buttons send back in `activity.value`. */
export type IntakeCardAction =
  | { intake: 'submit'; draftId: string }
  | { intake: 'change'; draftId: string }
  | { intake: 'cancel'; draftId: string }
  | { intake: 'change_field'; draftId: string; field: EditableField }
  | { intake: 'form_submit'; draftId: string; [input: string]: unknown };

export const FIELD_LABELS: Record<EditableField, TextKey> = {
  module: 'intake.field.module',
  subject: 'intake.field.subject',
  description: 'intake.field.description',
  severity: 'intake.field.severity',
  serverUrl: 'intake.field.serverUrl',
  stepsToReproduce: 'intake.field.stepsToReproduce',
  devices: 'intake.field.devices',
  productVersion: 'intake.field.productVersion',
  ccs: 'intake.field.ccs',
};

const SEVERITY_LABELS: Record<1 | 2 | 3 | 4, TextKey> = {
  1: 'intake.severityChoice1',
  2: 'intake.severityChoice2',
  3: 'intake.severityChoice3',
  4: 'intake.severityChoice4',
};

export function severityLabel(locale: Locale, severity: 1 | 2 | 3 | 4): string {
  return t(locale, SEVERITY_LABELS[severity]);
}

export interface SummaryContext {
  locale: Locale;
  catalogue: ProductCatalogue;
  draftId: string;
  accountManager?: { name: string; email: string } | undefined;
  articlesTried: Array<{ title: string }>;
  /** Which fields were taken from the user's messages rather than asked. */
  understood?: string | undefined;
}

/** Steps typed as a numbered list, one line per step (each a plain TextRun); other text as it is. */
function numbered(text: string): string | string[] {
  const steps = splitSteps(text);
  return steps.length < 2 ? text : steps.map((step, index) => `${index + 1}. ${step}`);
}

/** Every field of the draft, with Submit / Change a field / Cancel. */
export function summaryCard(draft: TicketDraft, ctx: SummaryContext): Attachment {
  const { locale } = ctx;
  const unknown = t(locale, 'intake.unknownValue');
  const value = (field: keyof TicketDraft, text: string | undefined): string =>
    text ?? (draft.unknown.includes(field as never) ? unknown : '–');
  const mod = draft.module ? ctx.catalogue.get(draft.module) : undefined;
  const copied = [
    ...(ctx.accountManager ? [t(locale, 'intake.accountManagerCc', { name: ctx.accountManager.name })] : []),
    ...draft.ccs,
  ];
  const facts: Array<{ title: string; value: string | string[] }> = [
    { title: t(locale, 'intake.field.module'), value: mod?.name[locale] ?? '–' },
    { title: t(locale, 'intake.field.subject'), value: draft.subject ?? '–' },
    { title: t(locale, 'intake.field.description'), value: draft.description ?? '–' },
    ...(draft.expectedResult
      ? [{ title: t(locale, 'intake.field.expectedResult'), value: draft.expectedResult }]
      : []),
    {
      title: t(locale, 'intake.field.severity'),
      value: draft.severity ? severityLabel(locale, draft.severity) : '–',
    },
    { title: t(locale, 'intake.field.serverUrl'), value: value('serverUrl', draft.serverUrl) },
    {
      title: t(locale, 'intake.field.stepsToReproduce'),
      value: draft.stepsToReproduce
        ? numbered(draft.stepsToReproduce)
        : value('stepsToReproduce', draft.stepsToReproduce),
    },
    {
      title: t(locale, 'intake.field.devices'),
      value: draft.devices
        ? draft.devices.length
          ? draft.devices.map((d) => `${d.serialNumber} / ${d.deviceNumber}`).join('\n')
          : t(locale, 'intake.noneValue')
        : value('devices', undefined),
    },
    { title: t(locale, 'intake.field.productVersion'), value: value('productVersion', draft.productVersion) },
    { title: t(locale, 'intake.field.ccs'), value: copied.join(', ') || '–' },
  ];
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      {
        type: 'TextBlock',
        text: t(locale, 'intake.summaryTitle'),
        weight: 'Bolder',
        size: 'Medium',
        wrap: true,
      },
      { type: 'TextBlock', text: t(locale, 'intake.summaryIntro'), wrap: true, isSubtle: true },
      ...(ctx.understood ? [{ type: 'TextBlock', text: ctx.understood, wrap: true, size: 'Small' }] : []),
      // Label above value (not a FactSet): narrow cards on phones break FactSet titles mid-word.
      ...facts.flatMap((fact) => [
        { type: 'TextBlock', text: fact.title, weight: 'Bolder', wrap: true, spacing: 'Small' },
        // What the user wrote is shown as written: a TextRun is never read as markdown.
        ...(Array.isArray(fact.value) ? fact.value : [fact.value]).map((line) => ({
          type: 'RichTextBlock',
          spacing: 'None',
          inlines: [{ type: 'TextRun', text: line }],
        })),
      ]),
      ...(ctx.articlesTried.length
        ? [
            {
              type: 'TextBlock',
              text: t(locale, 'intake.articlesTriedList', {
                titles: ctx.articlesTried.map((a) => a.title).join(' · '),
              }),
              wrap: true,
              size: 'Small',
              isSubtle: true,
            },
          ]
        : []),
    ],
    actions: [
      {
        type: 'Action.Submit',
        title: t(locale, 'intake.submit'),
        style: 'positive',
        data: { intake: 'submit', draftId: ctx.draftId },
      },
      {
        type: 'Action.Submit',
        title: t(locale, 'intake.change'),
        data: { intake: 'change', draftId: ctx.draftId },
      },
      {
        type: 'Action.Submit',
        title: t(locale, 'intake.cancel'),
        data: { intake: 'cancel', draftId: ctx.draftId },
      },
    ],
  });
}

/** The fields the user can pick to change, one button each. */
export function changeFieldCard(locale: Locale, draftId: string, fields: EditableField[]): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [{ type: 'TextBlock', text: t(locale, 'intake.whichField'), wrap: true }],
    actions: fields.map((field) => ({
      type: 'Action.Submit',
      title: t(locale, FIELD_LABELS[field]),
      data: { intake: 'change_field', draftId, field },
    })),
  });
}

export type FormErrors = Partial<Record<EditableField, Reason>>;

/**
 * The whole ticket as one Adaptive Card form, prefilled with what is known. Submitted values are
 * validated on the server with the same rules as the chat, and the form comes back with the
 * errors next to their fields.
 */
export function ticketFormCard(
  draft: TicketDraft,
  ctx: { locale: Locale; catalogue: ProductCatalogue; draftId: string },
  errors: FormErrors = {},
  raw: Partial<Record<EditableField, string>> = {},
): Attachment {
  const { locale } = ctx;
  const error = (field: EditableField): object[] => {
    const reason = errors[field];
    return reason
      ? [
          {
            type: 'TextBlock',
            text: t(locale, reason.key, reason.vars),
            color: 'Attention',
            wrap: true,
            size: 'Small',
            spacing: 'None',
          },
        ]
      : [];
  };
  const label = (field: EditableField): object => ({
    type: 'TextBlock',
    text: t(locale, FIELD_LABELS[field]),
    weight: 'Bolder',
    wrap: true,
  });
  const devicesText =
    raw.devices ?? draft.devices?.map((d) => `${d.serialNumber}, ${d.deviceNumber}`).join('\n') ?? '';
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      {
        type: 'TextBlock',
        text: t(locale, 'intake.form.title'),
        weight: 'Bolder',
        size: 'Medium',
        wrap: true,
      },
      ...(Object.keys(errors).length
        ? [{ type: 'TextBlock', text: t(locale, 'intake.form.fixErrors'), color: 'Attention', wrap: true }]
        : []),
      label('module'),
      {
        type: 'Input.ChoiceSet',
        id: 'module',
        style: 'compact',
        value: raw.module ?? draft.module ?? '',
        choices: ctx.catalogue.technicalModules().map((m) => ({ title: m.name[locale], value: m.id })),
      },
      ...error('module'),
      label('subject'),
      { type: 'Input.Text', id: 'subject', maxLength: 150, value: raw.subject ?? draft.subject ?? '' },
      ...error('subject'),
      label('description'),
      {
        type: 'Input.Text',
        id: 'description',
        isMultiline: true,
        placeholder: t(locale, 'intake.askDescription'),
        value: raw.description ?? draft.description ?? '',
      },
      ...error('description'),
      label('severity'),
      {
        type: 'Input.ChoiceSet',
        id: 'severity',
        style: 'expanded',
        value: raw.severity ?? (draft.severity ? String(draft.severity) : ''),
        choices: ([1, 2, 3, 4] as const).map((s) => ({
          title: t(locale, `intake.severity${s}`),
          value: String(s),
        })),
      },
      ...error('severity'),
      {
        type: 'TextBlock',
        text: t(locale, 'intake.form.unknownHint'),
        isSubtle: true,
        wrap: true,
        size: 'Small',
      },
      label('serverUrl'),
      {
        type: 'Input.Text',
        id: 'serverUrl',
        style: 'Url',
        placeholder: 'https://',
        value: raw.serverUrl ?? draft.serverUrl ?? '',
      },
      ...error('serverUrl'),
      label('stepsToReproduce'),
      {
        type: 'Input.Text',
        id: 'stepsToReproduce',
        isMultiline: true,
        value: raw.stepsToReproduce ?? draft.stepsToReproduce ?? '',
      },
      ...error('stepsToReproduce'),
      label('devices'),
      {
        type: 'Input.Text',
        id: 'devices',
        isMultiline: true,
        placeholder: t(locale, 'intake.form.devicesPlaceholder'),
        value: devicesText,
      },
      ...error('devices'),
      label('productVersion'),
      { type: 'Input.Text', id: 'productVersion', value: raw.productVersion ?? draft.productVersion ?? '' },
      ...error('productVersion'),
      label('ccs'),
      { type: 'Input.Text', id: 'ccs', style: 'Email', value: raw.ccs ?? draft.ccs.join(', ') },
      ...error('ccs'),
    ],
    actions: [
      {
        type: 'Action.Submit',
        title: t(locale, 'intake.form.send'),
        style: 'positive',
        data: { intake: 'form_submit', draftId: ctx.draftId },
      },
      {
        type: 'Action.Submit',
        title: t(locale, 'intake.cancel'),
        data: { intake: 'cancel', draftId: ctx.draftId },
      },
    ],
  });
}
