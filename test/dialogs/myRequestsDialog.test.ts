import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { Connection } from 'mongoose';
import {
  MyRequestsDialog,
  type MyRequestsOptions,
  type MyRequestsResult,
} from '../../dialogs/myRequestsDialog';
import { t, type Locale } from '../../dialogs/texts';
import { MongoAuditLog } from '../../services/audit';
import { StaticProductCatalogue } from '../../services/catalogue';
import { connectDatabase } from '../../services/db';
import { DEMO_CONTACTS, type DemoContactName } from '../../services/identity';
import { createSilentLogger } from '../../services/logger';
import {
  MongoTicketService,
  getTicketModel,
  type StaffMember,
  type Ticket,
  type TicketService,
} from '../../services/tickets';
import { CuttableProxy } from '../services/tickets/cuttableProxy';
import {
  completeTicket,
  testClock,
  ticketFixture,
  type TestClock,
  type TicketFixture,
} from '../services/tickets/fixtures';
import { dropTestDatabase, openTestDatabase, testDatabaseUri } from '../support/database';
import { TestConversationContext, type TestUser } from '../support/testConversationContext';

type Reply = Partial<Activity>;
interface CardAction {
  type: string;
  title: string;
  data?: Record<string, unknown>;
  card?: { body: Array<Record<string, unknown>>; actions: CardAction[] };
}
interface CardContent {
  body: Array<Record<string, unknown>>;
  actions: CardAction[];
}

const CHANNELS = ['msteams', 'webchat'] as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ANN: StaffMember = { id: 'staff-ann', name: 'Ann Support' };

