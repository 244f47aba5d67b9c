import { CardFactory, type Attachment } from 'botbuilder';
import type { ProductCatalogue } from '../../services/catalogue';
import type { Ticket } from '../../services/tickets';
import { t, type Locale } from '../texts';
import { formatWhen, severityText, statusLabel } from './requestCards';
import { welcomeCard } from './welcomeCard';

/** Link unfurling in Teams renders Adaptive Cards up to 1.3; the compose box accepts them too. */
const LINK_CARD_VERSION = '1.3';

/** An article as a card shows it. */
export interface ArticleCardData {
  key: string;
  locale: Locale;
  title: string;
  summary: string;
  module: string;
  url?: string | undefined;
}

/** What a compose-box result sends back when the user picks it (`composeExtension/selectItem`). */
export interface ArticleSelection {
  helplineArticle: string;
  locale: Locale;
}

/**
 * Text shown exactly as written: a RichTextBlock's TextRun is never read as markdown, so a
 * ticket subject such as "**urgent** [click](…)" stays those characters.
 */
function plain(
  text: string,
  style: Record<string, unknown> = {},
  block: Record<string, unknown> = {},
): object {
  return { type: 'RichTextBlock', ...block, inlines: [{ type: 'TextRun', text, ...style }] };
}

/** An article to insert in a message or to show for a pasted article link. */
export function articleLinkCard(
  article: ArticleCardData,
  locale: Locale,
  catalogue: ProductCatalogue,
): Attachment {
  const moduleName = catalogue.get(article.module)?.name[locale] ?? article.module;
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: LINK_CARD_VERSION,
    body: [
      plain(article.title, { weight: 'Bolder', size: 'Medium' }),
      plain(
        t(locale, 'teams.search.module', { module: moduleName }),
        { isSubtle: true, size: 'Small' },
        { spacing: 'None' },
      ),
      plain(article.summary),
    ],
    actions: article.url
      ? [{ type: 'Action.OpenUrl', title: t(locale, 'kb.readArticle'), url: article.url }]
      : [],
  });
}

/** One result in the compose box's list: the article card, with a preview that sends `ArticleSelection` when picked. */
export function articleSearchResult(
  article: ArticleCardData,
  snippet: string,
  locale: Locale,
  catalogue: ProductCatalogue,
): Attachment {
  const selection: ArticleSelection = { helplineArticle: article.key, locale: article.locale };
  return {
    ...articleLinkCard(article, locale, catalogue),
    // Articles are the vendor's own plain text (the snippet is taken from it without markdown).
    preview: CardFactory.thumbnailCard(article.title, snippet || article.summary, undefined, undefined, {
      tap: { type: 'invoke', title: article.title, value: selection },
    }),
  } as Attachment;
}

export interface TicketLinkCardContext {
  locale: Locale;
  catalogue: ProductCatalogue;
  /** Where "Open in My requests" leads: Helpline's ticket link. */
  link: string;
}

/** A pasted ticket link, for members of the ticket's organisation: what it is and where it stands. */
export function ticketLinkCard(ticket: Ticket, ctx: TicketLinkCardContext): Attachment {
  const { locale } = ctx;
  const moduleName = ctx.catalogue.get(ticket.module)?.name[locale] ?? ticket.module;
  const card = CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: LINK_CARD_VERSION,
    body: [
      plain(ticket.number, { isSubtle: true, weight: 'Bolder' }),
      plain(ticket.subject, { weight: 'Bolder', size: 'Medium' }, { spacing: 'None' }),
      plain(
        t(locale, 'teams.unfurl.ticketStatus', {
          status: statusLabel(locale, ticket.status),
          severity: severityText(locale, ticket),
        }),
      ),
      plain(
        t(locale, 'teams.unfurl.ticketDetails', {
          module: moduleName,
          requester: ticket.requester.name,
          when: formatWhen(ticket.updatedAt, locale),
        }),
        { isSubtle: true, size: 'Small' },
        { spacing: 'None' },
      ),
    ],
    actions: [{ type: 'Action.OpenUrl', title: t(locale, 'teams.unfurl.openTicket'), url: ctx.link }],
  });
  return {
    ...card,
    // The collapsed preview shows no user-typed words: only the number and the status.
    preview: CardFactory.thumbnailCard(ticket.number, statusLabel(locale, ticket.status)),
  } as Attachment;
}

/** The welcome when Helpline is added to a team: how to talk to it in a channel, then the usual shortcuts. */
export function teamWelcomeCard(locale: Locale): Attachment {
  const card = welcomeCard(locale);
  const content = card.content as { body: object[] };
  content.body = [
    {
      type: 'TextBlock',
      text: t(locale, 'teams.welcome.teamTitle'),
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
    },
    { type: 'TextBlock', text: t(locale, 'teams.welcome.teamBody'), wrap: true },
  ];
  return card;
}
