import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import {
  MongoCallBudget,
  OpenAiLanguageModel,
  loadPrompts,
  type LanguageModel,
  type PromptId,
  type Prompt,
} from '../../../services/llm';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { OpenAiStandIn, float32ToBase64 } from '../../support/openAiStandIn';
import { capturingLogger, standInModel, standInSettings } from './fixtures';

const schema = z.object({ intent: z.string(), note: z.string().nullable() });

function request(prompt: Prompt, text = 'my agents are offline') {
  return {
    prompt,
    promptValues: { boundary: 'DATA-test' },
    messages: [{ role: 'user' as const, content: text }],
    schema,
    schemaName: 'probe',
    maxOutputTokens: 50,
  };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('OpenAiLanguageModel against the OpenAI stand-in', () => {
  let standIn: OpenAiStandIn;
  let connection: Connection;
  let prompts: Record<PromptId, Prompt>;
  const context = { purpose: 'test', conversationId: 'conv-1' };

  before(async () => {
    prompts = loadPrompts();
    connection = await openTestDatabase('llmmodel');
  });

  after(async () => {
    await dropTestDatabase(connection);
  });

  beforeEach(async () => {
    standIn = new OpenAiStandIn({ apiKey: 'test-key' });
    await standIn.start();
  });

  afterEach(async () => {
    await standIn.stop();
  });

  describe('a structured completion', () => {
    it('sends a strict json_schema request with the rendered system prompt, and returns the parsed value', async () => {
      // Arrange
      standIn.chatReplies.push({ kind: 'json', value: { intent: 'technical_problem', note: null } });
      const model = standInModel(standIn, connection);

      // Act
      const result = await model.complete(request(prompts.intent), context);

      // Assert
      assert.deepEqual(result, { outcome: 'ok', value: { intent: 'technical_problem', note: null } });
      const [sent] = standIn.chatRequests();
      assert.ok(sent);
      assert.equal(sent.path, '/v1/chat/completions');
      assert.equal(sent.headers.authorization, 'Bearer test-key');
      assert.equal(sent.body.model, 'helpline-chat');
      const format = sent.body.response_format as {
        type: string;
        json_schema: { name: string; strict: boolean };
      };
      assert.equal(format.type, 'json_schema');
      assert.equal(format.json_schema.name, 'probe');
      assert.equal(format.json_schema.strict, true);
      assert.deepEqual((sent.schema as { required: string[] }).required, ['intent', 'note']);
      assert.equal(sent.messages[0]?.role, 'system');
      assert.match(sent.messages[0]?.content ?? '', /between a line starting with <<<DATA-test/);
      assert.deepEqual(sent.messages[1], { role: 'user', content: 'my agents are offline' });
      // A compatible server gets max_tokens, which every one of them knows.
      assert.equal(sent.body.max_tokens, 50);
    });

    it('speaks Azure OpenAI: the deployment in the path, the api-version in the query, the key in api-key', async () => {
      // Arrange
      const azure = new OpenAiStandIn({ apiKey: 'azure-key' });
      await azure.start();
      try {
        azure.chatReplies.push({ kind: 'json', value: { intent: 'billing', note: 'invoice' } });
        const model = new OpenAiLanguageModel({
          settings: standInSettings(azure, {
            provider: {
              kind: 'azure',
              endpoint: azure.origin(),
              apiKey: 'azure-key',
              apiVersion: '2024-10-21',
            },
            chatModel: 'chat-deployment',
            embeddingModel: 'embed-deployment',
          }),
          logger: createSilentLogger(),
          budget: new MongoCallBudget({
            connection,
            logger: createSilentLogger(),
            perConversation: 10,
            perDay: 10,
          }),
        });

        // Act
        const chat = await model.complete(request(prompts.intent), context);
        const embeddings = await model.embed(['agent offline'], context);

        // Assert
        assert.equal(chat.outcome, 'ok');
        assert.equal(embeddings.outcome, 'ok');
        const [chatSent, embedSent] = azure.requests;
        assert.equal(chatSent?.path, '/openai/deployments/chat-deployment/chat/completions');
        assert.equal(chatSent?.query['api-version'], '2024-10-21');
        assert.equal(chatSent?.headers['api-key'], 'azure-key');
        assert.equal(chatSent?.headers.authorization, undefined);
        assert.equal(chatSent?.body.max_completion_tokens, 50);
        assert.equal(embedSent?.path, '/openai/deployments/embed-deployment/embeddings');
      } finally {
        await azure.stop();
      }
    });

    it('gives unavailable(rejected) at once for a wrong key, without retrying', async () => {
      // Arrange
      const model = standInModel(standIn, connection, {
        provider: { kind: 'compatible', baseUrl: standIn.baseUrl(), apiKey: 'wrong' },
      });

      // Act
      const result = await model.complete(request(prompts.intent), context);

      // Assert
      assert.deepEqual(result, { outcome: 'unavailable', reason: 'rejected' });
      assert.equal(standIn.chatRequests().length, 1);
    });
  });

  describe('failures come back as results, quickly', () => {
    it('a slow server: unavailable(timeout) at the deadline, retries included', async () => {
      // Arrange
      standIn.chatResponder = () => ({ kind: 'json', value: { intent: 'x', note: null }, delayMs: 10_000 });
      const model = standInModel(standIn, connection, { timeoutMs: 700, maxRetries: 2 });

      // Act
      const result = await model.complete(request(prompts.intent), context);

      // Assert
      assert.deepEqual(result, { outcome: 'unavailable', reason: 'timeout' });
    });

    it('429 then success: the client retries and the call succeeds', async () => {
      // Arrange
      standIn.chatReplies.push({ kind: 'error', status: 429, headers: { 'retry-after-ms': '20' } });
      standIn.chatReplies.push({ kind: 'json', value: { intent: 'billing', note: null } });
      const model = standInModel(standIn, connection);

      // Act
      const result = await model.complete(request(prompts.intent), context);

      // Assert
      assert.deepEqual(result, { outcome: 'ok', value: { intent: 'billing', note: null } });
      assert.equal(standIn.chatRequests().length, 2);
    });

    it('429 asking to wait an hour: unavailable at the deadline, not an hour later', async () => {
      // Arrange
      standIn.chatResponder = () => ({ kind: 'error', status: 429, headers: { 'retry-after': '3600' } });
      const model = standInModel(standIn, connection, { timeoutMs: 600 });

      // Act
      const result = await model.complete(request(prompts.intent), context);

      // Assert
      assert.equal(result.outcome, 'unavailable');
    });

    it('500 on every attempt: unavailable(server_error) after the configured retries', async () => {
      // Arrange
      standIn.chatResponder = () => ({ kind: 'error', status: 500, headers: { 'retry-after-ms': '10' } });
      const model = standInModel(standIn, connection, { maxRetries: 2 });

      // Act
      const result = await model.complete(request(prompts.intent), context);

      // Assert
      assert.deepEqual(result, { outcome: 'unavailable', reason: 'server_error' });
      assert.equal(standIn.chatRequests().length, 3);
    });

    it('a refused connection: unavailable(connection)', async () => {
      // Arrange
      const port = await closedPort();
      const model = standInModel(standIn, connection, {
        provider: { kind: 'compatible', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: undefined },
        maxRetries: 1,
      });

      // Act
      const result = await model.complete(request(prompts.intent), context);

      // Assert
      assert.deepEqual(result, { outcome: 'unavailable', reason: 'connection' });
    });

    it('a connection dropped mid-request: unavailable, never thrown', async () => {
      // Arrange
      standIn.chatResponder = () => ({ kind: 'drop' });
      const model = standInModel(standIn, connection, { maxRetries: 1 });

      // Act
      const result = await model.complete(request(prompts.intent), context);

      // Assert
      assert.deepEqual(result, { outcome: 'unavailable', reason: 'connection' });
    });

    const badReplies: Array<[string, Parameters<OpenAiStandIn['chatReplies']['push']>[0], unknown]> = [
      [
        'text that is not JSON',
        { kind: 'text', content: 'Sure! The intent is billing.' },
        { outcome: 'unavailable', reason: 'malformed' },
      ],
      [
        'JSON of the wrong shape',
        { kind: 'json', value: { intent: 42 } },
        { outcome: 'unavailable', reason: 'schema_violation' },
      ],
      [
        'an answer cut short',
        { kind: 'finish', reason: 'length', content: '{"intent":"bil' },
        { outcome: 'unavailable', reason: 'malformed' },
      ],
      [
        'a refusal',
        { kind: 'refusal', refusal: 'I cannot help with that.' },
        { outcome: 'refused', reason: 'model_refusal' },
      ],
      [
        'a content filter stop',
        { kind: 'finish', reason: 'content_filter' },
        { outcome: 'refused', reason: 'model_refusal' },
      ],
    ];
    for (const [what, reply, expected] of badReplies) {
      it(`${what}: ${JSON.stringify(expected)}`, async () => {
        // Arrange
        standIn.chatReplies.push(reply);
        const model = standInModel(standIn, connection);

        // Act
        const result = await model.complete(request(prompts.intent), context);

        // Assert
        assert.deepEqual(result, expected);
      });
    }
  });

  describe('embeddings', () => {
    it('reads base64 (little-endian float32) and float answers alike, normalised and in input order', async () => {
      // Arrange
      const base64 = standInModel(standIn, connection, { embeddingEncoding: 'base64' });
      const float = standInModel(standIn, connection, { embeddingEncoding: 'float' });
      const texts = ['agent offline', 'backup failed with a VSS error', 'invoice copy'];

      // Act
      const fromBase64 = await base64.embed(texts, context);
      const fromFloat = await float.embed(texts, context);

      // Assert
      assert.equal(fromBase64.outcome, 'ok');
      assert.equal(fromFloat.outcome, 'ok');
      if (fromBase64.outcome !== 'ok' || fromFloat.outcome !== 'ok') return;
      const [sentBase64, sentFloat] = standIn.embeddingRequests();
      assert.equal(sentBase64?.body.encoding_format, 'base64');
      assert.equal(sentFloat?.body.encoding_format, 'float');
      assert.deepEqual(sentBase64?.inputs, texts);
      fromBase64.value.forEach((vector, i) => {
        const expected = standIn.embedder(texts[i] ?? '');
        const norm = Math.hypot(...expected);
        expected.forEach((x, d) => assert.ok(Math.abs((vector[d] ?? 0) - x / norm) < 1e-6));
        assert.deepEqual([...vector], [...(fromFloat.value[i] ?? [])]);
      });
    });

    it('sends many texts in batches, and a failed batch makes the whole call unavailable', async () => {
      // Arrange
      const model = standInModel(standIn, connection, { maxRetries: 0 });
      const texts = Array.from({ length: 130 }, (_, i) => `article ${i}`);
      standIn.embeddingsReplies.push({ kind: 'vectors', vectors: texts.slice(0, 64).map(() => [1, 0]) });
      standIn.embeddingsReplies.push({ kind: 'error', status: 503 });

      // Act
      const result = await model.embed(texts, context);

      // Assert
      assert.deepEqual(result, { outcome: 'unavailable', reason: 'server_error' });
      assert.deepEqual(
        standIn.embeddingRequests().map((r) => r.inputs.length),
        [64, 64],
      );
    });

    it('rejects a reply whose vectors do not match the inputs', async () => {
      // Arrange
      const model = standInModel(standIn, connection);
      standIn.embeddingsReplies.push({ kind: 'vectors', vectors: [[1, 0, 0]] });

      // Act
      const result = await model.embed(['one', 'two'], context);

      // Assert
      assert.deepEqual(result, { outcome: 'unavailable', reason: 'malformed' });
    });

    it('without an embeddings model: unavailable(not_configured), nothing sent', async () => {
      // Arrange
      const model: LanguageModel = standInModel(standIn, connection, { embeddingModel: undefined });

      // Act
      const result = await model.embed(['anything'], context);

      // Assert
      assert.deepEqual(result, { outcome: 'unavailable', reason: 'not_configured' });
      assert.equal(standIn.requests.length, 0);
    });

    it('a stand-in base64 vector decodes to the floats it encodes', () => {
      // Arrange
      const floats = [0.5, -1.25, 3];

      // Act
      const bytes = Buffer.from(float32ToBase64(floats), 'base64');

      // Assert
      assert.deepEqual(
        [0, 4, 8].map((offset) => bytes.readFloatLE(offset)),
        floats,
      );
    });
  });

  describe('budgets and logs', () => {
    it('refuses a conversation over its budget without calling the service, and serves other conversations', async () => {
      // Arrange
      standIn.chatResponder = () => ({ kind: 'json', value: { intent: 'billing', note: null } });
      const model = standInModel(standIn, connection, { callsPerConversation: 2 });
      const conversation = { purpose: 'test', conversationId: `budget-${Date.now()}` };

      // Act
      const results = [];
      for (let i = 0; i < 3; i++)
        results.push((await model.complete(request(prompts.intent), conversation)).outcome);
      const other = await model.complete(request(prompts.intent), {
        ...conversation,
        conversationId: 'someone-else',
      });

      // Assert
      assert.deepEqual(results, ['ok', 'ok', 'refused']);
      assert.equal(other.outcome, 'ok');
      assert.equal(standIn.chatRequests().length, 3);
    });

    it('logs purpose, prompt version, outcome, latency and tokens at info, and no message text', async () => {
      // Arrange
      const { logger, lines } = capturingLogger('info');
      standIn.chatReplies.push({
        kind: 'json',
        value: { intent: 'billing', note: 'the SECRET-WORD answer' },
      });
      standIn.chatReplies.push({ kind: 'error', status: 400, message: 'bad request' });
      const model = standInModel(standIn, connection, {}, logger);
      const text = 'my password is SECRET-WORD and my agents are offline';

      // Act
      await model.complete(request(prompts.intent, text), context);
      await model.complete(request(prompts.intent, text), context);

      // Assert
      const calls = lines().filter((line) => line.msg === 'llm call');
      assert.equal(calls.length, 2);
      assert.equal(calls[0]?.outcome, 'ok');
      assert.equal(calls[0]?.purpose, 'test');
      assert.equal(calls[0]?.prompt, 'intent');
      assert.equal(calls[0]?.promptVersion, prompts.intent.version);
      assert.equal(typeof calls[0]?.ms, 'number');
      assert.ok(Number(calls[0]?.inputTokens) > 0 && Number(calls[0]?.outputTokens) > 0);
      assert.equal(calls[1]?.outcome, 'unavailable');
      assert.equal(calls[1]?.reason, 'rejected');
      assert.ok(!lines().some((line) => JSON.stringify(line).includes('SECRET-WORD')));
    });
  });
});
