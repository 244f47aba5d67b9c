import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import {
  ClassifierBillingTopicClassifier,
  ClassifierIntentRecognizer,
  loadUtterances,
} from '../../../services/intents';
import { LanguageModelIntentRecognizer } from '../../../services/intents/languageModelIntentRecognizer';
import { loadPrompt } from '../../../services/llm';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { OpenAiStandIn } from '../../support/openAiStandIn';
import { boundaryOf, standInModel, systemAndUser } from '../llm/fixtures';

// The local classifier's own view of these messages (checked below, so the tests stay honest).
const SURE = 'Could you send me a duplicate of invoice 2024-118?';
const UNSURE = 'can someone look at what happened with the renewal and the agents';
const GIBBERISH = 'the thing with the stuff is weird';

describe('LanguageModelIntentRecognizer', () => {
  let standIn: OpenAiStandIn;
  let connection: Connection;
  let local: ClassifierIntentRecognizer;
  let recognizer: LanguageModelIntentRecognizer;

  before(async () => {
    connection = await openTestDatabase('llmintent');
    standIn = new OpenAiStandIn();
    await standIn.start();
    const utterances = loadUtterances();
    const billingTopics = new ClassifierBillingTopicClassifier({ utterances });
    local = new ClassifierIntentRecognizer({ utterances, billingTopics });
    recognizer = new LanguageModelIntentRecognizer({
      inner: local,
      model: standInModel(standIn, connection),
      prompt: loadPrompt('intent'),
      billingTopics,
    });
  });

  after(async () => {
    await standIn.stop();
    await dropTestDatabase(connection);
  });

  beforeEach(() => standIn.reset());

  it('keeps a sure local answer and does not call the model', async () => {
    // Arrange
    const expected = await local.recognize(SURE, { locale: 'en' });

    // Act
    const result = await recognizer.recognize(SURE, { locale: 'en', conversationId: 'c' });

    // Assert
    assert.equal(recognizer.isUnsure(expected), false);
    assert.deepEqual(result, expected);
    assert.equal(standIn.requests.length, 0);
  });

  it('never second-guesses a rule: a quoted ticket number stays "my requests"', async () => {
    // Act
    const result = await recognizer.recognize('hmm HL-123456', { locale: 'en' });

    // Assert
    assert.equal(result.top, 'my_requests');
    assert.equal(result.entities?.ticketNumber, 'HL-123456');
    assert.equal(standIn.requests.length, 0);
  });

  it('asks the model when the classifier is unsure, and takes its intent with the billing topic', async () => {
    // Arrange
    assert.equal(recognizer.isUnsure(await local.recognize(UNSURE, { locale: 'en' })), true);
    standIn.chatReplies.push({
      kind: 'json',
      value: { intent: 'billing', billingTopic: 'renewal', confidence: 'high' },
    });

    // Act
    const result = await recognizer.recognize(UNSURE, { locale: 'en', conversationId: 'c' });

    // Assert
    assert.equal(result.top, 'billing');
    assert.equal(result.score, 0.9);
    assert.equal(result.intents[0]?.intent, 'billing');
    assert.deepEqual(result.entities, { billingTopic: 'renewal' });
    const [sent] = standIn.chatRequests();
    assert.ok(sent);
    const { system, user } = systemAndUser(sent);
    assert.equal(user, `<<<${boundaryOf(system)} message\n${UNSURE}\n${boundaryOf(system)}>>>`);
  });

  it('turns a message the classifier cannot place into an intent, with the local topic when the model gives none', async () => {
    // Arrange
    assert.equal((await local.recognize(GIBBERISH, { locale: 'en' })).top, 'unknown');
    standIn.chatReplies.push({
      kind: 'json',
      value: { intent: 'billing', billingTopic: null, confidence: 'medium' },
    });

    // Act
    const result = await recognizer.recognize(GIBBERISH, { locale: 'en' });

    // Assert
    assert.equal(result.top, 'billing');
    assert.equal(result.score, 0.7);
    assert.ok(result.entities?.billingTopic);
  });

  it('keeps the local answer when the model says unknown, is not confident, fails or answers out of schema', async () => {
    // Arrange
    const expected = await local.recognize(UNSURE, { locale: 'en' });
    standIn.chatReplies.push({
      kind: 'json',
      value: { intent: 'unknown', billingTopic: null, confidence: 'high' },
    });
    standIn.chatReplies.push({
      kind: 'json',
      value: { intent: 'billing', billingTopic: null, confidence: 'low' },
    });
    standIn.chatReplies.push({ kind: 'error', status: 500, headers: { 'x-should-retry': 'false' } });
    standIn.chatReplies.push({
      kind: 'json',
      value: { intent: 'delete_all_tickets', billingTopic: null, confidence: 'high' },
    });

    // Act
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await recognizer.recognize(UNSURE, { locale: 'en' }));

    // Assert
    for (const result of results) assert.deepEqual(result, expected);
    assert.equal(standIn.chatRequests().length, 4);
  });
});
