import assert from 'node:assert/strict';
import type { HelplineApp } from '../../bot';
import { startTestApp, stopTestApp } from '../support/app';
import { OpenAiStandIn } from '../support/openAiStandIn';

describe('createApp with a language model configured', () => {
  let standIn: OpenAiStandIn;
  let app: HelplineApp | undefined;

  before(async () => {
    standIn = new OpenAiStandIn({ apiKey: 'local-key' });
    await standIn.start();
  });

  after(async () => {
    await stopTestApp(app);
    await standIn.stop();
  });

  it('builds the language services from the environment and embeds the demo articles in the background', async () => {
    // Arrange
    standIn.chatResponder = () => ({
      kind: 'json',
      value: { answerable: true, answer: 'Restart the agent service on the device. [1]' },
    });

    // Act
    app = await startTestApp('llmapp', {
      OPENAI_BASE_URL: standIn.baseUrl(),
      OPENAI_API_KEY: 'local-key',
      LLM_CHAT_MODEL: 'local-chat',
      LLM_EMBEDDING_MODEL: 'local-embed',
    });
    const synced = await app.hybridSearch?.sync();
    const answer = await app.llm?.answers.answer({
      question: 'agent offline',
      locale: 'en',
      articles: [{ key: 'agent-offline', title: 'Agent offline', text: 'Restart the agent service.' }],
    });

    // Assert
    assert.equal(app.llm?.model.chatModel, 'local-chat');
    assert.ok(synced && synced.articles > 0 && synced.missing === 0);
    assert.equal(app.hybridSearch?.embeddedCount, synced.articles);
    assert.ok(standIn.embeddingRequests().every((r) => r.body.model === 'local-embed'));
    assert.equal(standIn.embeddingRequests()[0]?.body.encoding_format, 'float');
    assert.equal(answer?.outcome, 'answered');
    assert.equal(standIn.chatRequests()[0]?.headers.authorization, 'Bearer local-key');
  });
});
