import assert from 'node:assert/strict';
import { StaticProductCatalogue } from '../../../services/catalogue';
import { createSilentLogger } from '../../../services/logger';
import { StatuspageStatusFeed, type StatuspageStatusFeedOptions } from '../../../services/status';
import { StatusPageStandIn } from '../../support/statusPageStandIn';

const ALL_UP = {
  page: { id: 'p1', name: 'Vendor status' },
  status: { indicator: 'none', description: 'All Systems Operational' },
  components: [
    { id: 'c-agent', name: 'RMM agent', status: 'operational', group: false },
    { id: 'c-remote', name: 'Remote control', status: 'operational', group: false },
    { id: 'c-backup', name: 'Cloud backup', status: 'operational', group: false },
    { id: 'c-group', name: 'Platform', status: 'operational', group: true },
  ],
  incidents: [],
  scheduled_maintenances: [],
};

const WITH_INCIDENT = {
  ...ALL_UP,
  components: ALL_UP.components.map((c) => (c.id === 'c-remote' ? { ...c, status: 'major_outage' } : c)),
  incidents: [
    {
      id: 'inc-1',
      name: 'Remote sessions fail to connect',
      status: 'identified',
      impact: 'major',
      shortlink: 'https://stspg.io/abc',
      created_at: '2026-11-02T09:00:00Z',
      components: [{ id: 'c-remote', name: 'Remote control', status: 'major_outage' }],
      incident_updates: [
        { status: 'investigating', body: 'We are looking into it.', created_at: '2026-11-02T09:00:00Z' },
        { status: 'identified', body: 'A relay is down; fix under way.', created_at: '2026-11-02T09:30:00Z' },
      ],
    },
    {
      id: 'inc-old',
      name: 'Yesterday’s backup delay',
      status: 'resolved',
      impact: 'minor',
      components: [{ id: 'c-backup', name: 'Cloud backup' }],
      incident_updates: [],
    },
  ],
};

describe('StatuspageStatusFeed', () => {
  let standIn: StatusPageStandIn;
  let url: string;
  let now: Date;
  const catalogue = new StaticProductCatalogue();

  function feed(options: Partial<StatuspageStatusFeedOptions> = {}): StatuspageStatusFeed {
    return new StatuspageStatusFeed({
      url,
      logger: createSilentLogger(),
      componentModules: { 'c-agent': 'rmm-agent', 'Cloud backup': 'backup' },
      moduleIds: catalogue.modules().map((m) => m.id),
      clock: () => now,
      ...options,
    });
  }

  beforeEach(async () => {
    standIn = new StatusPageStandIn();
    url = await standIn.start();
    now = new Date('2026-11-02T10:00:00Z');
  });
  afterEach(async () => await standIn.stop());

  it('when every service is up, lists the components mapped to our modules and no incident', async () => {
    standIn.serveJson(ALL_UP);

    const summary = await feed().summary();

    assert.equal(summary.kind, 'ok');
    assert.ok(summary.kind === 'ok');
    assert.deepEqual(
      summary.components.map((c) => [c.id, c.status, c.moduleIds]),
      [
        ['c-agent', 'operational', ['rmm-agent']],
        ['c-remote', 'operational', ['remote-control']],
        ['c-backup', 'operational', ['backup']],
      ],
    );
    assert.deepEqual(summary.incidents, []);
    assert.equal(await feed().activeIncidentFor('remote-control'), undefined);
  });

  it('when an incident is active, reports it on its module with the newest update first, and ignores resolved ones', async () => {
    standIn.serveJson(WITH_INCIDENT);
    const status = feed();

    const summary = await status.summary();
    const incident = await status.activeIncidentFor('remote-control');

    assert.ok(summary.kind === 'ok');
    assert.deepEqual(
      summary.incidents.map((i) => i.id),
      ['inc-1'],
    );
    assert.equal(summary.components.find((c) => c.id === 'c-remote')?.status, 'major_outage');
    assert.ok(incident);
    assert.equal(incident.name, 'Remote sessions fail to connect');
    assert.equal(incident.impact, 'major');
    assert.deepEqual(incident.moduleIds, ['remote-control']);
    assert.equal(incident.updates[0]?.body, 'A relay is down; fix under way.');
    assert.equal(incident.url, 'https://stspg.io/abc');
    assert.equal(await status.activeIncidentFor('backup'), undefined);
    assert.equal(await status.activeIncidentFor('rmm-agent'), undefined);
  });

  it('reuses an answer for the cache time, then asks the feed again', async () => {
    standIn.serveJson(ALL_UP);
    const status = feed({ cacheMs: 30_000 });

    await status.summary();
    now = new Date(now.getTime() + 29_000);
    await Promise.all([status.summary(), status.activeIncidentFor('backup')]);
    const requestsWithinCache = standIn.requests;
    now = new Date(now.getTime() + 2_000);
    standIn.serveJson(WITH_INCIDENT);
    const incident = await status.activeIncidentFor('remote-control');

    assert.equal(requestsWithinCache, 1);
    assert.equal(standIn.requests, 2);
    assert.equal(incident?.id, 'inc-1');
  });

  it('when the feed is slower than the timeout, answers unavailable in about the timeout', async () => {
    standIn.serveJson(ALL_UP, 3_000);

    const summary = await feed({ timeoutMs: 300 }).summary();

    assert.deepEqual(summary, { kind: 'unavailable' });
  });

  it('when the feed is down, answers unavailable and never throws', async () => {
    await standIn.stop();

    const status = feed();
    const summary = await status.summary();
    const incident = await status.activeIncidentFor('remote-control');

    assert.deepEqual(summary, { kind: 'unavailable' });
    assert.equal(incident, undefined);
  });

  it('when the feed answers an error status or something that is not a summary, answers unavailable', async () => {
    standIn.handler = (_req, res) => res.writeHead(503, { 'Content-Type': 'text/plain' }).end('maintenance');
    const erroring = await feed().summary();
    standIn.handler = (_req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>status</html>');
    const notJson = await feed().summary();
    standIn.serveJson({ components: 'none' });
    const wrongShape = await feed().summary();

    assert.deepEqual(
      [erroring, notJson, wrongShape],
      [{ kind: 'unavailable' }, { kind: 'unavailable' }, { kind: 'unavailable' }],
    );
  });

  it('after a failure, waits a few seconds before asking the feed again', async () => {
    standIn.handler = (_req, res) => res.writeHead(502).end();
    const status = feed({ failureCacheMs: 5_000 });

    await status.summary();
    standIn.serveJson(ALL_UP);
    const soon = await status.summary();
    now = new Date(now.getTime() + 6_000);
    const later = await status.summary();

    assert.equal(soon.kind, 'unavailable');
    assert.equal(later.kind, 'ok');
    assert.equal(standIn.requests, 2);
  });
});
