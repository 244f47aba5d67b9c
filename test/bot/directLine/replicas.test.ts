import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { HelplineApp } from '../../../bot';
import { uniqueDbName } from '../../support/database';
import { DEMO_CONTACTS } from '../../../services/identity';
import {
  DirectLineTestClient,
  openLeedsTicket,
  postStaffComment,
  startTestApp,
  stopTestApp,
} from '../../support/app';

interface StreamedActivity {
  id: string;
  from: { role?: string };
  replyToId?: string;
  text?: string;
}

/** A Web Chat-like stream: every activity the socket received, in arrival order. */
async function openStream(
  app: HelplineApp,
  client: DirectLineTestClient,
): Promise<{ activities: StreamedActivity[]; close: () => void }> {
  const url = `${app.url().replace('http', 'ws')}/directline/conversations/${client.conversationId}/stream?t=${client.token}`;
  const ws = new WebSocket(url);
  const activities: StreamedActivity[] = [];
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    if (text) activities.push(...(JSON.parse(text) as { activities: StreamedActivity[] }).activities);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { activities, close: () => ws.close() };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}

const STAFF_TOKEN = 'replicas-staff-token-0123456789';

describe('two Helpline processes on one database', function () {
  this.timeout(60_000);
  let a: HelplineApp;
  let b: HelplineApp;

  before(async () => {
    const shared = {
      MONGODB_DB: uniqueDbName('replicas'),
      DIRECTLINE_TOKENS_PER_MINUTE: '200',
      WEB_USER_TOKEN_SECRET: 'replicas-test-secret-0123456789abcdefghij',
      STAFF_API_TOKENS: `${STAFF_TOKEN}:staff-ann:Ann Support`,
    };
    a = await startTestApp('replica-a', shared);
    b = await startTestApp('replica-b', shared);
  });
  after(async () => {
    await b?.stop();
    await stopTestApp(a);
  });

  it('a Web Chat stream on one replica receives the replies the other replica produced', async () => {
    const onA = new DirectLineTestClient(a.url());
    await onA.start();
    const stream = await openStream(a, onA);
    try {
      // The same conversation and token, as a load balancer would send the next request elsewhere.
      const viaB = new DirectLineTestClient(b.url());
      viaB.token = onA.token;
      viaB.conversationId = onA.conversationId;
      const sent = await viaB.send({ text: 'remote control session shows a black screen' });
      assert.equal(sent.status, 200);
      const userId = String(sent.json.id);

      await until(() => stream.activities.some((x) => x.replyToId === userId));
      const reply = stream.activities.find((x) => x.replyToId === userId);
      assert.ok(reply, 'the reply appended by replica B reached the socket on replica A');
      assert.equal(reply.from.role, 'bot');
      assert.ok(
        stream.activities.some((x) => x.id === userId),
        'the user activity accepted by B is streamed by A too',
      );
      const ids = stream.activities.map((x) => x.id);
      assert.equal(new Set(ids).size, ids.length, 'no activity twice');
      const seqs = ids.map((id) => Number(id.split('|').at(-1)));
      assert.deepEqual(
        seqs,
        [...seqs].sort((x, y) => x - y),
        'in watermark order',
      );
    } finally {
      stream.close();
    }
  });

  it('interleaved messages through both replicas reach one stream once each and in order', async () => {
    const onA = new DirectLineTestClient(a.url());
    await onA.start();
    const stream = await openStream(a, onA);
    const viaB = new DirectLineTestClient(b.url());
    viaB.token = onA.token;
    viaB.conversationId = onA.conversationId;
    try {
      const sentIds: string[] = [];
      for (const [i, client] of [onA, viaB, onA, viaB].entries()) {
        const sent = await client.send({ text: i % 2 ? 'help' : 'menu' });
        assert.equal(sent.status, 200);
        sentIds.push(String(sent.json.id));
      }
      await until(() => sentIds.every((id) => stream.activities.some((x) => x.replyToId === id)));
      for (const id of sentIds) {
        assert.ok(
          stream.activities.some((x) => x.replyToId === id),
          `a reply to ${id} arrived`,
        );
      }
      const ids = stream.activities.map((x) => x.id);
      assert.equal(new Set(ids).size, ids.length, 'no activity twice');
      const seqs = ids.map((id) => Number(id.split('|').at(-1)));
      assert.deepEqual(
        seqs,
        [...seqs].sort((x, y) => x - y),
        'in watermark order, with no gap skipped',
      );
      assert.deepEqual(
        seqs,
        Array.from({ length: seqs.length }, (_, i) => seqs[0] + i),
        'every watermark, none missing',
      );
    } finally {
      stream.close();
    }
  });

  it('a Web Chat stream on one replica receives the ticket notification the other replica sent', async () => {
    const alice = DEMO_CONTACTS.alice;
    const userToken = await a.userTokens!.sign({
      subject: alice.webSubject,
      email: alice.email,
      name: alice.name,
    });
    const onA = new DirectLineTestClient(a.url());
    await onA.start({ userToken });
    const stream = await openStream(a, onA);
    try {
      await onA.waitForBot(1);
      const number = await openLeedsTicket(onA);
      assert.ok(number, 'the ticket is open');

      // Support answers on replica B (the staff API behind the same load balancer).
      await postStaffComment(
        b.url(),
        STAFF_TOKEN,
        number,
        'Please restart the Windows Update service and retry.',
      );
      await until(() =>
        stream.activities.some((x) => /restart the Windows Update service/.test(x.text ?? '')),
      );
      const notified = stream.activities.filter((x) =>
        /restart the Windows Update service/.test(x.text ?? ''),
      );
      assert.equal(notified.length, 1, 'the notification B sent reached the socket held by A, once');
      assert.match(notified[0]?.text ?? '', new RegExp(number));
    } finally {
      stream.close();
    }
  });
});
