import { z } from 'zod';
import { CHANNELS, TICKET_STATUSES } from './model';

/** Bounds shared with the intake dialog, so that its re-ask messages can name them. */
export const TICKET_LIMITS = {
  subject: { min: 5, max: 150 },
  description: { min: 10, max: 5000 },
  expectedResult: { max: 2000 },
  stepsToReproduce: { min: 3, max: 5000 },
  devices: { max: 50 },
  deviceField: { max: 64 },
  ccs: { max: 10 },
  comment: { max: 5000 },
  reason: { max: 1000 },
} as const;

/**
 * The required fields a requester may answer "I don't know" to. The ticket is then opened
 * `on_hold` with these names in `missingInformation`.
 */
export const UNKNOWABLE_FIELDS = ['serverUrl', 'stepsToReproduce', 'devices', 'productVersion'] as const;
export type UnknowableField = (typeof UNKNOWABLE_FIELDS)[number];

const email = z.string().trim().toLowerCase().pipe(z.email());

/** One validator per ticket field, for the intake dialog and the card form to reuse. */
export const ticketFieldSchemas = {
  subject: z.string().trim().min(TICKET_LIMITS.subject.min).max(TICKET_LIMITS.subject.max),
  description: z.string().trim().min(TICKET_LIMITS.description.min).max(TICKET_LIMITS.description.max),
  expectedResult: z.string().trim().min(1).max(TICKET_LIMITS.expectedResult.max),
  severity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  /** A full http(s) address with a host. */
  serverUrl: z
    .string()
    .trim()
    .pipe(z.url({ protocol: /^https?$/, hostname: /^[^\s/]+$/ })),
  stepsToReproduce: z
    .string()
    .trim()
    .min(TICKET_LIMITS.stepsToReproduce.min)
    .max(TICKET_LIMITS.stepsToReproduce.max),
  device: z.object({
    serialNumber: z.string().trim().min(1).max(TICKET_LIMITS.deviceField.max),
    deviceNumber: z.string().trim().min(1).max(TICKET_LIMITS.deviceField.max),
  }),
  /** The shape only; the module's own format is checked against the catalogue. */
  productVersion: z.string().trim().min(1).max(30),
  cc: email,
  articleTried: z.object({ key: z.string().min(1), title: z.string().min(1), url: z.string().min(1) }),
  comment: z.string().trim().min(1).max(TICKET_LIMITS.comment.max),
  reason: z.string().trim().min(1).max(TICKET_LIMITS.reason.max),
};

export const idempotencyKeySchema = z.string().trim().min(8).max(200);

const common = {
  /** The contact opening the ticket; the service reads name, email and organisation from identity. */
  requesterContactId: z.string().trim().min(1),
  /** Extra people to copy; the organisation's account manager is always added. */
  ccs: z.array(ticketFieldSchemas.cc).max(TICKET_LIMITS.ccs.max).default([]),
  channel: z.enum(CHANNELS),
  conversationRefId: z.string().trim().min(1).optional(),
  locale: z.enum(['en', 'fr']).optional(),
};

export const technicalTicketInputSchema = z
  .object({
    type: z.literal('technical'),
    ...common,
    module: z.string().trim().min(1),
    subject: ticketFieldSchemas.subject,
    description: ticketFieldSchemas.description,
    expectedResult: ticketFieldSchemas.expectedResult.optional(),
    severity: ticketFieldSchemas.severity,
    serverUrl: ticketFieldSchemas.serverUrl.optional(),
    stepsToReproduce: ticketFieldSchemas.stepsToReproduce.optional(),
    /** `[]` for "none" (allowed only for modules without devices). */
    devices: z.array(ticketFieldSchemas.device).max(TICKET_LIMITS.devices.max).optional(),
    productVersion: ticketFieldSchemas.productVersion.optional(),
    /** Required fields the requester does not know; each must then be absent. */
    unknownFields: z.array(z.enum(UNKNOWABLE_FIELDS)).default([]),
    articlesTried: z.array(ticketFieldSchemas.articleTried).max(20).default([]),
    relatedTicketNumber: z.string().trim().min(1).optional(),
  })
  .superRefine((value, ctx) => {
    for (const field of UNKNOWABLE_FIELDS) {
      const known = value[field] !== undefined;
      const unknown = value.unknownFields.includes(field);
      // Whether devices are required depends on the module: the service checks it against the catalogue.
      if (!known && !unknown && field !== 'devices') {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} is required (or listed in unknownFields).`,
        });
      }
      if (known && unknown) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} is given but also listed in unknownFields.`,
        });
      }
    }
  });

export const BILLING_TOPICS = [
  'invoice_copy',
  'charge_question',
  'dispute',
  'payment_method',
  'renewal',
  'licence_count',
  'other',
] as const;

export const billingTicketInputSchema = z.object({
  type: z.literal('billing'),
  ...common,
  topic: z.enum(BILLING_TOPICS).default('other'),
  /** Defaults to the start of the description. */
  subject: ticketFieldSchemas.subject.optional(),
  description: ticketFieldSchemas.description,
  invoiceNumber: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9/_-]{2,29}$/,
      'An invoice number is 3 to 30 letters, digits, dashes or slashes.',
    )
    .optional(),
  amount: z.number().positive().max(10_000_000).optional(),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'A currency is a three-letter ISO code such as EUR.')
    .optional(),
});

export const ticketCreateInputSchema = z.discriminatedUnion('type', [
  technicalTicketInputSchema,
  billingTicketInputSchema,
]);

/** What a caller passes to create a ticket (before defaults). */
export type TechnicalTicketInput = z.input<typeof technicalTicketInputSchema>;
export type BillingTicketInput = z.input<typeof billingTicketInputSchema>;
export type TicketCreateInput = z.input<typeof ticketCreateInputSchema>;

export const ticketStatusSchema = z.enum(TICKET_STATUSES);
