import assert from 'node:assert/strict';
import type { HelplineApp } from '../../../bot';
import { DEMO_CONTACTS, DEMO_TENANTS } from '../../../services/identity';
import { completeTicket, ticketFixture } from '../../services/tickets/fixtures';
import { startTestApp, stopTestApp } from '../../support/app';
import { ConnectorStandIn } from '../../support/connectorStandIn';
import { shown } from '../../support/teamsClient';
import { BOT, demoUser, post, teamsActivity, type TeamsUser, type Where } from './teamsActivity';

const TEAM = '19:team-northwind@thread.tacv2';
const thread = (id: number): string => `${TEAM};messageid=${id}`;

describe('Helpline in a Teams team channel', function () {
  this.timeout(60_000);
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let app: HelplineApp;
  let aliceTicket: { number: string; subject: string };

  before(async () => {
    serviceUrl = await connector.start();
    app = await startTestApp('teams-channel', { BOT_ALLOW_ANONYMOUS: 'true', LIFECYCLE_JOB: 'false' });
    const fixture = await ticketFixture(app.connection, () => new Date());
    const created = await fixture.tickets.create(
      completeTicket({
        requesterContactId: DEMO_CONTACTS.alice.id,
        subject: 'Remote sessions drop after 30 seconds',
      }),
      'channel-alice-1',
    );
    aliceTicket = { number: created.ticket.number, subject: created.ticket.subject };
  });
  after(async () => {
    await stopTestApp(app);
    await connector.stop();
  });

  const inChannel = (conversationId: string): Where => ({
    serviceUrl,
    conversationId,
    conversationType: 'channel',
    tenantId: DEMO_TENANTS.northwind,
    teamId: TEAM,
  });

  /** Sends one activity and returns the bot's replies to that conversation during the turn. */
  async function send(activity: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
    const conversationId = (activity.conversation as { id: string }).id;
    const before = connector.received.length;
    const res = await post(app.url(), activity);
    assert.ok(res.status < 300, `status ${res.status}`);
    return connector.received
      .slice(before)
      .filter((r) => r.conversationId === conversationId)
      .map((r) => r.activity);
  }

  /** "@Helpline <text>" as Teams delivers a channel mention. */
  const mention = async (user: TeamsUser, conversationId: string, text: string) =>
    await send(
      teamsActivity('message', inChannel(conversationId), user, {
        text: `<at>Helpline</at> ${text}`,
        entities: [{ type: 'mention', mentioned: BOT, text: '<at>Helpline</at>' }],
      }),
    );

  const click = async (user: TeamsUser, conversationId: string, value: Record<string, unknown>) =>
    await send(teamsActivity('message', inChannel(conversationId), user, { value }));

  it('greets the team once when it is installed in it, and not when a colleague joins later', async () => {
    const installed = await send(
      teamsActivity('conversationUpdate', inChannel(TEAM), demoUser('alice'), {
        membersAdded: [{ id: BOT.id }],
        channelData: {
          eventType: 'teamMemberAdded',
          team: { id: TEAM },
          tenant: { id: DEMO_TENANTS.northwind },
        },
      }),
    );
    assert.equal(installed.length, 1);
    assert.match(shown(installed), /Helpline has joined this team/);
    assert.match(shown(installed), /Mention me \(@Helpline\)/);
    const joined = await send(
      teamsActivity('conversationUpdate', inChannel(TEAM), demoUser('alice'), {
        membersAdded: [{ id: '29:aad-bob', aadObjectId: 'aad-bob' }],
        channelData: {
          eventType: 'teamMemberAdded',
          team: { id: TEAM },
          tenant: { id: DEMO_TENANTS.northwind },
        },
      }),
    );
    assert.deepEqual(joined, []);
  });

  it('greets a user who installs it in a personal chat', async () => {
    const personal: Where = {
      serviceUrl,
      conversationId: 'a:personal-alice',
      conversationType: 'personal',
      tenantId: DEMO_TENANTS.northwind,
    };
    const welcomed = await send(
      teamsActivity('conversationUpdate', personal, demoUser('alice'), { membersAdded: [{ id: BOT.id }] }),
    );
    assert.equal(welcomed.length, 1);
    assert.match(shown(welcomed), /Hi, I am Helpline/);
  });

  it('answers an @mention in the thread, reading the words after the mention', async () => {
    const replies = await mention(demoUser('alice'), thread(1001), 'my agent is offline');
    const words = shown(replies);
    assert.match(words, /Here is what I found for "my agent is offline"/);
    assert.match(words, /Agent shows as offline in the console/);
    assert.doesNotMatch(words, /<at>/);
  });

  it('keeps each thread, and each member in a thread, a conversation of their own', async () => {
    // Bob answering in Alice's thread does not answer Alice's question…
    const bob = await mention(demoUser('bob'), thread(1001), 'Solved');
    assert.doesNotMatch(shown(bob), /Glad that helped/);
    // …nor does Alice in another thread…
    const otherThread = await mention(demoUser('alice'), thread(2002), 'Solved');
    assert.doesNotMatch(shown(otherThread), /Glad that helped/);
    // …while her own thread still waits for her answer.
    const own = await mention(demoUser('alice'), thread(1001), 'Solved');
    assert.match(shown(own), /Glad that helped/);
  });

  it('shows a ticket card every member can see, which only the ticket’s organisation can open', async () => {
    const list = await mention(demoUser('alice'), thread(3003), 'my requests');
    assert.match(shown(list), new RegExp(aliceTicket.number));
    const open = { requests: 'open', number: aliceTicket.number };

    // A colleague of the same organisation (authorized) opens it from Alice's card.
    const colleague = await click(demoUser('bob'), thread(3003), open);
    assert.match(shown(colleague), new RegExp(aliceTicket.subject));

    // Someone of another organisation, or a colleague who may not see it, learns nothing.
    const outsider = await click(demoUser('claire', DEMO_TENANTS.northwind), thread(3003), open);
    assert.doesNotMatch(shown(outsider), new RegExp(aliceTicket.subject));
    const nina = await click(demoUser('nina'), thread(3003), open);
    assert.doesNotMatch(shown(nina), new RegExp(aliceTicket.subject));
    assert.ok(nina.length > 0, 'Nina gets an answer');
  });
});
