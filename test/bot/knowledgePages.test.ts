import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import { articleHtml } from '../../bot/articleHtml';
import { MiniSearchKnowledgeBase } from '../../services/knowledge';
import { createSilentLogger } from '../../services/logger';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../support/app';

describe('knowledge-base article pages (/kb/:key, /fr/kb/:key)', function () {
  this.timeout(60_000);
  let app: HelplineApp;

  before(async () => {
    app = await startTestApp('kb-pages', { DIRECTLINE_TOKENS_PER_MINUTE: '1000' });
    // An article whose every field tries to inject markup, written to the same database.
    const writer = await MiniSearchKnowledgeBase.open({
      connection: app.connection,
      logger: createSilentLogger(),
    });
    await writer.upsert({
      key: 'hostile-article',
      locale: 'en',
      title: 'Title <script>alert(1)</script>',
      summary: 'Summary <img src=x onerror=alert(1)>',
      body: [
        '## Step <b>one</b>',
        '',
        'Text with <iframe src="https://evil.example"></iframe> and [a link](javascript:alert(1)) and [a real one](https://example.com/a?b=1&c="2").',
        '',
        '- item `<code>` **bold**',
      ].join('\n'),
      module: 'rmm-agent',
    });
  });
  after(async () => {
    await stopTestApp(app);
  });

  const get = async (path: string): Promise<{ status: number; type: string; csp: string; html: string }> => {
    const res = await fetch(`${app.url()}${path}`);
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      csp: res.headers.get('content-security-policy') ?? '',
      html: await res.text(),
    };
  };

  it('shows an English article from the database as a page: title, module, summary and body as HTML', async () => {
    const page = await get('/kb/agent-offline');
    assert.equal(page.status, 200);
    assert.match(page.type, /^text\/html/);
    assert.match(page.html, /<html lang="en">/);
    assert.match(page.html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.match(page.html, /<h1>Agent shows as offline in the console<\/h1>/);
    assert.match(page.html, /Module: Remote monitoring agent|Module: [^<]+/);
    assert.match(page.html, /<h2>[^<]+<\/h2>/);
    assert.match(page.html, /<ol><li>/);
    assert.match(page.csp, /default-src 'none'/);
    assert.doesNotMatch(page.html, /<script/);
  });

  it('shows the French version at /fr/kb/:key, with French chrome and spacing', async () => {
    const page = await get('/fr/kb/agent-offline');
    assert.equal(page.status, 200);
    assert.match(page.html, /<html lang="fr">/);
    assert.match(page.html, /<article lang="fr">/);
    assert.match(page.html, /<h1>L&#39;agent apparaît hors ligne[^<]*<\/h1>/);
    assert.match(page.html, /Module\u00a0: /);
    assert.match(page.html, /Retour au chat/);
  });

  it('falls back to the other language, saying so, when an article has no translation', async () => {
    const page = await get('/fr/kb/hostile-article');
    assert.equal(page.status, 200);
    assert.match(page.html, /n’existe pas encore en français/);
    assert.match(page.html, /<article lang="en">/);
  });

  it('answers an unknown or malformed key with a kind 404 page that leads back to the chat', async () => {
    for (const path of [
      '/kb/no-such-article',
      '/fr/kb/nope',
      '/kb/..%2F..%2Fetc%2Fpasswd',
      '/kb/%3Cscript%3E',
    ]) {
      const page = await get(path);
      assert.equal(page.status, 404, path);
      assert.match(page.type, /^text\/html/, path);
      assert.match(page.html, path.startsWith('/fr') ? /Article introuvable/ : /Article not found/, path);
      assert.match(page.html, /<a href="\/">/, path);
      assert.doesNotMatch(page.html, /<script/i, path);
    }
  });

  it('escapes every field of the article: no element, handler or script link comes from the data', async () => {
    const page = await get('/kb/hostile-article');
    assert.equal(page.status, 200);
    const main = page.html.slice(page.html.indexOf('<main>'));
    assert.doesNotMatch(main, /<script|<img|<iframe|<b>|href="javascript:/i);
    assert.match(main, /Title &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(main, /Summary &lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(main, /<h2>Step &lt;b&gt;one&lt;\/b&gt;<\/h2>/);
    assert.match(main, /\[a link\]\(javascript:alert\(1\)\)/, 'a javascript: link stays text');
    assert.match(
      main,
      /<a href="https:\/\/example.com\/a\?b=1&amp;c=&quot;2&quot;" rel="noopener noreferrer">a real one<\/a>/,
    );
    assert.match(main, /<li>item <code>&lt;code&gt;<\/code> <strong>bold<\/strong><\/li>/);
  });

  it('search results link to these pages, on the bot’s own address', async () => {
    const client = new DirectLineTestClient(app.url());
    await client.start({ locale: 'fr-FR' });
    await client.waitForBot(1);
    const replies = await client.say('mon agent est hors ligne');
    const urls = replies
      .flatMap((a) => (a.attachments as Array<{ content?: { actions?: Array<{ url?: string }> } }>) ?? [])
      .flatMap((card) => card.content?.actions ?? [])
      .map((action) => action.url)
      .filter((url): url is string => !!url);
    assert.ok(urls.length > 0, 'the article cards have a link');
    for (const url of urls) assert.ok(url.startsWith(`${app.url()}/fr/kb/`), url);
    const page = await get(new URL(urls[0] ?? '').pathname);
    assert.equal(page.status, 200);
  });
});

describe('articleHtml', () => {
  it('renders nested lists, tables and fenced code from the demo articles’ Markdown', () => {
    const html = articleHtml(
      [
        '1. First',
        '2. Pick one:',
        '   - **Original location**: back where it was',
        '   - Another folder',
        '3. Done',
        '',
        '| When | What |',
        '| ---- | ---- |',
        '| Day 0 | Payment _fails_ |',
        '',
        '```',
        'hlagentctl <reset-id>',
        '```',
      ].join('\n'),
    );
    assert.equal(
      html,
      [
        '<ol><li>First</li><li>Pick one:<ul><li><strong>Original location</strong>: back where it was</li><li>Another folder</li></ul></li><li>Done</li></ol>',
        '<div class="table"><table><thead><tr><th scope="col">When</th><th scope="col">What</th></tr></thead><tbody><tr><td>Day 0</td><td>Payment <em>fails</em></td></tr></tbody></table></div>',
        '<pre><code>hlagentctl &lt;reset-id&gt;</code></pre>',
      ].join('\n'),
    );
  });
});
