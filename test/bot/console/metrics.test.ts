import assert from 'node:assert/strict';
import type { HelplineApp } from '../../../bot';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../../support/app';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const STAFF_TOKEN = 'staff-token-figures-0123456789';

describe('/metrics and the staff figures API', function () {
  this.timeout(60_000);
  let app: HelplineApp | undefined;

  before(async () => {
    app = await startTestApp('metrics', {
      METRICS_TOKEN,
      STAFF_API_TOKENS: `${STAFF_TOKEN}:sam:Sam Support`,
      LIFECYCLE_JOB: 'false',
    });
    const client = new DirectLineTestClient(app.url());
    await client.start();
    await client.say('hello');
    await client.waitForBot(1);
  });
  after(async () => {
    await stopTestApp(app);
  });

  it('refuses /metrics without its token', async () => {
    const res = await fetch(`${app!.url()}/metrics`);
    assert.equal(res.status, 401);
    const wrong = await fetch(`${app!.url()}/metrics`, {
      headers: { Authorization: `Bearer ${STAFF_TOKEN}` },
    });
    assert.equal(wrong.status, 401);
  });

  it('serves turns, latencies, HTTP and database timings in Prometheus text', async () => {
    const res = await fetch(`${app!.url()}/metrics`, {
      headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /helpline_turns_total\{channel="webchat",type="message"\} 1\b/);
    assert.match(text, /helpline_turn_duration_seconds_count\{channel="webchat",type="message"\} 1\b/);
    assert.match(
      text,
      /helpline_http_request_duration_seconds_count\{area="directline",method="POST",status="2xx"\} \d+/,
    );
    assert.match(
      text,
      /helpline_db_command_duration_seconds_count\{command="(find|insert|update|createIndexes)",outcome="ok"\} \d+/,
    );
  });

  it('gives the figures as JSON to staff, with the conversation just had', async () => {
    const unauthorised = await fetch(`${app!.url()}/api/staff/figures`);
    assert.equal(unauthorised.status, 401);
    const res = await fetch(`${app!.url()}/api/staff/figures`, {
      headers: { Authorization: `Bearer ${STAFF_TOKEN}` },
    });
    assert.equal(res.status, 200);
    const figures = (await res.json()) as { conversations: number; handoffs: { requested: number } };
    assert.equal(figures.conversations, 1);
    assert.equal(figures.handoffs.requested, 0);
    const bad = await fetch(`${app!.url()}/api/staff/figures?from=2026-11-05&to=2026-11-04`, {
      headers: { Authorization: `Bearer ${STAFF_TOKEN}` },
    });
    assert.equal(bad.status, 400);
  });
});
