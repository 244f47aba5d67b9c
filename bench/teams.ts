/**
 * bench:teams — the Teams app's figures: the size and manifest version of the package, and the
 * latency of each Teams invoke through /api/messages (compose-box search, popular articles, pick,
 * article and ticket link unfurling) and of the tab's API, against, in the same process, the
 * smallest botbuilder bot that answers a compose-box query with one static card. Teams waits 5 s.
 *
 *   npm run bench:teams -- [--requests 200] [--concurrency 1] [--json]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CardFactory, TeamsActivityHandler, type MessagingExtensionResponse } from 'botbuilder';
import { createApp } from '../bot';
import { loadConfig, loadTeamsPackageConfig } from '../bot/config';
import { buildTeamsPackage, MANIFEST_DIR, templateValues } from '../manifest/teamsPackage';
import { DEMO_CONTACTS, DEMO_TENANTS } from '../services/identity';
import { createSilentLogger } from '../services/logger';
import { completeTicket, ticketFixture } from '../test/services/tickets/fixtures';
import { EntraStandIn, ssoEnv } from '../test/support/entraStandIn';
import { TEAMS_PACKAGE_ENV } from '../test/support/teamsPackageEnv';
import { openBenchDatabase, serveBaselineBot } from './support';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const REQUESTS = Math.max(10, Number.parseInt(values.requests, 10) || 200);
const CONCURRENCY = Math.max(1, Number.parseInt(values.concurrency, 10) || 1);

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0) * 100) /
    100;
  return { p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

/** Runs `send` REQUESTS times, CONCURRENCY at once, and returns the latency of each. */
async function measure(send: (i: number) => Promise<void>): Promise<Latency> {
  for (let i = 0; i < 10; i++) await send(i); // warm-up
  const samples: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const started = performance.now();
        await send(i);
        samples.push(performance.now() - started);
      }
    }),
  );
  return latency(samples);
}

function invoke(name: string, value: unknown, user = DEMO_CONTACTS.bob): Record<string, unknown> {
  return {
    type: 'invoke',
    name,
    value,
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    locale: 'en-US',
    from: { id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId, name: user.name },
    recipient: { id: '28:helpline', name: 'Helpline' },
    conversation: { id: 'a:bench', conversationType: 'personal', tenantId: DEMO_TENANTS.northwind },
    channelData: { tenant: { id: DEMO_TENANTS.northwind } },
  };
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return json;
}

/** The yardstick: the smallest bot that answers a compose-box query, with one static card. */
async function startBaseline(): Promise<{ url: string; stop: () => Promise<void> }> {
  class StaticSearchBot extends TeamsActivityHandler {
    protected override handleTeamsMessagingExtensionQuery(): Promise<MessagingExtensionResponse> {
      const card = CardFactory.thumbnailCard('Agent shows as offline', 'A static answer');
      return Promise.resolve({
        composeExtension: {
          type: 'result',
          attachmentLayout: 'list',
          attachments: [{ ...card, preview: card }],
        },
      });
    }
  }
  return await serveBaselineBot(new StaticSearchBot());
}

