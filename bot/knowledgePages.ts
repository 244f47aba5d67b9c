import { Router, type Request, type Response } from 'express';
import type { ProductCatalogue } from '../services/catalogue';
import type { Article, KnowledgeBase } from '../services/knowledge';
import { t, type Locale } from '../dialogs/texts';
import { articleHtml, escapeHtml } from './articleHtml';

/**
 * Where Helpline shows an article: `/kb/<key>` in English, `/fr/kb/<key>` in French (the
 * shape support sites use, which Teams link unfurling also reads).
 */
export function articlePath(key: string, locale: Locale): string {
  const encoded = key.split('/').map(encodeURIComponent).join('/');
  return `${locale === 'fr' ? '/fr' : ''}/kb/${encoded}`;
}

export interface KnowledgePagesOptions {
  knowledgeBase: Pick<KnowledgeBase, 'get'>;
  catalogue: ProductCatalogue;
}

/** Knowledge-base keys are slugs; anything else is not an article address. */
const KEY = /^[a-z0-9][a-z0-9._/-]{0,199}$/;

/**
 * The article pages: the article read from the database as a plain, phone-friendly page, in
 * the language of its address (the other language when it has no translation), or a 404 page.
 */
export function createKnowledgePagesRouter(options: KnowledgePagesOptions): Router {
  const router = Router();
  const page =
    (locale: Locale) =>
    async (req: Request, res: Response): Promise<void> => {
      const raw = (req.params as { key?: string | string[] }).key;
      const key = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
      const other: Locale = locale === 'en' ? 'fr' : 'en';
      const article = KEY.test(key)
        ? ((await options.knowledgeBase.get(key, locale)) ?? (await options.knowledgeBase.get(key, other)))
        : undefined;
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
      );
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html');
      if (!article) {
        res.status(404).send(notFoundPage(locale));
        return;
      }
      res.send(articlePage(article, locale, options.catalogue));
    };
  router.get('/kb/*key', page('en'));
  router.get('/en/kb/*key', page('en'));
  router.get('/fr/kb/*key', page('fr'));
  return router;
}

function articlePage(article: Article, locale: Locale, catalogue: ProductCatalogue): string {
  const moduleName = catalogue.get(article.module)?.name[article.locale] ?? article.module;
  const updated = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(article.updatedAt);
  const notice =
    article.locale === locale
      ? ''
      : `<p class="notice">${escapeHtml(t(locale, 'articlePage.onlyOther'))}</p>`;
  return layout(
    locale,
    article.title,
    `${notice}
    <article lang="${article.locale}">
      <h1>${escapeHtml(article.title)}</h1>
      <p class="meta">${escapeHtml(t(locale, 'articlePage.module', { module: moduleName }))} · ${escapeHtml(
        t(locale, 'articlePage.updated', { when: updated }),
      )}</p>
      <p class="summary">${escapeHtml(article.summary)}</p>
      ${articleHtml(article.body)}
    </article>
    <p class="next">${escapeHtml(t(locale, 'articlePage.stillStuck'))}</p>`,
  );
}

function notFoundPage(locale: Locale): string {
  return layout(
    locale,
    t(locale, 'articlePage.notFoundTitle'),
    `<h1>${escapeHtml(t(locale, 'articlePage.notFoundTitle'))}</h1>
    <p>${escapeHtml(t(locale, 'articlePage.notFound'))}</p>`,
  );
}

function layout(locale: Locale, title: string, main: string): string {
  const site = escapeHtml(t(locale, 'articlePage.site'));
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · ${site}</title>
<style>${STYLE}</style>
</head>
<body>
<header><a href="/">${site}</a></header>
<main>
${main}
<p class="back"><a href="/">${escapeHtml(t(locale, 'articlePage.backToChat'))}</a></p>
</main>
</body>
</html>`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933;background:#f5f7fa;line-height:1.55;overflow-wrap:anywhere}
header{background:#fff;border-bottom:1px solid #d9e2ec;padding:12px 16px;font-weight:600}
header a{color:#0b5cad;text-decoration:none}
main{max-width:760px;margin:0 auto;padding:16px;background:#fff;min-height:calc(100vh - 50px)}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 .5rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
h3,h4,h5,h6{font-size:1rem;margin:1.25rem 0 .5rem}
.meta{color:#616e7c;font-size:.9rem;margin:0 0 1rem}
.summary{font-size:1.05rem;border-left:3px solid #0b5cad;padding-left:12px}
.notice{background:#fff8e1;border:1px solid #f0d58c;border-radius:6px;padding:8px 12px}
.next{margin-top:2rem;padding-top:1rem;border-top:1px solid #d9e2ec}
ul,ol{padding-left:1.4rem}
li{margin:.25rem 0}
code{font-family:ui-monospace,Consolas,monospace;font-size:.9em;background:#eef2f7;border-radius:4px;padding:0 .25em}
pre{overflow-x:auto;background:#eef2f7;padding:12px;border-radius:6px}
pre code{padding:0;background:none}
.table{overflow-x:auto;margin:1rem 0}
table{border-collapse:collapse;min-width:100%}
th,td{border:1px solid #d9e2ec;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f5f7fa}
a{color:#0b5cad}
`;
