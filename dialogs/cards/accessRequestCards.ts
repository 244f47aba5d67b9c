import { CardFactory, type Attachment } from 'botbuilder';
import { z } from 'zod';
import type { AccessRequest } from '../../services/identity';
import { t, type Locale } from '../texts';

/** What an access request card's buttons send back in `activity.value`. */
const accessActionSchema = z.object({
  helpline: z.literal('access_request'),
  decision: z.enum(['approve', 'decline']),
  requestId: z.string().min(1).max(100),
});
export type AccessRequestAction = z.output<typeof accessActionSchema>;

export function readAccessRequestAction(value: unknown): AccessRequestAction | undefined {
  const parsed = accessActionSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export interface AccessRequestCardInput {
  request: AccessRequest;
  requesterName: string;
  organisationName: string;
}

/** The card an authorized contact gets: who asks, and Approve / Decline. Text is plain, never markup. */
export function accessRequestCard(input: AccessRequestCardInput, locale: Locale): Attachment {
  const data = (decision: 'approve' | 'decline'): AccessRequestAction => ({
    helpline: 'access_request',
    decision,
    requestId: input.request.id,
  });
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: t(locale, 'access.requestTitle'), weight: 'Bolder', wrap: true },
      {
        type: 'TextBlock',
        text: t(locale, 'access.requestBody', {
          name: plain(input.requesterName),
          email: plain(input.request.email ?? ''),
          organisation: plain(input.organisationName),
        }),
        wrap: true,
      },
    ],
    actions: [
      { type: 'Action.Submit', title: t(locale, 'access.approve'), data: data('approve') },
      { type: 'Action.Submit', title: t(locale, 'access.decline'), data: data('decline') },
    ],
  });
}

/** Adaptive Card TextBlocks render a subset of markdown: show user text as typed. */
function plain(text: string): string {
  return text.replace(/([*_`[\]\\])/g, '\\$1');
}
