import { CardFactory, type Attachment } from 'botbuilder';
import type { ProductCatalogue } from '../../services/catalogue';
import type { SearchHit } from '../../services/knowledge';
import { t, type Locale } from '../texts';

/** The snippet with its matched words in bold (Adaptive Card TextBlocks render this markdown). */
export function highlight(snippet: string, terms: string[]): string {
  const escaped = snippet.replace(/([*_`[\]\\])/g, '\\$1');
  const words = [...new Set(terms.filter((w) => w.length > 1))].sort((a, b) => b.length - a.length);
  if (!words.length) return escaped;
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  );
  return escaped.replace(pattern, '**$1**');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One article found by a search: title, module, snippet and a link to read it. */
export function articleCard(hit: SearchHit, locale: Locale, catalogue: ProductCatalogue): Attachment {
  const moduleName = catalogue.get(hit.module)?.name[locale] ?? hit.module;
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: hit.title, weight: 'Bolder', wrap: true },
      {
        type: 'TextBlock',
        text: t(locale, 'kb.module', { module: moduleName }),
        isSubtle: true,
        spacing: 'None',
        size: 'Small',
        wrap: true,
      },
      { type: 'TextBlock', text: highlight(hit.snippet || hit.summary, hit.terms), wrap: true },
    ],
    actions: hit.url ? [{ type: 'Action.OpenUrl', title: t(locale, 'kb.readArticle'), url: hit.url }] : [],
  });
}
