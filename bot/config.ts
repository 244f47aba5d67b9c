import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../services/errors';
import type { LlmSettings } from '../services/llm/settings';

const PROJECT_ROOT = path.resolve(__dirname, '..');

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['true', '1', 'yes'].includes(v)));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Where Microsoft Entra ID publishes the keys that sign its tokens (v1 and v2). */
export const MICROSOFT_IDENTITY_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only')
    .default('helpline'),
  HELPLINE_DATA_DIR: z.string().default(path.join(PROJECT_ROOT, 'data')),
  FERRETDB_BIN: optionalString,
  HELPLINE_EMBEDDED_POSTGRESQL_URL: optionalString.pipe(
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  ),
  HELPLINE_EMBEDDED_DB: z.enum(['auto', 'ferretdb', 'none']).default('auto'),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppTenantId: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  BOT_ALLOW_ANONYMOUS: booleanFromEnv,
  TRUST_PROXY: optionalString,
  DB_SERVER_SELECTION_TIMEOUT_SECONDS: z.coerce.number().min(0.5).max(120).default(5),
  DB_SOCKET_TIMEOUT_SECONDS: z.coerce.number().min(0.5).max(600).default(10),
  CONNECTOR_TIMEOUT_SECONDS: z.coerce.number().min(1).max(120).default(10),
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(30),
  ACTIVITY_DEDUP_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
  ACTIVITY_IN_FLIGHT_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  BOT_MAX_CONCURRENT_TURNS: z.coerce.number().int().min(0).max(10_000).default(16),
  DIRECTLINE_RETENTION_DAYS: z.coerce.number().min(1).max(3650).default(30),
  RETENTION_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 86_400)
    .default(3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DIRECTLINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  DIRECTLINE_TOKENS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  DIRECTLINE_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(5_000_000)
    .default(64 * 1024),
  WEB_USER_TOKEN_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  HELPLINE_DEMO_DATA: booleanFromEnv,
  STAFF_API_TOKENS: optionalString,
  STATUS_FEED_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  STATUS_FEED_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2000),
  STATUS_FEED_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  STATUS_COMPONENT_MODULES: optionalString,
  KB_REFRESH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  CATALOGUE_REFRESH_SECONDS: z.coerce.number().min(0.1).max(86_400).default(5),
  LIFECYCLE_JOB: booleanFromEnv,
  LIFECYCLE_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  TEAMS_APP_ID: optionalString.pipe(z.uuid('must be a GUID').optional()),
  TEAMS_SSO_CLIENT_ID: optionalString.pipe(
    z.uuid("must be a GUID (the Entra app registration's client id)").optional(),
  ),
  TEAMS_SSO_JWKS_URL: z.url({ protocol: /^https?$/ }).default(MICROSOFT_IDENTITY_JWKS_URL),
  TEAMS_TAB_DEV_ORIGINS: optionalString,
  TEAMS_UNFURL_DOMAINS: optionalString,
  PATH: z.string().default(''),
  HOME: optionalString,
  ...llmEnv(),
  ...deskEnv(),
});

/** The support desk's side: live handoff, the agent console, satisfaction and /metrics (issue 14). */
function deskEnv() {
  return {
    HANDOFF_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
    HANDOFF_HOURS: z.enum(['always', 'business']).default('business'),
    DESK_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
    CONSOLE_SESSION_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(480),
    CONSOLE_PRESENCE_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
    CONSOLE_LIVE_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    CONSOLE_KEEPALIVE_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
    CONSOLE_STREAMS_PER_SESSION: z.coerce.number().int().min(1).max(20).default(3),
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  };
}

