import assert from 'node:assert/strict';
import type { HelplineApp } from '../../../bot';
import { getHandoffModel } from '../../../services/handoff';
import { ConsoleTestClient } from '../../support/consoleClient';
import {
  messageTexts as texts,
  signedInBob,
  startTwoProcesses,
  waitForActivities,
  type Activity,
  type TwoProcesses,
} from '../../support/twoProcesses';

const AGENT_A = 'agent-token-aaaaaaaaaaaaaaaa';
const AGENT_B = 'agent-token-bbbbbbbbbbbbbbbb';

const events = (activities: Activity[], name: string): Activity[] =>
  activities.filter((a) => a.type === 'event' && a.name === name);

const waitFor = waitForActivities;

describe('live handoff with two Helpline processes on one database', function () {
  this.timeout(60_000);
  let processes: TwoProcesses | undefined;
  let a: HelplineApp | undefined;
  let b: HelplineApp | undefined;
  let now = new Date('2026-11-04T10:00:00Z');

  async function start(label: string, env: Record<string, string> = {}): Promise<void> {
    processes = await startTwoProcesses(
      label,
      {
        STAFF_API_TOKENS: `${AGENT_A}:agent-a:Alice Agent,${AGENT_B}:agent-b:Bruno Agent`,
        HANDOFF_HOURS: 'always',
        HANDOFF_TIMEOUT_SECONDS: '60',
        ...env,
      },
      () => now,
    );
    ({ a, b } = processes);
  }

  const bob = async (app: HelplineApp, locale = 'en-US') => await signedInBob(app, locale);

  beforeEach(async () => {
    now = new Date('2026-11-04T10:00:00Z');
    await start('handoff2p');
  });
  afterEach(async () => {
    await processes?.stop();
    processes = undefined;
  });

  it('queues with a handoff.initiate event carrying the transcript, is accepted once, relays both ways and converts into a ticket', async () => {
    const alice = new ConsoleTestClient(a!.url());
    const bruno = new ConsoleTestClient(b!.url());
    assert.equal((await alice.signIn(AGENT_A)).status, 200);
    assert.equal((await bruno.signIn(AGENT_B)).status, 200);

    const user = await bob(a!);
    const seen: Activity[] = [];
    await user.send({ text: 'my agent is offline', locale: 'en-US' });
    await waitFor(user, seen, (all) => texts(all).some((t) => /offline/i.test(t)));
    await user.send({ text: 'talk to a person', locale: 'en-US' });
    await waitFor(user, seen, (all) => texts(all).some((t) => /finding someone from support/.test(t)));
    const [initiate] = events(seen, 'handoff.initiate');
    assert.ok(initiate, 'a handoff.initiate event');
    const transcript = (initiate.attachments as Array<{ content: { activities: Activity[] } }>)[0].content;
    assert.ok(transcript.activities.some((x) => x.text === 'my agent is offline'));

    // The queue, read from the other process.
    const listed = await bruno.get('/handoffs');
    const handoffs = listed.json.handoffs as Array<Record<string, unknown>>;
    assert.equal(handoffs.length, 1);
    assert.equal(handoffs[0].status, 'queued');
    assert.equal(handoffs[0].requesterName, 'Bob Singh');
    const id = String(handoffs[0].id);

    // Both agents accept at once, on different processes: exactly one wins.
    const [ra, rb] = await Promise.all([
      alice.post(`/handoffs/${id}/accept`),
      bruno.post(`/handoffs/${id}/accept`),
    ]);
    assert.deepEqual([ra.status, rb.status].sort(), [200, 409]);
    const winner = ra.status === 200 ? alice : bruno;
    const winnerName = ra.status === 200 ? 'Alice Agent' : 'Bruno Agent';
    await waitFor(user, seen, (all) =>
      texts(all).some((t) => t.includes(`${winnerName} from support has joined`)),
    );
    assert.deepEqual(
      events(seen, 'handoff.status').map((e) => (e.value as { state: string }).state),
      ['accepted'],
    );

    // User → agent (through process A), agent → user (through the other one).
    await user.send({ text: 'It went offline after the 9.5 update', locale: 'en-US' });
    let messages: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 50 && !messages.some((m) => m.text === 'It went offline after the 9.5 update'); i++) {
      messages = (await winner.get(`/handoffs/${id}`)).json.messages as Array<Record<string, unknown>>;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(messages.some((m) => m.from === 'user' && m.text === 'It went offline after the 9.5 update'));
    const loser = winner === alice ? bruno : alice;
    assert.equal((await loser.post(`/handoffs/${id}/messages`, { text: 'not mine' })).status, 201);
    const sent = await winner.post(`/handoffs/${id}/messages`, {
      text: 'Please restart the <b>agent</b> service',
    });
    assert.equal(sent.status, 201);
    await waitFor(user, seen, (all) =>
      texts(all).includes(`${winnerName}: Please restart the <b>agent</b> service`),
    );
    const relayed = seen.find((x) => String(x.text).endsWith('Please restart the <b>agent</b> service'));
    assert.equal(relayed?.textFormat, 'plain');

    // Convert into a ticket, twice (a double click): one ticket, the transcript attached.
    const converted = await winner.post(`/handoffs/${id}/ticket`, { module: 'rmm-agent', severity: 2 });
    assert.equal(converted.status, 201);
    const again = await winner.post(`/handoffs/${id}/ticket`, { module: 'rmm-agent', severity: 2 });
    assert.equal(again.json.ticketNumber, converted.json.ticketNumber);
    const number = String(converted.json.ticketNumber);
    await waitFor(user, seen, (all) => texts(all).some((t) => t.includes(`into ticket ${number}`)));
    assert.deepEqual(
      events(seen, 'handoff.status').map((e) => (e.value as { state: string }).state),
      ['accepted', 'completed'],
    );
    const ticket = (await winner.get(`/tickets/${number}`)).json.ticket as Record<string, unknown>;
    assert.match(String(ticket.description), /my agent is offline/);
    assert.match(String(ticket.description), /after the 9\.5 update/);
    assert.equal(ticket.status, 'on_hold');

    const record = await getHandoffModel(a!.connection).findById(id).lean().exec();
    assert.equal(record?.status, 'completed');
    assert.equal(record?.outcome, 'converted');
    assert.equal(record?.ticketNumber, number);

    // The handoff is over: the bot answers again.
    const before = seen.length;
    await user.send({ text: 'hello', locale: 'en-US' });
    await waitFor(
      user,
      seen,
      (all) => all.length > before && texts(all.slice(before)).some((t) => /can do/.test(t)),
    );
  });

  it('times out once when nobody accepts, with both processes sweeping, and offers a ticket that carries the conversation', async () => {
    const alice = new ConsoleTestClient(b!.url());
    await alice.signIn(AGENT_A);
    const user = await bob(a!, 'fr-FR');
    const seen: Activity[] = [];
    await user.send({ text: "je veux parler à quelqu'un", locale: 'fr-FR' });
    await waitFor(user, seen, (all) => texts(all).some((t) => /Je cherche quelqu'un du support/.test(t)));
    await user.send({ text: 'mon agent est hors ligne depuis ce matin', locale: 'fr-FR' });
    await waitFor(user, seen, (all) => texts(all).some((t) => /Je cherche toujours/.test(t)));

    now = new Date(now.getTime() + 61_000);
    await Promise.all([a!.desk.sweep(), b!.desk.sweep(), a!.desk.sweep()]);
    await waitFor(user, seen, (all) => JSON.stringify(all).includes('personne n'));
    await new Promise((r) => setTimeout(r, 500));
    seen.push(...(await user.botRepliesAfterSending()));
    const offers = seen.filter((x) => JSON.stringify(x.attachments ?? []).includes('handoff_ticket'));
    assert.equal(offers.length, 1, 'told exactly once');
    assert.deepEqual(
      events(seen, 'handoff.status').map((e) => e.value as { state: string; message: string }),
      [{ state: 'failed', message: 'timed_out' }],
    );
    const handoffs = (await alice.get('/handoffs')).json.handoffs as Array<Record<string, unknown>>;
    assert.equal(handoffs[0].status, 'timed_out');
    assert.equal((await alice.post(`/handoffs/${String(handoffs[0].id)}/accept`)).status, 409);

    // The offer: the intake starts with the conversation as the problem (nothing retyped).
    const content = (offers[0].attachments as Array<{ content: { actions: Array<{ data: unknown }> } }>)[0]
      .content;
    const before = seen.length;
    await user.send({ value: content.actions[0].data, locale: 'fr-FR' });
    await waitFor(user, seen, (all) => all.length > before);
    await new Promise((r) => setTimeout(r, 300));
    seen.push(...(await user.botRepliesAfterSending()));
    const after = texts(seen.slice(before)).join('\n');
    assert.doesNotMatch(after, /Décrivez|Describe/i);
    // The intake goes on to what the conversation did not say (the module, or the severity when
    // the transcript named the module), in French.
    assert.match(after, /Ouvrons un ticket technique/);
    assert.match(after, /module|gravité/i);
  });

  it('an agent on one process ends it, a user leaves another while queued: each ending recorded and told once', async () => {
    const alice = new ConsoleTestClient(b!.url());
    await alice.signIn(AGENT_A);

    // Ended by the agent (process B) while the user talks through process A.
    const user = await bob(a!);
    const seen: Activity[] = [];
    await user.send({ text: 'talk to a person', locale: 'en-US' });
    await waitFor(user, seen, (all) => texts(all).some((t) => /finding someone from support/.test(t)));
    const id = String(((await alice.get('/handoffs')).json.handoffs as Array<{ id: string }>)[0].id);
    assert.equal((await alice.post(`/handoffs/${id}/accept`)).status, 200);
    await waitFor(user, seen, (all) => texts(all).some((t) => /has joined/.test(t)));
    assert.equal((await alice.post(`/handoffs/${id}/end`)).status, 200);
    assert.equal((await alice.post(`/handoffs/${id}/end`)).status, 409, 'ended once');
    await waitFor(user, seen, (all) => texts(all).some((t) => /has ended the conversation/.test(t)));
    assert.deepEqual(
      events(seen, 'handoff.status').map((e) => {
        const value = e.value as { state: string; message?: string };
        return `${value.state}:${value.message ?? ''}`;
      }),
      ['accepted:', 'completed:ended_by_agent'],
    );
    const ended = await getHandoffModel(a!.connection).findById(id).lean().exec();
    assert.equal(ended?.status, 'completed');
    assert.equal(ended?.outcome, 'ended_by_agent');
    assert.ok(ended?.acceptedAt && ended.endedAt, 'accepted and ended times recorded');

    // Left by the user while still queued: the queue no longer offers it to agents.
    const other = await bob(b!, 'fr-FR');
    const heard: Activity[] = [];
    await other.send({ text: "je veux parler à quelqu'un", locale: 'fr-FR' });
    await waitFor(other, heard, (all) => texts(all).some((t) => /Je cherche quelqu'un du support/.test(t)));
    await other.send({ text: 'annuler', locale: 'fr-FR' });
    await waitFor(other, heard, (all) => texts(all).some((t) => /Vous avez quitté la conversation/.test(t)));
    assert.deepEqual(
      events(heard, 'handoff.status').map((e) => (e.value as { state: string }).state),
      ['completed'],
    );
    const left = await getHandoffModel(a!.connection)
      .findOne({ conversationId: other.conversationId })
      .lean()
      .exec();
    assert.equal(left?.status, 'completed');
    assert.equal(left?.outcome, 'ended_by_user');
    assert.equal((await alice.post(`/handoffs/${left._id}/accept`)).status, 409);
  });

  it('with nobody on duty, records the request as failed (no agent) and offers the ticket without an initiate event', async () => {
    const user = await bob(a!);
    const seen: Activity[] = [];
    await user.send({ text: 'talk to a person', locale: 'en-US' });
    await waitFor(user, seen, (all) =>
      JSON.stringify(all).includes('Nobody from support can take a live conversation'),
    );
    assert.equal(events(seen, 'handoff.initiate').length, 0);
    const record = await getHandoffModel(b!.connection).findOne({}).lean().exec();
    assert.equal(record?.status, 'failed');
    assert.equal(record?.outcome, 'no_agent');
  });

  it('outside support hours, says so and offers the ticket without queueing', async () => {
    await processes?.stop();
    now = new Date('2026-11-07T22:00:00Z'); // a Saturday night
    await start('handoffhours', { HANDOFF_HOURS: 'business' });
    await new ConsoleTestClient(b!.url()).signIn(AGENT_A);
    const user = await bob(a!);
    const seen: Activity[] = [];
    await user.send({ text: 'talk to a person', locale: 'en-US' });
    await waitFor(user, seen, (all) => JSON.stringify(all).includes('not available for a live conversation'));
    assert.equal(events(seen, 'handoff.initiate').length, 0);
    const record = await getHandoffModel(a!.connection).findOne({}).lean().exec();
    assert.equal(record?.status, 'failed');
    assert.equal(record?.outcome, 'outside_hours');
  });
});
