import assert from 'node:assert/strict';
import { ConversationState, MemoryStorage, type Activity, type Attachment } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { Connection } from 'mongoose';
import {
  BillingAssistantDialog,
  parseAmount,
  parseInvoiceNumber,
  type BillingOptions,
  type BillingResult,
} from '../../dialogs/billingAssistantDialog';
import { readCommand } from '../../dialogs/input';
import { t, type Locale } from '../../dialogs/texts';
import { MongoAuditLog } from '../../services/audit';
import { StaticProductCatalogue } from '../../services/catalogue';
import { connectDatabase } from '../../services/db';
import { DEMO_CONTACTS, MongoIdentityService } from '../../services/identity';
import { ClassifierBillingTopicClassifier, ClassifierIntentRecognizer } from '../../services/intents';
import { MiniSearchKnowledgeBase, seedKnowledgeBaseIfEmpty } from '../../services/knowledge';
import { createSilentLogger } from '../../services/logger';
import { MongoTicketService, getTicketModel, type TicketService } from '../../services/tickets';
import { CuttableProxy } from '../services/tickets/cuttableProxy';
import { dropTestDatabase, openTestDatabase, testDatabaseUri } from '../support/database';
import { TestConversationContext, type TestUser } from '../support/testConversationContext';

type Reply = Partial<Activity>;
const CHANNELS = ['webchat', 'msteams'] as const;

