import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import {
  incidentNotice,
  ServiceStatusDialog,
  type ServiceStatusOptions,
  type ServiceStatusResult,
} from '../../dialogs/serviceStatusDialog';
import { formatWhen } from '../../dialogs/cards/requestCards';
import { t, type Locale } from '../../dialogs/texts';
import { StaticProductCatalogue } from '../../services/catalogue';
import { createSilentLogger } from '../../services/logger';
import { StatuspageStatusFeed, UnconfiguredStatusFeed, type StatusFeed } from '../../services/status';
import { StatusPageStandIn } from '../support/statusPageStandIn';

type Reply = Partial<Activity>;
interface CardElement {
  type: string;
  text?: string;
  color?: string;
  body?: CardElement[];
  items?: CardElement[];
  columns?: CardElement[];
  actions?: Array<{ type: string; title: string; url: string }>;
}

const ALL_UP = {
  page: { id: 'p1', name: 'Vendor status', url: 'https://status.example.com' },
  status: { indicator: 'none', description: 'All Systems Operational' },
  components: [
    { id: 'c-agent', name: 'RMM agent', status: 'operational', group: false },
    { id: 'c-remote', name: 'Remote control', status: 'operational', group: false },
    { id: 'c-backup', name: 'Cloud backup', status: 'operational', group: false },
    { id: 'c-api', name: 'Public API', status: 'operational', group: false },
    { id: 'c-group', name: 'Platform', status: 'operational', group: true },
  ],
  incidents: [],
  scheduled_maintenances: [],
};

const BACKUP_INCIDENT = {
  ...ALL_UP,
  status: { indicator: 'major', description: 'Partial System Outage' },
  components: ALL_UP.components.map((c) => (c.id === 'c-backup' ? { ...c, status: 'partial_outage' } : c)),
  incidents: [
    {
      id: 'inc-1',
      name: 'Backup jobs delayed in the EU region',
      status: 'identified',
      impact: 'major',
      shortlink: 'https://stspg.io/abc',
      created_at: '2026-11-02T09:00:00Z',
      started_at: '2026-11-02T09:00:00Z',
      components: [{ id: 'c-backup', name: 'Cloud backup', status: 'partial_outage' }],
      incident_updates: [
        { status: 'investigating', body: 'We are looking into it.', created_at: '2026-11-02T09:00:00Z' },
        {
          status: 'identified',
          body: 'A storage node is full; jobs are being moved',
          created_at: '2026-11-02T09:30:00Z',
        },
      ],
    },
  ],
};

const CHANNELS = ['msteams', 'webchat'] as const;
const FETCHED_AT = new Date('2026-11-02T10:00:00Z');
const FEED_TIMEOUT_MS = 400;
/** Dates as the cards write them (the exact punctuation depends on the ICU data of the Node build). */
const frWhen = (iso: string): string => formatWhen(new Date(iso), 'fr');

