import type {
  AppBasedLinkQuery,
  Attachment,
  MessagingExtensionQuery,
  MessagingExtensionResponse,
} from 'botbuilder';
import { z } from 'zod';
import {
  articleLinkCard,
  articleSearchResult,
  ticketLinkCard,
  type ArticleCardData,
} from '../../dialogs/cards/teamsCards';
import { t, type Locale } from '../../dialogs/texts';
import type { ProductCatalogue } from '../../services/catalogue';
import type { ResolvedIdentity } from '../../services/identity';
import type { KnowledgeBase, PopularArticles } from '../../services/knowledge';
import type { Logger } from '../../services/logger';
import { viewerFromContact, type TicketService } from '../../services/tickets';

/** Results the compose box shows per page; Teams asks for 25 at most. */
const DEFAULT_COUNT = 10;
const MAX_COUNT = 25;
/** Teams gives up on an invoke after 5 s: answer before, whatever happens. */
const ANSWER_WITHIN_MS = 4000;

export interface TeamsInvokeDeps {
  knowledgeBase: KnowledgeBase;
  popular: PopularArticles;
  tickets: TicketService;
  catalogue: ProductCatalogue;
  logger: Logger;
  /** Hosts whose links are Helpline's (PUBLIC_URL's) and the knowledge base site's. */
  unfurlDomains: string[];
  /** Helpline's own host: only its `/tickets/<number>` links are ticket links. */
  helplineHost: string | undefined;
  /** Helpline's link to a ticket (what "Open in My requests" leads to). */
  ticketLink: (number: string) => string;
  /** The fallback answer comes after this long at the latest; 4 s when absent. */
  answerWithinMs?: number;
}

const selectionSchema = z.object({
  helplineArticle: z.string().min(1).max(200),
  locale: z.enum(['en', 'fr']),
});

/** The answer that shows nothing: for a link Helpline does not know or may not show to this user. */
const NOTHING: MessagingExtensionResponse = {
  composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] },
};

/**
 * Teams invokes of the app: knowledge search from the compose box (query and pick) and link
 * unfurling of Helpline's ticket links and the knowledge base's article links. Each answers from
 * the in-process search index or by single reads, well within the 5 s Teams waits.
 */
export class TeamsInvokes {
  private readonly log: Logger;

  constructor(private readonly deps: TeamsInvokeDeps) {
    this.log = deps.logger.child({ component: 'teams-invokes' });
  }

  /** `composeExtension/query`: the best articles for the words typed; the popular ones before anything is typed. */
  async searchArticles(query: MessagingExtensionQuery, locale: Locale): Promise<MessagingExtensionResponse> {
    return await this.safely('search', unavailable(locale), () => this.search(query, locale));
  }

  /** `composeExtension/selectItem`: the picked article, read again, as the card to insert. */
  async selectArticle(value: unknown, locale: Locale): Promise<MessagingExtensionResponse> {
    return await this.safely('select', unavailable(locale), () => this.select(value, locale));
  }

  /**
   * `composeExtension/queryLink`: a card for a pasted link. A ticket is shown only to a contact of
   * its organisation who may see it; anyone else gets exactly what an unknown link gets.
   */
  async unfurl(
    query: AppBasedLinkQuery,
    locale: Locale,
    identity: () => Promise<ResolvedIdentity>,
  ): Promise<MessagingExtensionResponse> {
    // A link Helpline cannot read now simply stays a link.
    return await this.safely('unfurl', NOTHING, () => this.linkCard(query, locale, identity));
  }

