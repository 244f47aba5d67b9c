import { CardFactory, type Attachment } from 'botbuilder';
import { z } from 'zod';
import type { BILLING_TOPICS } from '../../services/tickets';
import { plainText } from '../input/plainText';
import { labelled } from './fieldBlocks';
import { t, type Locale, type TextKey } from '../texts';

/** A billing ticket's topic, as the billing queue files it. */
export type BillingTicketTopic = (typeof BILLING_TOPICS)[number];

export const BILLING_TOPIC_LABELS: Record<BillingTicketTopic, TextKey> = {
  invoice_copy: 'billing.topic.invoice_copy',
  charge_question: 'billing.topic.charge_question',
  dispute: 'billing.topic.dispute',
  payment_method: 'billing.topic.payment_method',
  renewal: 'billing.topic.renewal',
  licence_count: 'billing.topic.licence_count',
  other: 'billing.topic.other',
};

/** What the summary card's buttons send back in `activity.value`. */
export const billingCardActionSchema = z.object({
  billing: z.enum(['submit', 'cancel']),
  draftId: z.string().min(1).max(100),
});
export type BillingCardAction = z.infer<typeof billingCardActionSchema>;

/** The billing card action an activity value carries, or undefined for anything else. */
export function readBillingCardAction(value: unknown): BillingCardAction | undefined {
  const parsed = billingCardActionSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A billing ticket about to be submitted, as the summary card shows it. */
export interface BillingSummary {
  draftId: string;
  topic: BillingTicketTopic;
  organisationName: string;
  invoiceNumber?: string | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
  description: string;
  /** Who will be copied, already formatted for display. */
  copied: string[];
}

/** An amount as people of `locale` write it, with its currency code when known. */
export function formatAmount(amount: number, currency: string | undefined, locale: Locale): string {
  const number = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    minimumFractionDigits: Number.isInteger(amount) ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(amount);
  return currency ? `${number} ${currency}` : number;
}

/** The summary of a billing ticket with Submit / Cancel, both carrying the draft's id. */
export function billingSummaryCard(summary: BillingSummary, locale: Locale): Attachment {
  const notGiven = t(locale, 'billing.summaryNotGiven');
  const facts = [
    { title: t(locale, 'billing.summaryOrganisation'), value: plainText(summary.organisationName) },
    {
      title: t(locale, 'billing.summaryTopic'),
      value: capitalise(t(locale, BILLING_TOPIC_LABELS[summary.topic])),
    },
    {
      title: t(locale, 'billing.summaryInvoice'),
      value: summary.invoiceNumber === undefined ? notGiven : plainText(summary.invoiceNumber),
    },
    {
      title: t(locale, 'billing.summaryAmount'),
      value: summary.amount === undefined ? notGiven : formatAmount(summary.amount, summary.currency, locale),
    },
    {
      title: t(locale, 'billing.summaryCopied'),
      value: summary.copied.length ? plainText(summary.copied.join(', ')) : notGiven,
    },
  ];
  const action = (billing: BillingCardAction['billing'], title: TextKey): Record<string, unknown> => ({
    type: 'Action.Submit',
    title: t(locale, title),
    data: { billing, draftId: summary.draftId } satisfies BillingCardAction,
  });
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      {
        type: 'TextBlock',
        text: t(locale, 'billing.summaryTitle'),
        weight: 'Bolder',
        size: 'Medium',
        wrap: true,
      },
      {
        type: 'TextBlock',
        text: t(locale, 'billing.summaryQueue'),
        isSubtle: true,
        spacing: 'None',
        wrap: true,
      },
      ...facts.map((fact) => labelled(fact.title, fact.value)),
      labelled(t(locale, 'billing.summaryDescription'), plainText(summary.description)),
    ],
    actions: [action('submit', 'billing.submit'), action('cancel', 'billing.cancel')],
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