/** The language-model settings (all optional: without them Helpline runs on rules and search alone). */
function llmEnv() {
  return {
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    AZURE_OPENAI_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    AZURE_OPENAI_API_KEY: optionalString,
    AZURE_OPENAI_API_VERSION: optionalString.pipe(
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must look like 2024-10-21')
        .default('2024-10-21'),
    ),
    LLM_CHAT_MODEL: optionalString,
    LLM_EMBEDDING_MODEL: optionalString,
    LLM_EMBEDDING_ENCODING: optionalString.pipe(z.enum(['base64', 'float']).optional()),
    LLM_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(6000),
    LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    LLM_CALLS_PER_CONVERSATION: z.coerce.number().int().min(1).max(10_000).default(30),
    LLM_CALLS_PER_DAY: z.coerce.number().int().min(1).max(10_000_000).default(5000),
    LLM_EMBEDDING_MIN_SIMILARITY: z.coerce.number().min(-1).max(1).default(0.3),
  };
}

export type RawEnv = Record<string, string | undefined>;

/** Everything Helpline can be told, parsed once at start. See the README for each option. */
export interface AppConfig {
  port: number;
  host: string;
  /** The address users reach Helpline at, when it differs from http://localhost:PORT. */
  publicUrl: string | undefined;
  database: {
    uri: string | undefined;
    name: string;
    embedded: 'auto' | 'ferretdb' | 'none';
    dataDir: string;
    ferretdbBin: string | undefined;
    /** The embedded FerretDB keeps its data in this PostgreSQL database instead of SQLite files. */
    embeddedPostgresqlUrl: string | undefined;
    searchPath: string;
    homeDir: string | undefined;
    installScript: string;
  };
  bot: {
    appId: string | undefined;
    appPassword: string | undefined;
    appTenantId: string | undefined;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    /** Without an app id, accept unsigned /api/messages (Emulator, tests); replies go to loopback only. */
    allowAnonymous: boolean;
    /** A redelivered activity (same id) within this window is dropped. */
    dedupWindowMs: number;
    /** A turn unfinished after this long is taken for lost (its process died): a redelivery runs it. */
    inFlightMs: number;
    /** Turns run at once by this process (0: no limit); the others wait in arrival order. */
    maxConcurrentTurns: number;
  };
  /** Timeouts, so that a stalled database or channel is an answer within seconds, not a hang. */
  timeouts: {
    dbServerSelectionMs: number;
    dbSocketMs: number;
    /** A reply or notification the channel's connector has not taken by then has failed. */
    connectorMs: number;
    /** A request (headers and body) must have arrived by then. */
    httpRequestMs: number;
  };
  /** Which proxies' X-Forwarded-For express believes (`trust proxy`); false: none. */
  trustProxy: boolean | number | string[];
  /** Direct Line tokens past their expiry and conversations older than this are deleted. */
  retention: { directLineMs: number; intervalMs: number };
  directLine: {
    tokenTtlSeconds: number;
    tokensPerMinute: number;
    maxBodyBytes: number;
  };
  webUserTokenSecret: string | undefined;
  /** Load the demo organisations and knowledge base into an empty database. */
  demoData: boolean;
  logLevel: string;
  projectRoot: string;
  /** Bearer tokens of the staff API, each naming a staff member. */
  staffTokens: Array<{ token: string; staff: { id: string; name: string } }>;
  statusFeed: {
    url: string | undefined;
    timeoutMs: number;
    cacheMs: number;
    componentModules: Record<string, string>;
  };
  lifecycle: { enabled: boolean; intervalMs: number };
  /** How often the search index checks the database for articles changed elsewhere; 0: never. */
  kbRefreshMs: number;
  /** How often the catalogue's stored revision is checked, in the background (never on a turn). */
  catalogueRefreshMs: number;
  teams: TeamsConfig;
  /** The language model (OpenAI, Azure OpenAI or a compatible server); undefined: rules and search only. */
  llm: LlmSettings | undefined;
  desk: DeskConfig;
}

/** Live handoff, the agent console and /metrics. */
export interface DeskConfig {
  /** A handoff nobody accepted for this long times out into a ticket offer. */
  handoffTimeoutMs: number;
  /** `business`: agents take conversations in the ticket policy's business hours only. */
  handoffHours: 'always' | 'business';
  /** How often timed-out handoffs and due satisfaction questions are looked for. */
  sweepMs: number;
  /** A console session ends this long after sign-in. */
  consoleSessionMs: number;
  /** Agents count as on duty while their console was seen within this time. */
  consolePresenceMs: number;
  /** How often each process reads the database for the console's live updates (while a console listens). */
  livePollMs: number;
  /** How often an open live-update stream gets a keep-alive comment (and its session is checked). */
  keepAliveMs: number;
  /** Live-update streams one console session may hold open in one process (its tabs). */
  streamsPerSession: number;
  /** The bearer token /metrics asks for; /metrics is off without one. */
  metricsToken: string | undefined;
}

