import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the stand-in does with one chat request. `delayMs` delays any of them. */
export type ChatReply = (
  | { kind: 'json'; value: unknown }
  /** Raw content, e.g. text that is not JSON. */
  | { kind: 'text'; content: string }
  | { kind: 'refusal'; refusal: string }
  | { kind: 'finish'; reason: 'length' | 'content_filter'; content?: string }
  | { kind: 'error'; status: number; headers?: Record<string, string>; message?: string }
  /** Closes the connection without an answer. */
  | { kind: 'drop' }
) & { delayMs?: number };

export type EmbeddingsReply = (
  | { kind: 'vectors'; vectors: number[][] }
  | { kind: 'error'; status: number; headers?: Record<string, string>; message?: string }
  | { kind: 'drop' }
) & { delayMs?: number };

export interface ChatMessageSent {
  role: string;
  content: string;
}

/** A request as the stand-in received it, for tests to check what was sent. */
export interface RecordedRequest {
  kind: 'chat' | 'embeddings';
  path: string;
  /** Azure: the deployment named in the path. */
  deployment?: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** Chat only: the messages. */
  messages: ChatMessageSent[];
  /** Chat only: the JSON schema of `response_format`. */
  schema?: Record<string, unknown>;
  /** Embeddings only: the inputs, as strings. */
  inputs: string[];
}

export interface OpenAiStandInOptions {
  /** When set, requests must carry it (`Authorization: Bearer` or Azure's `api-key`). */
  apiKey?: string;
  /** Dimensions of the default embedding. */
  dimensions?: number;
}

/**
 * A local server speaking the OpenAI HTTP API as the official client uses it: chat completions
 * with `response_format: json_schema` (checked as the real service checks a strict schema),
 * embeddings in float or base64 (little-endian float32), OpenAI paths (`/v1/...`) and Azure
 * deployment paths (`/openai/deployments/{name}/...?api-version=`), errors in OpenAI's shape.
 * Tests script it: one-shot replies queued in `chatReplies` / `embeddingsReplies`, then
 * `chatResponder` / `embedder` for every other request; `requests` records what was sent.
 */