async function main(): Promise<void> {
  const pkg = await buildTeamsPackage(
    MANIFEST_DIR,
    templateValues(loadTeamsPackageConfig(TEAMS_PACKAGE_ENV, '1.0.0')),
  );
  if (pkg.errors.length) throw new Error(`package invalid: ${pkg.errors.join('; ')}`);

  const env = process.env;
  const database = await openBenchDatabase(env);
  const uri = database.uri;
  const entra = new EntraStandIn();
  await entra.start();
  const app = await createApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: uri,
      MONGODB_DB: `bench_teams_${Date.now()}`,
      LOG_LEVEL: 'silent',
      LIFECYCLE_JOB: 'false',
      TEAMS_UNFURL_DOMAINS: 'support.example.com',
      BOT_ALLOW_ANONYMOUS: 'true',
      PATH: env.PATH,
      ...ssoEnv(entra),
    }),
    { logger: createSilentLogger() },
  );
  await app.listen();
  const baseline = await startBaseline();
  try {
    const fixture = await ticketFixture(app.connection, () => new Date());
    const number = (await fixture.tickets.create(completeTicket(), 'bench-teams-ticket')).ticket.number;
    const token = await entra.token({
      tenantId: DEMO_TENANTS.northwind,
      aadObjectId: DEMO_CONTACTS.bob.aadObjectId,
      email: DEMO_CONTACTS.bob.email,
    });
    const messages = `${app.url()}/api/messages`;
    const queries = [
      'agent offline',
      'backup fails with VSS error',
      'remote session black screen',
      'patch pending',
    ];
    const query = (text: string) => ({
      commandId: 'searchArticles',
      parameters: [{ name: 'query', value: text }],
      queryOptions: { skip: 0, count: 10 },
    });

    const rows: Array<[string, Latency]> = [];
    rows.push([
      'baseline: static compose-box answer',
      await measure(
        async () =>
          void (await postJson(`${baseline.url}/api/messages`, invoke('composeExtension/query', query('x')))),
      ),
    ]);
    rows.push([
      'compose-box search',
      await measure(
        async (i) =>
          void (await postJson(
            messages,
            invoke('composeExtension/query', query(queries[i % queries.length] ?? '')),
          )),
      ),
    ]);
    rows.push([
      'compose-box popular (initialRun)',
      await measure(
        async () =>
          void (await postJson(
            messages,
            invoke('composeExtension/query', {
              commandId: 'searchArticles',
              parameters: [{ name: 'initialRun', value: 'true' }],
              queryOptions: { skip: 0, count: 10 },
            }),
          )),
      ),
    ]);
    rows.push([
      'compose-box pick (selectItem)',
      await measure(
        async () =>
          void (await postJson(
            messages,
            invoke('composeExtension/selectItem', { helplineArticle: 'agent-offline', locale: 'en' }),
          )),
      ),
    ]);
    rows.push([
      'unfurl an article link',
      await measure(
        async () =>
          void (await postJson(
            messages,
            invoke('composeExtension/queryLink', { url: 'https://support.example.com/kb/agent-offline' }),
          )),
      ),
    ]);
    rows.push([
      'unfurl a ticket link',
      await measure(
        async () =>
          void (await postJson(
            messages,
            invoke('composeExtension/queryLink', { url: `https://helpline.example.com/tickets/${number}` }),
          )),
      ),
    ]);
    rows.push([
      'tab API: list my requests',
      await measure(async () => {
        const res = await fetch(`${app.url()}/api/tab/tickets?scope=mine`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`tab API answered ${res.status}`);
      }),
    ]);

    const base = rows[0]?.[1].p50 ?? 1;
    const report = {
      package: { bytes: pkg.zip.byteLength, manifestVersion: pkg.manifest.manifestVersion },
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      latenciesMs: Object.fromEntries(
        rows.map(([name, l]) => [name, { ...l, p50VsBaseline: Math.round((l.p50 / base) * 10) / 10 }]),
      ),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    process.stdout.write(
      `Teams package: ${pkg.zip.byteLength} bytes, manifest ${String(pkg.manifest.manifestVersion)}\n` +
        `${REQUESTS} requests, ${CONCURRENCY} at a time (Teams waits 5000 ms for an invoke)\n`,
    );
    for (const [name, l] of rows) {
      process.stdout.write(
        `  ${name.padEnd(38)} p50 ${String(l.p50).padStart(7)} ms  p95 ${String(l.p95).padStart(7)} ms  p99 ${String(l.p99).padStart(7)} ms  max ${String(l.max).padStart(7)} ms  p50 ×${Math.round((l.p50 / base) * 10) / 10} baseline\n`,
      );
    }
  } finally {
    await baseline.stop();
    await app.connection.dropDatabase().catch(() => undefined);
    await app.stop();
    await entra.stop();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:teams failed: ${(error as Error).message}\n`);
  process.exit(1);
});