/** The Teams app around the bot: the "My requests" tab's single sign-on and link unfurling. */
export interface TeamsConfig {
  /** The Teams app id (manifest `id`), for deep links into the tab; none when unset. */
  appId: string | undefined;
  /** The Entra app whose tokens the tab sends (`TEAMS_SSO_CLIENT_ID`, else `MicrosoftAppId`); no SSO when unset. */
  ssoClientId: string | undefined;
  /** Audiences the tab's token may carry: the client id and `api://<PUBLIC_URL host>/<client id>`. */
  ssoAudiences: string[];
  jwksUrl: string;
  /** Loopback origins allowed to host the tab besides Teams itself: test and local use only. */
  tabDevOrigins: string[];
  /** Hosts whose links the bot unfurls: Helpline's own (from PUBLIC_URL) and `TEAMS_UNFURL_DOMAINS`. */
  unfurlDomains: string[];
}

/** Parses the environment; throws an AppError('config_invalid') with a readable list of problems. */
export function loadConfig(env: RawEnv): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new AppError('config_invalid', `Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  if (e.MicrosoftAppId && !e.MicrosoftAppPassword && e.MicrosoftAppType !== 'UserAssignedMSI') {
    throw new AppError(
      'config_invalid',
      'Invalid configuration:\n✖ MicrosoftAppPassword is required when MicrosoftAppId is set',
    );
  }
  if (e.MicrosoftAppType === 'SingleTenant' && e.MicrosoftAppId && !e.MicrosoftAppTenantId) {
    throw new AppError(
      'config_invalid',
      'Invalid configuration:\n✖ MicrosoftAppTenantId is required for a SingleTenant app',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    database: {
      uri: e.MONGODB_URI,
      name: e.MONGODB_DB,
      embedded: e.HELPLINE_EMBEDDED_DB,
      dataDir: path.resolve(e.HELPLINE_DATA_DIR),
      ferretdbBin: e.FERRETDB_BIN,
      embeddedPostgresqlUrl: e.HELPLINE_EMBEDDED_POSTGRESQL_URL,
      searchPath: e.PATH,
      homeDir: e.HOME ?? os.homedir(),
      installScript: path.join(PROJECT_ROOT, 'scripts', 'install-ferretdb.sh'),
    },
    bot: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appTenantId: e.MicrosoftAppTenantId,
      appType: e.MicrosoftAppType,
      allowAnonymous: e.BOT_ALLOW_ANONYMOUS ?? false,
      dedupWindowMs: e.ACTIVITY_DEDUP_WINDOW_SECONDS * 1000,
      inFlightMs: e.ACTIVITY_IN_FLIGHT_SECONDS * 1000,
      maxConcurrentTurns: e.BOT_MAX_CONCURRENT_TURNS,
    },
    timeouts: {
      dbServerSelectionMs: e.DB_SERVER_SELECTION_TIMEOUT_SECONDS * 1000,
      dbSocketMs: e.DB_SOCKET_TIMEOUT_SECONDS * 1000,
      connectorMs: e.CONNECTOR_TIMEOUT_SECONDS * 1000,
      httpRequestMs: e.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    },
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    retention: {
      directLineMs: e.DIRECTLINE_RETENTION_DAYS * 86_400_000,
      intervalMs: e.RETENTION_INTERVAL_SECONDS * 1000,
    },
    directLine: {
      tokenTtlSeconds: e.DIRECTLINE_TOKEN_TTL_SECONDS,
      tokensPerMinute: e.DIRECTLINE_TOKENS_PER_MINUTE,
      maxBodyBytes: e.DIRECTLINE_MAX_BODY_BYTES,
    },
    webUserTokenSecret: e.WEB_USER_TOKEN_SECRET,
    demoData: e.HELPLINE_DEMO_DATA ?? true,
    logLevel: e.LOG_LEVEL,
    projectRoot: PROJECT_ROOT,
    staffTokens: parseStaffTokens(e.STAFF_API_TOKENS),
    statusFeed: {
      url: e.STATUS_FEED_URL,
      timeoutMs: e.STATUS_FEED_TIMEOUT_MS,
      cacheMs: e.STATUS_FEED_CACHE_SECONDS * 1000,
      componentModules: Object.fromEntries(
        (e.STATUS_COMPONENT_MODULES ?? '')
          .split(',')
          .map((pair) => pair.split('=').map((part) => part.trim()))
          .filter((kv): kv is [string, string] => kv.length === 2 && !!kv[0] && !!kv[1]),
      ),
    },
    lifecycle: { enabled: e.LIFECYCLE_JOB ?? true, intervalMs: e.LIFECYCLE_INTERVAL_SECONDS * 1000 },
    kbRefreshMs: e.KB_REFRESH_SECONDS * 1000,
    catalogueRefreshMs: Math.round(e.CATALOGUE_REFRESH_SECONDS * 1000),
    teams: teamsConfig(e),
    llm: llmSettings(e),
    desk: {
      handoffTimeoutMs: e.HANDOFF_TIMEOUT_SECONDS * 1000,
      handoffHours: e.HANDOFF_HOURS,
      sweepMs: e.DESK_SWEEP_SECONDS * 1000,
      consoleSessionMs: e.CONSOLE_SESSION_MINUTES * 60_000,
      consolePresenceMs: e.CONSOLE_PRESENCE_SECONDS * 1000,
      livePollMs: e.CONSOLE_LIVE_POLL_MS,
      keepAliveMs: e.CONSOLE_KEEPALIVE_SECONDS * 1000,
      streamsPerSession: e.CONSOLE_STREAMS_PER_SESSION,
      metricsToken: e.METRICS_TOKEN,
    },
  };
}

function invalid(problem: string): AppError {
  return new AppError('config_invalid', `Invalid configuration:\n✖ ${problem}`);
}

/**
 * Which model service, from the variables given: Azure OpenAI when AZURE_OPENAI_ENDPOINT is set,
 * a compatible server when OPENAI_BASE_URL is, OpenAI when only OPENAI_API_KEY is; none otherwise.
 */
function llmSettings(e: z.output<typeof envSchema>): LlmSettings | undefined {
  let provider: LlmSettings['provider'];
  if (e.AZURE_OPENAI_ENDPOINT) {
    if (e.OPENAI_BASE_URL) throw invalid('set AZURE_OPENAI_ENDPOINT or OPENAI_BASE_URL, not both');
    if (!e.AZURE_OPENAI_API_KEY) throw invalid('AZURE_OPENAI_API_KEY is required with AZURE_OPENAI_ENDPOINT');
    if (!e.LLM_CHAT_MODEL)
      throw invalid('LLM_CHAT_MODEL (the chat deployment name) is required with AZURE_OPENAI_ENDPOINT');
    provider = {
      kind: 'azure',
      endpoint: e.AZURE_OPENAI_ENDPOINT,
      apiKey: e.AZURE_OPENAI_API_KEY,
      apiVersion: e.AZURE_OPENAI_API_VERSION,
    };
  } else if (e.AZURE_OPENAI_API_KEY) {
    throw invalid('AZURE_OPENAI_API_KEY is set but AZURE_OPENAI_ENDPOINT is not');
  } else if (e.OPENAI_BASE_URL) {
    if (!e.LLM_CHAT_MODEL)
      throw invalid('LLM_CHAT_MODEL (the model name the server knows) is required with OPENAI_BASE_URL');
    provider = { kind: 'compatible', baseUrl: e.OPENAI_BASE_URL, apiKey: e.OPENAI_API_KEY };
  } else if (e.OPENAI_API_KEY) {
    provider = { kind: 'openai', apiKey: e.OPENAI_API_KEY };
  } else {
    const stray = (['LLM_CHAT_MODEL', 'LLM_EMBEDDING_MODEL'] as const).find((name) => e[name]);
    if (stray)
      throw invalid(
        `${stray} is set but no model service is: set OPENAI_API_KEY, OPENAI_BASE_URL or AZURE_OPENAI_ENDPOINT`,
      );
    return undefined;
  }
  return {
    provider,
    chatModel: e.LLM_CHAT_MODEL ?? 'gpt-4o-mini',
    embeddingModel: e.LLM_EMBEDDING_MODEL,
    // Compatible servers do not all speak base64; every one speaks float.
    embeddingEncoding: e.LLM_EMBEDDING_ENCODING ?? (provider.kind === 'compatible' ? 'float' : 'base64'),
    timeoutMs: e.LLM_TIMEOUT_MS,
    maxRetries: e.LLM_MAX_RETRIES,
    callsPerConversation: e.LLM_CALLS_PER_CONVERSATION,
    callsPerDay: e.LLM_CALLS_PER_DAY,
    embeddingMinSimilarity: e.LLM_EMBEDDING_MIN_SIMILARITY,
  };
}

function teamsConfig(e: z.output<typeof envSchema>): TeamsConfig {
  const ssoClientId = e.TEAMS_SSO_CLIENT_ID ?? e.MicrosoftAppId;
  const publicHost = e.PUBLIC_URL ? new URL(e.PUBLIC_URL).host : undefined;
  return {
    appId: e.TEAMS_APP_ID,
    ssoClientId,
    ssoAudiences: ssoClientId
      ? [ssoClientId, ...(publicHost ? [`api://${publicHost}/${ssoClientId}`] : [])]
      : [],
    jwksUrl: e.TEAMS_SSO_JWKS_URL,
    tabDevOrigins: listOf(e.TEAMS_TAB_DEV_ORIGINS).map((origin) => {
      // Teams itself is https; a plain-http parent may only ever be a page on this machine.
      const url = URL.canParse(origin) ? new URL(origin) : undefined;
      if (!url || url.origin !== origin || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
        throw new AppError(
          'config_invalid',
          `Invalid configuration:\n✖ TEAMS_TAB_DEV_ORIGINS: "${origin}" is not a loopback origin such as http://127.0.0.1:5000`,
        );
      }
      return origin;
    }),
    unfurlDomains: [
      ...new Set([
        ...(publicHost ? [publicHost] : []),
        ...listOf(e.TEAMS_UNFURL_DOMAINS).map((domain) => {
          if (!/^[a-z0-9.-]+(:\d+)?$/i.test(domain)) {
            throw new AppError(
              'config_invalid',
              `Invalid configuration:\n✖ TEAMS_UNFURL_DOMAINS: "${domain}" is not a host name`,
            );
          }
          return domain.toLowerCase();
        }),
      ]),
    ],
  };
}

