import assert from 'node:assert/strict';
import type { HelplineApp } from '../../../bot';
import type { DirectLineTestClient } from '../../support/app';
import { ConsoleTestClient } from '../../support/consoleClient';
import {
  signedInBob,
  startTwoProcesses,
  waitForActivities,
  type Activity,
  type TwoProcesses,
} from '../../support/twoProcesses';
import { getTicketModel } from '../../../services/tickets';
import { completeTicket, ticketFixture } from '../../services/tickets/fixtures';

const AGENT = 'agent-token-satisfaction-0001';

const surveyCards = (activities: Activity[]): Activity[] =>
  activities.filter((a) => JSON.stringify(a.attachments ?? []).includes('"helpline":"satisfaction"'));

async function settle(client: DirectLineTestClient, seen: Activity[], ms = 600): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
  seen.push(...(await client.botRepliesAfterSending()));
}

const waitFor = waitForActivities;

describe('satisfaction after a resolution', function () {
  this.timeout(60_000);
  let processes: TwoProcesses | undefined;
  let a: HelplineApp | undefined;
  let b: HelplineApp | undefined;
  let now = new Date('2026-11-04T10:00:00Z');

  const bob = async (app: HelplineApp, locale: string) => await signedInBob(app, locale);

  beforeEach(async () => {
    now = new Date('2026-11-04T10:00:00Z');
    processes = await startTwoProcesses(
      'satisfaction',
      { STAFF_API_TOKENS: `${AGENT}:sam:Sam Support` },
      () => now,
    );
    ({ a, b } = processes);
  });
  afterEach(async () => {
    await processes?.stop();
    processes = undefined;
  });

  it('asks once per resolution, in the requester’s language and conversation, with two processes sweeping', async () => {
    const user = await bob(a!, 'fr-FR');
    const seen: Activity[] = [];
    await user.send({ text: 'bonjour', locale: 'fr-FR' });
    await settle(user, seen);
    const { tickets } = await ticketFixture(a!.connection, () => now);
    const { ticket } = await tickets.create(
      completeTicket({ channel: 'directline', conversationRefId: user.conversationId, locale: 'fr' }),
      'satisfaction-test-ticket-1',
    );
    const agent = new ConsoleTestClient(b!.url());
    await agent.signIn(AGENT);
    assert.equal((await agent.post(`/tickets/${ticket.number}/status`, { status: 'resolved' })).status, 200);

    now = new Date(now.getTime() + 60_000);
    await Promise.all([a!.desk.sweep(), b!.desk.sweep(), b!.desk.sweep()]);
    await a!.desk.sweep();
    await waitFor(user, seen, (all) => surveyCards(all).length > 0);
    await settle(user, seen);
    const cards = surveyCards(seen);
    assert.equal(cards.length, 1, 'asked exactly once');
    assert.match(JSON.stringify(cards[0]), /Êtes-vous satisfait/);
    assert.match(JSON.stringify(cards[0]), new RegExp(ticket.number));

    // Answer 4 with a comment; pressing a score again is not counted twice.
    const data = (
      cards[0].attachments as Array<{ content: { actions: Array<{ data: { score: number } }> } }>
    )[0].content.actions[3].data;
    assert.equal(data.score, 4);
    await user.send({ value: data, locale: 'fr-FR' });
    await waitFor(user, seen, (all) => JSON.stringify(all).includes('ajouter un commentaire'));
    await user.send({ text: 'Rapide et clair, merci', locale: 'fr-FR' });
    await waitFor(user, seen, (all) => JSON.stringify(all).includes('Merci pour votre réponse'));
    await user.send({ value: { ...data, score: 1 }, locale: 'fr-FR' });
    await waitFor(user, seen, (all) => JSON.stringify(all).includes('nous avons déjà votre réponse'));

    const view = await agent.get(`/tickets/${ticket.number}`);
    const answers = view.json.satisfaction as Array<{ score?: number; comment?: string }>;
    assert.equal(answers.length, 1);
    assert.equal(answers[0].score, 4);
    assert.equal(answers[0].comment, 'Rapide et clair, merci');

    // Reopened and resolved again: a new resolution, asked about once more.
    assert.equal((await agent.post(`/tickets/${ticket.number}/status`, { status: 'open' })).status, 200);
    now = new Date(now.getTime() + 600_000);
    assert.equal((await agent.post(`/tickets/${ticket.number}/status`, { status: 'resolved' })).status, 200);
    await Promise.all([a!.desk.sweep(), b!.desk.sweep()]);
    await waitFor(user, seen, (all) => surveyCards(all).length === 2);
    await settle(user, seen);
    assert.equal(surveyCards(seen).length, 2);
    assert.equal(((await agent.get(`/tickets/${ticket.number}`)).json.satisfaction as unknown[]).length, 2);
  });

  it('asks once when the user says they no longer need help, and once when the lifecycle job resolves, in English', async () => {
    const user = await bob(a!, 'en-US');
    const seen: Activity[] = [];
    await user.send({ text: 'hello', locale: 'en-US' });
    await settle(user, seen);
    const fx = await ticketFixture(a!.connection, () => now);
    const ticketIn = () =>
      completeTicket({ channel: 'directline', conversationRefId: user.conversationId, locale: 'en' });
    const byUser = (await fx.tickets.create(ticketIn(), 'satisfaction-user-resolves')).ticket;
    const byJob = (await fx.tickets.create(ticketIn(), 'satisfaction-job-resolves')).ticket;
    await fx.tickets.changeStatus(byJob.number, { id: 'sam', name: 'Sam Support' }, 'pending', {
      note: 'Please send the agent log.',
    });

    assert.equal((await fx.tickets.resolveByCustomer(byUser.number, await fx.viewer('bob'))).kind, 'ok');
    // Pending for longer than the policy waits for a reply (the conversation's clock stays today).
    await getTicketModel(a!.connection)
      .updateOne(
        { number: byJob.number },
        { $set: { pendingSince: new Date(now.getTime() - 30 * 24 * 3_600_000) } },
      )
      .exec();
    await fx.tickets.applyLifecyclePolicy();
    assert.equal(
      (await fx.tickets.getForStaff(byJob.number, { id: 'sam', name: 'Sam' }))?.status,
      'resolved',
    );

    await Promise.all([a!.desk.sweep(), b!.desk.sweep()]);
    await b!.desk.sweep();
    await waitFor(user, seen, (all) => surveyCards(all).length >= 2);
    await settle(user, seen);
    const cards = surveyCards(seen).map((c) => JSON.stringify(c));
    assert.equal(cards.length, 2, 'one question per resolution');
    assert.ok(cards.some((c) => c.includes(byUser.number)));
    assert.ok(cards.some((c) => c.includes(byJob.number)));
    assert.ok(cards.every((c) => c.includes('How satisfied are you')));
  });

  it('ends a knowledge conversation marked solved with the same question, in English', async () => {
    const user = await bob(a!, 'en-US');
    const seen: Activity[] = [];
    await user.send({ text: 'my agent is offline', locale: 'en-US' });
    await waitFor(user, seen, (all) => JSON.stringify(all).includes('Did one of these solve your problem'));
    await user.send({ text: 'Solved', locale: 'en-US' });
    await waitFor(user, seen, (all) => surveyCards(all).length === 1);
    assert.match(JSON.stringify(surveyCards(seen)[0]), /How satisfied are you/);
  });
});
