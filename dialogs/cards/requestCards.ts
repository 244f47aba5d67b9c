import { CardFactory, type Attachment } from 'botbuilder';
import { z } from 'zod';
import type { ProductCatalogue } from '../../services/catalogue';
import type { Ticket, TicketPage, TicketStatus, TimelineEvent } from '../../services/tickets';
import { plainText } from '../input/plainText';
import { t, type Locale, type TextKey } from '../texts';
import { labelled, stepsMarkdown, userText } from './fieldBlocks';

/** The lists a customer can see; `organisation` only for authorized contacts. */
export const REQUEST_SCOPES = ['mine', 'cc', 'organisation'] as const;
export type RequestScope = (typeof REQUEST_SCOPES)[number];

/** Status filters as the customer thinks of them, each a set of ticket statuses. */
export const REQUEST_STATUS_FILTERS = ['all', 'new', 'active', 'waiting', 'resolved', 'closed'] as const;
export type RequestStatusFilter = (typeof REQUEST_STATUS_FILTERS)[number];

export const STATUSES_OF_FILTER: Record<RequestStatusFilter, TicketStatus[] | undefined> = {
  all: undefined,
  new: ['new'],
  // "In progress" is what support works on: a new ticket is not yet.
  active: ['open'],
  waiting: ['pending', 'on_hold'],
  resolved: ['resolved'],
  closed: ['closed'],
};

const number = z.string().trim().min(1).max(40);
const scope = z.enum(REQUEST_SCOPES);
const statusFilter = z.enum(REQUEST_STATUS_FILTERS);
const typed = z.string().max(6000).optional();

/**
 * What the buttons of the request cards send back in `activity.value` (Action.Submit data,
 * merged with the card's inputs). Parsed with this schema; anything else is ignored.
 */
export const requestCardActionSchema = z.discriminatedUnion('requests', [
  z.object({ requests: z.literal('open'), number }),
  z.object({ requests: z.literal('comment'), number, comment: typed }),
  z.object({ requests: z.literal('escalate'), number, reason: typed }),
  z.object({ requests: z.literal('resolve'), number }),
  z.object({ requests: z.literal('reopen'), number }),
  z.object({ requests: z.literal('new_ticket'), number }),
  z.object({
    requests: z.literal('page'),
    page: z.coerce.number().int().min(1).max(10_000),
    scope,
    status: statusFilter,
    text: z.string().max(200).optional(),
  }),
  z.object({ requests: z.literal('scope'), scope }),
  z.object({
    requests: z.literal('filter'),
    statusFilter: statusFilter.optional().catch(undefined),
    searchText: z.string().max(200).optional(),
  }),
  z.object({ requests: z.literal('list') }),
]);
export type RequestCardAction = z.infer<typeof requestCardActionSchema>;