/**
 * TRUST_PROXY: unset or "none" trusts no proxy (the socket's address is the client); a number
 * trusts that many hops; otherwise a comma list of addresses, CIDR ranges, or express's names
 * `loopback`, `linklocal`, `uniquelocal`.
 */
function parseTrustProxy(raw: string | undefined): boolean | number | string[] {
  if (raw === undefined || ['none', 'false', '0'].includes(raw.toLowerCase())) return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const entries = listOf(raw);
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry);
    const ip = isIP(address) !== 0 && (bits === undefined || /^\d{1,3}$/.test(bits));
    if (!named && !ip) {
      throw invalid(
        `TRUST_PROXY: "${entry}" is not an address, a CIDR range, loopback, linklocal, uniquelocal or a number of hops`,
      );
    }
  }
  return entries;
}

function listOf(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** "token:id:Name,token2:id2:Name Two" → staff tokens; a token has at least 16 characters. */
function parseStaffTokens(
  raw: string | undefined,
): Array<{ token: string; staff: { id: string; name: string } }> {
  if (!raw) return [];
  const entries = raw.split(',').map((entry, i) => {
    const [token = '', id = '', ...rest] = entry.trim().split(':');
    const name = rest.join(':').trim();
    if (token.length < 16 || !id.trim() || !name) {
      throw new AppError(
        'config_invalid',
        `Invalid configuration:\n✖ STAFF_API_TOKENS entry ${i + 1}: expected token:id:Name with a token of at least 16 characters`,
      );
    }
    return { token, staff: { id: id.trim(), name } };
  });
  if (new Set(entries.map((entry) => entry.token)).size !== entries.length) {
    throw new AppError('config_invalid', 'Invalid configuration:\n✖ STAFF_API_TOKENS has a token twice');
  }
  return entries;
}

const httpsUrl = (what: string) =>
  z.url({
    protocol: /^https$/,
    error: (issue) => (issue.input === undefined ? `required: ${what}` : 'must be an https:// address'),
  });

const teamsPackageSchema = z.object({
  TEAMS_APP_ID: z.uuid({ error: 'required: the Teams app id, a GUID you choose once and keep' }),
  MicrosoftAppId: z.uuid({ error: "required: the bot's Microsoft app id (a GUID, from its Azure Bot)" }),
  TEAMS_SSO_CLIENT_ID: optionalString.pipe(z.uuid('must be a GUID').optional()),
  PUBLIC_URL: httpsUrl('the https address Helpline is served at').refine(
    (url) => !new URL(url).pathname.replace(/\/$/, ''),
    {
      error: 'must be the bare address Helpline is served at, such as https://helpline.example.com',
    },
  ),
  TEAMS_APP_VERSION: optionalString.pipe(
    z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'must be a version such as 1.4.0 (major.minor.patch)')
      .optional(),
  ),
  TEAMS_DEVELOPER_NAME: z.string({ error: 'required: the publisher shown in Teams' }).trim().min(1).max(32),
  TEAMS_DEVELOPER_URL: httpsUrl("the publisher's website"),
  TEAMS_PRIVACY_URL: httpsUrl("the privacy statement's address"),
  TEAMS_TERMS_URL: httpsUrl("the terms of use's address"),
  TEAMS_UNFURL_DOMAINS: optionalString,
});