describe('MyRequestsDialog', function () {
  this.timeout(30_000);
  const logger = createSilentLogger();
  const catalogue = new StaticProductCatalogue();
  let connection: Connection;
  let clock: TestClock;
  let fx: TicketFixture;
  /** Bob's seven tickets, oldest first. */
  const bobs: Ticket[] = [];
  let offline: Ticket;
  let waiting: Ticket;
  let solved: Ticket;
  let ninaBilling: Ticket;
  let contosoOffline: Ticket;
  let contosoOther: Ticket;

  before(async () => {
    connection = await openTestDatabase('myrequests');
    clock = testClock('2026-11-02T10:00:00Z');
    fx = await ticketFixture(connection, clock);
    await getTicketModel(connection).init();

    offline = await open('bob', { subject: 'Agents offline after update', ccs: [DEMO_CONTACTS.nina.email] });
    bobs.push(offline);
    for (let i = 2; i <= 7; i++) bobs.push(await open('bob', { subject: `Patch job failed on server ${i}` }));
    waiting = bobs[5]!;
    solved = bobs[4]!;
    await fx.tickets.changeStatus(waiting.number, ANN, 'pending', { note: 'Please send the agent log.' });
    await fx.tickets.changeStatus(solved.number, ANN, 'resolved', { note: 'Fixed by patch 9.5.3.' });
    ninaBilling = (
      await fx.tickets.createBilling(
        {
          requesterContactId: DEMO_CONTACTS.nina.id,
          description: 'Our last invoice counts twelve licences but we only use ten of them.',
          channel: 'webchat',
        },
        'billing-nina-1',
      )
    ).ticket;
    clock.advance(60_000);
    contosoOffline = await open('claire', { subject: 'Agents offline at the Lyon site' });
    contosoOther = await open('david', { subject: 'Remote sessions drop after a minute' });
  });
  after(async () => await dropTestDatabase(connection));

  let sequence = 0;
  async function open(
    name: DemoContactName,
    overrides: Parameters<typeof completeTicket>[0] = {},
  ): Promise<Ticket> {
    clock.advance(60_000);
    const { ticket } = await fx.tickets.create(
      completeTicket({
        requesterContactId: DEMO_CONTACTS[name].id,
        description: `${overrides.subject ?? 'A problem'}: it started this week and happens every time we try.`,
        ...overrides,
      }),
      `requests-test-${++sequence}`,
    );
    return ticket;
  }

  function start(
    channel: string,
    user: TestUser,
    options: Partial<MyRequestsOptions> = {},
    tickets: TicketService = fx.tickets,
  ): DialogTestClient {
    const locale: Locale = options.locale ?? 'en';
    const dialog = new MyRequestsDialog({
      tickets,
      context: new TestConversationContext(fx.identity, user, locale),
      catalogue,
      logger,
      clock,
    });
    return new DialogTestClient(channel, dialog, { locale, ...options } satisfies MyRequestsOptions, []);
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

  const press = (data: Record<string, unknown>): Partial<Activity> => ({ type: 'message', value: data });
  const texts = (replies: Reply[]): string => replies.map((r) => r.text ?? '').join('\n');
  const result = (client: DialogTestClient): MyRequestsResult | undefined =>
    client.dialogTurnResult.result as MyRequestsResult | undefined;

  function card(replies: Reply[]): CardContent {
    const attachment = replies
      .flatMap((r) => r.attachments ?? [])
      .find((a) => a.contentType.includes('adaptive'));
    assert.ok(attachment, `no card in ${JSON.stringify(texts(replies))}`);
    return attachment.content as CardContent;
  }

  /** The ticket numbers of a list card, top to bottom. */
  function listed(replies: Reply[]): string[] {
    return card(replies)
      .body.filter((b) => b.type === 'Container')
      .map((b) => (b.selectAction as { data: { number: string } }).data.number);
  }

  const actionTitles = (content: CardContent): string[] => content.actions.map((a) => a.title);
  const action = (content: CardContent, title: string): CardAction => {
    const found = content.actions.find((a) => a.title === title);
    assert.ok(found, `no action "${title}" in ${JSON.stringify(actionTitles(content))}`);
    return found;
  };
  /** All the text of a ticket card (facts and blocks). */
  /** The card as a reader sees it: a labelled field as "Label: value", markdown escapes undone. */
  function cardText(content: CardContent): string {
    const texts = (items: unknown): string[] =>
      ((items as Array<{ text?: unknown }> | undefined) ?? []).map((i) =>
        typeof i.text === 'string' ? i.text : '',
      );
    return content.body
      .flatMap((b) => [
        typeof b.text === 'string' ? b.text : '',
        ...(b.type === 'Container' && Array.isArray(b.items) && b.items.length === 2
          ? [texts(b.items).join(': ')]
          : []),
      ])
      .join('\n')
      .replace(/\\(.)/g, '$1');
  }

  async function reload(number: string): Promise<Ticket> {
    const doc = await getTicketModel(connection).findOne({ number }).lean().exec();
    assert.ok(doc);
    return { ...doc, id: doc._id };
  }

  const numbersOf = (tickets: Ticket[]): string[] => tickets.map((ticket) => ticket.number);

  for (const channel of CHANNELS) {
    describe(`on ${channel}`, () => {
      describe('lists', () => {
        it('lists the requests the user opened, newest first, five per page with Next and Previous', async () => {
          const client = start(channel, 'bob');

          const first = await say(client, 'my requests');
          const next = await say(client, press(action(card(first), 'Next').data!));
          const back = await say(client, 'previous');

          const newestFirst = numbersOf([...bobs].reverse());
          assert.match(texts(first), /Requests you opened: 7\./);
          assert.deepEqual(listed(first), newestFirst.slice(0, 5));
          assert.ok(!actionTitles(card(first)).includes('Previous'));
          assert.deepEqual(listed(next), newestFirst.slice(5));
          assert.ok(actionTitles(card(next)).includes('Previous'));
          assert.ok(!actionTitles(card(next)).includes('Next'));
          assert.deepEqual(listed(back), newestFirst.slice(0, 5));
        });

        it('says so when asked for a page before the first', async () => {
          const client = start(channel, 'bob');
          await say(client, 'hi');

          const replies = await say(client, 'previous');

          assert.equal(texts(replies), t('en', 'requests.firstPage'));
        });

        it('shows each ticket with its status, severity and last update', async () => {
          const client = start(channel, 'bob');

          const replies = await say(client, 'hi');

          const rows = card(replies).body.filter((b) => b.type === 'Container');
          const row = rows.find(
            (b) => (b.selectAction as { data: { number: string } }).data.number === waiting.number,
          );
          const lines = (row?.items as Array<{ text?: string }>).map((i) => i.text ?? '').join('\n');
          assert.match(lines, new RegExp(`${waiting.number}.*Patch job failed on server 6`));
          assert.match(lines, /Status: Waiting for your reply · Severity 2 \(high\) · Updated \d+ Nov 2026/);
        });

        it('lists the requests the user is copied on', async () => {
          const client = start(channel, 'nina');
          await say(client, 'hi');

          const replies = await say(client, press({ requests: 'scope', scope: 'cc' }));

          assert.match(texts(replies), /Requests you are copied on: 1\./);
          assert.deepEqual(listed(replies), [offline.number]);
        });

        it('starts on the list the first message names', async () => {
          const client = start(channel, 'nina', { text: "show me the tickets where I'm cc'd" });

          const replies = await say(client, 'hi');

          assert.deepEqual(listed(replies), [offline.number]);
        });

        it('offers the organisation list only to authorized contacts, and refuses it to others', async () => {
          const nina = start(channel, 'nina');
          const ninaList = await say(nina, 'hi');
          const refused = await say(nina, 'my organisation');
          const alice = start(channel, 'alice');
          const aliceList = await say(alice, 'hi');

          assert.deepEqual(listed(ninaList), [ninaBilling.number]);
          assert.ok(!actionTitles(card(ninaList)).includes('My organisation'));
          assert.match(
            texts(refused),
            /Only authorized contacts of Northwind IT Services can see all of its requests/,
          );
          assert.deepEqual(listed(refused), [ninaBilling.number]);
          assert.ok(actionTitles(card(aliceList)).includes('My organisation'));
        });

        it("lists the whole organisation's requests for an authorized contact, and only its own", async () => {
          const client = start(channel, 'claire');
          await say(client, 'hi');

          const replies = await say(client, press({ requests: 'scope', scope: 'organisation' }));

          assert.match(texts(replies), /Requests of Contoso Managed Services: 2\./);
          assert.deepEqual(listed(replies), [contosoOther.number, contosoOffline.number]);
        });

        it('filters by status, from the form and typed, and "all" clears the filter', async () => {
          const client = start(channel, 'bob');
          await say(client, 'hi');

          const resolved = await say(
            client,
            press({ requests: 'filter', statusFilter: 'resolved', searchText: '' }),
          );
          const waitingOnes = await say(client, 'waiting');
          const newOnes = await say(client, 'new');
          const all = await say(client, 'all');

          // "New" is a status of its own (issue 10, item 11): the five never worked on.
          assert.equal(listed(newOnes).length, 5);
          assert.ok(!listed(newOnes).includes(waiting.number) && !listed(newOnes).includes(solved.number));

          assert.deepEqual(listed(resolved), [solved.number]);
          assert.match(cardText(card(resolved)), /Status: Resolved/);
          assert.deepEqual(listed(waitingOnes), [waiting.number]);
          assert.match(texts(all), /Requests you opened: 7\./);
        });

        it('searches by words and by number', async () => {
          const client = start(channel, 'alice');
          await say(client, 'hi');
          await say(client, press({ requests: 'scope', scope: 'organisation' }));

          const byWords = await say(client, 'search offline');
          const byNumber = await say(client, press({ requests: 'filter', searchText: waiting.number }));
          const nothing = await say(client, 'teleportation');

          assert.deepEqual(listed(byWords), [offline.number]);
          assert.match(cardText(card(byWords)), /Search: “offline”/);
          assert.deepEqual(listed(byNumber), [waiting.number]);
          assert.deepEqual(listed(nothing), []);
          assert.match(cardText(card(nothing)), /No request matches these filters/);
        });
        it('a typed search after a status filter does not keep that filter silently: the card says what applies', async () => {
          const client = start(channel, 'alice');
          await say(client, 'hi');
          await say(client, press({ requests: 'scope', scope: 'organisation' }));
          const waitingOnly = await say(
            client,
            press({ requests: 'filter', statusFilter: 'waiting', searchText: '' }),
          );
          assert.ok(
            !listed(waitingOnly).includes(offline.number),
            'the offline ticket is not waiting for the user',
          );

          const searched = await say(client, 'search offline');
          const text = cardText(card(searched));
          assert.deepEqual(listed(searched), [offline.number], 'the earlier status filter no longer applies');
          assert.match(text, /Search: “offline”/);
          assert.doesNotMatch(text, /Waiting for me/);
        });
      });

      describe('one ticket', () => {
        it('opens a ticket typed by number, with its timeline', async () => {
          const client = start(channel, 'bob');
          await say(client, 'hi');

          const replies = await say(client, `what about ${waiting.number.toLowerCase()}?`);

          const content = card(replies);
          const text = cardText(content);
          assert.match(text, new RegExp(waiting.number));
          assert.match(text, /Status: Waiting for your reply/);
          assert.match(text, /Bob Singh opened the ticket/);
          assert.match(
            text,
            /Support \(Ann Support\) changed the status from “New” to “Waiting for your reply”\. Note: Please send the agent log\./,
          );
          assert.deepEqual(actionTitles(content), [
            'Add a comment',
            'Ask for escalation',
            'I no longer need help',
            'Back to the list',
          ]);
        });

        it('opens the ticket MainDialog passes, and a list button goes back to the list', async () => {
          const client = start(channel, 'bob', { ticketNumber: offline.number });

          const opened = await say(client, `what about ${offline.number}?`);
          const list = await say(client, press(action(card(opened), 'Back to the list').data!));

          assert.match(cardText(card(opened)), /Agents offline after update/);
          assert.match(texts(list), /Requests you opened: 7\./);
        });
      });

      describe("another organisation's tickets", () => {
        it('answers a Northwind number exactly as a number that does not exist, typed or passed in', async () => {
          const typed = start(channel, 'claire');
          await say(typed, 'hi');
          const other = await say(typed, `what about ${offline.number}?`);
          const missing = await say(typed, 'what about HL-999999?');
          const passed = start(channel, 'claire', { ticketNumber: offline.number });
          const passedReplies = await say(passed, 'hi');

          assert.equal(texts(other), t('en', 'requests.notFound', { number: offline.number }));
          assert.equal(texts(other).replace(offline.number, 'N'), texts(missing).replace('HL-999999', 'N'));
          assert.equal(passedReplies[0]?.text, t('en', 'requests.notFound', { number: offline.number }));
          assert.ok(!JSON.stringify(passedReplies).includes('Agents offline after update'));
        });

        it('never finds them by search, by number search or in any list', async () => {
          const client = start(channel, 'claire');
          await say(client, 'hi');
          await say(client, press({ requests: 'scope', scope: 'organisation' }));

          const byWords = await say(client, 'offline');
          const byNumber = await say(client, press({ requests: 'filter', searchText: offline.number }));
          const all = await say(client, 'all');

          assert.deepEqual(listed(byWords), [contosoOffline.number]);
          assert.deepEqual(listed(byNumber), []);
          assert.ok(!listed(all).some((n) => numbersOf(bobs).includes(n)));
        });

        it('refuses forged card actions on them with the same answer, and changes nothing', async () => {
          const client = start(channel, 'claire');
          await say(client, 'hi');
          const before = await reload(waiting.number);

          const comment = await say(
            client,
            press({ requests: 'comment', number: waiting.number, comment: 'Hello from Contoso' }),
          );
          const escalate = await say(
            client,
            press({ requests: 'escalate', number: waiting.number, reason: 'Urgent for us' }),
          );
          const resolve = await say(client, press({ requests: 'resolve', number: waiting.number }));
          const newTicket = await say(client, press({ requests: 'new_ticket', number: solved.number }));
          const reopen = await say(client, press({ requests: 'reopen', number: solved.number }));

          const notFound = (n: string): string => t('en', 'requests.notFound', { number: n });
          assert.equal(texts(comment), notFound(waiting.number));
          assert.equal(texts(escalate), notFound(waiting.number));
          assert.equal(texts(resolve), notFound(waiting.number));
          assert.equal(texts(newTicket), notFound(solved.number));
          assert.equal(texts(reopen), notFound(solved.number));
          assert.equal((await reload(solved.number)).status, 'resolved');
          assert.equal(result(client), undefined);
          const after = await reload(waiting.number);
          assert.equal(after.timeline.length, before.timeline.length);
          assert.equal(after.status, 'pending');
        });
      });

      describe('actions', () => {
        it('adds a comment from the card, asking for the text when the form was empty', async () => {
          const ticket = await open('alice', { subject: 'Console slow to load' });
          const client = start(channel, 'alice', { ticketNumber: ticket.number });
          await say(client, 'hi');

          const asked = await say(client, press({ requests: 'comment', number: ticket.number, comment: '' }));
          const added = await say(client, 'The console takes two minutes to load since Monday.');

          assert.equal(texts(asked), t('en', 'requests.askComment', { number: ticket.number }));
          assert.equal(added[0]?.text, t('en', 'requests.commentAdded', { number: ticket.number }));
          assert.match(
            cardText(card(added)),
            /Alice Martin wrote: The console takes two minutes to load since Monday\./,
          );
          const comments = (await reload(ticket.number)).timeline.filter((e) => e.type === 'comment');
          assert.deepEqual(
            comments.map((e) => e.data.text),
            ['The console takes two minutes to load since Monday.'],
          );
        });

        it('offers to add words typed on an open ticket as a comment, and adds them only on yes', async () => {
          const client = start(channel, 'bob', { ticketNumber: waiting.number });
          await say(client, 'hi');

          const offered = await say(client, 'Here is the agent log you asked for.');
          const added = await say(client, 'yes');

          assert.equal(texts(offered), t('en', 'requests.confirmComment', { number: waiting.number }));
          assert.equal(added[0]?.text, t('en', 'requests.commentAddedReplied', { number: waiting.number }));
          assert.equal((await reload(waiting.number)).status, 'open');
          await fx.tickets.changeStatus(waiting.number, ANN, 'pending');
        });

        it('asks for escalation with a reason', async () => {
          const ticket = await open('alice', { subject: 'Backups stopped on all servers' });
          const client = start(channel, 'alice', { ticketNumber: ticket.number });
          await say(client, 'hi');

          await say(client, 'escalate');
          const done = await say(client, 'Our month-end closing depends on these backups.');

          assert.equal(done[0]?.text, t('en', 'requests.escalationDone', { number: ticket.number }));
          const saved = await reload(ticket.number);
          assert.equal(saved.escalated, true);
          const event = saved.timeline.find((e) => e.type === 'escalation_requested');
          assert.equal(event?.data.reason, 'Our month-end closing depends on these backups.');
          assert.match(cardText(card(done)), /Escalation: requested/);
          // Only the actions that still apply (issue 10, item 11): no second escalation.
          assert.ok(!actionTitles(card(done)).includes('Ask for escalation'));
        });

        it('resolves a ticket on "I no longer need help" only after a confirmation', async () => {
          const ticket = await open('alice', { subject: 'Dashboard widgets empty' });
          const client = start(channel, 'alice', { ticketNumber: ticket.number });
          const opened = await say(client, 'hi');

          const asked = await say(client, press(action(card(opened), 'I no longer need help').data!));
          const kept = await say(client, 'no');
          const statusAfterNo = (await reload(ticket.number)).status;
          await say(client, press({ requests: 'resolve', number: ticket.number }));
          const resolved = await say(client, 'yes');

          assert.equal(texts(asked), t('en', 'requests.confirmResolve', { number: ticket.number, days: 7 }));
          assert.deepEqual(
            asked[0]?.suggestedActions?.actions.map((a) => a.title),
            ['Yes', 'No'],
          );
          assert.equal(texts(kept), t('en', 'requests.resolveKept', { number: ticket.number }));
          assert.equal(statusAfterNo, 'new');
          assert.equal(
            resolved[0]?.text,
            t('en', 'requests.resolvedDone', { number: ticket.number, days: 7 }),
          );
          assert.equal((await reload(ticket.number)).status, 'resolved');
          assert.deepEqual(actionTitles(card(resolved)), ['Reopen', 'Back to the list']);
        });

        it('reopens a ticket resolved 6 days 23 hours ago', async () => {
          const ticket = await open('alice', { subject: 'Alerts arrive late' });
          await fx.tickets.resolveByCustomer(ticket.number, await fx.viewer('alice'));
          clock.advance(6 * DAY + 23 * HOUR);
          const client = start(channel, 'alice', { ticketNumber: ticket.number });
          const opened = await say(client, 'hi');

          const reopened = await say(client, press(action(card(opened), 'Reopen').data!));

          assert.match(cardText(card(opened)), /You can reopen it until/);
          assert.equal(reopened[0]?.text, t('en', 'requests.reopened', { number: ticket.number }));
          assert.equal((await reload(ticket.number)).status, 'new');
        });

        it('refuses to reopen 7 days 1 hour after the resolution and offers a new ticket linking the old one', async () => {
          const ticket = await open('alice', { subject: 'Reports show wrong time zone' });
          await fx.tickets.resolveByCustomer(ticket.number, await fx.viewer('alice'));
          const resolvedAt = clock.now;
          clock.advance(7 * DAY + HOUR);
          const client = start(channel, 'alice');
          await say(client, 'hi');

          const refused = await say(client, press({ requests: 'reopen', number: ticket.number }));
          const accepted = await say(client, 'yes');

          assert.match(
            texts(refused),
            new RegExp(
              `${ticket.number} was resolved on .*more than 7 days ago, so it can no longer be reopened`,
            ),
          );
          assert.ok(
            texts(refused).includes(
              new Intl.DateTimeFormat('en-GB', {
                day: 'numeric',
                month: 'short',
                year: 'numeric',
                timeZone: 'UTC',
              }).format(resolvedAt),
            ),
          );
          assert.deepEqual(
            refused[0]?.suggestedActions?.actions.map((a) => a.title),
            ['Yes', 'No'],
          );
          assert.equal((await reload(ticket.number)).status, 'resolved');
          assert.deepEqual(accepted, []);
          assert.deepEqual(result(client), { outcome: 'new_ticket', relatedTicketNumber: ticket.number });
        });

        it('shows a closed ticket with a button for a new ticket about it', async () => {
          const ticket = await open('alice', { subject: 'Old certificate warning' });
          await fx.tickets.changeStatus(ticket.number, ANN, 'closed');
          const client = start(channel, 'alice', { ticketNumber: ticket.number });

          const opened = await say(client, 'hi');
          await say(client, press(action(card(opened), 'Open a new ticket about this').data!));

          assert.match(cardText(card(opened)), /Closed for good/);
          assert.deepEqual(result(client), { outcome: 'new_ticket', relatedTicketNumber: ticket.number });
        });
      });

      describe('leaving and refusals', () => {
        it('tells an anonymous visitor to sign in and shows no list', async () => {
          const client = start(channel, 'anonymous');

          const replies = await say(client, 'my requests');

          assert.equal(texts(replies), t('en', 'requests.signIn'));
          assert.ok(!replies.some((r) => r.attachments?.length));
          assert.deepEqual(result(client), { outcome: 'refused' });
        });

        it('tells a signed-in user who is no customer contact that there is nothing to show', async () => {
          const client = start(channel, { unknownEmail: 'stranger@example.org' });

          const replies = await say(client, 'my requests');

          assert.equal(texts(replies), t('en', 'requests.unknownUser'));
          assert.deepEqual(result(client), { outcome: 'refused' });
        });

        it('leaves on "cancel" at any step, even while a comment is asked for', async () => {
          const client = start(channel, 'bob', { ticketNumber: offline.number });
          await say(client, 'hi');
          await say(client, 'add a comment');

          const replies = await say(client, 'cancel');

          assert.equal(texts(replies), t('en', 'requests.cancelled'));
          assert.deepEqual(result(client), { outcome: 'cancelled' });
        });

        it('speaks French and leaves on "annuler"', async () => {
          const client = start(channel, 'bob', { locale: 'fr' });

          const list = await say(client, 'mes demandes');
          const left = await say(client, 'annuler');

          assert.match(texts(list), /Demandes que vous avez ouvertes\s: 7\./);
          assert.ok(actionTitles(card(list)).includes('Suivant'));
          assert.equal(texts(left), t('fr', 'requests.cancelled'));
          assert.deepEqual(result(client), { outcome: 'cancelled' });
        });
      });
    });
  }

  describe('when the database fails', () => {
    let proxy: CuttableProxy;
    let viaProxy: Connection;
    let proxiedTickets: MongoTicketService;

    before(async () => {
      proxy = await CuttableProxy.start(testDatabaseUri());
      viaProxy = await connectDatabase({
        uri: proxy.uri(),
        dbName: connection.name,
        logger,
        serverSelectionTimeoutMs: 1_500,
      });
      proxiedTickets = new MongoTicketService({
        connection: viaProxy,
        logger,
        clock,
        identity: fx.identity,
        catalogue,
        audit: new MongoAuditLog({ connection: viaProxy, logger, clock }),
      });
    });
    after(async () => {
      await viaProxy.close(true).catch(() => undefined);
      await proxy.close();
    });
    afterEach(() => proxy.restore());

    for (const channel of CHANNELS) {
      it(`on ${channel}, says kindly that nothing is lost, and "try again" adds the comment exactly once`, async () => {
        const ticket = await open('alice', { subject: 'Agent install fails on macOS' });
        const client = start(channel, 'alice', { ticketNumber: ticket.number }, proxiedTickets);
        await say(client, 'hi');
        await say(client, 'add a comment');

        proxy.cut();
        const failed = await say(client, 'The installer stops at 80 percent.');
        proxy.restore();
        const retried = await say(client, 'try again');

        assert.equal(texts(failed), t('en', 'requests.unavailableKept'));
        assert.deepEqual(
          failed[0]?.suggestedActions?.actions.map((a) => a.title),
          ['Try again'],
        );
        assert.equal(retried[0]?.text, t('en', 'requests.commentAdded', { number: ticket.number }));
        const comments = (await reload(ticket.number)).timeline.filter((e) => e.type === 'comment');
        assert.deepEqual(
          comments.map((e) => e.data.text),
          ['The installer stops at 80 percent.'],
        );
      });
    }

    it('says kindly that the list cannot be shown, and shows it on the next message', async () => {
      const client = start('webchat', 'bob', {}, proxiedTickets);
      await say(client, 'hi');

      proxy.cut();
      const failed = await say(client, 'next');
      proxy.restore();
      const shown = await say(client, 'next');

      assert.equal(texts(failed), t('en', 'requests.unavailable'));
      assert.deepEqual(listed(shown), numbersOf([...bobs].reverse()).slice(5));
    });
  });
});
