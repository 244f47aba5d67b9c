import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import type { HelplineApp } from '../../bot';
import { DEMO_CONTACTS } from '../../services/identity';
import { getTicketModel } from '../../services/tickets';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../support/app';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { completeTicket, ticketFixture } from '../services/tickets/fixtures';

const STAFF_TOKEN = 'hostile-staff-token-0123456789';
const INTERNALS =
  /at .*\.(ts|js):\d+|MongoServerError|MongoNetwork|URIError|TypeError|SyntaxError|getaddrinfo|ENOTFOUND|ECONNREFUSED|node_modules|stack/;

interface Probe {
  what: string;
  send: () => Promise<{ status: number; body: string }>;
  /** The status (or statuses) a clean answer has. */
  expect: number | number[];
}

/** Counts per category, printed at the end for the closing note. */
const counts = new Map<string, number>();

/**
 * Hostile input, as an attacker on the network would send it: every input of issue 9 and more.
 * Each one gets a clean 4xx (or a kind message from the bot), no internals in the answer, the
 * process keeps serving, and the data is unchanged.
 */
describe('hostile input (test/security)', function () {
  this.timeout(120_000);
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let app: HelplineApp;
  let base: string;
  let bobTicket: string;
  let snapshot: string;

  before(async () => {
    serviceUrl = await connector.start();
    app = await startTestApp('hostile', {
      STAFF_API_TOKENS: `${STAFF_TOKEN}:staff-ann:Ann Support`,
      DIRECTLINE_TOKENS_PER_MINUTE: '1000',
      HTTP_REQUEST_TIMEOUT_SECONDS: '2',
      LIFECYCLE_JOB: 'false',
    });
    base = app.url();
    const fx = await ticketFixture(app.connection, () => new Date());
    bobTicket = (await fx.tickets.create(completeTicket(), 'hostile-bob-ticket')).ticket.number;
    snapshot = await dataSnapshot();
  });
  after(async () => {
    await stopTestApp(app);
    await connector.stop();
    const lines = [...counts].map(([category, n]) => `    ${category}: ${n} inputs`);
    process.stdout.write(
      `\n  hostile inputs by category (total ${[...counts.values()].reduce((a, b) => a + b, 0)}):\n${lines.join('\n')}\n`,
    );
  });

  async function dataSnapshot(): Promise<string> {
    const db = app.connection.db!;
    const parts: unknown[] = [];
    for (const name of ['tickets', 'contacts', 'organisations', 'access_requests']) {
      const docs = await db
        .collection(name)
        .find({})
        .sort({ _id: 1 })
        .toArray()
        .catch(() => []);
      parts.push(name, docs);
    }
    return JSON.stringify(parts);
  }

  /** Runs the probes of one category and checks the three promises after each. */
  async function category(name: string, probes: Probe[]): Promise<void> {
    counts.set(name, (counts.get(name) ?? 0) + probes.length);
    for (const probe of probes) {
      const { status, body } = await probe.send();
      const allowed = Array.isArray(probe.expect) ? probe.expect : [probe.expect];
      assert.ok(
        allowed.includes(status),
        `${name} / ${probe.what}: status ${status} (${body.slice(0, 200)})`,
      );
      assert.doesNotMatch(body, INTERNALS, `${name} / ${probe.what}: internals in ${body.slice(0, 300)}`);
      const health = await fetch(`${base}/healthz`);
      assert.equal(health.status, 200, `${name} / ${probe.what}: the process stopped serving`);
    }
    assert.equal(await dataSnapshot(), snapshot, `${name}: the data changed`);
  }

  const http = async (
    method: string,
    path: string,
    init: { body?: string | Buffer; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: string }> => {
    const body =
      typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body);
    const res = await fetch(`${base}${path}`, { method, headers: init.headers, body });
    return { status: res.status, body: await res.text() };
  };
  const json = { 'Content-Type': 'application/json' };
  const staff = { ...json, Authorization: `Bearer ${STAFF_TOKEN}` };

  /** A raw HTTP exchange: what the server answers on the socket (status line), or '' when it just closed it. */
  function raw(request: string | Buffer, waitMs = 5_000): Promise<{ status: number; body: string }> {
    return new Promise((resolve) => {
      const socket: Socket = connect(Number(new URL(base).port), '127.0.0.1');
      let received = '';
      const done = (): void => {
        clearTimeout(timer);
        socket.destroy();
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
        resolve({ status, body: received });
      };
      const timer = setTimeout(done, waitMs);
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('close', done);
      socket.on('error', done);
      socket.write(request);
    });
  }

  async function directLine(): Promise<DirectLineTestClient> {
    const client = new DirectLineTestClient(base);
    await client.start();
    return client;
  }

  it('WebSocket upgrades with malformed paths and request lines: refused, the process lives (item 2)', async () => {
    const client = await directLine();
    const upgrade = (target: string, extra = ''): Promise<{ status: number; body: string }> =>
      raw(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`,
        3_000,
      );
    await category('WebSocket upgrade', [
      {
        what: 'malformed percent-encoding',
        send: () => upgrade('/directline/conversations/%E0%A4%A/stream'),
        expect: [0, 400],
      },
      { what: 'lone %', send: () => upgrade('/directline/conversations/%/stream?t=x'), expect: [0, 400] },
      {
        what: 'absolute-form with a broken host',
        send: () => upgrade('http://[/directline/conversations/x/stream'),
        expect: [0, 400],
      },
      {
        what: 'absolute-form to another host',
        send: () => upgrade('http://evil.example/directline/conversations/x/stream'),
        expect: [0, 400, 403],
      },
      {
        what: 'no token',
        send: () => upgrade(`/directline/conversations/${client.conversationId}/stream`),
        expect: [0, 403],
      },
      {
        what: 'a token of another conversation',
        send: async () => {
          const other = await directLine();
          return await upgrade(`/directline/conversations/${client.conversationId}/stream?t=${other.token}`);
        },
        expect: [0, 403],
      },
      {
        what: 'malformed token percent-encoding',
        send: () => upgrade(`/directline/conversations/${client.conversationId}/stream?t=%E0%A4%A`),
        expect: [0, 403],
      },
      {
        what: 'a path of 8,000 characters',
        send: () => upgrade(`/directline/conversations/${'a'.repeat(8_000)}/stream`),
        expect: [0, 403, 414, 431],
      },
      { what: 'another path', send: () => upgrade('/nothing-here'), expect: [0] },
    ]);
  });

  it('malformed percent-encoding in paths: 400, never "not valid JSON" and never 500 (item 9)', async () => {
    const client = await directLine();
    const dl = { ...json, Authorization: `Bearer ${client.token}` };
    await category('malformed paths', [
      {
        what: 'staff ticket',
        send: () => http('GET', '/api/staff/tickets/%E0%A4%A', { headers: staff }),
        expect: 400,
      },
      {
        what: 'staff status',
        send: () =>
          http('POST', '/api/staff/tickets/%E0%A4%A/status', { headers: staff, body: '{"status":"open"}' }),
        expect: 400,
      },
      {
        what: 'direct line activities',
        send: async () => {
          const answer = await http('POST', '/directline/conversations/%E0%A4%A/activities', {
            headers: dl,
            body: '{"type":"message","text":"hi"}',
          });
          assert.doesNotMatch(answer.body, /not valid JSON/);
          return answer;
        },
        expect: 400,
      },
      {
        what: 'direct line conversation',
        send: () => http('GET', '/directline/conversations/%E0%A4%A', { headers: dl }),
        expect: 400,
      },
      {
        what: 'connector route',
        send: () =>
          http('POST', '/directline/connector/%E0%A4%A/v3/conversations/x/activities', {
            headers: json,
            body: '{}',
          }),
        expect: [400, 403],
      },
      { what: 'ticket link', send: () => http('GET', '/tickets/%E0%A4%A'), expect: [400, 404] },
      { what: 'static files', send: () => http('GET', '/web/%E0%A4%A'), expect: [400, 404] },
      { what: 'dot-dot', send: () => http('GET', '/web/..%2f..%2fpackage.json'), expect: [400, 403, 404] },
    ]);
  });

  it('hostile bodies: 400 for malformed or too deep, 413 too large, 415 not JSON or encoded unknown (item 9)', async () => {
    const client = await directLine();
    const dl = { ...json, Authorization: `Bearer ${client.token}` };
    const activities = `/directline/conversations/${client.conversationId}/activities`;
    const deep = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    await category('hostile bodies', [
      {
        what: '4,500-deep value in an activity',
        send: () =>
          http('POST', activities, { headers: dl, body: `{"type":"message","value":${deep(4_500)}}` }),
        expect: 400,
      },
      {
        what: '4,500-deep object in an activity',
        send: () =>
          http('POST', activities, { headers: dl, body: `{"type":"message","value":${deepObject(4_500)}}` }),
        expect: 400,
      },
      {
        what: '4,500-deep staff comment',
        send: () =>
          http('POST', `/api/staff/tickets/${bobTicket}/comments`, {
            headers: staff,
            body: `{"text":${deep(4_500)}}`,
          }),
        expect: 400,
      },
      {
        what: '4,500-deep /api/messages',
        send: () =>
          http('POST', '/api/messages', { headers: json, body: `{"type":"message","value":${deep(4_500)}}` }),
        expect: [400, 401],
      },
      {
        what: 'empty body on /api/messages',
        send: () => http('POST', '/api/messages', { headers: json, body: '' }),
        expect: [400, 401],
      },
      {
        what: 'invalid JSON',
        send: () => http('POST', activities, { headers: dl, body: '{"type":' }),
        expect: 400,
      },
      { what: 'JSON null', send: () => http('POST', activities, { headers: dl, body: 'null' }), expect: 400 },
      {
        what: 'a JSON array',
        send: () => http('POST', activities, { headers: dl, body: '[{"type":"message"}]' }),
        expect: 400,
      },
      {
        what: 'a string',
        send: () => http('POST', activities, { headers: dl, body: '"message"' }),
        expect: 400,
      },
      {
        what: 'unknown type',
        send: () => http('POST', activities, { headers: dl, body: '{"type":"deleteUserData"}' }),
        expect: 400,
      },
      {
        what: 'too large (1 MB)',
        send: () =>
          http('POST', activities, {
            headers: dl,
            body: JSON.stringify({ type: 'message', text: 'x'.repeat(1_000_000) }),
          }),
        expect: 413,
      },
      {
        what: 'too large staff body',
        send: () =>
          http('POST', `/api/staff/tickets/${bobTicket}/comments`, {
            headers: staff,
            body: JSON.stringify({ text: 'x'.repeat(200_000), visibility: 'public' }),
          }),
        expect: 413,
      },
      {
        what: 'unknown Content-Encoding',
        send: () =>
          http('POST', activities, {
            headers: { ...dl, 'Content-Encoding': 'br-evil' },
            body: '{"type":"message","text":"hi"}',
          }),
        expect: 415,
      },
      {
        what: 'gzip bomb-ish body past the limit',
        send: () =>
          http('POST', activities, {
            headers: { ...dl, 'Content-Encoding': 'gzip' },
            body: gzipSync(Buffer.from(JSON.stringify({ type: 'message', text: 'a'.repeat(2_000_000) }))),
          }),
        expect: 413,
      },
      {
        what: 'text/plain on the staff API',
        send: () =>
          http('POST', `/api/staff/tickets/${bobTicket}/comments`, {
            headers: { ...staff, 'Content-Type': 'text/plain' },
            body: 'hello',
          }),
        expect: 415,
      },
      {
        what: 'form data on /api/messages',
        send: () =>
          http('POST', '/api/messages', {
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: 'type=message',
          }),
        expect: [401, 415],
      },
      {
        what: 'a charset that does not exist',
        send: () =>
          http('POST', activities, {
            headers: { ...dl, 'Content-Type': 'application/json; charset=evil-8' },
            body: '{"type":"message"}',
          }),
        expect: 415,
      },
      {
        what: 'demo sign-in with a deep body',
        send: () => http('POST', '/demo/sign-in', { headers: json, body: `{"subject":${deep(100)}}` }),
        expect: 400,
      },
      {
        what: 'demo sign-in, not JSON',
        send: () =>
          http('POST', '/demo/sign-in', { headers: { 'Content-Type': 'text/plain' }, body: 'demo-bob' }),
        expect: 415,
      },
    ]);
  });

  it('prototype keys and query operators change nothing and reach nothing (items 9, 7)', async () => {
    const client = await directLine();
    const dl = { ...json, Authorization: `Bearer ${client.token}` };
    const activities = `/directline/conversations/${client.conversationId}/activities`;
    await category('prototype keys and operators', [
      {
        what: '__proto__ in an activity',
        send: () =>
          http('POST', activities, {
            headers: dl,
            body: '{"type":"message","text":"hello","__proto__":{"admin":true},"channelData":{"__proto__":{"x":1}}}',
          }),
        expect: 200,
      },
      {
        what: 'constructor.prototype in a card value',
        send: () =>
          http('POST', activities, {
            headers: dl,
            body: '{"type":"message","value":{"constructor":{"prototype":{"polluted":true}}}}',
          }),
        expect: 200,
      },
      {
        what: '__proto__ in a staff body',
        send: () =>
          http('POST', `/api/staff/tickets/${bobTicket}/status`, {
            headers: staff,
            body: '{"__proto__":{"status":"closed"}}',
          }),
        expect: 400,
      },
      {
        what: 'operators in card data',
        send: () =>
          http('POST', activities, {
            headers: dl,
            body: JSON.stringify({
              type: 'message',
              value: { requests: 'show', number: { $ne: null }, $where: 'sleep(1000)' },
            }),
          }),
        expect: 200,
      },
      {
        what: 'operator in a card ticket number',
        send: () =>
          http('POST', activities, {
            headers: dl,
            body: JSON.stringify({ type: 'message', value: { intake: 'submit', draftId: { $gt: '' } } }),
          }),
        expect: 200,
      },
      {
        what: 'bracket operators in a staff query',
        send: () => http('GET', '/api/staff/tickets?organisationId[$ne]=x&q[$regex]=.*', { headers: staff }),
        expect: [200, 400],
      },
      {
        what: 'a regex bomb as staff search text',
        send: () =>
          http('GET', `/api/staff/tickets?q=${encodeURIComponent('(a+)+$'.repeat(20))}`, { headers: staff }),
        expect: [200, 400],
      },
      {
        what: 'an operator as a staff assignee',
        send: () =>
          http('POST', `/api/staff/tickets/${bobTicket}/assign`, {
            headers: staff,
            body: '{"assignee":{"id":{"$gt":""},"name":"x"}}',
          }),
        expect: 400,
      },
    ]);
    assert.equal(({} as Record<string, unknown>).admin, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // The card values with operators got kind answers, and showed no one's ticket.
    const replies = await client.waitForBot(3);
    assert.ok(replies.length >= 1);
    assert.ok(!JSON.stringify(replies).includes(bobTicket));
  });

  it('forged from, channelData and serviceUrl: the server-side identity wins (items 3, 9)', async () => {
    const client = await directLine();
    const dl = { ...json, Authorization: `Bearer ${client.token}` };
    const activities = `/directline/conversations/${client.conversationId}/activities`;
    const forged = {
      type: 'message',
      text: 'my requests',
      from: { id: 'wu_demo-bob', name: 'Bob Singh', aadObjectId: 'aad-bob', role: 'user' },
      channelData: { tenant: { id: 'tenant-northwind' }, clientActivityID: 'forged-1' },
      serviceUrl: 'https://evil.example/',
      conversation: { id: 'someone-else' },
      recipient: { id: 'x' },
      channelId: 'msteams',
    };
    await category('forged identity', [
      {
        what: 'from, tenant, channelId and serviceUrl on Direct Line',
        send: () => http('POST', activities, { headers: dl, body: JSON.stringify(forged) }),
        expect: 200,
      },
      {
        what: "Claire's tenant and AAD id on /api/messages, no app id",
        send: () =>
          http('POST', '/api/messages', {
            headers: json,
            body: JSON.stringify({
              ...forged,
              id: 'f1',
              serviceUrl,
              conversation: { id: 'a:forged', tenantId: 'tenant-contoso' },
              from: { id: '29:claire', aadObjectId: DEMO_CONTACTS.claire.aadObjectId },
            }),
          }),
        expect: 401,
      },
    ]);
    const transcript = await client.poll();
    const mine = transcript.find(
      (a) => (a.channelData as { clientActivityID?: string } | undefined)?.clientActivityID === 'forged-1',
    );
    assert.ok(mine, 'the message is in the transcript');
    assert.notEqual((mine.from as { id: string }).id, 'wu_demo-bob');
    assert.equal(mine.channelId, 'webchat');
    assert.equal((mine.conversation as { id: string }).id, client.conversationId);
    const bot = transcript.filter((a) => (a.from as { role?: string }).role === 'bot');
    assert.ok(!JSON.stringify(bot).includes(bobTicket), 'no one else’s ticket shown');
    assert.equal(connector.received.filter((r) => r.conversationId === 'a:forged').length, 0);
  });

  it('tokens of every wrong kind: 401 or 403, never 500 (items 4, 9, 11)', async () => {
    const client = await directLine();
    const other = await directLine();
    const activities = `/directline/conversations/${client.conversationId}/activities`;
    const msg = '{"type":"message","text":"hi"}';
    const unsigned = (payload: Record<string, unknown>): string =>
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
    const otherSecret = new TextEncoder().encode('another-site-secret-0123456789-abcdef');
    const forgedUserToken = await new SignJWT({ sub: 'demo-bob', email: 'bob@northwind.example' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(otherSecret);
    const expiredUserToken = await app.userTokens!.sign(
      { subject: 'demo-bob', email: 'bob@northwind.example' },
      -60,
    );
    await category('wrong tokens', [
      {
        what: 'Direct Line: none',
        send: () => http('POST', activities, { headers: json, body: msg }),
        expect: 401,
      },
      {
        what: 'Direct Line: garbage',
        send: () =>
          http('POST', activities, { headers: { ...json, Authorization: 'Bearer garbage' }, body: msg }),
        expect: 403,
      },
      {
        what: 'Direct Line: empty bearer',
        send: () => http('POST', activities, { headers: { ...json, Authorization: 'Bearer ' }, body: msg }),
        expect: 401,
      },
      {
        what: 'Direct Line: Basic scheme',
        send: () =>
          http('POST', activities, { headers: { ...json, Authorization: 'Basic dXNlcjpwYXNz' }, body: msg }),
        expect: 401,
      },
      {
        what: "Direct Line: another conversation's token",
        send: () =>
          http('POST', activities, {
            headers: { ...json, Authorization: `Bearer ${other.token}` },
            body: msg,
          }),
        expect: 403,
      },
      {
        what: 'Direct Line: the staff token',
        send: () =>
          http('POST', activities, {
            headers: { ...json, Authorization: `Bearer ${STAFF_TOKEN}` },
            body: msg,
          }),
        expect: 403,
      },
      {
        what: 'Direct Line refresh: garbage',
        send: () =>
          http('POST', '/directline/tokens/refresh', { headers: { Authorization: 'Bearer garbage' } }),
        expect: 403,
      },
      {
        what: 'staff API: a Direct Line token',
        send: () =>
          http('GET', '/api/staff/tickets', { headers: { Authorization: `Bearer ${client.token}` } }),
        expect: 401,
      },
      {
        what: 'staff API: the token with a suffix',
        send: () =>
          http('GET', '/api/staff/tickets', { headers: { Authorization: `Bearer ${STAFF_TOKEN}x` } }),
        expect: 401,
      },
      {
        what: 'staff API: an unsigned JWT',
        send: () =>
          http('GET', '/api/staff/tickets', {
            headers: { Authorization: `Bearer ${unsigned({ sub: 'staff-ann' })}` },
          }),
        expect: 401,
      },
      {
        what: 'staff API: two bearer tokens',
        send: () =>
          http('GET', '/api/staff/tickets', {
            headers: { Authorization: `Bearer ${STAFF_TOKEN} ${STAFF_TOKEN}` },
          }),
        expect: 401,
      },
      {
        what: 'user token signed by another site',
        send: () =>
          http('POST', '/directline/tokens/generate', {
            headers: json,
            body: JSON.stringify({ userToken: forgedUserToken }),
          }),
        expect: 401,
      },
      {
        what: 'user token, alg none',
        send: () =>
          http('POST', '/directline/tokens/generate', {
            headers: json,
            body: JSON.stringify({ userToken: unsigned({ sub: 'demo-bob', exp: 9_999_999_999 }) }),
          }),
        expect: 401,
      },
      {
        what: 'user token, expired',
        send: () =>
          http('POST', '/directline/tokens/generate', {
            headers: json,
            body: JSON.stringify({ userToken: expiredUserToken }),
          }),
        expect: 401,
      },
      {
        what: 'user token, a Direct Line token',
        send: () =>
          http('POST', '/directline/tokens/generate', {
            headers: json,
            body: JSON.stringify({ userToken: client.token }),
          }),
        expect: 401,
      },
      {
        what: 'user token, not a string',
        send: () =>
          http('POST', '/directline/tokens/generate', {
            headers: json,
            body: JSON.stringify({ userToken: { sub: 'demo-bob' } }),
          }),
        expect: 400,
      },
      {
        what: 'tab API: garbage',
        send: () => http('GET', '/api/tab/tickets', { headers: { Authorization: 'Bearer garbage' } }),
        expect: [401, 503],
      },
      {
        what: 'demo sign-in as a contact who is not a demo user',
        send: () =>
          http('POST', '/demo/sign-in', {
            headers: json,
            body: JSON.stringify({ subject: DEMO_CONTACTS.bob.id }),
          }),
        expect: 404,
      },
      {
        what: 'demo sign-in with an operator',
        send: () => http('POST', '/demo/sign-in', { headers: json, body: '{"subject":{"$ne":null}}' }),
        expect: 404,
      },
      {
        what: 'connector route with a wrong secret',
        send: () =>
          http('POST', `/directline/connector/wrong/v3/conversations/${client.conversationId}/activities`, {
            headers: json,
            body: '{"type":"message","text":"phish"}',
          }),
        expect: 403,
      },
    ]);
  });

  it('unicode of every odd kind is text: a kind answer, never a crash', async () => {
    const client = await directLine();
    const texts = [
      '\u202Eevil\u202C override',
      'zero\u200Bwidth\u200Djoiner\uFEFF',
      '👩‍👩‍👧‍👦 🏳️‍🌈 emoji',
      'NUL \u0000 byte',
      'combining a\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308',
      'ｆｕｌｌｗｉｄｔｈ ＨＬ－１００００１',
      'ℌ𝔩-𝟏𝟎𝟎𝟎𝟎𝟏 math letters',
      'x'.repeat(20_000),
    ];
    const probes: Probe[] = texts.map((text, i) => ({
      what: `text ${i}`,
      send: () => client.send({ text }).then((r) => ({ status: r.status, body: JSON.stringify(r.json) })),
      expect: 200,
    }));
    probes.push(
      {
        what: 'a lone surrogate',
        send: () =>
          http('POST', `/directline/conversations/${client.conversationId}/activities`, {
            headers: { ...json, Authorization: `Bearer ${client.token}` },
            body: '{"type":"message","text":"\\ud800 lone"}',
          }),
        expect: 200,
      },
      {
        what: 'over 20,000 characters',
        send: () =>
          client
            .send({ text: 'y'.repeat(20_001) })
            .then((r) => ({ status: r.status, body: JSON.stringify(r.json) })),
        expect: 400,
      },
      {
        what: 'invalid UTF-8 bytes',
        send: () =>
          http('POST', `/directline/conversations/${client.conversationId}/activities`, {
            headers: { ...json, Authorization: `Bearer ${client.token}` },
            body: Buffer.from([0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
          }),
        expect: 400,
      },
    );
    await category('unicode', probes);
    const replies = await client.waitForBot(texts.length);
    assert.ok(replies.length >= texts.length, `${replies.length} answers to ${texts.length} messages`);
  });

  it('oversized headers and slow senders are cut off in bounded time', async () => {
    await category('oversized headers and slow senders', [
      {
        what: 'a 64 KB header',
        send: () =>
          http('GET', '/healthz', { headers: { 'X-Big': 'a'.repeat(64 * 1024) } }).catch(() => ({
            status: 431,
            body: '',
          })),
        expect: 431,
      },
      {
        what: '2,000 headers',
        send: () =>
          raw(
            `GET /healthz HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 2_000 }, (_, i) => `X-H${i}: ${'v'.repeat(20)}\r\n`).join('')}\r\n`,
          ),
        expect: 431,
      },
      {
        what: 'a body that never ends (slowloris)',
        send: async () => {
          const socket = connect(Number(new URL(base).port), '127.0.0.1');
          let received = '';
          socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
          socket.write(
            `POST /directline/tokens/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
          );
          // One byte every 200 ms would take 5.5 hours; the server's request timeout (2 s here) ends it.
          const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
          const drip = setInterval(() => socket.writable && socket.write(' '), 200);
          const bounded = new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 30_000));
          const outcome = await Promise.race([closed.then(() => 'closed' as const), bounded]);
          clearInterval(drip);
          socket.destroy();
          assert.equal(outcome, 'closed', 'the slow sender was cut off');
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 408);
          return { status, body: received };
        },
        expect: [400, 408],
      },
      {
        what: 'headers that never end',
        send: async () => {
          const socket = connect(Number(new URL(base).port), '127.0.0.1');
          socket.on('error', () => undefined);
          socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
          const drip = setInterval(() => socket.writable && socket.write('X-A: b\r\n'), 200);
          const closed = await Promise.race([
            new Promise<boolean>((resolve) => socket.on('close', () => resolve(true))),
            new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 40_000)),
          ]);
          clearInterval(drip);
          socket.destroy();
          assert.ok(closed, 'the slow headers were cut off');
          return { status: 408, body: '' };
        },
        expect: 408,
      },
    ]);
  });

  it('a message resent with the same clientActivityID is taken once (item 7)', async () => {
    const client = await directLine();
    const send = () =>
      client
        .send({ text: 'hello', channelData: { clientActivityID: 'resend-1' } })
        .then((r) => ({ status: r.status, body: JSON.stringify(r.json) }));
    await category('redelivery', [
      { what: 'first', send, expect: 200 },
      { what: 'again', send, expect: 200 },
      { what: 'and again', send, expect: 200 },
    ]);
    const transcript = await client.poll();
    const users = transcript.filter(
      (a) => (a.channelData as { clientActivityID?: string } | undefined)?.clientActivityID === 'resend-1',
    );
    assert.equal(users.length, 1);
  });

  it('rate limits hold: a rotating X-Forwarded-For is not another client; refresh is limited too; no demo sign-in with a site secret (items 10, 11)', async () => {
    const limited = await startTestApp('hostile-rate', {
      DIRECTLINE_TOKENS_PER_MINUTE: '3',
      WEB_USER_TOKEN_SECRET: 'the-site-own-secret-0123456789-abcdef',
      LIFECYCLE_JOB: 'false',
    });
    try {
      const statuses: number[] = [];
      let token = '';
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${limited.url()}/directline/tokens/generate`, {
          method: 'POST',
          headers: { ...json, 'X-Forwarded-For': `203.0.113.${i}` },
          body: '{}',
        });
        statuses.push(res.status);
        const body = (await res.json()) as { token?: string };
        token ||= body.token ?? '';
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429]);
      const refreshed: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${limited.url()}/directline/tokens/refresh`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': `198.51.100.${i}` },
        });
        refreshed.push(res.status);
        await res.arrayBuffer();
      }
      assert.deepEqual(refreshed, [200, 200, 200, 429, 429]);
      // A site with its own secret: no route signs anything with it (item 11).
      const signIn = await fetch(`${limited.url()}/demo/sign-in`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ subject: 'demo-bob' }),
      });
      assert.equal(signIn.status, 404);
      assert.equal((await fetch(`${limited.url()}/demo/users`)).status, 404);
      counts.set('rate limits and demo sign-in', (counts.get('rate limits and demo sign-in') ?? 0) + 13);
    } finally {
      await stopTestApp(limited);
    }
  });

  it('after all of it, the data is as it was and the process still serves a conversation', async () => {
    assert.equal(await dataSnapshot(), snapshot);
    assert.equal(await getTicketModel(app.connection).countDocuments({}), 1);
    const client = await directLine();
    const replies = await client.say('hello');
    assert.ok(replies.length >= 0);
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
  });
});
