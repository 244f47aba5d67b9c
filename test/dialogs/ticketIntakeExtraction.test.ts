import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { Connection } from 'mongoose';
import {
  extractCandidates,
  looksLikeFeatureRequest,
  stripTicketLeadIn,
  versionIn,
} from '../../dialogs/intake/extract';
import { isSeverityOneSituation, suggestSeverity } from '../../dialogs/intake/severity';
import { TicketIntakeDialog, type TicketIntakeOptions } from '../../dialogs/ticketIntakeDialog';
import { StaticProductCatalogue } from '../../services/catalogue';
import { ClassifierIntentRecognizer } from '../../services/intents';
import { LanguageModelTicketFieldExtractor, loadPrompt } from '../../services/llm';
import { createSilentLogger } from '../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../support/database';
import { OpenAiStandIn } from '../support/openAiStandIn';
import { TestConversationContext, type TestUser } from '../support/testConversationContext';
import { completeTicket, testClock, ticketFixture, type TicketFixture } from '../services/tickets/fixtures';
import { standInModel } from '../services/llm/fixtures';

type Reply = Partial<Activity>;
const CHANNELS = ['msteams', 'webchat'] as const;
const catalogue = new StaticProductCatalogue();

function text(replies: Reply[]): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node))
        if ((k === 'text' || k === 'title') && typeof v === 'string') parts.push(v);
        else if (typeof v === 'object') walk(v);
  };
  walk(replies);
  return parts.join('\n');
}
function draftId(replies: Reply[]): string | undefined {
  return /"draftId":"([^"]+)"/.exec(JSON.stringify(replies))?.[1];
}
function buttons(reply: Reply | undefined): string[] {
  return (reply?.suggestedActions?.actions ?? []).map((a) => String(a.title));
}

describe('intake extraction (rules)', () => {
  it('reads scale in severity: most agents offline at a site is 1, a patch failing on 40 workstations is 2', () => {
    assert.equal(
      suggestSeverity('Most agents at our Leeds site show offline since this morning, about 120 devices')
        .severity,
      1,
    );
    assert.equal(suggestSeverity('The KB5034441 patch fails to install on 40 workstations').severity, 2);
    assert.equal(suggestSeverity('Le correctif échoue sur 30 postes').severity, 2);
    assert.equal(suggestSeverity('Remote control shows a black screen on one PC').severity, 3);
    assert.equal(suggestSeverity('How do I configure the probe for SNMPv3?').severity, 4);
    assert.ok(isSeverityOneSituation('Our server is completely down, nothing works'));
    assert.ok(isSeverityOneSituation('La production est arrêtée, le serveur est complètement hors service'));
    assert.ok(!isSeverityOneSituation('One agent is offline'));
  });

  it('reads versions as partners write them', () => {
    assert.equal(versionIn('We run agent 9.5.2 on all sites'), '9.5.2');
    assert.equal(versionIn('it broke on 9.4.7 yesterday'), '9.4.7');
    assert.equal(versionIn('portal v2026.2'), '2026.2');
    assert.equal(versionIn('version 7.1.4.'), '7.1.4');
    assert.equal(versionIn('nous sommes en 9.5.2'), '9.5.2');
    assert.equal(versionIn('the server at 10.0.0.5 is slow'), undefined);
  });

  it('keeps the text after "I need to open a ticket:" and reads steps, devices, server and module', () => {
    assert.equal(stripTicketLeadIn('I need to open a ticket: agents offline'), 'agents offline');
    assert.equal(stripTicketLeadIn('Je dois ouvrir un ticket : écran noir'), 'écran noir');
    const read = extractCandidates(
      'I need to open a ticket: remote control sessions show a black screen on one PC. Steps: 1) open the console 2) start a session 3) black screen. SN 5CG1111RCX, device 10501. We are on 4.1.3, https://rmm.northwind.example',
      catalogue,
    ).candidates;
    assert.equal(read.module, 'remote-control');
    assert.equal(read.subject, 'Remote control sessions show a black screen on one PC');
    assert.equal(read.stepsToReproduce, '1) open the console 2) start a session 3) black screen.');
    assert.equal(read.devices, 'SN: 5CG1111RCX, device: 10501');
    assert.equal(read.productVersion, '4.1.3');
    assert.equal(read.serverUrl, 'https://rmm.northwind.example');
    const fr = extractCandidates(
      'La sauvegarde échoue. Pour reproduire : lancer la tâche de nuit.',
      catalogue,
    );
    assert.equal(fr.candidates.stepsToReproduce, 'lancer la tâche de nuit.');
    const lines = extractCandidates(
      'Install fails.\n1. Download\n2. Run as admin\n3. Stops at 80%',
      catalogue,
    );
    assert.equal(lines.candidates.stepsToReproduce, '1. Download\n2. Run as admin\n3. Stops at 80%');
  });

  it('recognises feature requests without a prefix, and two problems in one message', () => {
    assert.ok(looksLikeFeatureRequest('can you add dark mode to the portal'));
    assert.ok(looksLikeFeatureRequest('Pourriez-vous ajouter un mode sombre au portail ?'));
    assert.ok(!looksLikeFeatureRequest('can you add the agent back, it fails to install'));
    assert.ok(
      extractCandidates(
        'Backups fail on SRV01 with a VSS error. Also remote control sessions drop after a minute.',
        catalogue,
      ).severalProblems,
    );
    assert.ok(!extractCandidates('Backups fail on SRV01 with a VSS error.', catalogue).severalProblems);
  });
});

