import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import { DEMO_CONTACTS, DEMO_TENANTS } from '../../services/identity';
import { MongoFeedbackStore } from '../../services/knowledge';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../support/app';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { shown, TeamsTestClient } from '../support/teamsClient';

type Replies = Array<Record<string, unknown>>;
interface Talker {
  say(text: string): Promise<Replies>;
  press(value: Record<string, unknown>): Promise<Replies>;
}

describe('KnowledgeDialog', function () {
  this.timeout(60_000);
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let app: HelplineApp;

  before(async () => {
    serviceUrl = await connector.start();
    app = await startTestApp('knowledge', {
      DIRECTLINE_TOKENS_PER_MINUTE: '1000',
      BOT_ALLOW_ANONYMOUS: 'true',
    });
  });
  after(async () => {
    await stopTestApp(app);
    await connector.stop();
  });

  const feedback = async () => await new MongoFeedbackStore(app.connection).recent(5);

  const channels: Record<string, (locale: string) => Promise<Talker>> = {
    webchat: async (locale) => {
      const client = new DirectLineTestClient(app.url());
      await client.start({ locale });
      await client.waitForBot(1);
      return {
        say: async (text) => await client.say(text, { locale }),
        press: async (value) => await client.say('', { value, locale }),
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
        say: async (text) => await client.say(text),
        press: async (value) => await client.say('', value),
      });
    },
  };

  for (const [channel, talker] of Object.entries(channels)) {
    describe(`in ${channel}`, () => {
      it('shows the best 3 articles as cards with title, snippet, module and link, then records "solved"', async () => {
        const user = await talker('en-US');
        const replies = await user.say('my backup job fails with a VSS error');
        const cards = replies.flatMap(
          (r) =>
            (r.attachments as
              | Array<{
                  contentType: string;
                  content: { body: Array<{ text: string }>; actions: Array<{ url: string }> };
                }>
              | undefined) ?? [],
        );
        assert.equal(cards.length, 3);
        const first = cards[0].content;
        assert.match(first.body[0].text, /VSS/);
        assert.match(first.body[1].text, /Module: Backup and recovery/);
        assert.match(first.body[2].text, /\*\*\w+\*\*/, 'matched words are highlighted in the snippet');
        // Demo articles are read in Helpline itself, at /kb/<key> on its own address.
        assert.ok(first.actions[0].url.startsWith(`${app.url()}/kb/`), first.actions[0].url);
        assert.match(shown(replies), /Solved[\s\S]*Not solved, open a ticket[\s\S]*Search again/);

        assert.match(shown(await user.say('Solved')), /Glad that helped/);
        const [record] = await feedback();
        assert.equal(record?.outcome, 'solved');
        assert.equal(record?.channel, channel);
        assert.equal(record?.articles.length, 3);
        assert.deepEqual(
          record?.articles.map((a) => a.rank),
          [1, 2, 3],
        );
        assert.equal(record?.query, 'my backup job fails with a VSS error');
      });

      it('sends the articles, the question and its buttons as one message; after "help" it asks again with the buttons', async () => {
        const user = await talker('en-US');
        const replies = await user.say('remote session shows a black screen');
        assert.equal(replies.length, 1, shown(replies));
        const [results] = replies as Array<{
          text?: string;
          attachments?: unknown[];
          suggestedActions?: { actions: Array<{ title: string }> };
        }>;
        assert.ok(results?.attachments?.length, 'the articles');
        assert.match(results?.text ?? '', /Here is what I found[\s\S]*Did one of these solve your problem\?/);
        assert.deepEqual(
          results?.suggestedActions?.actions.map((a) => a.title),
          ['Solved', 'Not solved, open a ticket', 'Search again'],
        );

        const helped = await user.say('help');
        assert.match(shown(helped), /Did one of these solve your problem\?/);
        const again = helped.at(-1) as
          { suggestedActions?: { actions: Array<{ title: string }> } } | undefined;
        assert.deepEqual(
          again?.suggestedActions?.actions.map((a) => a.title),
          ['Solved', 'Not solved, open a ticket', 'Search again'],
        );
        assert.match(shown(await user.say('Solved')), /Glad that helped/);
      });

      it('searches again with other words', async () => {
        const user = await talker('en-US');
        await user.say('remote session shows a black screen');
        assert.match(shown(await user.say('Search again')), /Describe the problem differently/);
        const again = await user.say('patches stay pending after reboot');
        assert.match(shown(again), /Patch/);
        assert.equal((await feedback())[0]?.outcome, 'search_again');
      });

      it('says so plainly when nothing matches, and offers the ticket', async () => {
        const user = await talker('en-US');
        await user.press({ helpline: 'search_kb' });
        const replies = shown(await user.say('zxqv wplk grmbl fnord'));
        assert.match(replies, /I found no article that matches "zxqv wplk grmbl fnord"/);
        assert.match(replies, /Open a ticket[\s\S]*Search again/);
        assert.equal((await feedback())[0]?.outcome, 'no_results');
      });

      it('re-asks an answer that is none of the choices, with the buttons that fit, after "help" too', async () => {
        const buttons = (replies: Replies): string[] =>
          (
            replies.at(-1) as { suggestedActions?: { actions: Array<{ title: string }> } } | undefined
          )?.suggestedActions?.actions.map((a) => a.title) ?? [];
        const user = await talker('en-US');
        await user.say('remote session shows a black screen');
        const retried = await user.say('maybe');
        assert.match(shown(retried), /Did an article solve it\? Pick Solved, Not solved or Search again/);
        assert.deepEqual(buttons(retried), ['Solved', 'Not solved, open a ticket', 'Search again']);

        const nothing = await talker('fr-FR');
        await nothing.press({ helpline: 'search_kb' });
        await nothing.say('zxqv wplk grmbl fnord');
        const helped = await nothing.say('aide');
        assert.match(shown(helped), /Je n’ai trouvé aucun article pour «\szxqv wplk grmbl fnord\s»/);
        assert.deepEqual(buttons(helped), ['Ouvrir un ticket', 'Chercher à nouveau']);
        const again = await nothing.say('peut-être');
        assert.match(shown(again), /J’ouvre un ticket, ou je cherche avec d’autres mots\s\?/);
        assert.deepEqual(buttons(again), ['Ouvrir un ticket', 'Chercher à nouveau']);
        assert.match(shown(await nothing.say('Ouvrir un ticket')), /\S/);
      });

      it('answers in French with French articles', async () => {
        const user = await talker('fr-FR');
        const replies = shown(await user.say('la sauvegarde échoue avec une erreur VSS'));
        assert.match(replies, /Voici ce que j’ai trouvé/);
        assert.match(replies, /Échec de la sauvegarde/);
        assert.match(replies, /Résolu[\s\S]*Non résolu, ouvrir un ticket[\s\S]*Chercher à nouveau/);
      });
    });
  }

  it('keeps in the conversation state only what later turns read of a search', async () => {
    const user = await channels.webchat('en-US');
    await user.say('remote session shows a black screen');
    const doc = await app.connection
      .db!.collection<{ state: string }>('botstate')
      .find()
      .sort({ updatedAt: -1 })
      .limit(1)
      .next();
    const state = doc?.state ?? '';
    assert.match(state, /"key":"remote-black-screen"/, 'the articles shown, by key');
    for (const dropped of [
      '"snippet"',
      '"summary"',
      '"terms"',
      '"intents"',
      '"retryPrompt"',
      '"suggestedActions"',
    ])
      assert.ok(!state.includes(dropped), `${dropped} in ${state}`);
    assert.ok(state.length < 2_500, `${state.length} bytes`);
  });

  it('on "Not solved" carries the problem, module and articles tried into the ticket intake', async () => {
    const user = await channels.msteams('en-US');
    await user.say('my agent shows offline since this morning');
    const next = shown(await user.say('Not solved, open a ticket'));
    assert.doesNotMatch(next, /Which module|In one line|Describe what happens/);
    assert.match(next, /How serious is it/);
    const [record] = await feedback();
    assert.equal(record?.outcome, 'not_solved');
  });

  it('asks for the problem when started from the welcome card', async () => {
    const user = await channels.webchat('en-US');
    assert.match(shown(await user.press({ helpline: 'search_kb' })), /Tell me what is happening/);
    assert.match(shown(await user.say('agent does not install, MSI error 1603')), /Here is what I found/);
  });
});