describe('ServiceStatusDialog', function () {
  this.timeout(30_000);
  const logger = createSilentLogger();
  const catalogue = new StaticProductCatalogue();
  const statusPage = new StatusPageStandIn();
  let url: string;

  before(async () => {
    url = await statusPage.start();
  });
  after(async () => await statusPage.stop());

  /** A fresh feed per test so that no answer is reused from another test's cache. */
  function feedAt(address: string): StatuspageStatusFeed {
    return new StatuspageStatusFeed({
      url: address,
      logger,
      componentModules: { 'c-backup': 'backup', 'RMM agent': 'rmm-agent' },
      moduleIds: catalogue.modules().map((m) => m.id),
      timeoutMs: FEED_TIMEOUT_MS,
      clock: () => FETCHED_AT,
    });
  }

  function start(channel: string, feed: StatusFeed, options: ServiceStatusOptions): DialogTestClient {
    return new DialogTestClient(
      channel,
      new ServiceStatusDialog({ statusFeed: feed, catalogue, logger }),
      options,
    );
  }

  async function ask(client: DialogTestClient): Promise<Reply[]> {
    const replies: Reply[] = [];
    let reply = (await client.sendActivity('status')) as Reply | undefined;
    while (reply) {
      replies.push(reply);
      reply = client.getNextReply();
    }
    return replies;
  }

  function cardOf(replies: Reply[]): CardElement {
    const card = replies.flatMap((r) => r.attachments ?? []).find((a) => a.contentType.includes('adaptive'));
    assert.ok(card, `no card in ${JSON.stringify(replies.map((r) => r.text))}`);
    return card.content as CardElement;
  }

  /** Every text block of the card, depth first. */
  function textsOf(element: CardElement): string[] {
    const own = element.type === 'TextBlock' && element.text ? [element.text] : [];
    const children = [...(element.items ?? []), ...(element.columns ?? []), ...(element.body ?? [])];
    return [...own, ...children.flatMap(textsOf)];
  }

  /** Component name → [status text, colour], from the card's two-column rows. */
  function componentRows(card: CardElement): Map<string, [string, string | undefined]> {
    const rows = (card.body ?? []).filter((e) => e.type === 'ColumnSet');
    return new Map(
      rows.map((row) => {
        const [name, status] = (row.columns ?? []).map((column) => column.items?.[0]);
        return [name?.text ?? '', [status?.text ?? '', status?.color]];
      }),
    );
  }

  function urlsOf(element: CardElement): string[] {
    const own = (element.actions ?? []).map((a) => a.url);
    const children = [...(element.items ?? []), ...(element.body ?? [])];
    return [...own, ...children.flatMap(urlsOf)];
  }

  const resultOf = (client: DialogTestClient): ServiceStatusResult | undefined =>
    client.dialogTurnResult.result as ServiceStatusResult | undefined;

  for (const channel of CHANNELS) {
    describe(`on ${channel}`, () => {
      it('when everything is operational, shows every component as operational in one card and ends', async () => {
        statusPage.serveJson(ALL_UP);
        const client = start(channel, feedAt(url), { locale: 'en' });

        const replies = await ask(client);

        assert.equal(replies.length, 1);
        assert.equal(replies[0]?.text, 'All services are operational.');
        const rows = componentRows(cardOf(replies));
        assert.deepEqual(
          [...rows.keys()],
          ['Remote monitoring agent', 'Remote control', 'Backup and recovery', 'Public API'],
        );
        for (const [status, colour] of rows.values())
          assert.deepEqual([status, colour], ['Operational', 'Good']);
        const texts = textsOf(cardOf(replies));
        assert.ok(texts.includes('Service status'));
        assert.ok(!texts.includes('Active incidents'), 'no incident section');
        assert.match(texts.at(-1) ?? '', /^Checked 2 Nov 2026, 10:00 UTC$/);
        assert.equal(client.dialogTurnResult.status, 'complete');
        assert.deepEqual(resultOf(client), { outcome: 'shown', incidents: 0 });
      });

      it('when the backup component has an incident, shows its outage and the incident with impact, module, latest update and link', async () => {
        statusPage.serveJson(BACKUP_INCIDENT);
        const client = start(channel, feedAt(url), { locale: 'en' });

        const replies = await ask(client);

        assert.equal(replies.length, 1);
        assert.equal(replies[0]?.text, 'Some services are not fully operational. Active incidents: 1.');
        const card = cardOf(replies);
        assert.deepEqual(componentRows(card).get('Backup and recovery'), ['Partial outage', 'Attention']);
        assert.deepEqual(componentRows(card).get('Remote control'), ['Operational', 'Good']);
        const texts = textsOf(card);
        const from = texts.indexOf('Active incidents');
        assert.ok(from > 0, `no incident section in ${JSON.stringify(texts)}`);
        assert.deepEqual(texts.slice(from + 1, from + 5), [
          'Backup jobs delayed in the EU region',
          'Identified · major impact · since 2 Nov 2026, 09:00 UTC',
          'Affects: Backup and recovery',
          'Latest update (2 Nov 2026, 09:30 UTC): A storage node is full; jobs are being moved',
        ]);
        assert.deepEqual(urlsOf(card), ['https://stspg.io/abc']);
        assert.deepEqual(resultOf(client), { outcome: 'shown', incidents: 1 });
      });

      it('when the status page answers slower than the feed timeout, says so in one line instead of failing', async () => {
        statusPage.serveJson(ALL_UP, FEED_TIMEOUT_MS * 5);
        const client = start(channel, feedAt(url), { locale: 'en' });

        const replies = await ask(client);

        assert.deepEqual(
          replies.map((r) => [r.text, r.attachments?.length ?? 0]),
          [[t('en', 'status.unavailable'), 0]],
        );
        assert.match(replies[0]?.text ?? '', /^I cannot get the service status right now; .*status page/);
        assert.deepEqual(resultOf(client), { outcome: 'unavailable' });
      });

      it('when the status page answers 500, says so in one line', async () => {
        statusPage.handler = (_req, res) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('boom');
        const client = start(channel, feedAt(url), { locale: 'en' });

        const replies = await ask(client);

        assert.deepEqual(
          replies.map((r) => r.text),
          [t('en', 'status.unavailable')],
        );
        assert.deepEqual(resultOf(client), { outcome: 'unavailable' });
      });

      it('when the status page refuses the connection, says so in one line', async () => {
        const closed = new StatusPageStandIn();
        const deadUrl = await closed.start();
        await closed.stop();
        const client = start(channel, feedAt(deadUrl), { locale: 'en' });

        const replies = await ask(client);

        assert.deepEqual(
          replies.map((r) => r.text),
          [t('en', 'status.unavailable')],
        );
        assert.deepEqual(resultOf(client), { outcome: 'unavailable' });
      });

      it('when no status feed is configured, says so in one line', async () => {
        const client = start(channel, new UnconfiguredStatusFeed(), { locale: 'fr' });

        const replies = await ask(client);

        assert.deepEqual(
          replies.map((r) => r.text),
          [t('fr', 'status.unavailable')],
        );
        assert.match(replies[0]?.text ?? '', /^Je n’arrive pas à obtenir l’état des services/);
      });

      it('in French, shows the card, statuses and incident in French', async () => {
        statusPage.serveJson(BACKUP_INCIDENT);
        const client = start(channel, feedAt(url), { locale: 'fr' });

        const replies = await ask(client);

        assert.equal(
          replies[0]?.text,
          'Certains services ne fonctionnent pas normalement. Incidents en cours\u00a0: 1.',
        );
        const card = cardOf(replies);
        assert.deepEqual(componentRows(card).get('Sauvegarde et restauration'), [
          'Panne partielle',
          'Attention',
        ]);
        assert.deepEqual(componentRows(card).get('Prise de contrôle à distance'), ['Opérationnel', 'Good']);
        const texts = textsOf(card);
        assert.equal(texts[0], 'État des services');
        assert.ok(texts.includes('Incidents en cours'));
        assert.ok(
          texts.includes(`Cause identifiée · impact majeur · depuis le ${frWhen('2026-11-02T09:00:00Z')}`),
          JSON.stringify(texts),
        );
        assert.ok(texts.includes('Concerne\u00a0: Sauvegarde et restauration'));
        assert.ok(
          texts.some((text) =>
            text.startsWith(`Dernière mise à jour (${frWhen('2026-11-02T09:30:00Z')})\u00a0: A storage node`),
          ),
        );
        assert.equal(texts.at(-1), `Vérifié le ${frWhen('2026-11-02T10:00:00Z')}`);
      });
    });
  }

  it('shows every component status in words, in both languages', async () => {
    const statuses = [
      'operational',
      'degraded_performance',
      'partial_outage',
      'major_outage',
      'under_maintenance',
      'bogus',
    ];
    statusPage.serveJson({
      ...ALL_UP,
      components: statuses.map((status, i) => ({ id: `c-${i}`, name: `Component ${i}`, status })),
    });
    const feed = feedAt(url);
    const shown = async (locale: Locale): Promise<string[]> =>
      [...componentRows(cardOf(await ask(start('webchat', feed, { locale })))).values()].map(([s]) => s);

    assert.deepEqual(await shown('en'), [
      'Operational',
      'Degraded performance',
      'Partial outage',
      'Major outage',
      'Under maintenance',
      'Unknown',
    ]);
    assert.deepEqual(await shown('fr'), [
      'Opérationnel',
      'Performances dégradées',
      'Panne partielle',
      'Panne majeure',
      'En maintenance',
      'Inconnu',
    ]);
  });

  describe('incidentNotice', () => {
    it('when the chosen module has an active incident, returns one paragraph naming it with its latest update', async () => {
      statusPage.serveJson(BACKUP_INCIDENT);
      const feed = feedAt(url);

      const en = await incidentNotice(feed, 'backup', 'en', catalogue);
      const fr = await incidentNotice(feed, 'backup', 'fr', catalogue);

      assert.equal(
        en,
        'Before we go on: there is a known incident on Backup and recovery, “Backup jobs delayed in the EU region” (identified). ' +
          'Latest update (2 Nov 2026, 09:30 UTC): A storage node is full; jobs are being moved. ' +
          'Our team is on it. If your problem looks different, you can still open a ticket.',
      );
      assert.equal(
        fr,
        'Avant de continuer\u00a0: un incident connu est en cours sur Sauvegarde et restauration, «\u00a0Backup jobs delayed in the EU region\u00a0» (cause identifiée). ' +
          `Dernière mise à jour (${frWhen('2026-11-02T09:30:00Z')})\u00a0: A storage node is full; jobs are being moved. ` +
          'Notre équipe s’en occupe. Si votre problème vous semble différent, vous pouvez tout de même ouvrir un ticket.',
      );
      assert.ok(!en?.includes('\n'), 'one paragraph');
    });

    it('when the module has no incident, or the feed is down or unconfigured, returns nothing', async () => {
      statusPage.serveJson(BACKUP_INCIDENT);
      assert.equal(await incidentNotice(feedAt(url), 'remote-control', 'en', catalogue), undefined);

      statusPage.handler = (_req, res) => res.writeHead(503).end();
      assert.equal(await incidentNotice(feedAt(url), 'backup', 'en', catalogue), undefined);

      assert.equal(await incidentNotice(new UnconfiguredStatusFeed(), 'backup', 'en', catalogue), undefined);
    });

    it('when a feed implementation throws, returns nothing instead of breaking the intake', async () => {
      const broken: StatusFeed = {
        summary: () => Promise.reject(new Error('broken')),
        activeIncidentFor: () => Promise.reject(new Error('broken')),
      };

      assert.equal(await incidentNotice(broken, 'backup', 'en', catalogue, logger), undefined);
      const replies = await ask(start('msteams', broken, { locale: 'en' }));
      assert.deepEqual(
        replies.map((r) => r.text),
        [t('en', 'status.unavailable')],
      );
    });
  });
});
