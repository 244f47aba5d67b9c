import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import { startTestApp, stopTestApp } from '../support/app';
import { ConnectorStandIn } from '../support/connectorStandIn';

function teamsMessage(serviceUrl: string, text: string): Record<string, unknown> {
  return {
    type: 'message',
    id: `act-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl,
    text,
    locale: 'en-US',
    from: { id: '29:user-1', name: 'Alice', aadObjectId: 'aad-alice' },
    recipient: { id: '28:helpline', name: 'Helpline' },
    conversation: { id: 'a:teams-conv-1', conversationType: 'personal', tenantId: 'tenant-northwind' },
    channelData: { tenant: { id: 'tenant-northwind' } },
  };
}

describe('/api/messages', () => {
  const connector = new ConnectorStandIn();
  let serviceUrl: string;

  before(async () => {
    serviceUrl = await connector.start();
  });
  after(async () => await connector.stop());

  describe('without an app id, by default', () => {
    let app: HelplineApp;
    before(async () => (app = await startTestApp('apimsg-closed', { LIFECYCLE_JOB: 'false' })));
    after(async () => await stopTestApp(app));

    it('refuses an unsigned activity with 401, and the bot never sees it', async () => {
      const before = connector.received.length;
      const res = await fetch(`${app.url()}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(teamsMessage(serviceUrl, 'hello')),
      });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      const body = (await res.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'Unauthorized');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(connector.received.length, before);
    });
  });

  describe('without an app id, with BOT_ALLOW_ANONYMOUS=true (emulator and tests)', () => {
    let app: HelplineApp;
    before(
      async () =>
        (app = await startTestApp('apimsg-open', { BOT_ALLOW_ANONYMOUS: 'true', LIFECYCLE_JOB: 'false' })),
    );
    after(async () => await stopTestApp(app));

    it('runs a Teams message through the bot, which replies to the serviceUrl', async () => {
      const res = await fetch(`${app.url()}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(teamsMessage(serviceUrl, 'hello')),
      });
      assert.ok(res.status === 200 || res.status === 201, `status ${res.status}`);
      const received = await connector.waitFor(1);
      assert.equal(received[0]?.conversationId, 'a:teams-conv-1');
    });

    it('refuses an activity whose serviceUrl is not on this machine, and posts nothing anywhere', async () => {
      for (const elsewhere of [
        'https://evil.example/hook',
        'http://169.254.169.254/latest/meta-data',
        'http://10.0.0.1:8080',
        'http://user:pw@127.0.0.1:1/',
        'file:///etc/passwd',
        'not a url',
      ]) {
        const res = await fetch(`${app.url()}/api/messages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(teamsMessage(elsewhere, 'hello')),
        });
        assert.equal(res.status, 403, elsewhere);
        assert.doesNotMatch(await res.text(), /at .*\.(ts|js):\d+/);
      }
    });

    it('runs an activity delivered twice (same id) once', async () => {
      const activity = { ...teamsMessage(serviceUrl, 'hello'), conversation: { id: 'a:teams-conv-dup' } };
      const post = async (): Promise<number> =>
        (
          await fetch(`${app.url()}/api/messages`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(activity),
          })
        ).status;
      assert.equal(await post(), 200);
      const afterFirst = connector.received.filter((r) => r.conversationId === 'a:teams-conv-dup').length;
      assert.ok(afterFirst > 0);
      const again = await Promise.all([post(), post(), post()]);
      assert.deepEqual(again, [200, 200, 200]);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(
        connector.received.filter((r) => r.conversationId === 'a:teams-conv-dup').length,
        afterFirst,
      );
    });
  });

  describe('with an app id configured', () => {
    let app: HelplineApp;
    before(
      async () =>
        (app = await startTestApp('apimsg-auth', {
          MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
          MicrosoftAppPassword: 'not-a-real-password',
        })),
    );
    after(async () => await stopTestApp(app));

    it('rejects a request without a Bot Framework token', async () => {
      const res = await fetch(`${app.url()}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(teamsMessage(serviceUrl, 'hello')),
      });
      assert.equal(res.status, 401);
    });

    it('rejects a forged token, and the bot never sees the activity', async () => {
      const before = connector.received.length;
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'x' })).toString(
        'base64url',
      );
      const payload = Buffer.from(
        JSON.stringify({
          iss: 'https://api.botframework.com',
          aud: '11111111-2222-3333-4444-555555555555',
          exp: 9999999999,
        }),
      ).toString('base64url');
      const res = await fetch(`${app.url()}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${header}.${payload}.c2ln` },
        body: JSON.stringify(teamsMessage(serviceUrl, 'hello')),
      });
      // 401 where the Bot Framework signing keys can be fetched (no such key); 503 where they
      // cannot (this sandbox has no route to them). Never a 500, never the internal error text.
      assert.ok(res.status === 401 || res.status === 503, `status ${res.status}`);
      const text = await res.text();
      assert.doesNotMatch(text, /at .*\.(ts|js):\d+/);
      assert.doesNotMatch(text, /getaddrinfo|ENOTFOUND|login\.botframework|Failed to load/i);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(connector.received.length, before);
    });

    it('answers a token of an issuer the Bot Framework does not use with 401', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'x' })).toString(
        'base64url',
      );
      const payload = Buffer.from(
        JSON.stringify({
          iss: 'https://evil.example',
          aud: '11111111-2222-3333-4444-555555555555',
          exp: 9999999999,
        }),
      ).toString('base64url');
      const res = await fetch(`${app.url()}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${header}.${payload}.c2ln` },
        body: JSON.stringify(teamsMessage(serviceUrl, 'hello')),
      });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'Unauthorized');
    });
  });
});
