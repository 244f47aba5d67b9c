import { z } from 'zod';
import { UNKNOWABLE_FIELDS, type TechnicalTicketInput } from '../../services/tickets';
import type { TicketDraft } from './fields';

/** A draft that is complete enough to become a ticket: every required field set or said unknown. */
const completeDraftSchema = z.object({
  module: z.string().min(1),
  subject: z.string().min(1),
  description: z.string().min(1),
  expectedResult: z.string().min(1).optional(),
  severity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  serverUrl: z.string().optional(),
  stepsToReproduce: z.string().optional(),
  devices: z.array(z.object({ serialNumber: z.string(), deviceNumber: z.string() })).optional(),
  productVersion: z.string().optional(),
  ccs: z.array(z.string()),
  unknown: z.array(z.enum(UNKNOWABLE_FIELDS)),
});

export interface SubmissionContext {
  requesterContactId: string;
  channel: 'msteams' | 'webchat';
  locale: 'en' | 'fr';
  conversationRefId: string;
  articlesTried: Array<{ key: string; title: string; url?: string | undefined }>;
  relatedTicketNumber?: string | undefined;
}

/**
 * The ticket-creation input for a draft, or undefined when the draft is not complete (the
 * dialog then asks what is missing). No field is assumed present: the schema checks them.
 */
export function toTicketInput(draft: TicketDraft, ctx: SubmissionContext): TechnicalTicketInput | undefined {
  const parsed = completeDraftSchema.safeParse(draft);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  return {
    type: 'technical',
    requesterContactId: ctx.requesterContactId,
    ccs: d.ccs,
    channel: ctx.channel,
    locale: ctx.locale,
    conversationRefId: ctx.conversationRefId,
    module: d.module,
    subject: d.subject,
    description: d.description,
    ...(d.expectedResult !== undefined && { expectedResult: d.expectedResult }),
    severity: d.severity,
    ...(d.serverUrl !== undefined && { serverUrl: d.serverUrl }),
    ...(d.stepsToReproduce !== undefined && { stepsToReproduce: d.stepsToReproduce }),
    ...(d.devices !== undefined && { devices: d.devices }),
    ...(d.productVersion !== undefined && { productVersion: d.productVersion }),
    unknownFields: d.unknown,
    articlesTried: ctx.articlesTried.flatMap((a) =>
      a.url ? [{ key: a.key, title: a.title, url: a.url }] : [],
    ),
    ...(ctx.relatedTicketNumber && { relatedTicketNumber: ctx.relatedTicketNumber }),
  };
}
