import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import {
  LanguageModelHandoffSummarizer,
  loadPrompt,
  type HandoffSummarizer,
  type TranscriptTurn,
} from '../../../services/llm';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { OpenAiStandIn } from '../../support/openAiStandIn';
import { boundaryOf, standInModel, systemAndUser } from './fixtures';

const TRANSCRIPT: TranscriptTurn[] = [
  { from: 'user', text: 'All our agents went offline after the 9.5.2 update.' },
  { from: 'bot', text: 'Here are three articles that may help.' },
  { from: 'user', text: 'I restarted the agent service, still offline. I need a person.' },
];

describe('LanguageModelHandoffSummarizer', () => {
  let standIn: OpenAiStandIn;
  let connection: Connection;
  let summarizer: HandoffSummarizer;

  before(async () => {
    connection = await openTestDatabase('llmsummary');
    standIn = new OpenAiStandIn();
    await standIn.start();
    summarizer = new LanguageModelHandoffSummarizer(
      standInModel(standIn, connection),
      loadPrompt('handoff-summary'),
    );
  });

  after(async () => {
    await standIn.stop();
    await dropTestDatabase(connection);
  });

  beforeEach(() => standIn.reset());

  it('gives two single lines for the engineer, in the language asked', async () => {
    // Arrange
    standIn.chatReplies.push({
      kind: 'json',
      value: {
        line1: 'All agents offline after the 9.5.2 update\n(remote monitoring agent).',
        line2: 'Restarting the agent service did not help; the user asks for a person.',
      },
    });

    // Act
    const result = await summarizer.summarize({
      transcript: TRANSCRIPT,
      locale: 'fr',
      conversationId: 'c-9',
    });

    // Assert
    assert.deepEqual(result, {
      outcome: 'ok',
      value: {
        problem: 'All agents offline after the 9.5.2 update (remote monitoring agent).',
        status: 'Restarting the agent service did not help; the user asks for a person.',
      },
    });
    const [sent] = standIn.chatRequests();
    assert.ok(sent);
    const { system, user } = systemAndUser(sent);
    assert.match(system, /in French/);
    assert.equal(user.split(boundaryOf(system)).length - 1, 6);
    assert.match(user, / user\n[^\n]*went offline/);
    assert.match(user, / bot\nHere are three articles/);
  });

  it('cuts an over-long line at a word, and drops an empty one', async () => {
    // Arrange
    standIn.chatReplies.push({
      kind: 'json',
      value: { line1: 'agents offline '.repeat(30), line2: 'waiting' },
    });
    standIn.chatReplies.push({ kind: 'json', value: { line1: 'agents offline', line2: ' ' } });

    // Act
    const long = await summarizer.summarize({ transcript: TRANSCRIPT, locale: 'en' });
    const empty = await summarizer.summarize({ transcript: TRANSCRIPT, locale: 'en' });

    // Assert
    assert.equal(long.outcome, 'ok');
    if (long.outcome === 'ok') {
      assert.ok(long.value.problem.length <= 200);
      assert.match(long.value.problem, /offline…$/);
    }
    assert.deepEqual(empty, { outcome: 'unavailable', reason: 'not_grounded' });
  });

  it('sends only the latest turns of a long conversation', async () => {
    // Arrange
    standIn.chatReplies.push({ kind: 'json', value: { line1: 'a', line2: 'b' } });
    const long = Array.from({ length: 100 }, (_, i) => ({
      from: 'user' as const,
      text: `message number ${i}`,
    }));

    // Act
    await summarizer.summarize({ transcript: long, locale: 'en' });

    // Assert
    const { user } = systemAndUser(standIn.chatRequests()[0] ?? { messages: [] });
    assert.ok(!user.includes('message number 59\n'));
    assert.ok(user.includes('message number 60\n'));
    assert.ok(user.includes('message number 99\n'));
  });

  it('asks nothing for an empty transcript, and reports a timeout as unavailable', async () => {
    // Arrange
    const slow = new LanguageModelHandoffSummarizer(
      standInModel(standIn, connection, { timeoutMs: 500 }),
      loadPrompt('handoff-summary'),
    );
    standIn.chatReplies.push({ kind: 'json', value: { line1: 'a', line2: 'b' }, delayMs: 5000 });

    // Act
    const empty = await summarizer.summarize({ transcript: [], locale: 'en' });
    const late = await slow.summarize({ transcript: TRANSCRIPT, locale: 'en' });

    // Assert
    assert.deepEqual(empty, { outcome: 'unavailable', reason: 'not_grounded' });
    assert.deepEqual(late, { outcome: 'unavailable', reason: 'timeout' });
  });
});
