import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../services/errors';

const PROJECT_ROOT = path.resolve(__dirname, '..');

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['true', '1', 'yes'].includes(v)));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

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
  HELPLINE_EMBEDDED_DB: z.enum(['auto', 'ferretdb', 'none']).default('auto'),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppTenantId: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
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
  LIFECYCLE_JOB: booleanFromEnv,
  LIFECYCLE_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  PATH: z.string().default(''),
  HOME: optionalString,
});

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
    searchPath: string;
    homeDir: string | undefined;
    installScript: string;
  };
  bot: {
    appId: string | undefined;
    appPassword: string | undefined;
    appTenantId: string | undefined;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  };
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
      searchPath: e.PATH,
      homeDir: e.HOME ?? os.homedir(),
      installScript: path.join(PROJECT_ROOT, 'scripts', 'install-ferretdb.sh'),
    },
    bot: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appTenantId: e.MicrosoftAppTenantId,
      appType: e.MicrosoftAppType,
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
  };
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