  /**
   * An invoke answers the compose box, not a conversation: a failure (the database away) is an
   * answer there too, never a message posted into the chat nor an error page in Teams, and it
   * comes before Teams stops waiting (5 s), however long the database takes to give up.
   */
  private async safely(
    what: string,
    fallback: MessagingExtensionResponse,
    run: () => Promise<MessagingExtensionResponse>,
  ): Promise<MessagingExtensionResponse> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.deps.answerWithinMs ?? ANSWER_WITHIN_MS);
    });
    try {
      const answer = await Promise.race([run(), late]);
      if (answer !== 'late') return answer;
      this.log.warn({ invoke: what }, 'Teams invoke too slow; answered with its fallback');
      return fallback;
    } catch (error) {
      this.log.warn({ err: error, invoke: what }, 'Teams invoke failed; answered with its fallback');
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }

  private async search(query: MessagingExtensionQuery, locale: Locale): Promise<MessagingExtensionResponse> {
    const parameters = query.parameters ?? [];
    const initialRun = parameters.some((p) => p.name === 'initialRun');
    const typed = parameters.find((p) => p.name !== 'initialRun');
    const text = typeof typed?.value === 'string' ? typed.value.trim().slice(0, 500) : '';
    const skip = clampInt(query.queryOptions?.skip, 0, 1000, 0);
    const count = clampInt(query.queryOptions?.count, 1, MAX_COUNT, DEFAULT_COUNT);

    if (initialRun || !text) {
      const popular = await this.deps.popular.popular(locale, Math.min(skip + count, MAX_COUNT));
      return this.results(
        popular
          .slice(skip)
          .map((article) => articleSearchResult(article, article.summary, locale, this.deps.catalogue)),
      );
    }
    const hits = await this.deps.knowledgeBase.search(text, { locale, limit: Math.min(skip + count, 50) });
    if (!hits.length && skip === 0) {
      return {
        composeExtension: {
          type: 'message',
          text: t(locale, 'teams.search.nothingFound', { query: text.slice(0, 80) }),
        },
      };
    }
    return this.results(
      hits.slice(skip).map((hit) => articleSearchResult(hit, hit.snippet, locale, this.deps.catalogue)),
    );
  }

  private async select(value: unknown, locale: Locale): Promise<MessagingExtensionResponse> {
    const selection = selectionSchema.safeParse(value);
    if (!selection.success) return NOTHING;
    const article = await this.article(selection.data.helplineArticle, selection.data.locale);
    if (!article) return NOTHING;
    return this.results([articleLinkCard(article, locale, this.deps.catalogue)]);
  }

  private async linkCard(
    query: AppBasedLinkQuery,
    locale: Locale,
    identity: () => Promise<ResolvedIdentity>,
  ): Promise<MessagingExtensionResponse> {
    const url = typeof query.url === 'string' && URL.canParse(query.url) ? new URL(query.url) : undefined;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return NOTHING;
    const host = url.host.toLowerCase();
    if (!this.deps.unfurlDomains.includes(host)) return NOTHING;
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return NOTHING;
    }

    const ticketMatch = /^\/tickets\/([A-Za-z0-9-]{1,40})\/?$/.exec(path);
    if (ticketMatch && host === this.deps.helplineHost) {
      const number = (ticketMatch[1] ?? '').toUpperCase();
      const who = await identity();
      if (who.kind !== 'contact') return NOTHING;
      const found = await this.deps.tickets.getForViewer(number, viewerFromContact(who));
      if (found.kind !== 'found') return NOTHING;
      this.log.info({ ticketNumber: number }, 'ticket link unfurled');
      return this.results([
        ticketLinkCard(found.ticket, {
          locale,
          catalogue: this.deps.catalogue,
          link: this.deps.ticketLink(found.ticket.number),
        }),
      ]);
    }

    // /kb/<key>, with the language before or after "kb" (/fr/kb/<key>, /kb/fr/<key>) or as ?lang=.
    const articleMatch = /^\/(?:(en|fr)\/)?kb\/(?:(en|fr)\/)?([a-z0-9][a-z0-9._/-]*?)\/?$/.exec(path);
    if (articleMatch) {
      const asked = (articleMatch[1] ?? articleMatch[2]) as Locale | undefined;
      const lang = url.searchParams.get('lang');
      const wanted: Locale = asked ?? (lang === 'fr' || lang === 'en' ? lang : locale);
      const article = await this.article(articleMatch[3] ?? '', wanted);
      if (article) return this.results([articleLinkCard(article, locale, this.deps.catalogue)]);
    }
    return NOTHING;
  }

  private async article(key: string, locale: Locale): Promise<ArticleCardData | undefined> {
    const other: Locale = locale === 'en' ? 'fr' : 'en';
    const article =
      (await this.deps.knowledgeBase.get(key, locale)) ?? (await this.deps.knowledgeBase.get(key, other));
    return article
      ? {
          key: article.key,
          locale: article.locale,
          title: article.title,
          summary: article.summary,
          module: article.module,
          url: article.url,
        }
      : undefined;
  }

  private results(attachments: Attachment[]): MessagingExtensionResponse {
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
  }
}

function unavailable(locale: Locale): MessagingExtensionResponse {
  return { composeExtension: { type: 'message', text: t(locale, 'errors.unavailable') } };
}

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : fallback;
  return Math.min(max, Math.max(min, n));
}