/** The card action in an activity's value, or undefined when it is not one of ours (or malformed). */
export function readRequestCardAction(value: unknown): RequestCardAction | undefined {
  if (!value || typeof value !== 'object' || !('requests' in value)) return undefined;
  const parsed = requestCardActionSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export interface ListCardContext {
  locale: Locale;
  scope: RequestScope;
  status: RequestStatusFilter;
  text?: string | undefined;
  organisationName: string;
  /** Offer the organisation list (authorized contacts only). */
  canSeeOrganisation: boolean;
  now: Date;
}

const SCOPE_TITLES: Record<RequestScope, TextKey> = {
  mine: 'requests.title.mine',
  cc: 'requests.title.cc',
  organisation: 'requests.title.organisation',
};
const SCOPE_BUTTONS: Record<RequestScope, TextKey> = {
  mine: 'requests.scope.mine',
  cc: 'requests.scope.cc',
  organisation: 'requests.scope.organisation',
};
const FILTER_LABELS: Record<RequestStatusFilter, TextKey> = {
  all: 'requests.filter.all',
  new: 'requests.filter.new',
  active: 'requests.filter.active',
  waiting: 'requests.filter.waiting',
  resolved: 'requests.filter.resolved',
  closed: 'requests.filter.closed',
};
const STATUS_LABELS: Record<TicketStatus, TextKey> = {
  new: 'requests.status.new',
  open: 'requests.status.open',
  pending: 'requests.status.pending',
  on_hold: 'requests.status.on_hold',
  resolved: 'requests.status.resolved',
  closed: 'requests.status.closed',
};

export function statusLabel(locale: Locale, status: TicketStatus): string {
  return t(locale, STATUS_LABELS[status]);
}

export function filterLabel(locale: Locale, filter: RequestStatusFilter): string {
  return t(locale, FILTER_LABELS[filter]);
}

export function severityText(locale: Locale, ticket: Pick<Ticket, 'severity' | 'priority'>): string {
  return t(locale, 'requests.severity', {
    severity: ticket.severity,
    priority: t(locale, `requests.priority.${ticket.priority}`),
  });
}

/** A date as the customer reads it, in UTC so that every channel shows the same thing. */
export function formatWhen(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(new Date(date));
}

/** One page of a list: a row per ticket with its Open button, paging, other lists, and a filter/search form. */
export function requestListCard(page: TicketPage, ctx: ListCardContext): Attachment {
  const { locale } = ctx;
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const from = page.total ? (page.page - 1) * page.pageSize + 1 : 0;
  const to = (page.page - 1) * page.pageSize + page.items.length;
  const subtitle = [
    ...(page.total
      ? [t(locale, 'requests.range', { from, to, total: page.total, page: page.page, pages })]
      : []),
    ...(ctx.status !== 'all'
      ? [t(locale, 'requests.filteredStatus', { status: filterLabel(locale, ctx.status) })]
      : []),
    ...(ctx.text ? [t(locale, 'requests.filteredText', { text: plainText(ctx.text) })] : []),
  ].join(' · ');
  const filtered = ctx.status !== 'all' || !!ctx.text;
  const rows = page.items.map((ticket) => ({
    type: 'Container',
    separator: true,
    spacing: 'Medium',
    selectAction: { type: 'Action.Submit', data: { requests: 'open', number: ticket.number } },
    items: [
      { type: 'TextBlock', text: `**${ticket.number}** · ${plainText(ticket.subject)}`, wrap: true },
      {
        type: 'TextBlock',
        text: t(locale, 'requests.item', {
          status: statusLabel(locale, ticket.status),
          severity: severityText(locale, ticket),
          when: formatWhen(ticket.updatedAt, locale),
        }),
        isSubtle: true,
        size: 'Small',
        spacing: 'None',
        wrap: true,
      },
      {
        type: 'ActionSet',
        actions: [
          {
            type: 'Action.Submit',
            title: t(locale, 'requests.open', { number: ticket.number }),
            data: { requests: 'open', number: ticket.number },
          },
        ],
      },
    ],
  }));
  const paging = { scope: ctx.scope, status: ctx.status, ...(ctx.text ? { text: ctx.text } : {}) };
  const actions: object[] = [];
  if (page.page > 1) {
    actions.push({
      type: 'Action.Submit',
      title: t(locale, 'requests.previous'),
      data: { requests: 'page', page: page.page - 1, ...paging },
    });
  }
  if (page.page < pages) {
    actions.push({
      type: 'Action.Submit',
      title: t(locale, 'requests.next'),
      data: { requests: 'page', page: page.page + 1, ...paging },
    });
  }
  actions.push({
    type: 'Action.ShowCard',
    title: t(locale, 'requests.filter'),
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.ChoiceSet',
          id: 'statusFilter',
          label: t(locale, 'requests.filterStatus'),
          style: 'compact',
          value: ctx.status,
          choices: REQUEST_STATUS_FILTERS.map((filter) => ({
            title: filterLabel(locale, filter),
            value: filter,
          })),
        },
        {
          type: 'Input.Text',
          id: 'searchText',
          label: t(locale, 'requests.filterText'),
          maxLength: 200,
          value: ctx.text ?? '',
        },
      ],
      actions: [{ type: 'Action.Submit', title: t(locale, 'requests.apply'), data: { requests: 'filter' } }],
    },
  });
  for (const other of REQUEST_SCOPES) {
    if (other === ctx.scope || (other === 'organisation' && !ctx.canSeeOrganisation)) continue;
    actions.push({
      type: 'Action.Submit',
      title: t(locale, SCOPE_BUTTONS[other]),
      data: { requests: 'scope', scope: other },
    });
  }
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      {
        type: 'TextBlock',
        text: t(locale, SCOPE_TITLES[ctx.scope], { organisation: ctx.organisationName }),
        weight: 'Bolder',
        size: 'Medium',
        wrap: true,
      },
      ...(subtitle
        ? [{ type: 'TextBlock', text: subtitle, isSubtle: true, size: 'Small', spacing: 'None', wrap: true }]
        : []),
      ...(rows.length
        ? rows
        : [
            {
              type: 'TextBlock',
              text: t(locale, filtered ? 'requests.emptyFiltered' : 'requests.empty'),
              wrap: true,
            },
          ]),
    ],
    actions,
  });
}