describe('TicketIntakeDialog: asks only what it does not know', function () {
  this.timeout(60_000);
  let connection: Connection;
  let fx: TicketFixture;
  const clock = testClock('2026-11-02T10:00:00Z');
  const recognizer = new ClassifierIntentRecognizer();
  let standIn: OpenAiStandIn;

  before(async () => {
    connection = await openTestDatabase('intakeextract');
    fx = await ticketFixture(connection, clock);
    standIn = new OpenAiStandIn();
    await standIn.start();
  });
  after(async () => {
    await standIn.stop();
    await dropTestDatabase(connection);
  });

  function start(
    channel: string,
    user: TestUser,
    options: Partial<TicketIntakeOptions>,
    extractor?: LanguageModelTicketFieldExtractor,
  ): DialogTestClient {
    const locale = options.locale ?? 'en';
    const dialog = new TicketIntakeDialog({
      tickets: fx.tickets,
      identities: fx.identity,
      catalogue,
      recognizer,
      context: new TestConversationContext(fx.identity, user, locale),
      extractor,
      logger: createSilentLogger(),
      clock,
    });
    return new DialogTestClient(channel, dialog, { locale, ...options } satisfies TicketIntakeOptions, []);
  }
  async function begin(client: DialogTestClient): Promise<Reply[]> {
    const replies: Reply[] = [];
    // DialogTestClient starts the dialog on the first activity it receives.
    let reply = (await client.sendActivity({ type: 'conversationUpdate' })) as Reply | undefined;
    while (reply) {
      replies.push(reply);
      reply = client.getNextReply();
    }
    return replies;
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

  const LEEDS =
    'Most agents at our Leeds site show offline since this morning, about 120 devices. We run agent 9.5.2, server https://rmm.northwind.example. Steps: 1) open the console 2) filter on Leeds. SN: 5CG7001LDS, device: 30001';
  const LYON =
    'La plupart des agents de notre site de Lyon sont hors ligne depuis ce matin, environ 80 postes. Nous sommes en version 9.5.2, serveur https://rmm.contoso.example. Étapes : 1) ouvrir la console 2) filtrer sur Lyon. N° de série 8CC7777LYO, n° d’appareil 77777';

  for (const channel of CHANNELS) {
    it(`a message that carries everything needs a severity tap and Submit; 24×7 from the record (${channel}, en)`, async () => {
      const client = start(channel, 'alice', { text: LEEDS });
      const first = await begin(client);
      const shown = text(first);
      assert.match(shown, /How serious is it/);
      assert.match(shown, /suggest severity 1 – Critical/);
      assert.doesNotMatch(shown, /Which module|version|steps to reproduce|Which devices/i);
      const summary = await say(client, '1 – Critical');
      assert.doesNotMatch(text(summary), /reachable 24×7\. Can you/, 'Alice is recorded as reachable 24×7');
      assert.match(text(summary), /recorded as reachable around the clock/);
      assert.match(
        text(summary),
        /Taken from your messages: Module, Subject, Description, Server URL, Steps to reproduce, Affected devices, Product version/,
      );
      const done = await say(client, {
        type: 'message',
        value: { intake: 'submit', draftId: draftId(summary) },
      });
      const number = /HL-\d+/.exec(text(done))?.[0];
      assert.ok(number, 'a ticket number');
      const ticket = await fx.tickets.getForViewer(number, await fx.viewer('alice'));
      assert.equal(ticket.kind, 'found');
      if (ticket.kind === 'found') {
        assert.equal(ticket.ticket.module, 'rmm-agent');
        assert.equal(ticket.ticket.productVersion, '9.5.2');
        assert.equal(ticket.ticket.severity, 1);
        assert.deepEqual(ticket.ticket.devices, [{ serialNumber: '5CG7001LDS', deviceNumber: '30001' }]);
      }
    });

    it(`asks a contact not recorded as reachable whether someone is, in French (${channel})`, async () => {
      const client = start(channel, 'claire', { text: LYON, locale: 'fr' });
      const first = text(await begin(client));
      assert.match(first, /Quelle est la gravité|gravité/i);
      assert.doesNotMatch(first, /Quel module|Quelle version/);
      assert.match(text(await say(client, '1')), /24/);
      const summary = await say(client, 'non');
      assert.match(text(summary), /Repris de vos messages/);
    });

    it(`keeps "Fill in a form instead" on every question and the form gives the version warning (${channel})`, async () => {
      const client = start(channel, 'bob', {});
      const first = await begin(client);
      assert.ok(buttons(first.at(-1)).includes('Fill in a form instead'));
      const next = await say(client, 'Backup and recovery');
      assert.ok(
        buttons(next.at(-1)).includes('Fill in a form instead'),
        'still there at the second question',
      );
      const form = await say(client, 'Fill in a form instead');
      const id = draftId(form);
      const summary = await say(client, {
        type: 'message',
        value: {
          intake: 'form_submit',
          draftId: id,
          module: 'backup',
          subject: 'Backups fail nightly',
          description: 'Backups fail with a VSS error every night.',
          severity: '3',
          serverUrl: '',
          stepsToReproduce: '',
          devices: '',
          productVersion: '6.5.0',
          ccs: '',
        },
      });
      assert.match(text(summary), /version 6\.5\.0 is no longer supported/);
      assert.match(text(summary), /Your ticket, ready to send/);
    });

    it(`says "one ticket per problem" and recognises a feature request (${channel})`, async () => {
      const two = start(channel, 'bob', {
        text: 'Backups fail on SRV01 with a VSS error. Also remote control sessions drop after a minute.',
      });
      assert.match(text(await begin(two)), /One ticket per problem/);
      const feature = start(channel, 'bob', { text: 'can you add dark mode to the portal' });
      assert.match(text(await begin(feature)), /request for something new/);
    });

    it(`offers the organisation's last-used server and version as one tap (${channel})`, async () => {
      await fx.tickets.create(
        completeTicket({
          module: 'backup',
          serverUrl: 'https://backup.lastused.example',
          productVersion: '7.0.9',
        }),
        `lastused-${channel}`,
      );
      const client = start(channel, 'bob', {
        text: 'The nightly backup job fails with a VSS error on SRV-FS01 since Monday.',
      });
      await begin(client);
      // Server and version are asked together: one tap answers both.
      const url = await say(client, '3');
      const both = 'https://backup.lastused.example, version 7.0.9';
      assert.ok(buttons(url.at(-1)).includes(both));
      await say(client, both);
      await say(client, 'Run the job');
      const summary = await say(client, 'SN: 5CG1, device: 1');
      assert.ok(draftId(summary), 'the version came with the server and is not asked');
      assert.match(text(summary), /7\.0\.9/);

      // With the server already written, the version is asked alone, the last one as one tap.
      const other = start(channel, 'bob', {
        text: 'The nightly backup job fails with a VSS error on https://backup.northwind.example since Monday.',
      });
      await begin(other);
      await say(other, '3');
      await say(other, 'Run the job');
      const version = await say(other, 'SN: 5CG1, device: 1');
      assert.ok(buttons(version.at(-1)).includes('7.0.9'));
    });

    it(`honours commands and new requests at every prompt kind (${channel})`, async () => {
      // A field question, then the summary and "which field?", then a yes/no.
      for (const [word, expected] of [
        ['cancel', /no ticket was opened/],
        ['annuler', /no ticket was opened/],
      ] as const) {
        const client = start(channel, 'bob', { text: LEEDS });
        await begin(client);
        assert.match(text(await say(client, word)), expected);
      }
      const client = start(channel, 'bob', { text: LEEDS });
      await begin(client);
      assert.match(text(await say(client, 'help')), /"back" for the previous question/);
      const confirm = await say(client, '1');
      assert.match(text(confirm), /reachable 24×7/);
      assert.match(text(await say(client, 'maybe')), /Please answer yes or no/);
      assert.match(text(await say(client, 'help')), /reachable 24×7/);
      const summary = await say(client, 'no');
      assert.ok(draftId(summary));
      assert.match(text(await say(client, 'Change a field')), /Which field/);
      assert.match(text(await say(client, 'back')), /Your ticket, ready to send/);
      const left = start(channel, 'bob', { text: LEEDS });
      await begin(left);
      await say(left, '1');
      // A clearly new request at a yes/no prompt ends the intake for the router.
      await say(left, 'show me the status of my open tickets please');
      assert.equal(left.dialogTurnResult.status, 'complete');
      assert.equal((left.dialogTurnResult.result as { outcome?: string }).outcome, 'new_request');
    });
  }

  it('lets the language model fill what the rules left, through the same field rules', async () => {
    const extractor = new LanguageModelTicketFieldExtractor(
      standInModel(standIn, connection),
      loadPrompt('ticket-extraction'),
    );
    standIn.chatResponder = () => ({
      kind: 'json',
      value: {
        module: 'backup',
        subject: 'File server backup fails',
        description: 'The file server backup fails every night.',
        expectedResult: null,
        serverUrl: 'https://backup.model.example',
        productVersion: 'seven',
        devices: [],
        stepsToReproduce: null,
        severity: null,
        problems: [],
      },
    });
    const client = start(
      'webchat',
      'bob',
      { text: 'our file server thing breaks every night, see https://backup.model.example' },
      extractor,
    );
    const first = text(await begin(client));
    assert.match(first, /How serious is it/, 'module, subject and description were filled');
    const url = text(await say(client, '3'));
    assert.doesNotMatch(
      url,
      /full address of the affected server/,
      'the server address the user wrote was taken',
    );
    assert.match(url, /steps to reproduce/);
  });
});
