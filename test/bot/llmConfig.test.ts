import assert from 'node:assert/strict';
import { loadConfig } from '../../bot/config';

describe('loadConfig: the language model', () => {
  it('has no language model without any OpenAI setting', () => {
    // Act
    const config = loadConfig({});

    // Assert
    assert.equal(config.llm, undefined);
  });

  it('uses OpenAI with OPENAI_API_KEY alone, with the documented defaults', () => {
    // Act
    const config = loadConfig({ OPENAI_API_KEY: 'sk-test' });

    // Assert
    assert.deepEqual(config.llm, {
      provider: { kind: 'openai', apiKey: 'sk-test' },
      chatModel: 'gpt-4o-mini',
      embeddingModel: undefined,
      embeddingEncoding: 'base64',
      timeoutMs: 6000,
      maxRetries: 2,
      callsPerConversation: 30,
      callsPerDay: 5000,
      embeddingMinSimilarity: 0.3,
    });
  });

  it('uses a compatible server with OPENAI_BASE_URL, no key needed, floats for embeddings', () => {
    // Act
    const config = loadConfig({
      OPENAI_BASE_URL: 'http://localhost:11434/v1',
      LLM_CHAT_MODEL: 'llama3.1:8b',
      LLM_EMBEDDING_MODEL: 'nomic-embed-text',
      LLM_TIMEOUT_MS: '4000',
      LLM_MAX_RETRIES: '1',
      LLM_CALLS_PER_CONVERSATION: '10',
      LLM_CALLS_PER_DAY: '200',
      LLM_EMBEDDING_MIN_SIMILARITY: '0.45',
    });

    // Assert
    assert.deepEqual(config.llm, {
      provider: { kind: 'compatible', baseUrl: 'http://localhost:11434/v1', apiKey: undefined },
      chatModel: 'llama3.1:8b',
      embeddingModel: 'nomic-embed-text',
      embeddingEncoding: 'float',
      timeoutMs: 4000,
      maxRetries: 1,
      callsPerConversation: 10,
      callsPerDay: 200,
      embeddingMinSimilarity: 0.45,
    });
  });

  it('uses Azure OpenAI with an endpoint, a key and deployments', () => {
    // Act
    const config = loadConfig({
      AZURE_OPENAI_ENDPOINT: 'https://contoso.openai.azure.com/',
      AZURE_OPENAI_API_KEY: 'azure-key',
      LLM_CHAT_MODEL: 'helpline-gpt-4o-mini',
      LLM_EMBEDDING_MODEL: 'helpline-embeddings',
    });

    // Assert
    assert.deepEqual(config.llm?.provider, {
      kind: 'azure',
      endpoint: 'https://contoso.openai.azure.com/',
      apiKey: 'azure-key',
      apiVersion: '2024-10-21',
    });
    assert.equal(config.llm?.chatModel, 'helpline-gpt-4o-mini');
    assert.equal(config.llm?.embeddingEncoding, 'base64');
  });

  const invalid: Array<[string, Record<string, string>, RegExp]> = [
    [
      'Azure without a key',
      { AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', LLM_CHAT_MODEL: 'd' },
      /AZURE_OPENAI_API_KEY is required/,
    ],
    [
      'Azure without a deployment',
      { AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', AZURE_OPENAI_API_KEY: 'k' },
      /LLM_CHAT_MODEL/,
    ],
    [
      'Azure and a base URL',
      {
        AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
        AZURE_OPENAI_API_KEY: 'k',
        LLM_CHAT_MODEL: 'd',
        OPENAI_BASE_URL: 'http://localhost:8000/v1',
      },
      /not both/,
    ],
    ['an Azure key without an endpoint', { AZURE_OPENAI_API_KEY: 'k' }, /AZURE_OPENAI_ENDPOINT is not/],
    ['a base URL without a model', { OPENAI_BASE_URL: 'http://localhost:8000/v1' }, /LLM_CHAT_MODEL/],
    ['a model without a service', { LLM_EMBEDDING_MODEL: 'text-embedding-3-small' }, /no model service/],
    [
      'a base URL that is no URL',
      { OPENAI_BASE_URL: 'localhost:8000', LLM_CHAT_MODEL: 'm' },
      /OPENAI_BASE_URL/,
    ],
    ['a timeout too short', { OPENAI_API_KEY: 'k', LLM_TIMEOUT_MS: '50' }, /LLM_TIMEOUT_MS/],
    [
      'an unknown embeddings encoding',
      { OPENAI_API_KEY: 'k', LLM_EMBEDDING_ENCODING: 'int8' },
      /LLM_EMBEDDING_ENCODING/,
    ],
  ];
  for (const [what, env, message] of invalid) {
    it(`refuses ${what} with a readable message`, () => {
      assert.throws(() => loadConfig(env), message);
    });
  }
});