export interface TicketCardContext {
  locale: Locale;
  catalogue: ProductCatalogue;
  now: Date;
  reopenWindowDays: number;
  autoResolveDays: number;
  /** Where Helpline shows a knowledge-base article (`/kb/:key`), when it has a public address. */
  articleLink?: (key: string, locale: Locale) => string;
}

/** Events beyond this many are summarised, to keep the card within channel size limits. */
const MAX_TIMELINE_EVENTS = 15;

/** One ticket in full: its fields, its public timeline, and the actions its status allows. */
export function ticketCard(ticket: Ticket, ctx: TicketCardContext): Attachment {
  const { locale } = ctx;
  const mod = ctx.catalogue.get(ticket.module);
  const field = (key: TextKey, value: string): object => labelled(t(locale, key), value);
  const fields: object[] = [
    field('requests.field.status', statusLabel(locale, ticket.status)),
    field('requests.field.severity', severityText(locale, ticket)),
    field('requests.field.module', plainText(mod?.name[locale] ?? ticket.module)),
    field('requests.field.openedBy', plainText(ticket.requester.name)),
    field('requests.field.opened', formatWhen(ticket.createdAt, locale)),
    field('requests.field.updated', formatWhen(ticket.updatedAt, locale)),
    ...(ticket.ccs.length ? [field('requests.field.copied', plainText(ticket.ccs.join(', ')))] : []),
    ...(ticket.escalated
      ? [field('requests.field.escalation', t(locale, 'requests.escalationRequested'))]
      : []),
    ...(ticket.relatedTicketNumber
      ? [field('requests.field.related', plainText(ticket.relatedTicketNumber))]
      : []),
    ...(ticket.status === 'on_hold' && ticket.missingInformation.length
      ? [field('requests.field.missing', plainText(ticket.missingInformation.join(', ')))]
      : []),
    ...(ticket.serverUrl ? [field('requests.field.serverUrl', userText(ticket.serverUrl, 300))] : []),
    ...(ticket.productVersion
      ? [field('requests.field.productVersion', userText(ticket.productVersion, 100))]
      : []),
    ...(ticket.devices
      ? [
          field(
            'requests.field.devices',
            ticket.devices.length
              ? ticket.devices
                  .map((device) => plainText(`${device.serialNumber} / ${device.deviceNumber}`))
                  .join('\n\n')
              : t(locale, 'requests.noDevices'),
          ),
        ]
      : []),
    ...(ticket.billing?.invoiceNumber
      ? [field('requests.field.invoice', plainText(ticket.billing.invoiceNumber))]
      : []),
    ...(ticket.billing?.amount !== undefined
      ? [
          field(
            'requests.field.amount',
            plainText(
              new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
                style: ticket.billing.currency ? 'currency' : 'decimal',
                ...(ticket.billing.currency && { currency: ticket.billing.currency }),
              }).format(ticket.billing.amount),
            ),
          ),
        ]
      : []),
  ];
  // A reopening is told by its own event; the status change that goes with it would repeat it.
  const events = ticket.timeline.filter(
    (event) =>
      event.visibility === 'public' && !(event.type === 'status_changed' && event.data.reason === 'reopened'),
  );
  const shown = events.slice(-MAX_TIMELINE_EVENTS);
  const window = reopenWindow(ticket, ctx);
  const body: object[] = [
    { type: 'TextBlock', text: ticket.number, weight: 'Bolder', isSubtle: true, wrap: true },
    {
      type: 'TextBlock',
      text: plainText(ticket.subject),
      weight: 'Bolder',
      size: 'Medium',
      spacing: 'None',
      wrap: true,
    },
    ...fields,
    ...(window
      ? [{ type: 'TextBlock', text: window.text, wrap: true, color: window.open ? 'Good' : 'Warning' }]
      : []),
    { type: 'TextBlock', text: t(locale, 'requests.field.description'), weight: 'Bolder', wrap: true },
    {
      type: 'TextBlock',
      text: userText(ticket.description, 1500),
      wrap: true,
      spacing: 'None',
    },
    ...(ticket.expectedResult
      ? [
          {
            type: 'TextBlock',
            text: t(locale, 'requests.field.expectedResult'),
            weight: 'Bolder',
            wrap: true,
          },
          {
            type: 'TextBlock',
            text: userText(ticket.expectedResult, 500),
            wrap: true,
            spacing: 'None',
          },
        ]
      : []),
    ...(ticket.stepsToReproduce
      ? [field('requests.field.steps', stepsMarkdown(ticket.stepsToReproduce))]
      : []),
    ...(ticket.articlesTried.length
      ? [
          field(
            'requests.field.articlesTried',
            ticket.articlesTried
              .map((article) =>
                ctx.articleLink
                  ? `[${plainText(article.title)}](${ctx.articleLink(article.key, locale)})`
                  : plainText(article.title),
              )
              .join('\n\n'),
          ),
        ]
      : []),
    {
      type: 'TextBlock',
      text: t(locale, 'requests.timeline'),
      weight: 'Bolder',
      wrap: true,
      separator: true,
    },
    ...(events.length > shown.length
      ? [
          {
            type: 'TextBlock',
            text: t(locale, 'requests.timelineEarlier', { count: events.length - shown.length }),
            isSubtle: true,
            size: 'Small',
            wrap: true,
          },
        ]
      : []),
    ...shown.map((event) => ({
      type: 'TextBlock',
      text: `**${formatWhen(event.at, locale)}** · ${describeEvent(event, ctx)}`,
      size: 'Small',
      wrap: true,
      spacing: 'Small',
    })),
  ];
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    actions: ticketActions(ticket, locale, window?.open ?? false),
  });
}

