import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { DEMO_MODULES } from '../../../services/catalogue';
import {
  LanguageModelTicketFieldExtractor,
  loadPrompt,
  type TicketFieldExtractor,
} from '../../../services/llm';
import { ticketFieldSchemas } from '../../../services/tickets';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { OpenAiStandIn } from '../../support/openAiStandIn';
import { boundaryOf, standInModel, systemAndUser } from './fixtures';

const MODULES = DEMO_MODULES.filter((m) => m.technical).map((m) => ({ id: m.id, name: m.name.en }));

const MESSAGES = [
  'Since this morning the backups of our file server fail with a VSS error, on https://rmm.acme-partner.example/console.',
  'We run version 7.1.4. Affected: SN: 5CG1234XYZ, device: 10452 and SN: 5CG9999ABC, device: 10453. ' +
    'Steps: start a backup job, wait, it stops at 3%. We expected the backup to finish overnight.',
];

/** What a model that reads the messages well would fill in. */
const FAITHFUL = {
  module: 'backup',
  subject: 'File server backups fail with a VSS error',
  description: 'Since this morning the backups of our file server fail with a VSS error.',
  expectedResult: 'The backup finishes overnight.',
  serverUrl: 'https://rmm.acme-partner.example/console',
  productVersion: '7.1.4',
  devices: [
    { serialNumber: '5CG1234XYZ', deviceNumber: '10452' },
    { serialNumber: '5CG9999ABC', deviceNumber: '10453' },
  ],
  stepsToReproduce: 'Start a backup job, wait, it stops at 3%.',
  severity: { level: 2, reason: 'Backups of a production file server are failing.' },
  problems: [],
};

