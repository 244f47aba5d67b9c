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

  describe('without an app id (local and emulator use)', () => {
    let app: HelplineApp;
    before(async () => (app = await startTestApp('apimsg-open')));
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
      // 401 where the Bot Framework signing keys can be fetched; this sandbox has no route to
      // them, so the SDK fails closed with a 5xx. Either way nothing reaches the bot.
      assert.ok(res.status === 401 || res.status >= 500, `status ${res.status}`);
      assert.doesNotMatch(await res.text(), /at .*\.(ts|js):\d+/);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(connector.received.length, before);
    });
  });
});
