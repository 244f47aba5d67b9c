import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import { DEMO_CONTACTS, DEMO_TENANTS, getAccessRequestModel } from '../../services/identity';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../support/app';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { shown, TeamsTestClient } from '../support/teamsClient';

type Who = keyof typeof DEMO_CONTACTS;

/** The access-request action a card among these activities carries. */
function cardAction(
  activities: Array<Record<string, unknown>>,
  decision: 'approve' | 'decline',
): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.helpline === 'access_request' && o.decision === decision) found = o;
      Object.values(o).forEach(walk);
    }
  };
  walk(activities);
  assert.ok(found, `no ${decision} button in:\n${shown(activities)}`);
  return found;
}

describe('access requests in chat', function () {
  this.timeout(90_000);
  let app: HelplineApp;
  const connector = new ConnectorStandIn();
  let serviceUrl: string;

  before(async () => {
    serviceUrl = await connector.start();
    app = await startTestApp('access', {
      DIRECTLINE_TOKENS_PER_MINUTE: '10000',
      BOT_ALLOW_ANONYMOUS: 'true',
    });
  });
  after(async () => {
    await stopTestApp(app);
    await connector.stop();
  });

  async function web(who: Who) {
    const client = new DirectLineTestClient(app.url());
    const c = DEMO_CONTACTS[who];
    const userToken = await app.userTokens!.sign({ subject: c.webSubject, email: c.email, name: c.name });
    await client.start({ userToken, locale: 'en-US' });
    await client.waitForBot(1);
    return {
      say: async (text: string) => await client.say(text, { locale: 'en-US' }),
      press: async (value: Record<string, unknown>) => await client.say('', { value, locale: 'en-US' }),
      /** What arrived without the user writing (proactive messages). */
      inbox: async (count = 1) => await client.waitForBot(count),
    };
  }

  function teams(who: Who, locale = 'en-US') {
    const c = DEMO_CONTACTS[who];
    const tenantId = c.organisationId === 'org-contoso' ? DEMO_TENANTS.contoso : DEMO_TENANTS.northwind;
    const client = new TeamsTestClient(
      app.url(),
      connector,
      serviceUrl,
      { tenantId, aadObjectId: c.aadObjectId, name: c.name },
      locale,
    );
    let seen = 0;
    return {
      say: async (text: string) => {
        const replies = await client.say(text);
        seen = client.replies().length;
        return replies;
      },
      press: async (value: Record<string, unknown>) => {
        const replies = await client.say('', value);
        seen = client.replies().length;
        return replies;
      },
      inbox: async () => {
        const deadline = Date.now() + 10_000;
        while (client.replies().length <= seen && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        const fresh = client.replies().slice(seen);
        seen = client.replies().length;
        return fresh;
      },
    };
  }

  it('web chat: the request reaches the authorized contacts, a repeat makes no second, one approval decides it and the requester is told', async () => {
    const alice = await web('alice');
    const bob = await web('bob');
    await alice.say('hello');
    await bob.say('hello');
    const nina = await web('nina');

    assert.match(shown(await nina.say('I want to open a ticket')), /Only authorized contacts of Northwind/);
    assert.match(shown(await nina.say('yes')), /your request was recorded/);
    const card = await alice.inbox();
    assert.match(shown(card), /Nina Okafor \(nina@northwind\.example\) asks to become an authorized contact/);
    assert.match(shown(await bob.inbox()), /Nina Okafor/);

    // Asked again while the first is open: no second request.
    await nina.say('I want to open a ticket');
    assert.match(shown(await nina.say('yes')), /already have a request waiting/);
    const stored = await getAccessRequestModel(app.connection)
      .find({ contactId: DEMO_CONTACTS.nina.id })
      .lean()
      .exec();
    assert.equal(stored.length, 1);

    // Bob sees it in My requests too.
    assert.match(shown(await bob.say('show my requests')), /Waiting for a decision[\s\S]*Nina Okafor/);

    assert.match(
      shown(await alice.press(cardAction(card, 'approve'))),
      /Nina Okafor is now an authorized contact/,
    );
    assert.match(shown(await nina.inbox()), /approved by Alice Martin\. You can now open tickets/);
    // Bob's press comes second: decided once.
    assert.match(
      shown(await bob.press(cardAction(card, 'decline'))),
      /already decided \(approved\) by Alice Martin/,
    );
    const after = await getAccessRequestModel(app.connection).findById(stored[0]._id).lean().exec();
    assert.equal(after?.status, 'granted');

    // From her next message on, Nina may open tickets.
    assert.match(shown(await nina.say('I want to open a ticket')), /Let us open a technical ticket/);
  });

  it('Teams: an authorized colleague declines in chat, the requester is told; someone of another organisation cannot decide', async () => {
    const claire = teams('claire', 'fr-FR');
    await claire.say('bonjour');
    const oscar = teams('oscar');
    assert.match(shown(await oscar.say('I want to open a ticket')), /Only authorized contacts of Contoso/);
    assert.match(shown(await oscar.say('yes')), /your request was recorded/);
    const card = await claire.inbox();
    assert.match(shown(card), /Oscar Petit .* demande à devenir contact autorisé de Contoso/);

    // Alice (Northwind) presses a Contoso button: refused, nothing decided.
    const alice = teams('alice');
    assert.match(
      shown(await alice.press(cardAction(card, 'approve'))),
      /Only an authorized contact of the same organisation/,
    );

    assert.match(
      shown(await claire.press(cardAction(card, 'decline'))),
      /la demande d’Oscar Petit est refusée/,
    );
    assert.match(shown(await oscar.inbox()), /declined by Claire Dubois/);
    assert.match(shown(await oscar.say('I want to open a ticket')), /Only authorized contacts of Contoso/);
  });

  it('across channels: asked again on web chat after a decline, repeated on Teams while open, approved in Teams, the requester told where he wrote last', async () => {
    const david = teams('david', 'fr-FR');
    await david.say('bonjour');
    const oscarWeb = await web('oscar');
    const oscarTeams = teams('oscar');

    // The earlier request was declined: a new one may be made.
    assert.match(shown(await oscarWeb.say('I want to open a ticket')), /Only authorized contacts of Contoso/);
    assert.match(shown(await oscarWeb.say('yes')), /your request was recorded/);
    const card = await david.inbox();
    assert.match(shown(card), /Oscar Petit .* demande à devenir contact autorisé de Contoso/);

    // The same person on the other channel while it is open: no second request.
    await oscarTeams.say('I want to open a ticket');
    assert.match(shown(await oscarTeams.say('yes')), /already have a request waiting/);
    const open = await getAccessRequestModel(app.connection)
      .find({ contactId: DEMO_CONTACTS.oscar.id, status: 'open' })
      .lean()
      .exec();
    assert.equal(open.length, 1);
    assert.equal(open[0].channel, 'webchat');

    // David sees it in his requests in Teams, and approves from the card.
    assert.match(shown(await david.say('mes demandes')), /En attente d’une décision[\s\S]*Oscar Petit/);
    assert.match(
      shown(await david.press(cardAction(card, 'approve'))),
      /Oscar Petit est maintenant contact autorisé/,
    );
    // Told in the conversation he used last.
    assert.match(shown(await oscarTeams.inbox()), /approved by David Moreau\. You can now open tickets/);
    assert.match(shown(await oscarWeb.say('I want to open a ticket')), /Let us open a technical ticket/);
  });
});
