import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { Connection } from 'mongoose';
import {
  BillingAssistantDialog,
  BillingTicketDialog,
  type BillingOptions,
} from '../dialogs/billingAssistantDialog';
import { KnowledgeDialog } from '../dialogs/knowledgeDialog';
import { renderTicketUpdate } from '../dialogs/notificationText';
import { MyRequestsDialog, type MyRequestsOptions } from '../dialogs/myRequestsDialog';
import { ServiceStatusDialog, type ServiceStatusOptions } from '../dialogs/serviceStatusDialog';
import { MainDialog } from '../dialogs/mainDialog';
import { TicketIntakeDialog, type TicketIntakeOptions } from '../dialogs/ticketIntakeDialog';
import { MongoAuditLog } from '../services/audit';
import { MongoTicketService } from '../services/tickets';
import { createLifecycleJob } from '../services/jobs';
import {
  MongoConversationReferenceStore,
  MongoPendingUpdateStore,
  TicketUpdateNotifier,
} from '../services/notifications';
import { StatuspageStatusFeed, UnconfiguredStatusFeed, type StatusFeed } from '../services/status';
import { createStaffApiRouter } from './staffApi';
import { StaticProductCatalogue } from '../services/catalogue';
import { MongoBotStorage, pingDatabase } from '../services/db';
import { isAppError } from '../services/errors';
import { DEMO_CONTACTS, MongoIdentityService } from '../services/identity';
import {
  ClassifierBillingTopicClassifier,
  ClassifierIntentRecognizer,
  loadUtterances,
} from '../services/intents';
import {
  FeedbackPopularArticles,
  MiniSearchKnowledgeBase,
  MongoFeedbackStore,
  seedKnowledgeBaseIfEmpty,
} from '../services/knowledge';
import type { LanguageServices } from '../services/llm';
import type { HybridKnowledgeBase } from '../services/knowledge/hybrid';
import { createLogger, type Logger } from '../services/logger';
import { HostConversationContext } from './conversationContext';
import { loadConfig, type AppConfig } from './config';
import { openConfiguredDatabase } from './database';
import { DirectLineServer } from './directLine/directLineServer';
import { DirectLineStore } from './directLine/store';
import { createHttpApp } from './httpApp';
import { BotStateStore } from './state';
import { SupportBot } from './supportBot';
import { WebUserTokens } from './webUserToken';
import { RequestReceipts } from './teams/requestReceipts';
import { TeamsSsoVerifier } from './teams/ssoVerifier';
import { createTabApiRouter, TAB_API_PATH } from './teams/tabApi';
import { TeamsInvokes } from './teams/teamsInvokes';
import { createTeamsRouter } from './teams/teamsRoutes';
import { createTurnErrorHandler } from './turnErrorHandler';

export interface AppOverrides {
  logger?: Logger;
  clock?: () => Date;
}

