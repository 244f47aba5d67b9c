import assert from 'node:assert/strict';
import { ConversationState, MemoryStorage, type Activity, type Middleware } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { Connection } from 'mongoose';
import { readHandoffCardAction } from '../../dialogs/cards/handoffCards';
import {
  decideGiveUp,
  GiveUpWatch,
  isShouting,
  soundsFrustrated,
  type GiveUpCounter,
} from '../../dialogs/giveUp';
import { TranscriptRecorder } from '../../bot/handoff/transcriptRecorder';
import { HandoffDialog, type HandoffOptions } from '../../dialogs/handoffDialog';
import { KnowledgeDialog } from '../../dialogs/knowledgeDialog';
import { MainDialog } from '../../dialogs/mainDialog';
import { t, type Locale } from '../../dialogs/texts';
import { TicketIntakeDialog, type TicketIntakeOptions } from '../../dialogs/ticketIntakeDialog';
import { StaticProductCatalogue } from '../../services/catalogue';
import {
  ConsoleHandoffTarget,
  getHandoffModel,
  MongoHandoffService,
  MongoTranscriptStore,
} from '../../services/handoff';
import {
  ClassifierBillingTopicClassifier,
  ClassifierIntentRecognizer,
  loadUtterances,
} from '../../services/intents';
import {
  MiniSearchKnowledgeBase,
  MongoFeedbackStore,
  seedKnowledgeBaseIfEmpty,
} from '../../services/knowledge';
import { createSilentLogger } from '../../services/logger';
import { testClock, ticketFixture, type TicketFixture } from '../services/tickets/fixtures';
import { dropTestDatabase, openTestDatabase } from '../support/database';
import { TestConversationContext } from '../support/testConversationContext';

describe('giving up: the rule', () => {
  const quiet = (counter: GiveUpCounter | undefined, text = 'ok') =>
    decideGiveUp(counter, { text, signals: {} });

  it('offers a person after two searches in a row that did not help, and a solved one starts again', () => {
    const one = decideGiveUp(undefined, { signals: { search: 'failed' } });
    assert.equal(one.offer, undefined);
    const solved = decideGiveUp(one.counter, { signals: { search: 'solved' } });
    assert.equal(decideGiveUp(solved.counter, { signals: { search: 'failed' } }).offer, undefined);
    assert.equal(decideGiveUp(one.counter, { signals: { search: 'failed' } }).offer, 'repeated_failures');
  });

  it('offers a person when the same question is answered wrongly three times, not three different ones', () => {
    let counter: GiveUpCounter | undefined;
    for (const prompt of ['intake.serverUrl', 'intake.serverUrl', 'intake.devices']) {
      const decision = decideGiveUp(counter, { signals: { invalidAnswer: prompt } });
      assert.equal(decision.offer, undefined);
      counter = decision.counter;
    }
    const again = decideGiveUp(counter, { signals: { invalidAnswer: 'intake.devices' } });
    assert.equal(again.offer, undefined);
    const third = decideGiveUp(again.counter, { signals: { invalidAnswer: 'intake.devices' } });
    assert.equal(third.offer, 'repeated_failures');
  });

  it('hears frustration in English and French words and in shouting, not in error codes or calm problems', () => {
    for (const text of [
      'this is useless',
      'I am fed up, you are wasting my time',
      'you do not understand',
      'ça ne sert à rien',
      "j'en ai marre de ce bot",
      'c’est vraiment nul',
      'WHY DOES NOTHING EVER WORK HERE',
      'it fails again!!!',
    ])
      assert.ok(soundsFrustrated(text), text);
    for (const text of [
      'my backup job fails with a VSS error',
      'VSS ERROR 0x8004230F ON SRV01',
      'la sauvegarde échoue avec une erreur VSS',
      'The SMTP server DNS MX record is wrong',
      'Annuler !',
    ])
      assert.ok(!soundsFrustrated(text), text);
    assert.ok(isShouting("C'EST TOUJOURS EN PANNE DEPUIS HIER"));
  });

  it('does not repeat an offer on the next turns, and says severity 1 once', () => {
    const first = decideGiveUp(undefined, { text: 'this is useless', signals: {} });
    assert.equal(first.offer, 'frustration');
    assert.equal(decideGiveUp(first.counter, { text: 'still useless', signals: {} }).offer, undefined);
    let counter = first.counter;
    for (let i = 0; i < 4; i++) counter = quiet(counter).counter;
    assert.equal(decideGiveUp(counter, { text: 'still useless', signals: {} }).offer, 'frustration');

    const critical = decideGiveUp(undefined, { signals: { severityOne: true } });
    assert.equal(critical.offer, 'severity1');
    assert.equal(
      decideGiveUp(quiet(critical.counter).counter, { signals: { severityOne: true } }).offer,
      undefined,
    );
  });

  it('starts again once the user is with a person', () => {
    const one = decideGiveUp(undefined, { signals: { search: 'failed' } });
    const handed = decideGiveUp(one.counter, { signals: { handedOver: true } });
    assert.equal(handed.offer, undefined);
    assert.equal(decideGiveUp(handed.counter, { signals: { search: 'failed' } }).offer, undefined);
  });
});

