import { MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Ticket } from '../../services/tickets';
import { imBack } from '../cards/actions';
import type { ProductCatalogue } from '../../services/catalogue';
import { FIELD_LABELS, summaryCard, type IntakeCardAction } from '../cards/intakeCards';
import type { IntakeState } from './transitions';
import { t, type Locale } from '../texts';
import type { ConversationContextProvider } from '../turnContextServices';
import type { EditableField, Reason } from './fields';
import type { Question } from './fieldSpecs';

/**
 * A field's question as an activity. "Fill in a form instead" stays among the buttons of every
 * question, so that it is not gone as soon as the first question's buttons are replaced.
 */
export function questionActivity(locale: Locale, question: Question, reason?: Reason): Partial<Activity> {
  const text = reason ? `${t(locale, reason.key, reason.vars)}\n\n${question.text}` : question.text;
  const choices = [...question.choices, t(locale, 'intake.formOffer')];
  return MessageFactory.suggestedActions(choices.map(imBack), text);
}

export function yesNoActivity(locale: Locale, text: string): Partial<Activity> {
  return MessageFactory.suggestedActions(
    [imBack(t(locale, 'intake.yes')), imBack(t(locale, 'intake.no'))],
    text,
  );
}

export function fieldNames(locale: Locale, fields: EditableField[]): string {
  return fields.map((f) => t(locale, FIELD_LABELS[f])).join(', ');
}

const cardActionSchema = z.discriminatedUnion('intake', [
  z.object({ intake: z.literal('submit'), draftId: z.string() }),
  z.object({ intake: z.literal('change'), draftId: z.string() }),
  z.object({ intake: z.literal('cancel'), draftId: z.string() }),
  z.object({
    intake: z.literal('change_field'),
    draftId: z.string(),
    field: z.enum(Object.keys(FIELD_LABELS) as [EditableField, ...EditableField[]]),
  }),
  z.looseObject({ intake: z.literal('form_submit'), draftId: z.string() }),
]);

/** A card button's value for this draft (values of older summaries or other drafts are ignored). */
export function readCardAction(value: unknown, draftId: string): IntakeCardAction | undefined {
  const parsed = cardActionSchema.safeParse(value);
  if (!parsed.success || parsed.data.draftId !== draftId) return undefined;
  return parsed.data;
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
  const parsed = z.object({ intake: z.string(), draftId: z.string() }).safeParse(context.activity.value);
  if (!parsed.success) return false;
  const number = await conversation.openedTicket(context, parsed.data.draftId);
  if (number) {
    await context.sendActivity(t(locale, 'intake.createdExisting', { number }));
    return true;
  }
  if (['submit', 'form_submit', 'change', 'change_field'].includes(parsed.data.intake)) {
    await context.sendActivity(t(locale, 'intake.draftGone'));
    return true;
  }
  return false;
}

/** The ticket number, when to expect an answer, who was copied, and what it waits for. */
export async function confirmCreated(
  context: TurnContext,
  locale: Locale,
  ticket: Ticket,
  created: boolean,
): Promise<void> {
  const lines = [
    t(locale, created ? 'intake.created' : 'intake.createdExisting', { number: ticket.number }),
    t(locale, 'intake.firstResponse', { when: formatDate(ticket.expectedFirstResponse, locale) }),
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

/** The summary card: every field, what was taken from the user's words, Submit / Change / Cancel. */
export function summaryActivity(
  state: IntakeState,
  catalogue: ProductCatalogue,
  accountManager: { name: string; email: string } | undefined,
): Partial<Activity> {
  const card = summaryCard(state.draft, {
    locale: state.locale,
    catalogue,
    draftId: state.draftId,
    accountManager,
    articlesTried: state.articlesTried,
    understood: state.understood.length
      ? t(state.locale, 'intake.understood', { fields: fieldNames(state.locale, state.understood) })
      : undefined,
  });
  return MessageFactory.attachment(card);
}

/** "Please answer yes or no", with the question again when it matters. */
export function notYesNoActivity(state: IntakeState): Partial<Activity> {
  const question = state.mode === 'confirm_sev1' ? t(state.locale, 'intake.confirm24x7') : '';
  return yesNoActivity(state.locale, `${t(state.locale, 'intake.invalid.yesNo')} ${question}`.trim());
}