/** A running Helpline: its HTTP server, database and the parts tests reach into. */
export interface HelplineApp {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly connection: Connection;
  /** Signs web user tokens as the support site would (demo mode or a configured secret). */
  readonly userTokens: WebUserTokens | undefined;
  readonly server: Server;
  /** The language-model services when a model is configured (not yet used by the dialogs). */
  readonly llm: LanguageServices | undefined;
  /** Hybrid search over the knowledge base when an embeddings model is configured. */
  readonly hybridSearch: HybridKnowledgeBase | undefined;
  /** http://127.0.0.1:PORT once listening. */
  url(): string;
  listen(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition root: config → logger → database → state → services → dialogs → bot →
 * adapters → HTTP server. Everything else receives its collaborators from here.
 */
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<HelplineApp> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const clock = overrides.clock ?? (() => new Date());

  const { connection, embedded } = await openConfiguredDatabase(config, logger);

  const storage = new MongoBotStorage(connection);
  const state = new BotStateStore(storage);
  const directLineStore = new DirectLineStore(connection);
  await directLineStore.init();

  const catalogue = new StaticProductCatalogue();
  const identities = new MongoIdentityService({ connection, logger, clock });
  const knowledgeBase = await MiniSearchKnowledgeBase.open({ connection, logger, clock });
  if (config.demoData) {
    await identities.seedDemoIdentities();
    const seeded = await seedKnowledgeBaseIfEmpty(knowledgeBase, logger);
    if (seeded)
      logger.info({ added: seeded.added, rejected: seeded.rejected }, 'demo knowledge base imported');
  }
  const feedback = new MongoFeedbackStore(connection, clock);
  // Trained once at start on the project's own examples; the billing assistant shares its topic model.
  const utterances = loadUtterances();
  const billingTopics = new ClassifierBillingTopicClassifier({ utterances });
  const recognizer = new ClassifierIntentRecognizer({ utterances, billingTopics });
  // Built when configured, for the dialogs to take up (issue 12, phase 2); nothing routes through them yet.
  const llm = config.llm
    ? loadLanguageServices().createLanguageServices({ settings: config.llm, connection, logger, clock })
    : undefined;
  const hybridSearch = llm?.hybridSearch(knowledgeBase);
  if (llm) {
    logger.info(
      {
        chatModel: llm.model.chatModel,
        embeddingModel: llm.model.embeddingModel,
        provider: config.llm?.provider.kind,
      },
      'language model configured',
    );
  }

  const audit = new MongoAuditLog({ connection, logger, clock });
  const tickets = new MongoTicketService({
    connection,
    logger,
    identity: identities,
    catalogue,
    audit,
    clock,
  });

  const references = new MongoConversationReferenceStore({ connection, clock });
  const connectorSecret = randomBytes(24).toString('base64url');
  let baseUrl = '';
  const notifier = new TicketUpdateNotifier({
    references,
    pending: new MongoPendingUpdateStore({ connection, clock }),
    logger,
    render: (update) => renderTicketUpdate(update, tickets.policy.reopenWindowDays),
    deliver: async (reference, text) => {
      // The local Direct Line's connector secret belongs to this process: always use the current one.
      const local = reference.serviceUrl.includes('/directline/connector/');
      const ref = {
        ...reference,
        serviceUrl: local ? `${baseUrl}/directline/connector/${connectorSecret}` : reference.serviceUrl,
      } as Partial<ConversationReference>;
      const logic = async (ctx: TurnContext): Promise<void> => {
        await ctx.sendActivity(text);
      };
      if (local) await localAdapter.continueConversationAsync('', ref, logic);
      else await adapter.continueConversationAsync(config.bot.appId ?? '', ref, logic);
    },
  });
  const statusFeed: StatusFeed = config.statusFeed.url
    ? new StatuspageStatusFeed({
        url: config.statusFeed.url,
        logger,
        clock,
        timeoutMs: config.statusFeed.timeoutMs,
        cacheMs: config.statusFeed.cacheMs,
        componentModules: config.statusFeed.componentModules,
        moduleIds: catalogue.modules().map((m) => m.id),
      })
    : new UnconfiguredStatusFeed();
  const lifecycleJob = createLifecycleJob({
    connection,
    logger,
    tickets,
    notifier,
    clock,
    intervalMs: config.lifecycle.intervalMs,
  });
  const staffApi = createStaffApiRouter({
    tickets,
    audit,
    notifier,
    staffTokens: config.staffTokens,
    logger,
  });

  const conversationContext = new HostConversationContext(state, identities, directLineStore);
  const intake = new TicketIntakeDialog({
    tickets,
    identities,
    catalogue,
    recognizer,
    context: conversationContext,
    statusFeed,
    logger,
    clock,
  });
  const mainDialog = new MainDialog({
    context: conversationContext,
    recognizer,
    children: {
      knowledge: new KnowledgeDialog({ knowledgeBase, recognizer, feedback, catalogue, logger }),
      serviceStatus: {
        dialog: new ServiceStatusDialog({ statusFeed, catalogue, logger }),
        options: (request) => ({ locale: request.locale }) satisfies ServiceStatusOptions,
      },
      myRequests: {
        dialog: new MyRequestsDialog({ tickets, context: conversationContext, catalogue, logger, clock }),
        options: (request) =>
          ({
            locale: request.locale,
            text: request.text,
            ticketNumber:
              request.recognition?.entities?.ticketNumber ?? tickets.findTicketNumbers(request.text ?? '')[0],
          }) satisfies MyRequestsOptions,
      },
      billing: {
        dialog: new BillingAssistantDialog({
          knowledgeBase,
          tickets,
          topics: billingTopics,
          recognizer,
          context: conversationContext,
          catalogue,
          logger,
          ticket: new BillingTicketDialog({ tickets, context: conversationContext, logger }),
        }),
        options: (request) =>
          ({
            locale: request.locale,
            text: request.text,
            topic: request.recognition?.entities?.billingTopic,
          }) satisfies BillingOptions,
      },
      ticketIntake: {
        dialog: intake,
        options: (request, fromKnowledge) =>
          ({
            locale: request.locale,
            text: request.text,
            relatedTicketNumber: request.relatedTicketNumber,
            ...(fromKnowledge?.outcome === 'not_solved' && {
              problem: fromKnowledge.problem,
              module: fromKnowledge.module,
              articlesTried: fromKnowledge.articlesTried,
            }),
          }) satisfies TicketIntakeOptions,
      },
    },
  });
  // Helpline's own links: PUBLIC_URL when set (what Teams users reach), else this process.
  const publicBase = (): string => config.publicUrl?.replace(/\/$/, '') ?? baseUrl;
  const teamsInvokes = new TeamsInvokes({
    knowledgeBase,
    popular: new FeedbackPopularArticles({ connection, knowledgeBase, clock }),
    tickets,
    catalogue,
    logger,
    unfurlDomains: config.teams.unfurlDomains,
    helplineHost: config.publicUrl ? new URL(config.publicUrl).host : undefined,
    ticketLink: (number) => `${publicBase()}/tickets/${encodeURIComponent(number)}`,
  });
  const bot = new SupportBot(
    state,
    mainDialog,
    conversationContext,
    { references, notifier, reopenWindowDays: tickets.policy.reopenWindowDays },
    teamsInvokes,
  );
  const teams = createTeamsRouter({
    projectRoot: config.projectRoot,
    tabApiPath: TAB_API_PATH,
    tabApi: createTabApiRouter({
      verifier: config.teams.ssoClientId
        ? new TeamsSsoVerifier({ audiences: config.teams.ssoAudiences, jwksUrl: config.teams.jwksUrl, clock })
        : undefined,
      identities,
      tickets,
      catalogue,
      receipts: new RequestReceipts(connection, clock),
      logger,
    }),
    devOrigins: config.teams.tabDevOrigins,
    appId: config.teams.appId,
    tabEntityId: 'myRequests',
  });

  const inFlight = new Set<Promise<void>>();
  const runTurn = async (context: TurnContext): Promise<void> => {
    const turn = bot.run(context);
    inFlight.add(turn);
    try {
      await turn;
    } finally {
      inFlight.delete(turn);
    }
  };

  const onTurnError = createTurnErrorHandler(logger);
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: config.bot.appId,
      MicrosoftAppPassword: config.bot.appPassword,
      MicrosoftAppTenantId: config.bot.appTenantId,
      MicrosoftAppType: config.bot.appType,
    }),
  );
  adapter.onTurnError = onTurnError;
  // The local Direct Line is a channel of this process: its activities come from our own
  // server, not from Azure, so its adapter runs without Bot Framework credentials.
  const localAdapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  localAdapter.onTurnError = onTurnError;

  // Without a configured secret, the demo signs its own users with a secret of this process.
  const userTokenSecret =
    config.webUserTokenSecret ?? (config.demoData ? randomBytes(32).toString('base64url') : undefined);
  const userTokens = userTokenSecret ? new WebUserTokens(userTokenSecret) : undefined;
  const directLine = new DirectLineServer({
    store: directLineStore,
    logger,
    clock,
    tokenTtlSeconds: config.directLine.tokenTtlSeconds,
    tokensPerMinute: config.directLine.tokensPerMinute,
    maxBodyBytes: config.directLine.maxBodyBytes,
    connectorSecret,
    serviceUrl: () => `${baseUrl}/directline/connector/${connectorSecret}`,
    verifyUserToken: userTokens ? async (token) => await userTokens.verify(token) : undefined,
    deliver: async (activity) =>
      await localAdapter.processActivityDirect('', activity as unknown as Activity, runTurn),
  });

  const app = createHttpApp({
    logger,
    directLine,
    projectRoot: config.projectRoot,
    processBotRequest: async (req, res) => await adapter.process(req, res, runTurn),
    ready: async () => await pingDatabase(connection),
    staffApi,
    teams,
    demoSignIn:
      config.demoData && userTokens
        ? {
            users: Object.values(DEMO_CONTACTS).map((c) => ({
              subject: c.webSubject,
              name: c.name,
              email: c.email,
            })),
            sign: async (identity) => await userTokens.sign(identity),
          }
        : undefined,
  });
  const server = createServer(app);
  server.on('upgrade', (req, socket, head) => {
    if (!directLine.handleUpgrade(req, socket, head)) socket.destroy();
  });

  let stopped = false;
  let kbRefresh: NodeJS.Timeout | undefined;
  let embeddingSync: Promise<unknown> | undefined;
  return {
    config,
    logger,
    connection,
    userTokens,
    server,
    llm,
    hybridSearch,
    url: () => baseUrl,
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const { port } = server.address() as AddressInfo;
      baseUrl = `http://127.0.0.1:${port}`;
      if (config.lifecycle.enabled) lifecycleJob.start();
      // In the background: search works without vectors until they are there.
      embeddingSync = hybridSearch
        ?.sync()
        .catch((error: unknown) => logger.warn({ err: error }, 'article embeddings not brought in step'));
      if (config.kbRefreshMs > 0) {
        kbRefresh = setInterval(() => {
          (hybridSearch ?? knowledgeBase).refreshIfChanged().then(
            (rebuilt) => rebuilt && logger.info('knowledge index rebuilt: articles changed in the database'),
            (error: unknown) => logger.warn({ err: error }, 'knowledge index refresh failed'),
          );
        }, config.kbRefreshMs);
        kbRefresh.unref();
      }
      logger.info({ url: config.publicUrl ?? `http://localhost:${port}` }, 'Helpline is listening');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(kbRefresh);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      directLine.close();
      server.closeIdleConnections();
      // Let the turns in progress finish (and save their state), and an embedding sync end, before the database goes.
      await Promise.race([
        Promise.allSettled([...inFlight, embeddingSync]),
        new Promise((resolve) => setTimeout(resolve, 10_000)),
      ]);
      server.closeAllConnections();
      await closed;
      await lifecycleJob.stop();
      await connection.close();
      await embedded?.stop();
      logger.info('Helpline stopped');
    },
  };
}

/**
 * The language-model services, loaded only when a model is configured: without one, start-up
 * does not pay for loading the openai client. A plain require, since the tests and `npm start`
 * run this file as CommonJS.
 */
function loadLanguageServices(): typeof import('../services/llm') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../services/llm') as typeof import('../services/llm');
}

/** `npm start`: parse the environment, start, and stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    // The one place that reads process.env.
    config = loadConfig(process.env);
  } catch (error) {
    process.stderr.write(`${isAppError(error) ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel });
  let app: HelplineApp;
  try {
    app = await createApp(config, { logger });
    await app.listen();
  } catch (error) {
    process.stderr.write(`Helpline could not start.\n${isAppError(error) ? error.message : String(error)}\n`);
    logger.flush();
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  void main();
}
