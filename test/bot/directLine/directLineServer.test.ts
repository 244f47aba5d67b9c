import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createApp, type HelplineApp } from '../../../bot';
import { createSilentLogger } from '../../../services/logger';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../../support/app';

describe('local Direct Line', () => {
  let app: HelplineApp;

  before(async () => {
    app = await startTestApp('directline', { DIRECTLINE_TOKENS_PER_MINUTE: '200' });
  });
  after(async () => await stopTestApp(app));

  it('starts a conversation, sends the welcome card, and answers a message', async () => {
    const client = new DirectLineTestClient(app.url());
    await client.start();
    const welcome = await client.waitForBot(1);
    const card = (welcome[0]?.attachments as Array<{ contentType: string }>)[0];
    assert.equal(card?.contentType, 'application/vnd.microsoft.card.adaptive');

    const sent = await client.send({ text: 'hello there', channelData: { clientActivityID: 'c-1' } });
    assert.equal(sent.status, 200);
    const activities = await client.poll();
    const echoed = activities.find((a) => a.id === sent.json.id);
    assert.ok(echoed, 'the user activity is echoed back with its id');
    assert.equal((echoed.channelData as { clientActivityID: string }).clientActivityID, 'c-1');
    assert.ok(
      activities.some((a) => (a.from as { role: string }).role === 'bot'),
      'the bot answered',
    );
  });

  it('stamps the user from the conversation, never from the body', async () => {
    const client = new DirectLineTestClient(app.url());
    await client.start();
    const sent = await client.send({ text: 'hi', from: { id: 'admin@contoso.com', name: 'Mallory' } });
    const echoed = (await client.poll()).find((a) => a.id === sent.json.id);
    const from = echoed?.from as { id: string; name: string };
    assert.notEqual(from.id, 'admin@contoso.com');
    assert.match(from.id, /^dl_/);
    assert.notEqual(from.name, 'Mallory');
  });

  it('answers 404 for an unknown conversation and 403 for another conversation', async () => {
    const a = new DirectLineTestClient(app.url());
    const b = new DirectLineTestClient(app.url());
    await a.start();
    await b.start();
    const unknown = await a.request('GET', '/directline/conversations/nope/activities');
    assert.equal(unknown.status, 404);
    const foreignRead = await a.request('GET', `/directline/conversations/${b.conversationId}/activities`);
    assert.equal(foreignRead.status, 403);
    const foreignPost = await a.request('POST', `/directline/conversations/${b.conversationId}/activities`, {
      type: 'message',
      text: 'hi',
    });
    assert.equal(foreignPost.status, 403);
  });

  it('refuses a missing token with 401 and a wrong one with 403', async () => {
    const client = new DirectLineTestClient(app.url());
    await client.start();
    const path = `/directline/conversations/${client.conversationId}/activities`;
    assert.equal((await client.request('GET', path, undefined, '')).status, 401);
    assert.equal((await client.request('GET', path, undefined, 'not-a-real-token')).status, 403);
    assert.equal((await client.request('POST', '/directline/tokens/refresh', {}, 'forged')).status, 403);
  });

  it('answers 400 to malformed JSON and to an invalid activity, 413 to an oversized body', async () => {
    const client = new DirectLineTestClient(app.url());
    await client.start();
    const path = `/directline/conversations/${client.conversationId}/activities`;
    assert.equal((await client.request('POST', path, '{"type": "message", "text": ')).status, 400);
    assert.equal((await client.request('POST', path, { type: 'delete-everything' })).status, 400);
    assert.equal(
      (await client.request('POST', path, { type: 'message', text: 'x'.repeat(200_000) })).status,
      413,
    );
  });

  it('refreshes a token for the same conversation', async () => {
    const client = new DirectLineTestClient(app.url());
    await client.start();
    const refreshed = await client.request('POST', '/directline/tokens/refresh', {});
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.json.conversationId, client.conversationId);
    assert.notEqual(refreshed.json.token, client.token);
  });

  it('streams activities over the WebSocket, backlog first', async () => {
    const client = new DirectLineTestClient(app.url());
    await client.start();
    const got = await client.request('GET', `/directline/conversations/${client.conversationId}`);
    const ws = new WebSocket(String(got.json.streamUrl).replace('localhost', '127.0.0.1'));
    const messages: Array<{ activities: Array<Record<string, unknown>>; watermark: string }> = [];
    ws.on('message', (data: Buffer) =>
      messages.push(JSON.parse(data.toString()) as (typeof messages)[number]),
    );
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await client.send({ text: 'anyone there?' });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && messages.flatMap((m) => m.activities).length < 3) {
      await new Promise((r) => setTimeout(r, 50));
    }
    ws.close();
    const activities = messages.flatMap((m) => m.activities);
    assert.ok(activities.length >= 3, `welcome, echo and reply streamed (got ${activities.length})`);
    const seqs = activities.map((a) => String(a.id));
    assert.deepEqual(seqs, [...seqs].sort(), 'in watermark order');
    assert.equal(new Set(seqs).size, seqs.length, 'no activity twice');
  });

  it('refuses a stream opened with another conversation’s token', async () => {
    const a = new DirectLineTestClient(app.url());
    const b = new DirectLineTestClient(app.url());
    await a.start();
    await b.start();
    const url = `${app.url().replace('http', 'ws')}/directline/conversations/${b.conversationId}/stream?t=${a.token}`;
    const ws = new WebSocket(url);
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.once('error', () => resolve('error'));
    });
    assert.equal(outcome, '403');
  });

  it('keeps the connector routes for the bot alone', async () => {
    const client = new DirectLineTestClient(app.url());
    await client.start();
    const forged = await client.request(
      'POST',
      `/directline/connector/guess/v3/conversations/${client.conversationId}/activities`,
      { type: 'message', text: 'I am the bot' },
    );
    assert.equal(forged.status, 403);
  });

  it('rate-limits token generation per client', async () => {
    const limited = await startTestApp('dlrate', { DIRECTLINE_TOKENS_PER_MINUTE: '3' });
    try {
      const client = new DirectLineTestClient(limited.url());
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await client.request('POST', '/directline/tokens/generate', {}, '')).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    } finally {
      await stopTestApp(limited);
    }
  });

  it('keeps the conversation across a restart of the server', async () => {
    const first = await startTestApp('dlrestart');
    const config = first.config;
    const client = new DirectLineTestClient(first.url());
    await client.start();
    await client.waitForBot(1);
    await first.stop();

    const second = await createApp(config, { logger: createSilentLogger() });
    await second.listen();
    try {
      const resumed = new DirectLineTestClient(second.url());
      resumed.token = client.token;
      resumed.conversationId = client.conversationId;
      const history = await resumed.poll();
      assert.ok(history.length >= 1, 'the welcome is still there');
      const replies = await resumed.say('still here?');
      assert.ok(replies.length >= 1, 'the restarted server answers in the same conversation');
    } finally {
      await stopTestApp(second);
    }
  });
});
