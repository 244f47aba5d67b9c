import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type HelplineApp } from '../../bot';
import { loadConfig } from '../../bot/config';
import { freePort, startEmbeddedDatabase } from '../../services/db';
import { DEMO_CONTACTS, DEMO_TENANTS, MongoIdentityService } from '../../services/identity';
import { createSilentLogger } from '../../services/logger';
import { getTicketModel } from '../../services/tickets';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../support/app';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { StatusPageStandIn } from '../support/statusPageStandIn';
import { draftIdIn, shown, TeamsTestClient } from '../support/teamsClient';

type Replies = Array<Record<string, unknown>>;

/** One user in one channel, as the intake sees them. */
interface Talker {
  say(text: string): Promise<Replies>;
  press(value: Record<string, unknown>): Promise<Replies>;
}

async function webUser(
  app: HelplineApp,
  who?: keyof typeof DEMO_CONTACTS,
  locale = 'en-US',
): Promise<Talker> {
  const client = new DirectLineTestClient(app.url());
  const contact = who ? DEMO_CONTACTS[who] : undefined;
  const userToken = contact
    ? await app.userTokens!.sign({ subject: contact.webSubject, email: contact.email, name: contact.name })
    : undefined;
  await client.start(userToken ? { userToken } : {});
  await client.waitForBot(1);
  return {
    say: async (text) => await client.say(text, { locale }),
    press: async (value) => await client.say('', { value, locale }),
  };
}

function teamsUser(
  app: HelplineApp,
  connector: ConnectorStandIn,
  serviceUrl: string,
  who: keyof typeof DEMO_CONTACTS,
  tenantId?: string,
): Talker {
  const contact = DEMO_CONTACTS[who];
  const tenant =
    tenantId ?? (contact.organisationId === 'org-contoso' ? DEMO_TENANTS.contoso : DEMO_TENANTS.northwind);
  const client = new TeamsTestClient(app.url(), connector, serviceUrl, {
    tenantId: tenant,
    aadObjectId: contact.aadObjectId,
    name: contact.name,
  });
  return { say: async (text) => await client.say(text), press: async (value) => await client.say('', value) };
}

/** Answers for a complete chat intake, question by question. */
const ANSWERS = {
  module: 'Backup and recovery',
  subject: 'Nightly backup job fails',
  description: 'The nightly backup job fails with a VSS error on two servers. I expected it to complete.',
  severity: '3',
  serverUrl: 'https://backup.northwind.example',
  stepsToReproduce: 'Run the nightly job from the console and watch the log',
  devices: 'SN: 5CG1234XYZ, device: 10452',
  productVersion: '7.1.4',
};

type Answers = typeof ANSWERS & { reachable?: string };

/** Each question of the intake, by its words, and the answer a partner gives to it. */
const PROMPTS: Array<[RegExp, (a: Answers) => string]> = [
  [/Which module/, (a) => a.module],
  [/Describe the problem: what happens/, (a) => `${a.subject}. ${a.description}`],
  [/In one line, what is the problem/, (a) => a.subject],
  [/Describe what happens/, (a) => a.description],
  [/How serious/, (a) => a.severity],
  [/reachable 24×7/, (a) => a.reachable ?? 'yes'],
  // Asked with the version: a partner who knows both gives both.
  [
    /full address of the affected server/,
    (a) =>
      /^https?:/.test(a.serverUrl) && /^\d/.test(a.productVersion)
        ? `${a.serverUrl}, version ${a.productVersion}`
        : a.serverUrl,
  ],
  [/steps to reproduce the problem/, (a) => a.stepsToReproduce],
  [/Which devices/, (a) => a.devices],
  [/Which version of/, (a) => a.productVersion],
];

/** Walks from "open a ticket" to the summary card, answering what is asked; returns the user turns. */
async function fillInChat(
  user: Talker,
  answers: Partial<Answers> = ANSWERS,
): Promise<{ turns: number; last: Replies }> {
  const all: Answers = { ...ANSWERS, ...answers };
  let last = await user.say('I want to open a ticket');
  let turns = 1;
  for (let guard = 0; guard < 12 && !draftIdIn(last); guard++) {
    const text = shown(last);
    const asked = PROMPTS.map(([words, answer]) => ({ at: lastIndex(words, text), answer }))
      .filter((p) => p.at >= 0)
      .sort((a, b) => b.at - a.at)[0];
    if (!asked) break;
    last = await user.say(asked.answer(all));
    turns++;
  }
  return { turns, last };
}

