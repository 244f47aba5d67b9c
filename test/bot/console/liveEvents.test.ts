import assert from 'node:assert/strict';
import type { HelplineApp } from '../../../bot';
import type { Ticket } from '../../../services/tickets';
import { ConsoleTestClient } from '../../support/consoleClient';
import { EventStreamClient, type ServerSentEvent } from '../../support/eventStream';
import { signedInBob, startTwoProcesses, type TwoProcesses } from '../../support/twoProcesses';
import { completeTicket, ticketFixture } from '../../services/tickets/fixtures';

const AGENT = 'agent-token-live-events-0001';

interface Change {
  kind: string;
  id: string;
  status: string;
}
const change = (event: ServerSentEvent): Change => JSON.parse(event.data) as Change;
const isChange = (kind: string, id: string, status?: string) => (event: ServerSentEvent) =>
  event.event === 'change' &&
  change(event).kind === kind &&
  change(event).id === id &&
  (status === undefined || change(event).status === status);

describe('console live updates (Server-Sent Events) with two Helpline processes on one database', function () {
  this.timeout(60_000);
  let processes: TwoProcesses | undefined;
  let a: HelplineApp;
  let b: HelplineApp;
  let now = new Date('2026-11-04T10:00:00Z');
  const streams: EventStreamClient[] = [];
  let ticket: Ticket;

  beforeEach(async () => {
    now = new Date('2026-11-04T10:00:00Z');
    processes = await startTwoProcesses(
      'liveevents',
      {
        STAFF_API_TOKENS: `${AGENT}:lea:Léa Live`,
        HANDOFF_HOURS: 'always',
        CONSOLE_LIVE_POLL_MS: '150',
        CONSOLE_KEEPALIVE_SECONDS: '1',
        CONSOLE_SESSION_MINUTES: '5',
      },
      () => now,
    );
    ({ a, b } = processes);
    const { tickets } = await ticketFixture(a.connection, () => now);
    ticket = (await tickets.create(completeTicket(), 'live-events-ticket-1')).ticket;
  });
  afterEach(async () => {
    await Promise.all(streams.splice(0).map(async (s) => await s.close()));
    await processes?.stop();
    processes = undefined;
  });

  async function signedIn(app: HelplineApp): Promise<ConsoleTestClient> {
    const agent = new ConsoleTestClient(app.url());
    assert.equal((await agent.signIn(AGENT)).status, 200);
    return agent;
  }

  async function stream(
    app: HelplineApp,
    agent: ConsoleTestClient,
    headers: Record<string, string> = {},
  ): Promise<EventStreamClient> {
    const client = new EventStreamClient();
    streams.push(client);
    await client.open(`${app.url()}/console/api/events`, { Cookie: agent.cookie, ...headers });
    return client;
  }

  it('tells a console on process A about a ticket changed through process B, and about a handoff asked for on B', async () => {
    const onA = await stream(a, await signedIn(a));
    assert.equal(onA.status, 200);
    await onA.waitFor((e) => e.event === 'ready');

    const onB = await signedIn(b);
    now = new Date(now.getTime() + 1_000);
    const changed = await onB.post(`/tickets/${ticket.number}/status`, { status: 'pending', note: 'Logs?' });
    assert.equal(changed.status, 200);
    const event = await onA.waitFor(isChange('ticket', ticket.number, 'pending'));
    assert.match(event.id ?? '', /^\d+$/, 'each change carries the cursor as its id');

    const user = await signedInBob(b);
    await user.say('talk to a person');
    const handoff = await onA.waitFor((e) => e.event === 'change' && change(e).kind === 'handoff');
    assert.equal(change(handoff).status, 'queued');

    // Keep-alive comments flow while the stream is idle.
    const deadline = Date.now() + 5_000;
    while (!onA.raw.includes(': keep-alive') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(onA.raw.includes(': keep-alive'));
  });

  it('resumes from Last-Event-ID on another process: what changed while disconnected is sent first', async () => {
    const agent = await signedIn(a);
    const first = await stream(a, agent);
    const ready = await first.waitFor((e) => e.event === 'ready');
    await first.close();

    now = new Date(now.getTime() + 1_000);
    assert.equal(
      (
        await agent.post(`/tickets/${ticket.number}/comments`, {
          text: 'Looking at it',
          visibility: 'internal',
        })
      ).status,
      201,
    );
    // Reconnecting lands on process B, which has never seen this console.
    const resumed = await stream(b, agent, { 'Last-Event-ID': ready.id ?? '' });
    await resumed.waitFor(isChange('ticket', ticket.number));
    const fresh = await stream(b, agent);
    await fresh.waitFor((e) => e.event === 'ready');
    assert.ok(!fresh.events.some(isChange('ticket', ticket.number)), 'without Last-Event-ID, no replay');
  });

  it('refuses a stream without a session and more than three per session, and frees a place on disconnect', async () => {
    const anonymous = new EventStreamClient();
    streams.push(anonymous);
    assert.equal(await anonymous.open(`${a.url()}/console/api/events`), 401);

    const agent = await signedIn(a);
    const open = [await stream(a, agent), await stream(a, agent), await stream(a, agent)];
    for (const s of open) await s.waitFor((e) => e.event === 'ready');
    const fourth = await stream(a, agent);
    assert.equal(fourth.status, 429);
    // The limit is per session: another agent session is not affected.
    assert.equal((await stream(a, await signedIn(a))).status, 200);

    await open[0].close();
    let again = 0;
    for (let i = 0; i < 50 && again !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const retry = await stream(a, agent);
      again = retry.status;
    }
    assert.equal(again, 200, 'a closed stream gives its place back');
  });

  it('ends the stream when the session expires, saying so', async () => {
    const live = await stream(a, await signedIn(a));
    await live.waitFor((e) => e.event === 'ready');
    now = new Date(now.getTime() + 6 * 60_000);
    await live.waitFor((e) => e.event === 'session-ended');
    await live.waitForEnd();
  });
});