/** What the Teams app package is built from (`npm run teams:package`). */
export interface TeamsPackageConfig {
  appId: string;
  botId: string;
  ssoClientId: string;
  /** https://host, no trailing slash. */
  baseUrl: string;
  domain: string;
  version: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  /** Hosts besides Helpline's whose links the bot unfurls (the knowledge base's site). */
  unfurlDomains: string[];
}

/**
 * Parses what the Teams package needs; throws AppError('config_invalid') naming every missing or
 * invalid value. `defaultVersion` is the project's version, used when TEAMS_APP_VERSION is unset.
 */
export function loadTeamsPackageConfig(env: RawEnv, defaultVersion: string): TeamsPackageConfig {
  const parsed = teamsPackageSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== '')),
  );
  if (!parsed.success) {
    throw new AppError(
      'config_invalid',
      `Invalid Teams package configuration:\n${z.prettifyError(parsed.error)}`,
    );
  }
  const e = parsed.data;
  const base = new URL(e.PUBLIC_URL);
  return {
    appId: e.TEAMS_APP_ID.toLowerCase(),
    botId: e.MicrosoftAppId.toLowerCase(),
    ssoClientId: (e.TEAMS_SSO_CLIENT_ID ?? e.MicrosoftAppId).toLowerCase(),
    baseUrl: base.origin,
    domain: base.host,
    version: e.TEAMS_APP_VERSION ?? defaultVersion,
    developer: {
      name: e.TEAMS_DEVELOPER_NAME,
      websiteUrl: e.TEAMS_DEVELOPER_URL,
      privacyUrl: e.TEAMS_PRIVACY_URL,
      termsOfUseUrl: e.TEAMS_TERMS_URL,
    },
    unfurlDomains: [...new Set(listOf(e.TEAMS_UNFURL_DOMAINS).map((d) => d.toLowerCase()))].filter(
      (d) => d !== base.host,
    ),
  };
}