/** Where `words` last occur in `text`, or -1. */
function lastIndex(words: RegExp, text: string): number {
  return [...text.matchAll(new RegExp(words.source, 'g'))].pop()?.index ?? -1;
}

describe('TicketIntakeDialog', function () {
  this.timeout(120_000);
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let app: HelplineApp;

  before(async () => {
    serviceUrl = await connector.start();
    app = await startTestApp('intake', {
      DIRECTLINE_TOKENS_PER_MINUTE: '10000',
      BOT_ALLOW_ANONYMOUS: 'true',
    });
  });
  after(async () => {
    await stopTestApp(app);
    await connector.stop();
  });

  const tickets = async (): Promise<number> => await getTicketModel(app.connection).countDocuments().exec();

  describe('who may open a ticket', () => {
    it('tells an anonymous web visitor how to sign in', async () => {
      const user = await webUser(app);
      assert.match(shown(await user.say('open a ticket')), /sign in/i);
    });

    it('ignores a forged `from` on web chat: the identity comes from the conversation only', async () => {
      const client = new DirectLineTestClient(app.url());
      await client.start();
      await client.waitForBot(1);
      const replies = await client.say('open a ticket', {
        from: { id: 'wu_demo-alice', name: 'Alice Martin' },
      });
      assert.match(shown(replies), /sign in/i);
    });

    it('refuses a Teams user of an unknown tenant', async () => {
      const user = teamsUser(app, connector, serviceUrl, 'alice', 'tenant-unknown');
      assert.match(shown(await user.say('open a ticket')), /could not find you/i);
    });

    it('recognises a Teams contact by the email the Teams roster gives when the AAD id is new to us', async () => {
      const identities = new MongoIdentityService({
        connection: app.connection,
        logger: createSilentLogger(),
      });
      await identities.saveContact({
        id: 'contact-rosa',
        organisationId: 'org-northwind',
        name: 'Rosa Diaz',
        email: 'rosa@northwind.example',
        authorized: true,
        certifiedAdminUntil: null,
        reachable24x7: false,
      });
      connector.roster.set('29:aad-rosa', {
        id: '29:aad-rosa',
        name: 'Rosa Diaz',
        email: 'rosa@northwind.example',
        aadObjectId: 'aad-rosa',
      });
      const client = new TeamsTestClient(app.url(), connector, serviceUrl, {
        tenantId: DEMO_TENANTS.northwind,
        aadObjectId: 'aad-rosa',
        name: 'Rosa Diaz',
      });
      assert.match(shown(await client.say('open a ticket')), /Which module/);
    });

    for (const channel of ['webchat', 'msteams'] as const) {
      it(`lets a non-authorized contact leave an access request (${channel})`, async () => {
        // One open request per person: each channel asks for someone else.
        const user =
          channel === 'webchat' ? await webUser(app, 'nina') : teamsUser(app, connector, serviceUrl, 'oscar');
        assert.match(
          shown(await user.say('open a ticket')),
          channel === 'webchat'
            ? /Only authorized contacts of Northwind IT Services/
            : /Only authorized contacts of Contoso Managed Services/,
        );
        assert.match(shown(await user.say('yes')), /request was recorded/);
      });

      it(`walks an authorized contact to the summary (${channel})`, async () => {
        const user =
          channel === 'webchat' ? await webUser(app, 'bob') : teamsUser(app, connector, serviceUrl, 'bob');
        const { last } = await fillInChat(user);
        assert.ok(draftIdIn(last), 'the summary card is shown');
        assert.match(shown(last), /Nightly backup job fails/);
      });
    }
  });

  describe('validation', () => {
    it('re-asks each invalid field with its reason and keeps the other answers', async () => {
      const user = await webUser(app, 'bob');
      await user.say('open a ticket');
      assert.match(shown(await user.say('the coffee machine')), /did not recognise that module/);
      await user.say('Backup and recovery');
      // Subject and description are asked together; the answer is re-asked with its reason.
      assert.match(shown(await user.say('fails')), /at least 10 characters/);
      await user.say(ANSWERS.description);
      assert.match(shown(await user.say('very bad')), /severity from 1 \(critical\) to 4/);
      await user.say('3');
      assert.match(
        shown(await user.say('backup.northwind.example')),
        /must start with http:\/\/ or https:\/\//,
      );
      assert.match(shown(await user.say('ftp://backup.northwind.example')), /must start with http/);
      await user.say('https://backup.northwind.example');
      await user.say('Run the nightly job');
      assert.match(shown(await user.say('none')), /runs on devices/);
      assert.match(
        shown(await user.say('the big one in the corner, again')),
        /serial number and a device number/,
      );
      await user.say('5CG1234XYZ / 10452\n5CG9999ABC / 10453');
      assert.match(shown(await user.say('seven')), /format is three numbers/);
      const summary = await user.say('6.5.0');
      assert.match(
        shown(summary),
        /version 6\.5\.0 is no longer supported\. Supported versions are 7\.1\.4, 7\.0\.9, 6\.8\.2/,
      );
      const facts = shown(summary);
      assert.match(facts, /5CG1234XYZ \/ 10452\n5CG9999ABC \/ 10453/);
      assert.match(facts, /The nightly backup job fails with a VSS error on two servers/);
    });

    it('takes "I don\'t know" for server, steps, devices and version, and opens the ticket on hold', async () => {
      const user = await webUser(app, 'bob');
      const { last } = await fillInChat(user, {
        serverUrl: "I don't know",
        stepsToReproduce: 'not sure',
        devices: 'je ne sais pas',
        productVersion: 'unknown',
      });
      const done = await user.press({ intake: 'submit', draftId: draftIdIn(last) });
      assert.match(shown(done), /Your ticket HL-\d+ is open/);
      assert.match(
        shown(done),
        /on hold until support has: Server URL, Steps to reproduce, Affected devices, Product version/,
      );
    });
  });

  describe('what is already known is not asked', () => {
    it('takes the problem and module from the knowledge step and asks only the rest', async () => {
      const user = await webUser(app, 'bob');
      await user.say('my agent shows offline since this morning');
      const first = shown(await user.say('Not solved, open a ticket'));
      assert.doesNotMatch(first, /Which module/);
      assert.match(first, /How serious is it/);
      let turns = 2;
      let last: Replies = [];
      for (const answer of [
        '2',
        'https://rmm.northwind.example',
        'Open the console',
        'SN 5CG1, device 1',
        '9.5.2',
      ]) {
        last = await user.say(answer);
        turns++;
      }
      assert.ok(draftIdIn(last), 'summary reached');
      assert.match(shown(last), /My agent shows offline since this morning/);
      assert.match(shown(last), /Articles already tried: Agent shows as offline/);
      const done = await user.press({ intake: 'submit', draftId: draftIdIn(last) });
      turns++;
      assert.match(shown(done), /HL-\d+/);
      assert.ok(turns <= 8, `${turns} turns from the KB to the ticket number`);
    });

    it('takes the fields a first message states plainly', async () => {
      const user = await webUser(app, 'bob');
      const replies = await user.say(
        'open a ticket: backup fails on https://backup.northwind.example, severity 3, serial SN-77 device 42, version 7.1.4',
      );
      const text = shown(replies);
      assert.doesNotMatch(text, /Which module|In one line|Describe what happens|How serious/);
      assert.match(text, /steps to reproduce/, 'only the steps are left to ask');
      const summary = await user.say('Run the nightly job from the console');
      assert.ok(draftIdIn(summary), 'the summary follows');
      const facts = shown(summary);
      assert.match(facts, /https:\/\/backup\.northwind\.example/);
      assert.match(facts, /SN-77 \/ 42/);
      assert.match(facts, /7\.1\.4/);
      assert.match(facts, /3 – Moderate/);
      assert.match(
        facts,
        /Taken from your messages: Module, Subject, Description, Severity, Server URL, Affected devices, Product version/,
      );
    });

    it('needs at most 8 turns from "open a ticket" to the ticket number in chat', async () => {
      const user = await webUser(app, 'bob');
      const { turns, last } = await fillInChat(user);
      const done = await user.press({ intake: 'submit', draftId: draftIdIn(last) });
      assert.match(shown(done), /HL-\d+/);
      // Problem and subject in one answer, server and version in one: 7 answers and Submit.
      assert.ok(turns + 1 <= 8, `${turns + 1} turns`);
    });
  });

  describe('severity 1', () => {
    it('is kept when round-the-clock availability is confirmed', async () => {
      const user = await webUser(app, 'alice');
      const { last: summary } = await fillInChat(user, { severity: '1', reachable: 'yes' });
      assert.match(shown(summary), /1 – Critical/);
      const done = await user.press({ intake: 'submit', draftId: draftIdIn(summary) });
      assert.match(shown(done), /escalated to the on-call team/);
    });

    it('is lowered to 2, saying why, when nobody can be reached around the clock', async () => {
      const user = await webUser(app, 'bob');
      await user.say('open a ticket');
      await user.say('Backup and recovery');
      await user.say('Every backup on every server fails since the update.');
      assert.match(shown(await user.say('1')), /reachable 24×7/);
      assert.match(
        shown(await user.say('no')),
        /set severity 2: severity 1 needs someone reachable around the clock/,
      );
    });
  });

  describe('the summary', () => {
    it('changes one field, re-asks only that one, and comes back to the summary', async () => {
      const user = await webUser(app, 'bob');
      const { last } = await fillInChat(user);
      const draftId = draftIdIn(last)!;
      assert.match(
        shown(await user.press({ intake: 'change', draftId })),
        /Which field do you want to change/,
      );
      assert.match(
        shown(await user.press({ intake: 'change_field', draftId, field: 'serverUrl' })),
        /full address of the affected server/,
      );
      const back = await user.say('https://backup2.northwind.example');
      assert.equal(draftIdIn(back), draftId, 'back on the summary');
      assert.match(shown(back), /https:\/\/backup2\.northwind\.example/);
      assert.match(shown(back), /Nightly backup job fails/, 'the other answers are kept');
    });

    it('adds people in copy, validating each address', async () => {
      const user = await webUser(app, 'bob');
      const { last } = await fillInChat(user);
      const draftId = draftIdIn(last)!;
      await user.press({ intake: 'change_field', draftId, field: 'ccs' });
      assert.match(
        shown(await user.say('ops@northwind.example, not-an-email')),
        /"not-an-email" is not a valid email address/,
      );
      await user.say('ops@northwind.example');
      const done = await user.press({ intake: 'submit', draftId });
      assert.match(shown(done), /Copied: morgan\.lee@vendor\.example, ops@northwind\.example/);
    });
  });

  describe('commands', () => {
    it('cancels at every step, and nothing is opened', async () => {
      for (let step = 0; step <= Object.keys(ANSWERS).length; step++) {
        const user = await webUser(app, 'bob');
        const before = await tickets();
        await user.say('open a ticket');
        for (const answer of Object.values(ANSWERS).slice(0, step)) await user.say(answer);
        assert.match(
          shown(await user.say(step % 2 ? 'cancel' : 'annuler')),
          /no ticket was opened/i,
          `cancel after ${step} answers`,
        );
        assert.equal(await tickets(), before);
      }
    });

    it('treats the command words inside a longer answer as text', async () => {
      const user = await webUser(app, 'bob');
      await user.say('open a ticket');
      await user.say('Backup and recovery');
      await user.say('Cancel button does nothing');
      const next = shown(
        await user.say('When I press cancel and go back, the job keeps running; it should stop.'),
      );
      assert.match(next, /How serious is it/);
    });

    it('goes back one question, helps, and starts over', async () => {
      const user = await webUser(app, 'bob');
      await user.say('open a ticket');
      await user.say('Backup and recovery');
      assert.match(shown(await user.say('back')), /Which module/);
      await user.say('Patch management');
      assert.match(shown(await user.say('help')), /"back" for the previous question/);
      assert.match(shown(await user.say('start over')), /Which module/);
    });
  });

  describe('the card form', () => {
    it('validates on the server, shows errors next to the fields, and needs 2 submits', async () => {
      const user = await webUser(app, 'bob');
      await user.say('open a ticket');
      const form = await user.say('Fill in a form instead');
      const draftId = draftIdIn(form)!;
      const before = await tickets();
      const withErrors = await user.press({
        intake: 'form_submit',
        draftId,
        module: 'backup',
        subject: 'Hi',
        description: 'Backups fail with a VSS error every night.',
        severity: '3',
        serverUrl: 'not a url',
        stepsToReproduce: '',
        devices: '5CG1 10452',
        productVersion: '9',
        ccs: '',
      });
      const text = shown(withErrors);
      assert.match(text, /A few fields need attention/);
      assert.match(text, /at least 5 characters/);
      assert.match(text, /must start with http/);
      assert.match(text, /format is three numbers/);
      assert.equal(draftIdIn(withErrors), draftId, 'the same form comes back, filled in');
      const summary = await user.press({
        intake: 'form_submit',
        draftId,
        module: 'backup',
        subject: 'Backups fail nightly',
        description: 'Backups fail with a VSS error every night.',
        severity: '3',
        serverUrl: 'https://backup.northwind.example',
        stepsToReproduce: '',
        devices: '5CG1 10452',
        productVersion: '7.1.4',
        ccs: '',
      });
      assert.match(shown(summary), /Your ticket, ready to send/);
      const done = await user.press({ intake: 'submit', draftId });
      assert.match(shown(done), /HL-\d+ is open/);
      assert.equal(await tickets(), before + 1);
    });
  });

  describe('exactly once', () => {
    it('answers a repeated Submit with the same ticket', async () => {
      const user = await webUser(app, 'bob');
      const { last } = await fillInChat(user);
      const draftId = draftIdIn(last)!;
      const before = await tickets();
      const first = shown(await user.press({ intake: 'submit', draftId }));
      const second = shown(await user.press({ intake: 'submit', draftId }));
      const number = /HL-\d+/.exec(first)?.[0];
      assert.ok(number);
      assert.match(second, new RegExp(`already opened: ${number}`));
      assert.equal(await tickets(), before + 1);
    });

    it('opens one ticket when the same Submit is delivered twice at once (Teams)', async () => {
      const user = teamsUser(app, connector, serviceUrl, 'claire');
      const { last } = await fillInChat(user);
      const draftId = draftIdIn(last)!;
      const before = await tickets();
      const both = await Promise.all([
        user.press({ intake: 'submit', draftId }),
        user.press({ intake: 'submit', draftId }),
      ]);
      const numbers = both.map((r) => /HL-\d+/.exec(shown(r))?.[0]).filter(Boolean);
      assert.ok(numbers.length >= 1);
      assert.equal(new Set(numbers).size, 1, 'the same number both times');
      assert.equal(await tickets(), before + 1);
    });

    it('opens 50 concurrent intakes as 50 distinct tickets, none lost', async function () {
      this.timeout(300_000);
      const before = await tickets();
      const users = await Promise.all(Array.from({ length: 50 }, async () => await webUser(app, 'bob')));
      const summaries = await Promise.all(users.map(async (u) => (await fillInChat(u)).last));
      const results = await Promise.all(
        users.map(async (u, i) =>
          shown(await u.press({ intake: 'submit', draftId: draftIdIn(summaries[i]) })),
        ),
      );
      const numbers = results.map((r) => /HL-\d+/.exec(r)?.[0]);
      assert.equal(numbers.filter(Boolean).length, 50);
      assert.equal(new Set(numbers).size, 50);
      assert.equal(await tickets(), before + 50);
    });
  });

  describe('a billing question in the middle of the intake', () => {
    for (const [channel, question, yes, back, cancel] of [
      [
        'webchat',
        'I was charged twice on my last invoice, can you refund me?',
        'yes',
        /Back to your technical ticket draft/,
        'cancel',
      ],
      [
        'msteams',
        'I was charged twice on my last invoice, can you refund me?',
        'yes',
        /Back to your technical ticket draft/,
        'cancel',
      ],
    ] as const) {
      it(`offers the billing assistant, keeps the draft, and comes back to it (${channel})`, async () => {
        const user =
          channel === 'webchat' ? await webUser(app, 'bob') : teamsUser(app, connector, serviceUrl, 'bob');
        await user.say('open a ticket');
        await user.say('Backup and recovery');
        assert.match(shown(await user.say(question)), /sounds like a billing question/);
        assert.match(shown(await user.say(yes)), /Billing/);
        assert.match(shown(await user.say(cancel)), back);
        const rest = await fillInChat(user, { module: ANSWERS.module });
        assert.match(
          shown(rest.last),
          /Backup and recovery/,
          'the module answered before the detour is kept',
        );
      });
    }

    it('treats the question as the answer when the user declines the switch', async () => {
      const user = await webUser(app, 'bob');
      await user.say('open a ticket');
      await user.say('Backup and recovery');
      await user.say('I was charged twice on my last invoice, can you refund me?');
      assert.match(shown(await user.say('no')), /How serious/, 'the question was taken as the problem');
    });
  });

  describe('an active incident on the chosen module', () => {
    it('is mentioned before the rest is asked', async () => {
      const feed = new StatusPageStandIn();
      feed.serveJson({
        page: { name: 'Vendor status' },
        components: [{ id: 'c1', name: 'Backup', status: 'partial_outage' }],
        incidents: [
          {
            id: 'i1',
            name: 'Backup jobs delayed in EU region',
            status: 'identified',
            impact: 'major',
            created_at: new Date().toISOString(),
            components: [{ id: 'c1', name: 'Backup' }],
            incident_updates: [
              {
                body: 'We are rerouting jobs.',
                status: 'identified',
                created_at: new Date().toISOString(),
              },
            ],
          },
        ],
      });
      const feedUrl = await feed.start();
      const own = await startTestApp('intake-incident', {
        STATUS_FEED_URL: feedUrl,
        STATUS_COMPONENT_MODULES: 'Backup=backup',
      });
      try {
        const user = await webUser(own, 'bob');
        await user.say('open a ticket');
        const replies = shown(await user.say('Backup and recovery'));
        assert.match(replies, /known incident on Backup and recovery/);
        assert.match(replies, /Backup jobs delayed in EU region/);
        assert.match(replies, /Describe the problem: what happens/);
      } finally {
        await stopTestApp(own);
        await feed.stop();
      }
    });
  });

  describe('when the database stops mid-submit', () => {
    it('tells the user kindly, and a retry afterwards opens the ticket once', async function () {
      this.timeout(120_000);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'helpline-dbstop-'));
      const port = await freePort();
      const start = async () =>
        await startEmbeddedDatabase({
          dataDir: dir,
          port,
          logger: createSilentLogger(),
          searchPath: process.env.PATH ?? '',
          homeDir: os.homedir(),
          ferretdbBin: process.env.FERRETDB_BIN,
          allowInstall: false,
          installScript: '',
          allowMemoryServer: false,
        });
      let db = await start();
      const own = await createApp(
        loadConfig({
          PORT: '0',
          HOST: '127.0.0.1',
          MONGODB_URI: db.uri,
          MONGODB_DB: 'dbstop',
          LOG_LEVEL: 'silent',
          BOT_ALLOW_ANONYMOUS: 'true',
          PATH: process.env.PATH,
        }),
        { logger: createSilentLogger() },
      );
      await own.listen();
      try {
        const user = teamsUser(own, connector, serviceUrl, 'bob');
        const { last } = await fillInChat(user);
        const draftId = draftIdIn(last)!;

        await db.stop();
        const failed = shown(await user.press({ intake: 'submit', draftId }));
        assert.match(failed, /could not open the ticket just now|cannot reach our systems/i);
        assert.doesNotMatch(failed, /Error|at .*\.ts:\d+|Mongo/);

        db = await start();
        let opened = '';
        for (let attempt = 0; attempt < 20 && !/HL-\d+/.test(opened); attempt++) {
          opened = shown(await user.press({ intake: 'submit', draftId }));
          if (!/HL-\d+/.test(opened)) await new Promise((r) => setTimeout(r, 500));
        }
        assert.match(opened, /HL-\d+/);
        const again = shown(await user.press({ intake: 'submit', draftId }));
        assert.match(again, /already opened/);
        assert.equal(await getTicketModel(own.connection).countDocuments().exec(), 1);
      } finally {
        await own.stop();
        await db.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
