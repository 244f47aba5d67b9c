import assert from 'node:assert/strict';
import type { HelplineApp } from '../../../bot';
import { DEMO_CONTACTS, DEMO_TENANTS } from '../../../services/identity';
import { MongoFeedbackStore } from '../../../services/knowledge';
import { completeTicket, ticketFixture } from '../../services/tickets/fixtures';
import { CuttableProxy } from '../../services/tickets/cuttableProxy';
import { startTestApp, stopTestApp } from '../../support/app';
import { testDatabaseUri } from '../../support/database';
import { ConnectorStandIn } from '../../support/connectorStandIn';
import { shown } from '../../support/teamsClient';
import { demoUser, post, teamsActivity, type TeamsUser, type Where } from './teamsActivity';

interface Result {
  contentType: string;
  content: {
    version?: string;
    body: unknown[];
    actions?: Array<{ type: string; url?: string; title: string }>;
  };
  preview?: { content: { title: string; tap?: { type: string; value: unknown } } };
}

interface ExtensionResponse {
  composeExtension: { type: string; attachmentLayout?: string; attachments?: Result[]; text?: string };
}

describe('Teams invokes through /api/messages: compose-box search and link unfurling', function () {
  this.timeout(60_000);
  const connector = new ConnectorStandIn();
  let app: HelplineApp;
  let where: Where;
  let bobTicket: string;
  let trickyTicket: string;
  let claireTicket: string;

  before(async () => {
    const serviceUrl = await connector.start();
    app = await startTestApp('teams-invokes', {
      PUBLIC_URL: 'https://helpline.example.com',
      TEAMS_UNFURL_DOMAINS: 'support.example.com',
      BOT_ALLOW_ANONYMOUS: 'true',
      LIFECYCLE_JOB: 'false',
    });
    where = {
      serviceUrl,
      conversationId: 'a:compose-1',
      conversationType: 'personal',
      tenantId: DEMO_TENANTS.northwind,
    };
    const fixture = await ticketFixture(app.connection, () => new Date());
    bobTicket = (
      await fixture.tickets.create(
        completeTicket({ subject: 'Agents offline after the update' }),
        'invoke-bob-1',
      )
    ).ticket.number;
    trickyTicket = (
      await fixture.tickets.create(
        completeTicket({ subject: '**Urgent** [click here](https://evil.example) <b>now</b>' }),
        'invoke-bob-2',
      )
    ).ticket.number;
    claireTicket = (
      await fixture.tickets.create(
        completeTicket({ requesterContactId: DEMO_CONTACTS.claire.id, subject: 'Contoso private matter' }),
        'invoke-claire-1',
      )
    ).ticket.number;
    // What people found useful lately: "Check that a backup can actually be restored" solved twice.
    const feedback = new MongoFeedbackStore(app.connection);
    for (const outcome of ['solved', 'solved', 'not_solved'] as const) {
      await feedback.record({
        query: 'is my backup any good',
        locale: 'en',
        articles: [{ key: 'backup-verify', locale: 'en', rank: 1 }],
        outcome,
        conversationId: 'c-1',
        channel: 'msteams',
      });
    }
  });
  after(async () => {
    await stopTestApp(app);
    await connector.stop();
  });

  async function invoke(
    name: string,
    value: unknown,
    user: TeamsUser = demoUser('bob'),
    locale = 'en-US',
    at: Where = where,
  ): Promise<ExtensionResponse> {
    const res = await post(app.url(), teamsActivity('invoke', at, user, { name, value }, locale));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as unknown as ExtensionResponse;
  }

  const search = async (
    text: string,
    locale = 'en-US',
    options = { skip: 0, count: 10 },
  ): Promise<ExtensionResponse> =>
    await invoke(
      'composeExtension/query',
      { commandId: 'searchArticles', parameters: [{ name: 'query', value: text }], queryOptions: options },
      demoUser('bob'),
      locale,
    );

  it('answers a search with the best articles as cards, each with a preview that picks it', async () => {
    const answer = await search('my agent is offline');
    assert.equal(answer.composeExtension.type, 'result');
    const first = answer.composeExtension.attachments?.[0];
    assert.ok(first);
    assert.equal(first.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(shown([first.content]), /Agent shows as offline in the console/);
    assert.deepEqual(first.content.actions?.[0], {
      type: 'Action.OpenUrl',
      title: 'Read the article',
      url: 'https://helpline.example.com/kb/agent-offline',
    });
    assert.equal(first.preview?.content.title, 'Agent shows as offline in the console');
    assert.deepEqual(first.preview?.content.tap, {
      type: 'invoke',
      title: 'Agent shows as offline in the console',
      value: { helplineArticle: 'agent-offline', locale: 'en' },
    });
  });

  it('searches in French for a French user', async () => {
    const answer = await search("l'agent est hors ligne", 'fr-FR');
    assert.equal(
      answer.composeExtension.attachments?.[0]?.preview?.content.title,
      "L'agent apparaît hors ligne dans la console",
    );
  });

  it('pages through results as Teams asks (skip, count)', async () => {
    const firstPage = await search('backup', 'en-US', { skip: 0, count: 2 });
    const secondPage = await search('backup', 'en-US', { skip: 2, count: 2 });
    const titles = (r: ExtensionResponse): string[] =>
      (r.composeExtension.attachments ?? []).map((a) => a.preview?.content.title ?? '');
    assert.equal(titles(firstPage).length, 2);
    assert.equal(titles(secondPage).length, 2);
    assert.deepEqual(
      titles(firstPage).filter((title) => titles(secondPage).includes(title)),
      [],
    );
  });

  it('says plainly when nothing matches', async () => {
    const answer = await search('qwxzv plorf');
    assert.deepEqual(answer.composeExtension, {
      type: 'message',
      text: 'No article matches “qwxzv plorf”. Try other words, or an error message.',
    });
  });

  it('shows the popular articles before anything is typed (initialRun)', async () => {
    const answer = await invoke('composeExtension/query', {
      commandId: 'searchArticles',
      parameters: [{ name: 'initialRun', value: 'true' }],
      queryOptions: { skip: 0, count: 5 },
    });
    const titles = (answer.composeExtension.attachments ?? []).map((a) => a.preview?.content.title);
    assert.equal(titles.length, 5);
    assert.equal(titles[0], 'Check that a backup can actually be restored');
  });

  it('inserts the picked article as a card with its link, in the user’s language', async () => {
    const answer = await invoke(
      'composeExtension/selectItem',
      { helplineArticle: 'backup-verify', locale: 'fr' },
      demoUser('bob'),
      'fr-FR',
    );
    const card = answer.composeExtension.attachments?.[0];
    assert.equal(card?.content.version, '1.3');
    assert.match(shown([card?.content]), /Vérifier qu'une sauvegarde est réellement restaurable/);
    assert.equal(card?.content.actions?.[0]?.url, 'https://helpline.example.com/fr/kb/backup-verify');
    assert.deepEqual(
      (await invoke('composeExtension/selectItem', { anything: 1 })).composeExtension.attachments,
      [],
    );
  });

  describe('link unfurling', () => {
    const unfurl = async (
      url: string,
      user: TeamsUser = demoUser('bob'),
      locale = 'en-US',
    ): Promise<ExtensionResponse> => await invoke('composeExtension/queryLink', { url }, user, locale);

    it('shows an article link as a card (Adaptive Card 1.3), in the language of the link', async () => {
      const english = await unfurl('https://support.example.com/kb/agent-offline');
      const card = english.composeExtension.attachments?.[0];
      assert.equal(card?.content.version, '1.3');
      assert.match(shown([card?.content]), /Agent shows as offline in the console/);
      const french = await unfurl('https://support.example.com/fr/kb/agent-offline');
      assert.match(
        shown([french.composeExtension.attachments?.[0]?.content as unknown as Record<string, unknown>]),
        /L'agent apparaît hors ligne/,
      );
    });

    it('shows a ticket link to a member of the ticket’s organisation, with a link into My requests', async () => {
      const answer = await unfurl(`https://helpline.example.com/tickets/${bobTicket}`, demoUser('alice'));
      const card = answer.composeExtension.attachments?.[0];
      const words = shown([card?.content as unknown as Record<string, unknown>]);
      assert.match(words, new RegExp(bobTicket));
      assert.match(words, /Agents offline after the update/);
      assert.match(words, /Status: New · Severity 2 \(high\)/);
      assert.deepEqual(card?.content.actions?.[0], {
        type: 'Action.OpenUrl',
        title: 'Open in My requests',
        url: `https://helpline.example.com/tickets/${bobTicket}`,
      });
      assert.deepEqual(card?.preview?.content.title, bobTicket);
    });

    it('shows a ticket subject as plain text, never as markup', async () => {
      const answer = await unfurl(`https://helpline.example.com/tickets/${trickyTicket}`);
      const body = answer.composeExtension.attachments?.[0]?.content.body as Array<Record<string, unknown>>;
      const subject = body.find((block) => JSON.stringify(block).includes('Urgent'));
      assert.deepEqual(subject, {
        type: 'RichTextBlock',
        spacing: 'None',
        inlines: [
          {
            type: 'TextRun',
            text: '**Urgent** [click here](https://evil.example) <b>now</b>',
            weight: 'Bolder',
            size: 'Medium',
          },
        ],
      });
    });

    it('gives anyone else exactly what an unknown link gets: another organisation, a stranger, a missing ticket', async () => {
      const nothing = await unfurl('https://helpline.example.com/tickets/HL-999999');
      assert.deepEqual(nothing, {
        composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] },
      });
      assert.deepEqual(await unfurl(`https://helpline.example.com/tickets/${claireTicket}`), nothing);
      assert.deepEqual(
        await unfurl(`https://helpline.example.com/tickets/${bobTicket}`, demoUser('claire')),
        nothing,
      );
      const stranger: TeamsUser = {
        aadObjectId: 'aad-stranger',
        name: 'Stranger',
        tenantId: DEMO_TENANTS.northwind,
      };
      assert.deepEqual(await unfurl(`https://helpline.example.com/tickets/${bobTicket}`, stranger), nothing);
      assert.deepEqual(await unfurl(`https://elsewhere.example.com/tickets/${bobTicket}`), nothing);
      assert.deepEqual(await unfurl(`https://support.example.com/tickets/${bobTicket}`), nothing);
      assert.deepEqual(await unfurl('https://support.example.com/kb/no-such-article'), nothing);
      assert.deepEqual(await unfurl('https://helpline.example.com/tickets/%E0%A4%A'), nothing);
    });
  });

  describe('while the database is unreachable', () => {
    let proxy: CuttableProxy;
    let cut: HelplineApp;
    before(async () => {
      proxy = await CuttableProxy.start(testDatabaseUri());
      cut = await startTestApp('teams-invokes-outage', {
        MONGODB_URI: proxy.uri(),
        PUBLIC_URL: 'https://helpline.example.com',
        TEAMS_UNFURL_DOMAINS: 'support.example.com',
        BOT_ALLOW_ANONYMOUS: 'true',
        LIFECYCLE_JOB: 'false',
        KB_REFRESH_SECONDS: '0',
      });
      proxy.cut();
    });
    after(async () => {
      proxy.restore();
      await stopTestApp(cut);
      await proxy.close();
    });

    it('answers the compose box kindly and shows a link as a plain link, posting nothing in the chat', async () => {
      const before = connector.received.length;
      const send = async (name: string, value: unknown): Promise<ExtensionResponse> => {
        const res = await post(cut.url(), teamsActivity('invoke', where, demoUser('bob'), { name, value }));
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body as unknown as ExtensionResponse;
      };
      const picked = await send('composeExtension/selectItem', {
        helplineArticle: 'agent-offline',
        locale: 'en',
      });
      assert.deepEqual(picked.composeExtension, {
        type: 'message',
        text: 'I cannot reach our systems right now. Nothing you entered is lost: please try again in a minute.',
      });
      const link = await send('composeExtension/queryLink', {
        url: `https://helpline.example.com/tickets/${bobTicket}`,
      });
      assert.deepEqual(link.composeExtension.attachments, []);
      assert.equal(connector.received.length, before);
    });
  });
});