export class OpenAiStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly chatReplies: ChatReply[] = [];
  readonly embeddingsReplies: EmbeddingsReply[] = [];
  chatResponder: (request: RecordedRequest) => ChatReply = () => ({
    kind: 'error',
    status: 500,
    message: 'no chat reply scripted',
  });
  embedder: (text: string) => number[];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: OpenAiStandInOptions = {}) {
    const dimensions = options.dimensions ?? 64;
    this.embedder = (text) => hashedEmbedding(text, dimensions);
  }

  /** Starts on a free loopback port; returns the origin, e.g. http://127.0.0.1:PORT. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.origin();
  }

  origin(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The OpenAI-style base URL (`OPENAI_BASE_URL`). */
  baseUrl(): string {
    return `${this.origin()}/v1`;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === 'chat');
  }

  embeddingRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === 'embeddings');
  }

  reset(): void {
    this.requests.length = 0;
    this.chatReplies.length = 0;
    this.embeddingsReplies.length = 0;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const route = /^\/(?:v1|openai\/deployments\/([^/]+))\/(chat\/completions|embeddings)$/.exec(
      url.pathname,
    );
    const raw = await readBody(req);
    if (req.method !== 'POST' || !route) return sendError(res, 404, 'Unknown request', 'not_found');
    const azure = route[1] !== undefined;
    if (azure && !url.searchParams.get('api-version')) {
      return sendError(res, 404, 'Resource not found: api-version is required', '404');
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_json');
    }
    const kind = route[2] === 'embeddings' ? 'embeddings' : 'chat';
    const record: RecordedRequest = {
      kind,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      messages: Array.isArray(body.messages) ? (body.messages as ChatMessageSent[]) : [],
      inputs: inputsOf(body.input),
      ...(route[1] !== undefined && { deployment: decodeURIComponent(route[1]) }),
    };
    const format = body.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined;
    if (format?.json_schema?.schema && typeof format.json_schema.schema === 'object') {
      record.schema = format.json_schema.schema as Record<string, unknown>;
    }
    this.requests.push(record);
    if (this.options.apiKey !== undefined) {
      const given = azure ? req.headers['api-key'] : req.headers.authorization?.replace(/^Bearer\s+/i, '');
      if (given !== this.options.apiKey)
        return sendError(res, 401, 'Incorrect API key provided', 'invalid_api_key');
    }

    if (!azure && typeof body.model !== 'string')
      return sendError(res, 400, 'you must provide a model parameter', null);
    if (kind === 'chat') {
      const invalid = checkChatRequest(body);
      if (invalid) return sendError(res, 400, invalid, 'invalid_request_error');
      const reply = this.chatReplies.shift() ?? this.chatResponder(record);
      return this.later(reply.delayMs, res, () => this.sendChat(res, record, reply));
    }
    if (record.inputs.length === 0)
      return sendError(res, 400, "'input' must be a non-empty string or array", null);
    const reply = this.embeddingsReplies.shift() ?? {
      kind: 'vectors' as const,
      vectors: record.inputs.map((text) => this.embedder(text)),
    };
    return this.later(reply.delayMs, res, () => this.sendEmbeddings(res, record, reply));
  }

  private later(delayMs: number | undefined, res: ServerResponse, send: () => void): void {
    if (!delayMs) return send();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!res.destroyed && !res.writableEnded) send();
    }, delayMs);
    this.timers.add(timer);
  }

  private sendChat(res: ServerResponse, record: RecordedRequest, reply: ChatReply): void {
    if (reply.kind === 'drop') return void res.socket?.destroy();
    if (reply.kind === 'error')
      return sendError(res, reply.status, reply.message ?? 'The server had an error', null, reply.headers);
    const content =
      reply.kind === 'json'
        ? JSON.stringify(reply.value)
        : reply.kind === 'refusal'
          ? null
          : (reply.content ?? '');
    const promptTokens = Math.ceil(record.messages.reduce((n, m) => n + String(m.content).length, 0) / 4);
    const completionTokens = Math.ceil((content ?? '').length / 4);
    sendJson(res, 200, {
      id: `chatcmpl-${randomBytes(8).toString('hex')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: modelOf(record),
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content,
            refusal: reply.kind === 'refusal' ? reply.refusal : null,
          },
          logprobs: null,
          finish_reason: reply.kind === 'finish' ? reply.reason : 'stop',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    });
  }

  private sendEmbeddings(res: ServerResponse, record: RecordedRequest, reply: EmbeddingsReply): void {
    if (reply.kind === 'drop') return void res.socket?.destroy();
    if (reply.kind === 'error')
      return sendError(res, reply.status, reply.message ?? 'The server had an error', null, reply.headers);
    const base64 = record.body.encoding_format === 'base64';
    const tokens = Math.ceil(record.inputs.reduce((n, text) => n + text.length, 0) / 4);
    sendJson(res, 200, {
      object: 'list',
      data: reply.vectors.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: base64 ? float32ToBase64(vector) : vector,
      })),
      model: modelOf(record),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }
}

/** Little-endian float32, base64: what OpenAI sends for `encoding_format: "base64"`. */
export function float32ToBase64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString('base64');
}

/**
 * A deterministic text embedding for tests and benchmarks: accent-folded words and their
 * character trigrams hashed (with a sign) into `dimensions` buckets. Texts sharing words or
 * word pieces get close vectors; it knows nothing of meaning, so it stands in for the protocol
 * and the plumbing, not for a real model's quality.
 */
export function hashedEmbedding(text: string, dimensions: number): number[] {
  const vector: number[] = new Array<number>(dimensions).fill(0);
  const words =
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const add = (feature: string, weight: number): void => {
    const hash = fnv1a(feature);
    const index = hash % dimensions;
    vector[index] = (vector[index] ?? 0) + ((hash >>> 31) & 1 ? -weight : weight);
  };
  for (const word of words) {
    if (word.length < 3) continue;
    add(`w:${word}`, 1);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.35);
  }
  if (!vector.some((x) => x !== 0)) vector[0] = 1;
  return vector;
}

function modelOf(record: RecordedRequest): string {
  return typeof record.body.model === 'string' ? record.body.model : (record.deployment ?? '');
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function inputsOf(input: unknown): string[] {
  if (typeof input === 'string') return input ? [input] : [];
  if (Array.isArray(input) && input.every((x) => typeof x === 'string')) return input;
  return [];
}

/** The checks the real service makes on a structured-output request, or undefined when it passes. */
function checkChatRequest(body: Record<string, unknown>): string | undefined {
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return "'messages' must be a non-empty array";
  for (const message of body.messages as Array<Record<string, unknown>>) {
    if (!['system', 'user', 'assistant', 'developer'].includes(String(message.role))) return 'invalid role';
    if (typeof message.content !== 'string') return 'content must be a string';
  }
  const format = body.response_format as
    { type?: string; json_schema?: { name?: unknown; strict?: unknown; schema?: unknown } } | undefined;
  if (format === undefined) return undefined;
  if (format.type !== 'json_schema') return "response_format.type must be 'json_schema'";
  const spec = format.json_schema;
  if (!spec || typeof spec.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name))
    return 'response_format.json_schema.name is invalid';
  if (spec.strict === true) return strictSchemaProblem(spec.schema, 'schema');
  return undefined;
}

/** Strict mode: every object lists all its properties as required and allows no others. */
function strictSchemaProblem(schema: unknown, where: string): string | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object' || node.properties) {
    const properties = Object.keys((node.properties as Record<string, unknown> | undefined) ?? {});
    const required = (node.required as string[] | undefined) ?? [];
    const missing = properties.filter((p) => !required.includes(p));
    if (missing.length)
      return `Invalid schema for response_format: In context=${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    if (node.additionalProperties !== false)
      return `Invalid schema for response_format: In context=${where}, 'additionalProperties' is required to be supplied and to be false.`;
  }
  for (const [key, child] of Object.entries(node)) {
    if (Array.isArray(child)) {
      for (const [i, item] of child.entries()) {
        const problem = strictSchemaProblem(item, `${where}.${key}.${i}`);
        if (problem) return problem;
      }
    } else if (child && typeof child === 'object') {
      const problem =
        key === 'properties' || key === '$defs' || key === 'definitions'
          ? Object.entries(child as Record<string, unknown>)
              .map(([name, sub]) => strictSchemaProblem(sub, `${where}.${name}`))
              .find(Boolean)
          : strictSchemaProblem(child, `${where}.${key}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string | null,
  headers: Record<string, string> = {},
): void {
  const type =
    status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}
