import type { Choice } from 'botbuilder-dialogs';
import type { BillingTopic } from '../../services/intents';
import { imBack } from '../cards/actions';
import type { BillingTicketTopic } from '../cards/billingCards';
import { t, type Locale, type TextKey } from '../texts';

/** The menu's entries; two of them cover a pair of neighbouring topics. */
export const TOPIC_CHOICES = ['invoice_copy', 'charge', 'payment_method', 'renewal', 'other'] as const;
export type TopicChoice = (typeof TOPIC_CHOICES)[number];

export function toTicketTopic(topic: BillingTopic): BillingTicketTopic {
  return topic === 'charge' ? 'charge_question' : topic;
}

export function topicChoices(locale: Locale): Choice[] {
  const entries: Array<[TopicChoice, TextKey, string[]]> = [
    [
      'invoice_copy',
      'billing.choice.invoice_copy',
      ['invoice', 'invoice copy', 'facture', 'copie de facture'],
    ],
    ['charge', 'billing.choice.charge', ['charge', 'dispute', 'montant', 'contestation', 'contester']],
    [
      'payment_method',
      'billing.choice.payment_method',
      ['payment', 'payment method', 'card', 'paiement', 'moyen de paiement', 'carte'],
    ],
    [
      'renewal',
      'billing.choice.renewal',
      ['renewal', 'licence', 'license', 'licences', 'renouvellement', 'nombre de licences'],
    ],
    ['other', 'billing.choice.other', ['other', 'something else', 'autre', 'autre chose']],
  ];
  return entries.map(([value, key, synonyms]) => {
    const title = t(locale, key);
    return { value, action: imBack(title), synonyms: [...synonyms, title] };
  });
}

export function answeredChoices(locale: Locale, canOpenTicket: boolean): Choice[] {
  const yes = t(locale, 'billing.choiceYes');
  const no = t(locale, canOpenTicket ? 'billing.choiceNoTicket' : 'billing.choiceNo');
  return [
    { value: 'yes', action: imBack(yes), synonyms: ['yes', 'oui', 'yes thanks', 'oui merci', yes] },
    { value: 'no', action: imBack(no), synonyms: ['no', 'non', 'open a ticket', 'ouvrir un ticket', no] },
  ];
}
