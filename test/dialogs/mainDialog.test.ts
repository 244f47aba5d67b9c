import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../support/app';
import { shown } from '../support/teamsClient';

describe('MainDialog routing', function () {
  this.timeout(60_000);
  let app: HelplineApp;

  before(async () => {
    app = await startTestApp('maindialog', { DIRECTLINE_TOKENS_PER_MINUTE: '1000' });
  });
  after(async () => await stopTestApp(app));

  /** A fresh web conversation; `locale` is what the browser reports. */
  async function visitor(locale = 'en-US', who?: string): Promise<(text: string) => Promise<string>> {
    const client = new DirectLineTestClient(app.url());
    const userToken = who
      ? await app.userTokens!.sign({ subject: `demo-${who}`, email: `${who}@northwind.example`, name: who })
      : undefined;
    await client.start({ locale, ...(userToken && { userToken }) });
    await client.waitForBot(1);
    return async (text) => shown(await client.say(text, { locale }));
  }

  const cases: Array<[string, string, string, RegExp]> = [
    [
      'a technical problem (en)',
      'en-US',
      'the remote control session shows a black screen',
      /Here is what I found/,
    ],
    [
      'a technical problem (fr)',
      'fr-FR',
      'la prise de contrôle à distance affiche un écran noir',
      /Voici ce que j’ai trouvé/,
    ],
    ['a billing question (en)', 'en-US', 'I need a copy of my last invoice', /Billing & Payments assistant/],
    [
      'a billing question (fr)',
      'fr-FR',
      'je voudrais une copie de ma dernière facture',
      /assistant Facturation et paiements/,
    ],
    ['my requests, anonymous (en)', 'en-US', 'show my requests', /sign in/i],
    ['my requests, anonymous (fr)', 'fr-FR', 'afficher mes demandes', /Connectez-vous/],
    [
      'a feature request (en)',
      'en-US',
      'it would be great if you added a dark mode to the console',
      /Feature requests are not handled as support tickets/,
    ],
    [
      'out of scope (en)',
      'en-US',
      'can you organise a training session for my new technicians',
      /account manager/,
    ],
    ['service status (en)', 'en-US', 'is there an outage right now?', /service status right now|operational/],
  ];
  for (const [name, locale, text, expected] of cases) {
    it(`routes ${name}`, async () => {
      const say = await visitor(locale);
      assert.match(await say(text), expected);
    });
  }

  it('follows the language of the first message over the browser locale', async () => {
    const say = await visitor('en-US');
    assert.match(
      await say('bonjour, mon agent ne remonte plus dans la console depuis ce matin'),
      /Voici ce que j’ai trouvé/,
    );
  });

  it('switches language on request, and not on a sentence that merely names one', async () => {
    const say = await visitor('en-US');
    assert.match(await say('en français s’il vous plaît'), /continuons en français/);
    assert.match(await say('aide'), /Voici ce que je sais faire/);
    const english = await visitor('en-US');
    assert.doesNotMatch(
      await english('I speak French with my customers and the agent is offline'),
      /continuons en français/,
    );
  });

  it('refuses an oversized message kindly', async () => {
    const say = await visitor('en-US');
    assert.match(await say('x '.repeat(2500)), /too long for me/);
  });

  it('hands a technical question asked in the billing assistant back to the technical flow', async () => {
    const client = new DirectLineTestClient(app.url());
    await client.start({ locale: 'en-US' });
    await client.waitForBot(1);
    assert.match(
      shown(await client.say('', { value: { helpline: 'billing' } })),
      /Billing & Payments assistant/,
    );
    assert.match(shown(await client.say('my backup job fails with a VSS error')), /Here is what I found/);
  });
});
