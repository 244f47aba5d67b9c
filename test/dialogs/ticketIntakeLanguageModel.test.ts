import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import { DEMO_CONTACTS, DEMO_TENANTS } from '../../services/identity';
import { startTestApp, stopTestApp } from '../support/app';
import { ConnectorStandIn } from '../support/connectorStandIn';
import { OpenAiStandIn } from '../support/openAiStandIn';
import { shown, TeamsTestClient } from '../support/teamsClient';
import { schemaName } from '../services/llm/fixtures';

describe('TicketIntakeDialog with a language model (the app, the real openai client, a stand-in server)', function () {
  this.timeout(120_000);
  const standIn = new OpenAiStandIn();
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let app: HelplineApp;
  let fields: Record<string, unknown>;

  before(async () => {
    serviceUrl = await connector.start();
    await standIn.start();
    standIn.chatResponder = (request) =>
      schemaName(request) === 'ticket_fields'
        ? { kind: 'json', value: fields }
        : { kind: 'json', value: { intent: 'unknown', billingTopic: null, confidence: 'low' } };
    app = await startTestApp('intakellm', {
      BOT_ALLOW_ANONYMOUS: 'true',
      OPENAI_BASE_URL: standIn.baseUrl(),
      LLM_CHAT_MODEL: 'helpline-chat',
      LLM_TIMEOUT_MS: '1500',
    });
  });
  after(async () => {
    await stopTestApp(app);
    await standIn.stop();
    await connector.stop();
  });

  const bob = (): TeamsTestClient =>
    new TeamsTestClient(
      app.url(),
      connector,
      serviceUrl,
      {
        tenantId: DEMO_TENANTS.northwind,
        aadObjectId: DEMO_CONTACTS.bob.aadObjectId,
        name: DEMO_CONTACTS.bob.name,
      },
      'en-US',
    );
  // Nothing here that the rules can read as a module, a subject or a server.
  const SAID = 'I need to open a ticket: it broke again last night, same as the week before';
  const nothing = {
    module: null,
    subject: null,
    description: null,
    expectedResult: null,
    serverUrl: null,
    productVersion: null,
    devices: [],
    stepsToReproduce: null,
    severity: null,
    problems: [],
  };

  it('fills the fields the model found in the message, and asks only the rest', async () => {
    fields = {
      ...nothing,
      module: 'backup',
      subject: 'File server backup fails every night',
      description: 'The file server backup fails every night.',
      serverUrl: null,
    };
    const first = shown(await bob().say(SAID));
    assert.doesNotMatch(first, /Which module is this about|In one line, what is the problem/);
    assert.match(first, /How serious is it/);
    assert.ok(standIn.chatRequests().some((r) => schemaName(r) === 'ticket_fields'));
  });

  it('asks for what the model got wrong, as if it had found nothing', async () => {
    fields = {
      ...nothing,
      module: 'coffee-machines',
      subject: '',
      description: 'x',
      serverUrl: 'https://elsewhere.example',
      productVersion: 'seven',
      severity: { level: 9, reason: 'very bad' },
    };
    const user = bob();
    const first = shown(await user.say(SAID));
    assert.match(first, /Which module is this about/);
    assert.doesNotMatch(first, /coffee-machines|elsewhere\.example/);
  });
});