function ticketActions(ticket: Ticket, locale: Locale, canReopen: boolean): object[] {
  const data = (requests: string): object => ({ requests, number: ticket.number });
  const back = {
    type: 'Action.Submit',
    title: t(locale, 'requests.action.back'),
    data: { requests: 'list' },
  };
  if (ticket.status === 'resolved' && canReopen) {
    return [
      {
        type: 'Action.Submit',
        title: t(locale, 'requests.action.reopen'),
        style: 'positive',
        data: data('reopen'),
      },
      back,
    ];
  }
  if (ticket.status === 'resolved' || ticket.status === 'closed') {
    return [
      { type: 'Action.Submit', title: t(locale, 'requests.action.newTicket'), data: data('new_ticket') },
      back,
    ];
  }
  const form = (
    title: TextKey,
    id: 'comment' | 'reason',
    placeholder: TextKey,
    requests: string,
  ): object => ({
    type: 'Action.ShowCard',
    title: t(locale, title),
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.Text',
          id,
          isMultiline: true,
          maxLength: id === 'comment' ? 5000 : 1000,
          placeholder: t(locale, placeholder),
        },
      ],
      actions: [
        {
          type: 'Action.Submit',
          title: t(locale, 'requests.action.send'),
          style: 'positive',
          data: data(requests),
        },
      ],
    },
  });
  return [
    form('requests.action.comment', 'comment', 'requests.commentPlaceholder', 'comment'),
    ...(ticket.escalated
      ? []
      : [form('requests.action.escalate', 'reason', 'requests.reasonPlaceholder', 'escalate')]),
    { type: 'Action.Submit', title: t(locale, 'requests.action.resolve'), data: data('resolve') },
    back,
  ];
}

