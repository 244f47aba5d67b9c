import { CardFactory, type Attachment } from 'botbuilder';
import { z } from 'zod';
import { t, type Locale } from '../texts';

/** The buttons of the handoff and satisfaction cards, as they come back in `activity.value`. */
const handoffActionSchema = z.discriminatedUnion('helpline', [
  z.object({ helpline: z.literal('handoff_ticket'), handoffId: z.string().uuid() }),
  z.object({ helpline: z.literal('handoff_decline') }),
  /** "Talk to a person", offered where the bot gave up (dialogs/giveUp.ts). */
  z.object({
    helpline: z.literal('handoff_start'),
    reason: z.enum(['repeated_failures', 'frustration', 'severity1']),
  }),
]);
export type HandoffCardAction = z.infer<typeof handoffActionSchema>;

export function readHandoffCardAction(value: unknown): HandoffCardAction | undefined {
  const parsed = handoffActionSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** "Nobody could take it": the message and a ticket offer that carries the conversation. */
export function ticketOfferCard(locale: Locale, message: string, handoffId: string): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [{ type: 'TextBlock', text: message, wrap: true }],
    actions: [
      {
        type: 'Action.Submit',
        title: t(locale, 'handoff.offerTicket'),
        data: { helpline: 'handoff_ticket', handoffId },
      },
      { type: 'Action.Submit', title: t(locale, 'handoff.noThanks'), data: { helpline: 'handoff_decline' } },
    ],
  });
}

/** Where the bot gives up: what it says, and a "Talk to a person" button that starts the handoff. */
export function talkToPersonCard(
  locale: Locale,
  message: string,
  reason: 'repeated_failures' | 'frustration' | 'severity1',
): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [{ type: 'TextBlock', text: message, wrap: true }],
    actions: [
      {
        type: 'Action.Submit',
        title: t(locale, 'giveUp.talkToPerson'),
        data: { helpline: 'handoff_start', reason },
      },
    ],
  });
}

const satisfactionActionSchema = z.object({
  helpline: z.literal('satisfaction'),
  surveyId: z.string().min(1).max(300),
  score: z.coerce.number().int().min(1).max(5),
});
export type SatisfactionCardAction = z.infer<typeof satisfactionActionSchema>;

export function readSatisfactionCardAction(value: unknown): SatisfactionCardAction | undefined {
  const parsed = satisfactionActionSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** How satisfied, 1 to 5: one button per score. */
export function satisfactionCard(locale: Locale, question: string, surveyId: string): Attachment {
  const scores = [1, 2, 3, 4, 5] as const;
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: question, wrap: true },
      { type: 'TextBlock', text: t(locale, 'satisfaction.scale'), wrap: true, isSubtle: true, size: 'Small' },
    ],
    actions: scores.map((score) => ({
      type: 'Action.Submit',
      title: t(locale, `satisfaction.score${score}`),
      data: { helpline: 'satisfaction', surveyId, score },
    })),
  });
}