describe('BillingAssistantDialog', function () {
  this.timeout(30_000);
  const logger = createSilentLogger();
  const catalogue = new StaticProductCatalogue();
  const recognizer = new ClassifierIntentRecognizer();
  const topics = new ClassifierBillingTopicClassifier();
  let connection: Connection;
  let identities: MongoIdentityService;
  let knowledgeBase: MiniSearchKnowledgeBase;
  let tickets: MongoTicketService;

  before(async () => {
    connection = await openTestDatabase('billingdialog');
    identities = new MongoIdentityService({ connection, logger });
    await identities.seedDemoIdentities();
    knowledgeBase = await MiniSearchKnowledgeBase.open({ connection, logger });
    await seedKnowledgeBaseIfEmpty(knowledgeBase, logger);
    tickets = ticketServiceOn(connection, identities);
    await getTicketModel(connection).init();
  });
  after(async () => await dropTestDatabase(connection));

  function ticketServiceOn(on: Connection, identity: MongoIdentityService): MongoTicketService {
    return new MongoTicketService({
      connection: on,
      logger,
      identity,
      catalogue,
      audit: new MongoAuditLog({ connection: on, logger }),
    });
  }

  function assistant(
    user: TestUser,
    locale: Locale,
    ticketService: TicketService = tickets,
  ): BillingAssistantDialog {
    return new BillingAssistantDialog({
      knowledgeBase,
      tickets: ticketService,
      topics,
      recognizer,
      context: new TestConversationContext(identities, user, locale),
      catalogue,
      logger,
    });
  }

  function start(
    channel: string,
    user: TestUser,
    options: BillingOptions,
    ticketService?: TicketService,
    state?: ConversationState,
  ): DialogTestClient {
    return new DialogTestClient(channel, assistant(user, options.locale, ticketService), options, [], state);
  }

  /** Every reply to one user message. */
  async function say(client: DialogTestClient, message: string | Partial<Activity>): Promise<Reply[]> {
    const replies: Reply[] = [];
    let reply = (await client.sendActivity(message)) as Reply | undefined;
    while (reply) {
      replies.push(reply);
      reply = client.getNextReply();
    }
    return replies;
  }

  const texts = (replies: Reply[]): string[] => replies.map((r) => r.text ?? '');
  const buttons = (reply: Reply | undefined): string[] =>
    (reply?.suggestedActions?.actions ?? []).map((action) => String(action.title));
  const result = (client: DialogTestClient): BillingResult | undefined =>
    client.dialogTurnResult.result as BillingResult | undefined;

  function cardOf(replies: Reply[]): { card: Attachment; draftId: string; facts: Record<string, string> } {
    const card = replies.flatMap((r) => r.attachments ?? []).find((a) => a.contentType.includes('adaptive'));
    assert.ok(card, `no card in ${JSON.stringify(texts(replies))}`);
    const content = card.content as {
      body: Array<{ type: string; items?: Array<{ text?: string }> }>;
      actions: Array<{ title: string; data: { billing: string; draftId: string } }>;
    };
    // Each fact is a label over its value (no FactSet: narrow cards break its labels mid-word).
    const description = t('en', 'billing.summaryDescription');
    const facts = Object.fromEntries(
      content.body
        .filter((b) => b.type === 'Container' && b.items?.length === 2)
        .map((b) => [b.items?.[0]?.text ?? '', b.items?.[1]?.text ?? ''] as const)
        .filter(([label]) => label !== description)
        // Values are escaped for markdown (user text shows as typed): compare what a reader sees.
        .map(([label, value]) => [label, value.replace(/\\(.)/g, '$1')]),
    );
    return { card, draftId: content.actions[0]?.data.draftId ?? '', facts };
  }

  const submit = (draftId: string): Partial<Activity> => ({ value: { billing: 'submit', draftId } });

  async function billingTicketsOf(contact: keyof typeof DEMO_CONTACTS): Promise<number> {
    return await getTicketModel(connection)
      .countDocuments({ type: 'billing', 'requester.contactId': DEMO_CONTACTS[contact].id })
      .exec();
  }

  async function ticketsWithDraft(draftId: string): Promise<number> {
    return await getTicketModel(connection)
      .countDocuments({ idempotencyKey: `billing-${draftId}` })
      .exec();
  }

  describe('answering from the billing articles', () => {
    for (const channel of CHANNELS) {
      it(`on ${channel}, shows the invoice article for an invoice question and ends answered on "Yes"`, async () => {
        const client = start(channel, 'bob', { locale: 'en', text: 'I need a copy of my invoice for March' });

        const first = await say(client, 'hi');
        const answered = await say(client, 'Yes');

        assert.equal(
          first[0]?.text,
          t('en', 'billing.greetingTopic', { topic: t('en', 'billing.topic.invoice_copy') }),
        );
        const cards = first[1];
        assert.equal(cards?.text, t('en', 'billing.results'));
        const titles = (cards?.attachments ?? []).map(
          (a) => (a.content as { body: Array<{ text: string }> }).body[0]?.text,
        );
        assert.ok(titles.length >= 1 && titles.length <= 3, `1 to 3 articles, got ${titles.length}`);
        assert.equal(titles[0], 'Get a copy of an invoice');
        assert.equal(first[2]?.text, t('en', 'billing.askAnswered'));
        assert.deepEqual(buttons(first[2]), ['Yes', 'No, open a billing ticket']);
        assert.deepEqual(texts(answered), [t('en', 'billing.answered')]);
        assert.deepEqual(result(client), { outcome: 'answered' });
      });
    }

    it('answers in French from the French billing articles', async () => {
      const client = start('msteams', 'claire', {
        locale: 'fr',
        text: 'Comment changer la carte bancaire utilisée pour payer nos factures ?',
      });

      const first = await say(client, 'bonjour');
      const answered = await say(client, 'Oui');

      assert.equal(
        first[0]?.text,
        t('fr', 'billing.greetingTopic', { topic: t('fr', 'billing.topic.payment_method') }),
      );
      const card = first[1]?.attachments?.[0]?.content as { body: Array<{ text: string }> } | undefined;
      assert.match(card?.body[0]?.text ?? '', /moyen de paiement|carte/i);
      assert.deepEqual(buttons(first[2]), ['Oui', 'Non, ouvrir un ticket de facturation']);
      assert.deepEqual(texts(answered), [t('fr', 'billing.answered')]);
      assert.deepEqual(result(client), { outcome: 'answered' });
    });

    it('takes a question written out at the topic menu without asking it again', async () => {
      const client = start('msteams', 'alice', { locale: 'en' });
      await say(client, 'billing');

      const answer = await say(client, 'Where can I download a copy of last month’s invoice?');

      assert.equal(answer[0]?.text, t('en', 'billing.results'));
      const card = answer[0]?.attachments?.[0]?.content as { body: Array<{ text: string }> } | undefined;
      assert.equal(card?.body[0]?.text, 'Get a copy of an invoice');
    });

    it('without a question, greets, offers the topics, then takes the question; "cancel" inside an answer is just text', async () => {
      const client = start('webchat', 'bob', { locale: 'en' });

      const menu = await say(client, 'billing');
      const asked = await say(client, 'Renewal or licence count');
      const answer = await say(client, 'I want to cancel the automatic renewal of our subscription');

      assert.deepEqual(texts(menu), [t('en', 'billing.greeting'), t('en', 'billing.askTopic')]);
      assert.deepEqual(buttons(menu[1]), [
        'Invoice copy',
        'A charge or a dispute',
        'Payment method',
        'Renewal or licence count',
        'Something else',
      ]);
      assert.deepEqual(texts(asked), [t('en', 'billing.askQuestion')]);
      assert.equal(answer[0]?.text, t('en', 'billing.results'));
      const card = answer[0]?.attachments?.[0]?.content as { body: Array<{ text: string }> } | undefined;
      assert.match(card?.body[0]?.text ?? '', /renew/i);
      assert.equal(result(client), undefined, 'still in the dialog');
    });
  });

  describe('opening a billing ticket', () => {
    for (const channel of CHANNELS) {
      it(`on ${channel}, collects invoice number and amount, re-asks an invalid invoice number with the reason, and opens one billing ticket even when Submit comes twice`, async () => {
        const before = await billingTicketsOf('bob');
        const client = start(channel, 'bob', {
          locale: 'en',
          text: 'I want to dispute a charge on my last invoice',
        });

        await say(client, 'hi');
        const intro = await say(client, 'No, open a billing ticket');
        const spaces = await say(client, 'INV 2026 0042');
        const characters = await say(client, 'INV#2026');
        const amountAsked = await say(client, 'INV-2026-0042');
        const summary = await say(client, '1 200,00 €');
        const { draftId, facts } = cardOf(summary);
        const opened = await say(client, submit(draftId));
        const outcome = result(client);
        const again = await say(client, submit(draftId));

        assert.deepEqual(texts(intro), [t('en', 'billing.ticketIntro'), t('en', 'billing.askInvoice')]);
        assert.deepEqual(texts(spaces), [t('en', 'billing.invoiceSpaces')]);
        assert.deepEqual(texts(characters), [t('en', 'billing.invoiceCharacters')]);
        assert.deepEqual(texts(amountAsked), [t('en', 'billing.askAmount')]);
        assert.equal(summary[0]?.text, t('en', 'billing.summaryPrompt'));
        assert.deepEqual(facts, {
          Organisation: 'Northwind IT Services',
          Topic: 'A disputed charge',
          'Invoice number': 'INV-2026-0042',
          Amount: '1,200 EUR',
          Copied: 'Morgan Lee (your account manager)',
        });
        const number = /HL-\d{6}/.exec(opened[0]?.text ?? '')?.[0];
        assert.ok(number, `a ticket number in ${opened[0]?.text}`);
        assert.deepEqual(texts(opened), [
          t('en', 'billing.ticketOpened', { number }),
          t('en', 'billing.ticketCopied', { copied: 'Morgan Lee (your account manager)' }),
        ]);
        assert.deepEqual(outcome, { outcome: 'ticket_opened', ticketNumber: number });
        assert.deepEqual(texts(again), [t('en', 'billing.alreadyOpened', { number })]);
        assert.equal(await ticketsWithDraft(draftId), 1);
        assert.equal(await billingTicketsOf('bob'), before + 1);
        const ticket = await getTicketModel(connection).findOne({ number }).lean().exec();
        assert.equal(ticket?.type, 'billing');
        assert.equal(ticket?.module, 'billing');
        assert.equal(ticket?.channel, channel);
        assert.equal(ticket?.description, 'I want to dispute a charge on my last invoice');
        assert.deepEqual(ticket?.billing, {
          topic: 'dispute',
          invoiceNumber: 'INV-2026-0042',
          amount: 1200,
          currency: 'EUR',
        });
        assert.deepEqual(ticket?.ccs, ['morgan.lee@vendor.example']);
      });
    }

    it('takes the invoice number and amount already written in the question and goes straight to the summary', async () => {
      const client = start('webchat', 'alice', {
        locale: 'en',
        text: 'Invoice INV-2026-004512 charges us €120,50 for backup storage we never ordered',
      });

      await say(client, 'hi');
      const summary = await say(client, 'No, open a billing ticket');
      const { facts } = cardOf(summary);

      assert.deepEqual(texts(summary), [t('en', 'billing.ticketIntro'), t('en', 'billing.summaryPrompt')]);
      assert.equal(facts['Invoice number'], 'INV-2026-004512');
      assert.equal(facts.Amount, '120.50 EUR');
    });

    it('asks for a description only when the question is too short, and re-asks a too-short one', async () => {
      const client = start('webchat', 'bob', { locale: 'fr' });
      await say(client, 'facturation');
      await say(client, 'Moyen de paiement');
      const answered = await say(client, 'carte');
      const intro = await say(client, 'Non, ouvrir un ticket de facturation');
      await say(client, 'passer');

      const asked = await say(client, 'je n’en ai pas');
      const tooShort = await say(client, 'carte');
      const summary = await say(
        client,
        'Merci de remplacer la carte bancaire expirée par notre nouvelle carte Visa.',
      );

      assert.equal(answered[0]?.text, t('fr', 'billing.results'));
      assert.deepEqual(texts(intro), [t('fr', 'billing.ticketIntro'), t('fr', 'billing.askInvoice')]);
      assert.deepEqual(texts(asked), [t('fr', 'billing.askDescription')]);
      assert.deepEqual(texts(tooShort), [t('fr', 'billing.descriptionTooShort', { min: 10 })]);
      const { facts } = cardOf(summary);
      assert.equal(facts.Sujet, 'Votre moyen de paiement');
      assert.equal(facts['Numéro de facture'], 'non précisé');
      assert.equal(facts.Montant, 'non précisé');
    });

    it('opens the ticket exactly once when the same Submit is delivered twice at the same time', async () => {
      const state = new ConversationState(new MemoryStorage());
      const options: BillingOptions = {
        locale: 'en',
        text: 'Please send me a copy of invoice INV-2026-000777 for 99 EUR',
      };
      const first = start('msteams', 'david', options, tickets, state);
      const second = start('msteams', 'david', options, tickets, state);
      await say(first, 'hi');
      const summary = await say(first, 'No, open a billing ticket');
      const { draftId } = cardOf(summary);

      const outcomes = await Promise.allSettled([say(first, submit(draftId)), say(second, submit(draftId))]);

      assert.equal(await ticketsWithDraft(draftId), 1);
      const numbers = outcomes.flatMap((o) =>
        o.status === 'fulfilled' ? texts(o.value).flatMap((text) => /HL-\d{6}/.exec(text)?.[0] ?? []) : [],
      );
      assert.equal(numbers.length, 2, 'both deliveries were answered with a ticket number');
      assert.equal(new Set(numbers).size, 1, 'both deliveries name the same ticket');
    });
  });

  describe('who may open a billing ticket', () => {
    it('gives an anonymous visitor the articles, and tells them to sign in for a ticket', async () => {
      const client = start('webchat', 'anonymous', {
        locale: 'en',
        text: 'How do I get a copy of an invoice?',
      });

      const first = await say(client, 'hi');
      const refused = await say(client, 'No');

      assert.equal(first[1]?.text, t('en', 'billing.results'));
      assert.deepEqual(buttons(first[2]), ['Yes', 'No']);
      assert.deepEqual(texts(refused), [t('en', 'billing.signIn')]);
      assert.deepEqual(result(client), { outcome: 'not_allowed', refusal: 'sign_in' });
    });

    it('tells an anonymous visitor to sign in when no article fits', async () => {
      const client = start('webchat', 'anonymous', { locale: 'fr', text: 'xqzt vvrk plmnb' });

      const first = await say(client, 'bonjour');

      assert.deepEqual(texts(first), [
        t('fr', 'billing.greeting'),
        t('fr', 'billing.noArticle'),
        t('fr', 'billing.signIn'),
      ]);
      assert.deepEqual(result(client), { outcome: 'not_allowed', refusal: 'sign_in' });
    });

    for (const channel of CHANNELS) {
      it(`on ${channel}, refuses a contact who is not authorized and opens nothing`, async () => {
        const before = await billingTicketsOf('nina');
        const client = start(channel, 'nina', {
          locale: 'en',
          text: 'I was charged twice this month for the same licences',
        });

        const first = await say(client, 'hi');
        const refused = await say(client, 'No');

        assert.deepEqual(buttons(first[first.length - 1]), ['Yes', 'No']);
        assert.deepEqual(texts(refused), [
          t('en', 'billing.notAuthorized', { organisation: 'Northwind IT Services', manager: 'Morgan Lee' }),
        ]);
        assert.deepEqual(result(client), { outcome: 'not_allowed', refusal: 'not_authorized' });
        assert.equal(await billingTicketsOf('nina'), before);
      });
    }

    it('refuses a signed-in user who is no customer contact', async () => {
      const client = start(
        'webchat',
        { unknownEmail: 'someone@elsewhere.example' },
        {
          locale: 'en',
          text: 'I was charged twice this month for the same licences',
        },
      );

      await say(client, 'hi');
      const refused = await say(client, 'No');

      assert.deepEqual(texts(refused), [t('en', 'billing.notAContact')]);
      assert.deepEqual(result(client), { outcome: 'not_allowed', refusal: 'not_a_contact' });
    });
  });

  describe('when the database fails at submit', () => {
    let proxy: CuttableProxy;
    let viaProxy: Connection;

    before(async () => {
      proxy = await CuttableProxy.start(testDatabaseUri());
      viaProxy = await connectDatabase({
        uri: proxy.uri(),
        dbName: connection.name,
        logger,
        serverSelectionTimeoutMs: 1_500,
      });
    });
    after(async () => {
      await viaProxy.close(true).catch(() => undefined);
      await proxy.close();
    });
    afterEach(() => proxy.restore());

    it('says kindly that nothing is lost, and the next Submit opens exactly one ticket', async () => {
      const proxiedTickets = ticketServiceOn(
        viaProxy,
        new MongoIdentityService({ connection: viaProxy, logger }),
      );
      const client = start(
        'webchat',
        'bob',
        { locale: 'fr', text: 'Je conteste le montant de la facture FAC-2026-0099, soit 350 €' },
        proxiedTickets,
      );
      await say(client, 'bonjour');
      const summary = await say(client, 'Non');
      const { draftId } = cardOf(summary);

      proxy.cut();
      const failed = await say(client, submit(draftId));
      proxy.restore();
      const retried = await say(client, submit(draftId));

      assert.deepEqual(texts(failed), [t('fr', 'billing.submitUnavailable')]);
      assert.equal(await ticketsWithDraft(draftId), 1);
      const number = /HL-\d{6}/.exec(retried[0]?.text ?? '')?.[0];
      assert.ok(number, `a ticket number in ${retried[0]?.text}`);
      assert.equal(retried[0]?.text, t('fr', 'billing.ticketOpened', { number }));
      assert.deepEqual(result(client), { outcome: 'ticket_opened', ticketNumber: number });
    });
  });

  describe('commands and hand-back', () => {
    it('hands a technical question asked in the middle back to the caller', async () => {
      const client = start('msteams', 'bob', {
        locale: 'en',
        text: 'I want to dispute a charge on my last invoice',
      });
      await say(client, 'hi');
      await say(client, 'No, open a billing ticket');

      const handed = await say(client, 'my agent is offline since this morning');

      assert.deepEqual(texts(handed), [t('en', 'billing.handBack')]);
      assert.deepEqual(result(client), {
        outcome: 'handed_back',
        technicalText: 'my agent is offline since this morning',
      });
    });

    it('hands back a technical question written in French at the topic menu', async () => {
      const client = start('webchat', 'claire', { locale: 'fr' });
      await say(client, 'facturation');

      const handed = await say(client, 'mon agent est hors ligne depuis ce matin');

      assert.deepEqual(texts(handed), [t('fr', 'billing.handBack')]);
      assert.equal(result(client)?.outcome, 'handed_back');
    });

    for (const [locale, word] of [
      ['en', 'cancel'],
      ['fr', 'Annuler'],
    ] as const) {
      it(`"${word}" as a whole message cancels (${locale}) and opens nothing`, async () => {
        const before = await billingTicketsOf('bob');
        const text =
          locale === 'en'
            ? 'I want to dispute a charge on my last invoice'
            : 'Je veux contester un montant de ma dernière facture';
        const client = start('webchat', 'bob', { locale, text });
        await say(client, 'hi');
        await say(client, t(locale, 'billing.choiceNoTicket'));

        const cancelled = await say(client, word);

        assert.deepEqual(texts(cancelled), [t(locale, 'billing.cancelled')]);
        assert.deepEqual(result(client), { outcome: 'cancelled' });
        assert.equal(await billingTicketsOf('bob'), before);
      });
    }

    it('"help" explains and asks the same question again; "start over" goes back to the topics', async () => {
      const client = start('webchat', 'bob', {
        locale: 'en',
        text: 'I want to dispute a charge on my last invoice',
      });
      await say(client, 'hi');
      await say(client, 'No, open a billing ticket');

      const help = await say(client, 'help');
      const restarted = await say(client, 'start over');

      assert.deepEqual(texts(help), [t('en', 'billing.help'), t('en', 'billing.askInvoice')]);
      assert.deepEqual(texts(restarted), [t('en', 'billing.startOver'), t('en', 'billing.askTopic')]);
    });

    it('Cancel on the summary card opens nothing', async () => {
      const before = await billingTicketsOf('alice');
      const client = start('msteams', 'alice', {
        locale: 'en',
        text: 'Please send a copy of invoice INV-2026-000123 for 10 EUR',
      });
      await say(client, 'hi');
      const { draftId } = cardOf(await say(client, 'No, open a billing ticket'));

      const cancelled = await say(client, { value: { billing: 'cancel', draftId } });

      assert.deepEqual(texts(cancelled), [t('en', 'billing.cancelled')]);
      assert.equal(await billingTicketsOf('alice'), before);
    });
  });

  describe('reading answers', () => {
    it('reads amounts as people write them', () => {
      const cases: Array<[string, ReturnType<typeof parseAmount>]> = [
        ['120', { kind: 'valid', amount: 120 }],
        ['120.50 EUR', { kind: 'valid', amount: 120.5, currency: 'EUR' }],
        ['€120,50', { kind: 'valid', amount: 120.5, currency: 'EUR' }],
        ['1 200,00 €', { kind: 'valid', amount: 1200, currency: 'EUR' }],
        ['1\u202f200,00\u00a0€', { kind: 'valid', amount: 1200, currency: 'EUR' }],
        ['$1,200.75', { kind: 'valid', amount: 1200.75, currency: 'USD' }],
        ['1.234.567,89 EUR', { kind: 'valid', amount: 1234567.89, currency: 'EUR' }],
        ['1,200', { kind: 'valid', amount: 1200 }],
        ['45 euros', { kind: 'valid', amount: 45, currency: 'EUR' }],
        ['£80', { kind: 'valid', amount: 80, currency: 'GBP' }],
        ['skip', { kind: 'skip' }],
        ['je n’en ai pas', { kind: 'skip' }],
        ['twelve', { kind: 'invalid', reason: 'not_a_number' }],
        ['12 34', { kind: 'invalid', reason: 'not_a_number' }],
        ['1,2,3', { kind: 'invalid', reason: 'not_a_number' }],
        ['0', { kind: 'invalid', reason: 'not_positive' }],
        ['-5 EUR', { kind: 'invalid', reason: 'not_positive' }],
        ['20 000 000 €', { kind: 'invalid', reason: 'too_large' }],
      ];
      for (const [input, expected] of cases) assert.deepEqual(parseAmount(input), expected, input);
    });

    it('re-asks an unreadable amount with the reason, in the conversation', async () => {
      const client = start('webchat', 'bob', {
        locale: 'en',
        text: 'I want to dispute a charge on my last invoice',
      });
      await say(client, 'hi');
      await say(client, 'No, open a billing ticket');
      await say(client, 'skip');

      const unreadable = await say(client, 'a lot');
      const summary = await say(client, '€120,50');

      assert.deepEqual(texts(unreadable), [t('en', 'billing.amountNotANumber')]);
      assert.equal(cardOf(summary).facts.Amount, '120.50 EUR');
      assert.equal(cardOf(summary).facts['Invoice number'], t('en', 'billing.summaryNotGiven'));
    });

    it('checks invoice numbers as the billing queue does', () => {
      assert.deepEqual(parseInvoiceNumber('INV-2026-004512'), { kind: 'valid', value: 'INV-2026-004512' });
      assert.deepEqual(parseInvoiceNumber('#12345'), { kind: 'valid', value: '12345' });
      assert.deepEqual(parseInvoiceNumber("I don't have one"), { kind: 'skip' });
      assert.deepEqual(parseInvoiceNumber('INV 2026'), { kind: 'invalid', reason: 'spaces' });
      assert.deepEqual(parseInvoiceNumber('AB'), { kind: 'invalid', reason: 'length' });
      assert.deepEqual(parseInvoiceNumber('INV#2026'), { kind: 'invalid', reason: 'characters' });
    });

    it('treats cancel, help and start over as commands only when they are the whole message', () => {
      assert.equal(readCommand(' Cancel. '), 'cancel');
      assert.equal(readCommand('annuler'), 'cancel');
      assert.equal(readCommand('Aide'), 'help');
      assert.equal(readCommand('start over'), 'start_over');
      assert.equal(readCommand('recommencer'), 'start_over');
      assert.equal(readCommand('cancel my renewal'), undefined);
      assert.equal(readCommand('I need help with an invoice'), undefined);
    });
  });
});
