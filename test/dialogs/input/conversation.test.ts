import assert from 'node:assert/strict';
import type { HelplineApp } from '../../../bot';
import { DEMO_CONTACTS, DEMO_TENANTS } from '../../../services/identity';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../../support/app';
import { ConnectorStandIn } from '../../support/connectorStandIn';
import { t, type Locale, type TextKey } from '../../../dialogs/texts';
import { shown, TeamsTestClient } from '../../support/teamsClient';

type Replies = Array<Record<string, unknown>>;
interface Talker {
  say(text: string): Promise<string>;
  press(value: Record<string, unknown>): Promise<string>;
}

/** Buttons offered by the replies (suggested actions), by title. */
function buttons(replies: Replies): string[] {
  return replies.flatMap((reply) =>
    ((reply.suggestedActions as { actions?: Array<{ title?: string }> } | undefined)?.actions ?? []).map(
      (action) => action.title ?? '',
    ),
  );
}

/**
 * The conversation never traps: every command at every prompt kind, a new request where a
 * choice or a yes/no is expected, the welcome card's buttons anywhere, the language kept or
 * changed only when it should, and every dead end with a way on — on Teams and web chat.
 */
describe('One input layer, in conversation', function () {
  this.timeout(120_000);
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let app: HelplineApp;
  let lastReplies: Replies = [];

  before(async () => {
    serviceUrl = await connector.start();
    app = await startTestApp('conversation', {
      DIRECTLINE_TOKENS_PER_MINUTE: '1000',
      BOT_ALLOW_ANONYMOUS: 'true',
      // Live help is offered around the clock here: "nobody on duty" must not depend on the hour the tests run.
      HANDOFF_HOURS: 'always',
    });
  });
  after(async () => {
    await stopTestApp(app);
    await connector.stop();
  });

  const channels: Record<string, (locale: string) => Promise<Talker>> = {
    webchat: async (locale) => {
      const client = new DirectLineTestClient(app.url());
      const bob = DEMO_CONTACTS.bob;
      const userToken = await app.userTokens!.sign({
        subject: bob.webSubject,
        email: bob.email,
        name: bob.name,
      });
      await client.start({ locale, userToken });
      await client.waitForBot(1);
      return {
        say: async (text) => shown((lastReplies = await client.say(text, { locale }))),
        press: async (value) => shown((lastReplies = await client.say('', { value, locale }))),
      };
    },
    msteams: (locale) => {
      const bob = DEMO_CONTACTS.bob;
      const client = new TeamsTestClient(
        app.url(),
        connector,
        serviceUrl,
        { tenantId: DEMO_TENANTS.northwind, aadObjectId: bob.aadObjectId, name: bob.name },
        locale,
      );
      return Promise.resolve({
        say: async (text) => shown((lastReplies = await client.say(text))),
        press: async (value) => shown((lastReplies = await client.say('', value))),
      });
    },
  };

  const words = {
    en: {
      problem: 'my agent shows offline since this morning',
      results: /Here is what I found/,
      outcome: /Did one of these solve your problem/,
      askProblem: /Tell me what is happening/,
      cancelled: /stopped the search/,
      help: /Pick "Solved"/,
      helpProblem: /Describe the problem in a sentence/,
      menu: /stopped what we were doing/,
      billing: /Billing & Payments assistant/,
      billingQuestion: 'I need a copy of my last invoice',
      topic: 'billing',
      myRequests: 'show my requests',
      requestsList: /HL-\d{6}|no requests|Your requests/i,
      retry: /Did an article solve it/,
      welcomeBilling: 'Billing & payments',
      cmd: { cancel: 'cancel', help: 'help', start_over: 'start over', back: 'back', menu: 'menu' },
    },
    fr: {
      problem: 'mon agent ne remonte plus dans la console depuis ce matin',
      results: /Voici ce que j’ai trouvé/,
      outcome: /L’un de ces articles a-t-il résolu/,
      askProblem: /Décrivez-moi ce qui se passe/,
      cancelled: /arrêté la recherche/,
      help: /Choisissez «\sRésolu\s»/,
      helpProblem: /Décrivez le problème en une ou deux phrases/,
      menu: /arrêté ce que nous faisions/,
      billing: /assistant Facturation et paiements/,
      billingQuestion: 'je voudrais une copie de ma dernière facture',
      topic: 'facturation',
      myRequests: 'afficher mes demandes',
      requestsList: /HL-\d{6}|aucune demande|Vos demandes/i,
      retry: /Un article a-t-il résolu le problème/,
      welcomeBilling: 'Facturation et paiements',
      cmd: { cancel: 'annuler', help: 'aide', start_over: 'recommencer', back: 'retour', menu: 'menu' },
    },
  } as const;

  for (const [channel, talker] of Object.entries(channels)) {
    for (const language of ['en', 'fr'] as const) {
      const w = words[language];
      const locale = language === 'en' ? 'en-US' : 'fr-FR';
      describe(`on ${channel}, in ${language}`, () => {
        describe('at the "did one of these solve it?" choice', () => {
          it(`"${w.cmd.cancel}" stops the search`, async () => {
            const user = await talker(locale);
            assert.match(await user.say(w.problem), w.outcome);
            assert.match(await user.say(w.cmd.cancel), w.cancelled);
          });
          it(`"${w.cmd.help}" explains the choices and asks again`, async () => {
            const user = await talker(locale);
            await user.say(w.problem);
            const reply = await user.say(w.cmd.help);
            assert.match(reply, w.help);
            assert.match(reply, w.outcome);
          });
          it(`"${w.cmd.start_over}" asks for the problem again`, async () => {
            const user = await talker(locale);
            await user.say(w.problem);
            assert.match(await user.say(w.cmd.start_over), w.askProblem);
          });
          it(`"${w.cmd.back}" goes back to the question, then back again to the results`, async () => {
            const user = await talker(locale);
            await user.say(w.problem);
            assert.match(await user.say(w.cmd.back), w.askProblem);
            assert.match(await user.say(w.cmd.back), w.results);
          });
          it(`"${w.cmd.menu}" leaves for the welcome menu`, async () => {
            const user = await talker(locale);
            await user.say(w.problem);
            assert.match(await user.say(w.cmd.menu), w.menu);
          });
          it('a billing question is answered by the billing assistant, not "please pick one"', async () => {
            const user = await talker(locale);
            await user.say(w.problem);
            const reply = await user.say(w.billingQuestion);
            assert.match(reply, w.billing);
            assert.doesNotMatch(reply, w.retry);
          });
          it('something that is neither a choice nor a request asks again, kindly, with the buttons', async () => {
            const user = await talker(locale);
            await user.say(w.problem);
            assert.match(await user.say('hmm'), w.retry);
            assert.ok(buttons(lastReplies).length >= 3);
          });
        });

        describe('at "describe it differently" (after Search again)', () => {
          const searchAgain = language === 'en' ? 'Search again' : 'Chercher à nouveau';
          it(`"${w.cmd.cancel}" is a command, not a query`, async () => {
            const user = await talker(locale);
            await user.say(w.problem);
            assert.match(await user.say(searchAgain), w.askProblem);
            const reply = await user.say(w.cmd.cancel);
            assert.match(reply, w.cancelled);
            assert.doesNotMatch(reply, w.results);
          });
          it(`"${w.cmd.help}" explains what to write`, async () => {
            const user = await talker(locale);
            await user.say(w.problem);
            await user.say(searchAgain);
            assert.match(await user.say(w.cmd.help), w.helpProblem);
          });
          it("the welcome card's buttons start their flow", async () => {
            const user = await talker(locale);
            await user.say(w.problem);
            await user.say(searchAgain);
            const reply = await user.press({ helpline: 'billing' });
            assert.match(reply, w.billing);
            assert.doesNotMatch(reply, w.askProblem);
          });
          it('a button label typed as text starts its flow too', async () => {
            const user = await talker(locale);
            await user.say(w.problem);
            await user.say(searchAgain);
            assert.match(await user.say(w.welcomeBilling), w.billing);
          });
        });

        describe('in the billing assistant', () => {
          it(`"${w.cmd.menu}" and "${w.cmd.cancel}" work at its topic choice`, async () => {
            const user = await talker(locale);
            assert.match(await user.say(w.topic), w.billing);
            assert.match(await user.say(w.cmd.menu), w.menu);
            await user.say(w.topic);
            assert.match(
              await user.say(w.cmd.cancel),
              language === 'en' ? /cancel|stopped/i : /annul|arrêt/i,
            );
          });
        });
      });
    }
  }

  describe('language (item 2)', () => {
    it('keeps English for keywords on an English page, and English articles for English words', async () => {
      const user = await channels.webchat('en-US');
      const reply = await user.say('remote control black screen');
      assert.match(reply, /Here is what I found/);
      assert.doesNotMatch(reply, /only available in French/);
    });
    it('does not show French articles to an English user when the English version exists', async () => {
      const user = await channels.webchat('en-US');
      const reply = await user.say('what is the weather in Paris tomorrow');
      assert.doesNotMatch(reply, /only available in French/);
    });
    it('switches to French when the user writes a whole French sentence', async () => {
      const user = await channels.webchat('en-US');
      assert.match(await user.say(words.fr.problem), /Voici ce que j’ai trouvé/);
    });
  });

  describe('honest French search (item 9)', () => {
    it('finds the French patch article for a failing KB on 30 workstations', async () => {
      const user = await channels.webchat('fr-FR');
      await user.say('Le correctif KB5034441 échoue sur 30 postes depuis mardi');
      // The first article shown (the buttons under the results are not articles).
      const first = lastReplies.flatMap((reply) => (reply.attachments as unknown[] | undefined) ?? [])[0];
      assert.match(shown([{ first }]), /Une mise à jour Windows \(KB\) ne s'installe pas/);
    });
    it('says nothing matched well instead of showing weak articles', async () => {
      const user = await channels.webchat('en-US');
      const reply = await user.say('the coffee machine on the third floor is broken again');
      assert.match(reply, /Nothing in the knowledge base matches/);
      assert.ok(buttons(lastReplies).includes('Open a ticket'));
    });
  });

  describe('no silent turn (item 3)', () => {
    it('billing → a technical question → "open a ticket" always answers', async () => {
      const user = await channels.webchat('en-US');
      assert.match(await user.say('I need a copy of my last invoice'), /Billing & Payments assistant/);
      const handed = await user.say('the backup agent crashes every night on our file server');
      assert.match(handed, /set aside/);
      const reply = await user.say('open a ticket');
      assert.notEqual(reply.trim(), '');
    });
  });

  describe('every command at every prompt kind of the intake', () => {
    // How to reach each prompt kind: a text question, a yes/no, and the summary card.
    const setups: Record<Locale, Record<'text question' | 'yes/no' | 'summary', string[]>> = {
      en: {
        'text question': ['open a ticket', 'Backup and recovery'],
        'yes/no': [
          'open a ticket',
          'Backup and recovery',
          'Every backup on every server fails since the update.',
          '1',
        ],
        summary: [
          'open a ticket: backup fails on https://backup.northwind.example, severity 3, serial SN-77 device 42, version 7.1.4',
          'Run the nightly job from the console',
        ],
      },
      fr: {
        'text question': ['ouvrir un ticket', 'Sauvegarde et restauration'],
        'yes/no': [
          'ouvrir un ticket',
          'Sauvegarde et restauration',
          'Toutes les sauvegardes échouent sur tous les serveurs depuis la mise à jour.',
          '1',
        ],
        summary: [
          'ouvrir un ticket : la sauvegarde échoue sur https://backup.northwind.example, sévérité 3, SN : SN-77, appareil : 42, version 7.1.4',
          'Lancer la tâche de nuit depuis la console',
        ],
      },
    };
    // What each command answers, by prompt kind ("back" goes to the question before).
    const expected = (kind: string, command: string): TextKey[] => {
      if (command === 'cancel') return ['intake.cancelled'];
      if (command === 'help') return ['intake.help'];
      if (command === 'start_over') return ['intake.startOver', 'intake.askModule'];
      if (command === 'menu') return ['main.menu'];
      return [
        kind === 'summary'
          ? 'intake.summaryTitle'
          : kind === 'yes/no'
            ? 'intake.askDescription'
            : 'intake.askModule',
      ];
    };
    for (const [channel, talker] of Object.entries(channels)) {
      for (const language of ['en', 'fr'] as const) {
        it(`cancel, help, start over, back and menu at a text question, a yes/no and the summary (${channel}, ${language})`, async () => {
          const w = words[language];
          for (const [kind, steps] of Object.entries(setups[language])) {
            for (const [command, typed] of Object.entries(w.cmd)) {
              const user = await talker(language === 'en' ? 'en-US' : 'fr-FR');
              let before = '';
              for (const step of steps) before = await user.say(step);
              if (kind === 'summary') assert.ok(before.includes(t(language, 'intake.summaryTitle')), before);
              const reply = await user.say(typed);
              for (const key of expected(kind, command))
                assert.ok(
                  reply.includes(t(language, key, { module: '' }).split('{')[0] ?? ''),
                  `${kind} / "${typed}": ${reply}`,
                );
            }
          }
        });
      }
    }
  });

  describe('yes/no prompts that do not trap (item 4)', () => {
    const asNina = async (): Promise<Talker> => {
      const client = new DirectLineTestClient(app.url());
      const nina = DEMO_CONTACTS.nina;
      const userToken = await app.userTokens!.sign({
        subject: nina.webSubject,
        email: nina.email,
        name: nina.name,
      });
      await client.start({ locale: 'en-US', userToken });
      await client.waitForBot(1);
      return {
        say: async (text) => shown((lastReplies = await client.say(text, { locale: 'en-US' }))),
        press: async (value) => shown((lastReplies = await client.say('', { value, locale: 'en-US' }))),
      };
    };

    it('at "Shall I send that request?", "my requests" is a new request, not "please answer yes or no"', async () => {
      const user = await asNina();
      assert.match(await user.say('open a ticket'), /Shall I send that request\?/);
      const reply = await user.say('show my requests');
      assert.doesNotMatch(reply, /answer yes or no/i);
      assert.doesNotMatch(reply, /Shall I send that request/);
    });

    it('at "Shall I send that request?", a problem is searched, not "please answer yes or no"', async () => {
      const user = await asNina();
      assert.match(await user.say('open a ticket'), /Shall I send that request\?/);
      const reply = await user.say('my agent shows offline since this morning');
      assert.doesNotMatch(reply, /answer yes or no/i);
      assert.match(reply, /Here is what I found|Agent shows as offline/);
    });

    it('"help" there explains and asks again; "cancel" ends it with nothing sent', async () => {
      const user = await asNina();
      await user.say('open a ticket');
      assert.match(await user.say('help'), /Shall I send that request\?|yes or no/i);
      assert.doesNotMatch(await user.say('cancel'), /request is recorded|Shall I send/);
    });
  });

  describe('dead ends offer a way on (item 10)', () => {
    it('service status without a feed says so and offers buttons for what can be done', async () => {
      for (const [locale, asked, unavailable] of [
        [
          'en-US',
          'service status',
          /cannot get the service status|can’t get the service status|status page/i,
        ],
        ['fr-FR', 'état des services', /l’état des services/],
      ] as const) {
        const user = await channels.webchat(locale);
        assert.match(await user.say(asked), unavailable);
        const offered = buttons(lastReplies);
        assert.ok(offered.length >= 2, `buttons offered: ${offered.join(', ')}`);
        assert.ok(!offered.some((b) => /status|état/i.test(b)), 'the flow that failed is not offered again');
      }
    });

    it('"talk to a person" with nobody on duty offers a ticket that carries the conversation', async () => {
      const user = await channels.webchat('en-US');
      const said = await user.say('I want to talk to a real person please');
      assert.match(said, /Nobody from support can take/);
      assert.match(said, /Open a ticket with this conversation/);
    });
    it('an anonymous "Not solved" says why and offers what can be done', async () => {
      const client = new DirectLineTestClient(app.url());
      await client.start({ locale: 'en-US' });
      await client.waitForBot(1);
      await client.say('my agent shows offline since this morning', { locale: 'en-US' });
      const replies = await client.say('Not solved, open a ticket', { locale: 'en-US' });
      assert.match(shown(replies), /sign in/i);
      assert.ok(buttons(replies).length >= 2);
    });
  });
});