describe('LanguageModelTicketFieldExtractor', () => {
  let standIn: OpenAiStandIn;
  let connection: Connection;
  let extractor: TicketFieldExtractor;

  before(async () => {
    connection = await openTestDatabase('llmextract');
    standIn = new OpenAiStandIn();
    await standIn.start();
    extractor = new LanguageModelTicketFieldExtractor(
      standInModel(standIn, connection),
      loadPrompt('ticket-extraction'),
    );
  });

  after(async () => {
    await standIn.stop();
    await dropTestDatabase(connection);
  });

  beforeEach(() => standIn.reset());

  it('fills the fields the user gave, as answers the intake’s field rules accept', async () => {
    // Arrange
    standIn.chatReplies.push({ kind: 'json', value: FAITHFUL });

    // Act
    const result = await extractor.extract({ messages: MESSAGES, locale: 'en', modules: MODULES });

    // Assert
    assert.equal(result.outcome, 'ok');
    if (result.outcome !== 'ok') return;
    const { candidates, severity, problems } = result.value;
    assert.deepEqual(candidates, {
      module: 'backup',
      subject: 'File server backups fail with a VSS error',
      description: 'Since this morning the backups of our file server fail with a VSS error.',
      expectedResult: 'The backup finishes overnight.',
      serverUrl: 'https://rmm.acme-partner.example/console',
      productVersion: '7.1.4',
      devices: 'SN: 5CG1234XYZ, device: 10452\nSN: 5CG9999ABC, device: 10453',
      stepsToReproduce: 'Start a backup job, wait, it stops at 3%.',
    });
    assert.deepEqual(severity, { severity: 2, reason: 'Backups of a production file server are failing.' });
    assert.deepEqual(problems, []);
    assert.ok(ticketFieldSchemas.serverUrl.safeParse(candidates.serverUrl).success);
    assert.ok(ticketFieldSchemas.subject.safeParse(candidates.subject).success);
  });

  it('sends the module list and each message as delimited data', async () => {
    // Arrange
    standIn.chatReplies.push({ kind: 'json', value: FAITHFUL });

    // Act
    await extractor.extract({ messages: MESSAGES, locale: 'en', modules: MODULES, conversationId: 'c-1' });

    // Assert
    const [sent] = standIn.chatRequests();
    assert.ok(sent);
    const { system, user } = systemAndUser(sent);
    const boundary = boundaryOf(system);
    assert.match(system, /backup \(Backup and recovery\)/);
    assert.match(system, /partner-portal \(Partner portal\)/);
    assert.match(system, /one-line reason in English/);
    assert.equal(user.split(boundary).length - 1, 4);
    assert.ok(!system.includes('5CG1234XYZ'));
    assert.equal(
      (sent.body.response_format as { json_schema: { strict: boolean } }).json_schema.strict,
      true,
    );
  });

  it('drops what the model invented or got wrong, and keeps the rest for the intake to check', async () => {
    // Arrange
    standIn.chatReplies.push({
      kind: 'json',
      value: {
        ...FAITHFUL,
        module: 'quantum-backup',
        subject: '  ',
        serverUrl: 'https://backup-server.example.com',
        productVersion: '7.2.0',
        devices: [
          { serialNumber: '5CG1234XYZ', deviceNumber: '10452' },
          { serialNumber: 'ABC123', deviceNumber: '1' },
        ],
        severity: { level: 7, reason: 'Very bad.' },
        stepsToReproduce: 'x',
      },
    });

    // Act
    const result = await extractor.extract({ messages: MESSAGES, locale: 'en', modules: MODULES });

    // Assert
    assert.equal(result.outcome, 'ok');
    if (result.outcome !== 'ok') return;
    const { candidates } = result.value;
    for (const field of ['module', 'subject', 'serverUrl', 'productVersion', 'devices'] as const) {
      assert.equal(candidates[field], undefined, field);
    }
    assert.equal(result.value.severity, undefined);
    // Too short to be steps: a candidate all the same; the intake's rule turns it down and asks.
    assert.equal(candidates.stepsToReproduce, 'x');
    assert.equal(ticketFieldSchemas.stepsToReproduce.safeParse(candidates.stepsToReproduce).success, false);
  });

  it('splits several problems into one entry each', async () => {
    // Arrange
    standIn.chatReplies.push({
      kind: 'json',
      value: {
        ...FAITHFUL,
        problems: [
          { subject: 'Backups fail with a VSS error', description: 'The file server backup stops at 3%.' },
          { subject: 'Remote sessions show a black screen', description: 'Every remote session is black.' },
        ],
      },
    });

    // Act
    const result = await extractor.extract({
      messages: ['Two things: backups fail with VSS, and remote sessions are black.'],
      locale: 'en',
      modules: MODULES,
    });

    // Assert
    assert.equal(result.outcome, 'ok');
    if (result.outcome !== 'ok') return;
    assert.deepEqual(
      result.value.problems.map((p) => p.subject),
      ['Backups fail with a VSS error', 'Remote sessions show a black screen'],
    );
  });

  it('returns nothing to fill for an output that breaks the schema, or a failing service', async () => {
    // Arrange
    standIn.chatReplies.push({ kind: 'json', value: { ...FAITHFUL, devices: 'SN 5CG1234XYZ' } });
    standIn.chatReplies.push({ kind: 'error', status: 500, headers: { 'x-should-retry': 'false' } });

    // Act
    const broken = await extractor.extract({ messages: MESSAGES, locale: 'en', modules: MODULES });
    const failing = await extractor.extract({ messages: MESSAGES, locale: 'en', modules: MODULES });

    // Assert
    assert.deepEqual(broken, { outcome: 'unavailable', reason: 'schema_violation' });
    assert.deepEqual(failing, { outcome: 'unavailable', reason: 'server_error' });
  });

  it('does not call the model when the user wrote nothing', async () => {
    // Act
    const result = await extractor.extract({ messages: ['  '], locale: 'fr', modules: MODULES });

    // Assert
    assert.deepEqual(result, { outcome: 'ok', value: { candidates: {}, problems: [] } });
    assert.equal(standIn.requests.length, 0);
  });
});