/** For a resolved ticket: until when it can be reopened (by the clock; the service decides). */
function reopenWindow(ticket: Ticket, ctx: TicketCardContext): { open: boolean; text: string } | undefined {
  const { locale } = ctx;
  if (ticket.status === 'closed') return { open: false, text: t(locale, 'requests.closedForGood') };
  if (ticket.status !== 'resolved') return undefined;
  const resolvedAt = ticket.resolvedAt ?? ticket.updatedAt;
  const until = new Date(new Date(resolvedAt).getTime() + ctx.reopenWindowDays * 86_400_000);
  if (until.getTime() >= ctx.now.getTime()) {
    return { open: true, text: t(locale, 'requests.reopenUntil', { when: formatWhen(until, locale) }) };
  }
  return { open: false, text: t(locale, 'requests.reopenPassed', { days: ctx.reopenWindowDays }) };
}

function actorName(event: TimelineEvent, locale: Locale): string {
  switch (event.by.kind) {
    case 'customer':
      return plainText(event.by.name);
    case 'staff':
      return t(locale, 'requests.actor.support', { name: plainText(event.by.name) });
    case 'system':
      return t(locale, 'requests.actor.system');
  }
}

/** One line of the timeline in the customer's words. */
export function describeEvent(
  event: TimelineEvent,
  ctx: Pick<TicketCardContext, 'locale' | 'autoResolveDays'>,
): string {
  const { locale } = ctx;
  const who = actorName(event, locale);
  const text = (key: string): string => userText(asText(event.data[key]), 600);
  const status = (key: string): string => {
    const value = event.data[key];
    return typeof value === 'string' && value in STATUS_LABELS
      ? statusLabel(locale, value as TicketStatus)
      : asText(value);
  };
  switch (event.type) {
    case 'created':
      return t(locale, 'requests.event.created', { who });
    case 'status_changed': {
      const reason = event.data.reason;
      let line: string;
      if (reason === 'no_longer_needed') line = t(locale, 'requests.event.noLongerNeeded', { who });
      else if (reason === 'no_customer_reply')
        line = t(locale, 'requests.event.autoResolved', { days: ctx.autoResolveDays });
      else if (reason === 'reopen_window_passed') line = t(locale, 'requests.event.autoClosed');
      else if (event.by.kind === 'system')
        line = t(locale, 'requests.event.status', { from: status('from'), to: status('to') });
      else line = t(locale, 'requests.event.statusBy', { who, from: status('from'), to: status('to') });
      return event.data.note ? `${line}. ${t(locale, 'requests.event.note', { note: text('note') })}` : line;
    }
    case 'comment':
      return t(locale, 'requests.event.comment', { who, text: text('text') });
    case 'escalation_requested':
      return t(locale, 'requests.event.escalationRequested', { who, reason: text('reason') });
    case 'escalated':
      return t(locale, 'requests.event.escalated');
    case 'reopened':
      return t(locale, 'requests.event.reopened', { who });
    case 'assigned':
      return t(locale, 'requests.event.assigned');
    case 'reminder_sent':
      return t(locale, 'requests.event.reminder');
  }
}

function asText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