type Reply = Partial<Activity>;
const CHANNELS = ['msteams', 'webchat'] as const;
const LOCALES: Locale[] = ['en', 'fr'];

/** The "Talk to a person" buttons among the replies, with the reason each carries. */
function offers(replies: Reply[]): Array<{ reason: string; title: string; text: string }> {
  return replies.flatMap((reply) =>
    (reply.attachments ?? []).flatMap((attachment) => {
      const content = attachment.content as
        { body?: Array<{ text?: string }>; actions?: Array<{ title: string; data?: unknown }> } | undefined;
      return (content?.actions ?? []).flatMap((action) => {
        const read = readHandoffCardAction(action.data);
        return read?.helpline === 'handoff_start'
          ? [{ reason: read.reason, title: action.title, text: content?.body?.[0]?.text ?? '' }]
          : [];
      });
    }),
  );
}

const said = (replies: Reply[]): string =>
  replies
    .map((r) => [r.text ?? '', ...(r.suggestedActions?.actions ?? []).map((a) => String(a.title))].join(' '))
    .join('\n');

describe('giving up: "Talk to a person" in the conversation (MainDialog, DialogTestClient)', function () {
  this.timeout(60_000);
  const logger = createSilentLogger();
  const catalogue = new StaticProductCatalogue();
  let connection: Connection;
  let fx: TicketFixture;
  let knowledgeBase: MiniSearchKnowledgeBase;
  let recognizer: ClassifierIntentRecognizer;
  let handoffs: MongoHandoffService;
  let onDuty = true;
  const clock = testClock('2026-11-04T10:00:00Z');
  let conversations = 0;
  let recorder: TranscriptRecorder;

  before(async () => {
    connection = await openTestDatabase('giveup');
    fx = await ticketFixture(connection, clock);
    knowledgeBase = await MiniSearchKnowledgeBase.open({ connection, logger, clock });
    await seedKnowledgeBaseIfEmpty(knowledgeBase, logger);
    const utterances = loadUtterances();
    recognizer = new ClassifierIntentRecognizer({
      utterances,
      billingTopics: new ClassifierBillingTopicClassifier({ utterances }),
    });
    recorder = new TranscriptRecorder(new MongoTranscriptStore(connection, clock), logger);
    handoffs = new MongoHandoffService({
      connection,
      logger,
      clock,
      tickets: fx.tickets,
      target: new ConsoleHandoffTarget(() => Promise.resolve(onDuty)),
      channel: () => Promise.resolve(),
      timeoutMs: 60_000,
    });
  });
  after(async () => await dropTestDatabase(connection));
  beforeEach(() => {
    onDuty = true;
  });

  function start(channel: string, locale: Locale): { client: DialogTestClient; conversationId: string } {
    const context = new TestConversationContext(fx.identity, 'bob', locale);
    const state = new ConversationState(new MemoryStorage());
    const main = new MainDialog({
      context,
      recognizer,
      giveUp: new GiveUpWatch({
        counter: state.createProperty<GiveUpCounter>('giveUp'),
        canHandOff: async () => await handoffs.available(),
        logger,
      }),
      children: {
        knowledge: new KnowledgeDialog({
          knowledgeBase,
          recognizer,
          feedback: new MongoFeedbackStore(connection, clock),
          catalogue,
          logger,
        }),
        ticketIntake: {
          dialog: new TicketIntakeDialog({
            tickets: fx.tickets,
            identities: fx.identity,
            catalogue,
            recognizer,
            context,
            logger,
            clock,
          }),
          options: (request) =>
            ({ locale: request.locale, text: request.text }) satisfies TicketIntakeOptions,
        },
        handoff: {
          dialog: new HandoffDialog({
            handoffs,
            transcripts: new MongoTranscriptStore(connection, clock),
            context,
            logger,
          }),
          options: (request) =>
            ({
              locale: request.locale,
              text: request.text,
              action: readHandoffCardAction(request.value),
            }) satisfies HandoffOptions,
        },
      },
    });
    // Each client its own conversation: a handoff is one per conversation in the shared database.
    const conversationId = `giveup-${++conversations}`;
    const ownConversation: Middleware = {
      onTurn: async (context, next) => {
        context.activity.conversation = { ...context.activity.conversation, id: conversationId };
        await next();
      },
    };
    return {
      client: new DialogTestClient(channel, main, {}, [ownConversation, recorder], state),
      conversationId,
    };
  }

  async function say(client: DialogTestClient, message: string | Partial<Activity>): Promise<Reply[]> {
    const replies: Reply[] = [];
    let reply = (await client.sendActivity(message)) as Reply | undefined;
    while (reply) {
      replies.push(reply);
      reply = client.getNextReply();
    }
    return replies;
  }

  const press = async (client: DialogTestClient, value: Record<string, unknown>) =>
    await say(client, { type: 'message', value });

  const WORDS = {
    en: {
      firstSearch: 'my backup job fails with a VSS error',
      again: 'Search again',
      secondSearch: 'the remote session shows a black screen',
      frustrated: 'this is useless, you are wasting my time',
      shouting: 'WHY DOES NOTHING EVER WORK HERE',
      critical: 'our whole system is completely down, production stopped',
      notAnAnswer: 'maybe',
    },
    fr: {
      firstSearch: 'la sauvegarde échoue avec une erreur VSS',
      again: 'Chercher à nouveau',
      secondSearch: 'la session à distance affiche un écran noir',
      frustrated: "ça ne sert à rien, j'en ai marre",
      shouting: 'POURQUOI RIEN NE MARCHE JAMAIS ICI',
      critical: 'notre serveur est complètement hors service, la production est arrêtée',
      notAnAnswer: 'peut-être',
    },
  } as const;

  for (const channel of CHANNELS) {
    for (const locale of LOCALES) {
      describe(`in ${channel}, ${locale}`, () => {
        const words = WORDS[locale];

        it('after two searches in a row that did not help, offers a person once; the button starts the handoff', async () => {
          const { client, conversationId } = start(channel, locale);
          const replies: Reply[] = [];
          replies.push(...(await say(client, words.firstSearch)));
          assert.equal(offers(replies).length, 0, 'no offer after the first search');
          replies.push(...(await say(client, words.again)));
          assert.equal(offers(replies).length, 0, 'one search that did not help is not enough');
          replies.push(...(await say(client, words.secondSearch)));
          replies.push(...(await say(client, words.again)));
          await recorder.flush();
          const offered = offers(replies);
          assert.equal(offered.length, 1, said(replies));
          assert.equal(offered[0]?.reason, 'repeated_failures');
          assert.equal(offered[0]?.title, t(locale, 'giveUp.talkToPerson'));
          assert.equal(offered[0]?.text, t(locale, 'giveUp.repeatedFailures'));

          const handed = await press(client, { helpline: 'handoff_start', reason: 'repeated_failures' });
          const initiate = handed.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
          assert.ok(initiate, 'the handoff.initiate event is sent');
          assert.match(said(handed), new RegExp(escape(t(locale, 'handoff.queued'))));
          const record = await getHandoffModel(connection).findOne({ conversationId }).lean().exec();
          assert.equal(record?.reason, 'repeated_failures');
          assert.equal(record?.status, 'queued');
          assert.equal(record?.locale, locale);
          assert.ok(
            record?.transcript.some((line) => line.text === words.secondSearch),
            'the transcript carries what the user said',
          );
        });

        it('hears frustration in words and in shouting, and offers a person', async () => {
          const { client } = start(channel, locale);
          const replies = await say(client, words.frustrated);
          const offered = offers(replies);
          assert.equal(offered.length, 1, said(replies));
          assert.equal(offered[0]?.reason, 'frustration');
          assert.equal(offered[0]?.text, t(locale, 'giveUp.frustration'));

          const shouting = start(channel, locale).client;
          assert.equal(offers(await say(shouting, words.shouting))[0]?.reason, 'frustration');
        });
      });
    }
  }

  for (const locale of LOCALES) {
    it(`offers a person at once for a severity 1 situation, next to the urgent ticket (${locale})`, async () => {
      const { client, conversationId } = start('msteams', locale);
      const replies = await say(client, WORDS[locale].critical);
      assert.match(said(replies), new RegExp(escape(t(locale, 'intake.severityOneFirst'))));
      const offered = offers(replies);
      assert.equal(offered.length, 1, said(replies));
      assert.equal(offered[0]?.reason, 'severity1');
      // The button works at the intake's prompt: the intake is left for the person.
      const handed = await press(client, { helpline: 'handoff_start', reason: 'severity1' });
      assert.ok(handed.some((a) => a.type === 'event' && a.name === 'handoff.initiate'));
      const record = await getHandoffModel(connection).findOne({ conversationId }).lean().exec();
      assert.equal(record?.reason, 'severity1');
    });

    it(`offers a person when the same question gets an answer it cannot take three times (${locale})`, async () => {
      const { client } = start('webchat', locale);
      await say(client, WORDS[locale].firstSearch);
      const first = await say(client, WORDS[locale].notAnAnswer);
      const second = await say(client, WORDS[locale].notAnAnswer);
      assert.equal(offers([...first, ...second]).length, 0);
      const third = await say(client, WORDS[locale].notAnAnswer);
      assert.equal(offers(third)[0]?.reason, 'repeated_failures', said(third));
    });
  }

  it('with nobody on duty, never offers a button that cannot work: a ticket is the way on', async () => {
    onDuty = false;
    const { client } = start('webchat', 'en');
    // Nothing in progress after this turn: the way on is a ticket, said with its button.
    const replies = await say(client, 'useless!!!');
    assert.equal(offers(replies).length, 0);
    assert.match(said(replies), new RegExp(escape(t('en', 'giveUp.nobodyNow'))));
    assert.match(said(replies), new RegExp(escape(t('en', 'welcome.openTicket'))));

    // An urgent ticket in progress is already that way: nothing more is said.
    const critical = start('msteams', 'en').client;
    const urgent = await say(critical, WORDS.en.critical);
    assert.equal(offers(urgent).length, 0);
    assert.doesNotMatch(said(urgent), new RegExp(escape(t('en', 'giveUp.nobodyNow'))));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
