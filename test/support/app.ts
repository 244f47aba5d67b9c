import assert from 'node:assert/strict';
import { createApp, type HelplineApp } from '../../bot';
import { loadConfig, type RawEnv } from '../../bot/config';
import { createSilentLogger } from '../../services/logger';
import { testDatabaseUri, uniqueDbName } from './database';
import { shown } from './teamsClient';

/** A whole Helpline on a free port, on a database of its own in the run's server. */
export async function startTestApp(
  label: string,
  env: RawEnv = {},
  clock?: () => Date,
): Promise<HelplineApp> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: testDatabaseUri(),
    MONGODB_DB: uniqueDbName(label),
    LOG_LEVEL: 'silent',
    PATH: process.env.PATH,
    // The test machine is shared and loaded: a slow answer is not a stalled database here.
    // Tests of stalls set their own (test/security/databaseFault.test.ts).
    DB_SOCKET_TIMEOUT_SECONDS: '30',
    ...env,
  });
  const app = await createApp(config, { logger: createSilentLogger(), ...(clock && { clock }) });
  await app.listen();
  return app;
}

/** Stops the app and drops its database. */
export async function stopTestApp(app: HelplineApp | undefined): Promise<void> {
  if (!app) return;
  await app.connection.dropDatabase().catch(() => undefined);
  await app.stop();
}

/** A tiny Direct Line client over plain HTTP, as Web Chat would use it. */
export class DirectLineTestClient {
  token = '';
  conversationId = '';
  watermark = 0;

  constructor(private readonly baseUrl: string) {}

  async start(body: Record<string, unknown> = {}): Promise<void> {
    const generated = await this.request('POST', '/directline/tokens/generate', body, '');
    if (generated.status !== 200) throw new Error(`generate failed: ${generated.status}`);
    this.token = String(generated.json.token);
    const started = await this.request('POST', '/directline/conversations', {});
    if (started.status >= 300) throw new Error(`start failed: ${started.status}`);
    this.conversationId = String(started.json.conversationId);
  }

  async send(activity: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
    return await this.request('POST', `/directline/conversations/${this.conversationId}/activities`, {
      type: 'message',
      from: { id: 'user' },
      ...activity,
    });
  }

  async say(text: string, extra: Record<string, unknown> = {}): Promise<Array<Record<string, unknown>>> {
    const sent = await this.send({ text, ...extra });
    if (sent.status !== 200) throw new Error(`send failed: ${sent.status} ${JSON.stringify(sent.json)}`);
    return await this.botRepliesAfterSending();
  }

  /** Bot activities that arrived since the last read. */
  async botRepliesAfterSending(): Promise<Array<Record<string, unknown>>> {
    const all = await this.poll();
    return all.filter((a) => (a.from as { role?: string } | undefined)?.role === 'bot');
  }

  async poll(): Promise<Array<Record<string, unknown>>> {
    const res = await this.request(
      'GET',
      `/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`,
    );
    if (res.status !== 200) throw new Error(`poll failed: ${res.status}`);
    this.watermark = Number(res.json.watermark);
    return res.json.activities as Array<Record<string, unknown>>;
  }

  /** Polls until `count` bot activities arrived or the timeout passes. */
  async waitForBot(count = 1, timeoutMs = 10_000): Promise<Array<Record<string, unknown>>> {
    const got: Array<Record<string, unknown>> = [];
    const deadline = Date.now() + timeoutMs;
    while (got.length < count && Date.now() < deadline) {
      got.push(...(await this.botRepliesAfterSending()));
      if (got.length < count) await new Promise((r) => setTimeout(r, 50));
    }
    return got;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    token: string = this.token,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
        ...(token && { Authorization: `Bearer ${token}` }),
        ...headers,
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = { raw: text };
    }
    return { status: res.status, json };
  }
}

/**
 * Opens a complete ticket (the Leeds site's agents offline, severity 2, one device) through a web
 * chat conversation whose welcome has arrived; returns its number.
 */
export async function openLeedsTicket(client: DirectLineTestClient): Promise<string | undefined> {
  await client.say(
    'I need to open a ticket: agents at our Leeds site show offline since this morning. Server https://rmm.northwind.example, agent version 9.5.2. Steps: 1) open the console 2) look at the device list',
  );
  await client.say('2');
  await client.say('SN: 5CG1234XYZ, device: 10452');
  return /HL-\d{6}/.exec(shown(await client.say('Submit')))?.[0];
}

/** Support's public comment on a ticket, posted through the staff API of the server at `baseUrl`. */
export async function postStaffComment(
  baseUrl: string,
  staffToken: string,
  ticketNumber: string,
  text: string,
): Promise<void> {
  const res = await fetch(`${baseUrl}/api/staff/tickets/${ticketNumber}/comments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${staffToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ text, visibility: 'public' }),
  });
  assert.equal(res.status, 201, await res.text());
}
