import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudAdapter,
  MessageFactory,
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
import { KnowledgeAnswerStep } from '../dialogs/knowledgeAnswer';
import { renderTicketUpdate } from '../dialogs/notificationText';
import { MyRequestsDialog, type MyRequestsOptions } from '../dialogs/myRequestsDialog';
import { ServiceStatusDialog, type ServiceStatusOptions } from '../dialogs/serviceStatusDialog';
import { MainDialog } from '../dialogs/mainDialog';
import { GiveUpWatch } from '../dialogs/giveUp';
import { TicketIntakeDialog, type TicketIntakeOptions } from '../dialogs/ticketIntakeDialog';
import { MongoAuditLog } from '../services/audit';
import { MongoTicketService } from '../services/tickets';
import { MongoTranscriptStore } from '../services/handoff';
import { createLifecycleJob, createRetentionJob } from '../services/jobs';
import { AccessRequestActions } from '../dialogs/accessRequestDialog';
import { accessRequestCard } from '../dialogs/cards/accessRequestCards';
import { t, toLocale } from '../dialogs/texts';
import {
  AccessRequestNotifier,
  MongoConversationReferenceStore,
  MongoPendingUpdateStore,
  TicketUpdateNotifier,
  type ConversationReferenceRecord,
} from '../services/notifications';
import { StatuspageStatusFeed, UnconfiguredStatusFeed, type StatusFeed } from '../services/status';
import { createStaffApiRouter } from './staffApi';
import { createStaffDirectoryRouter } from './staffDirectoryApi';
import { demoCatalogueData, MongoCatalogueStore, MongoProductCatalogue } from '../services/catalogue';
import { DeliveryGuard, MongoBotStorage, pingDatabase, ReplicaRegistry } from '../services/db';
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
import { BotEndpointAdapter, createBotEndpoint } from './botEndpoint';
import { TurnGate } from './turnGate';
import { LocalChannelAdapter } from './directLine/localChannelAdapter';
import { createHttpApp } from './httpApp';
import { BotStateStore } from './state';
import { SupportBot } from './supportBot';
import { WebUserTokens } from './webUserToken';
import { RequestReceipts } from './teams/requestReceipts';
import { TeamsSsoVerifier } from './teams/ssoVerifier';
import { createTabApiRouter, TAB_API_PATH } from './teams/tabApi';
import { TeamsInvokes } from './teams/teamsInvokes';
import { createTeamsRouter } from './teams/teamsRoutes';
import { createKnowledgePagesRouter, articlePath } from './knowledgePages';
import { createTurnErrorHandler } from './turnErrorHandler';
import { createSupportDesk, type SupportDesk } from './console/desk';

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
  /** The language-model services when a model is configured. */
  readonly llm: LanguageServices | undefined;
  /** Hybrid search over the knowledge base when an embeddings model is configured. */
  readonly hybridSearch: HybridKnowledgeBase | undefined;
  /** Live handoff, the agent console, satisfaction and figures (issue 14). */
  readonly desk: SupportDesk;
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
  const deliveries = new DeliveryGuard(connection, config.bot.dedupWindowMs, clock, config.bot.inFlightMs);
  const replicas = new ReplicaRegistry({ connection, logger });

  // The catalogue is data: the stored one (the demo file when none is stored and demo data is on).
  const catalogueStore = new MongoCatalogueStore(connection, clock);
  if (config.demoData && (await catalogueStore.revision()) === undefined)
    await catalogueStore.save(demoCatalogueData());
  const catalogue = new MongoProductCatalogue({
    store: catalogueStore,
    logger,
    fallback: demoCatalogueData(),
    clock,
  });
  await catalogue.refresh();
  const identities = new MongoIdentityService({ connection, logger, clock });
  let baseUrl = '';
  // Helpline's own links: PUBLIC_URL when set (what Teams users reach), else this process.
  const publicBase = (): string => config.publicUrl?.replace(/\/$/, '') ?? baseUrl;
  const knowledgeBase = await MiniSearchKnowledgeBase.open({
    connection,
    logger,
    clock,
    articleLink: (key, locale) => `${publicBase()}${articlePath(key, locale)}`,
  });
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
  const localRecognizer = new ClassifierIntentRecognizer({ utterances, billingTopics });
  // With a model: it is asked when the local classifier is unsure, and hybrid search serves the
  // dialogs when an embeddings model is set. Without one, everything below is as it always was.
  const llm = config.llm
    ? loadLanguageServices().createLanguageServices({ settings: config.llm, connection, logger, clock })
    : undefined;
  const recognizer = llm ? llm.recognizer(localRecognizer, billingTopics) : localRecognizer;
  const hybridSearch = llm?.hybridSearch(knowledgeBase);
  const dialogSearch = hybridSearch ?? knowledgeBase;
  const knowledgeAnswer = llm && new KnowledgeAnswerStep(llm.answers, knowledgeBase, logger);
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
    scheduleFromCatalogue: true,
    audit,
    clock,
  });
  // A two-line summary for the engineer, written after the ticket is opened (never delaying it).
  const summaries = llm?.conversationSummaries(new MongoTranscriptStore(connection, clock));
  if (summaries) {
    tickets.createdListener = (ticket) => {
      if (!ticket.conversationRefId) return;
      summaries.summarizeLater({
        kind: 'ticket',
        id: ticket.number,
        conversationId: ticket.conversationRefId,
        locale: ticket.locale ?? 'en',
        store: async (summary) => await tickets.setSummary(ticket.number, summary),
      });
    };
  }

  const references = new MongoConversationReferenceStore({ connection, clock });
  const connectorSecret = randomBytes(24).toString('base64url');
  // Proactive sends go through adapters of their own, without a turn-error handler: a refused
  // delivery (403: the app was removed) reaches the caller, which marks the reference stale.
  // The local Direct Line's connector secret belongs to this process: always use the current one.
  const sendProactively = async (
    reference: ConversationReferenceRecord,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> => {
    const local = reference.serviceUrl.includes('/directline/connector/');
    const ref = {
      ...reference,
      serviceUrl: local ? `${baseUrl}/directline/connector/${connectorSecret}` : reference.serviceUrl,
    } as Partial<ConversationReference>;
    if (local) await proactiveLocal.continueConversationAsync('', ref, logic);
    else await proactive.continueConversationAsync(config.bot.appId ?? '', ref, logic);
  };
  const pendingUpdates = new MongoPendingUpdateStore({ connection, clock });
  const notifier = new TicketUpdateNotifier({
    references,
    pending: pendingUpdates,
    logger,
    render: (update) => renderTicketUpdate(update, tickets.policy.reopenWindowDays),
    deliveryTimeoutMs: config.timeouts.connectorMs,
    deliver: async (reference, text) => {
      await sendProactively(reference, async (ctx) => {
        await ctx.sendActivity(text);
      });
    },
  });
  // Access requests: authorized contacts get a card with Approve / Decline, the requester the outcome.
  const accessNotifier = new AccessRequestNotifier({
    identities,
    references,
    logger,
    deliver: async (reference, message) => {
      const locale = toLocale(reference.locale);
      await sendProactively(reference, async (ctx) => {
        if (message.kind === 'request') {
          await ctx.sendActivity(MessageFactory.attachment(accessRequestCard(message, locale)));
          return;
        }
        const by = message.request.decidedBy?.name ?? '';
        await ctx.sendActivity(
          t(locale, message.request.status === 'granted' ? 'access.granted' : 'access.declined', { by }),
        );
      });
    },
  });
  identities.accessListener = {
    requested: async (request) => {
      await accessNotifier.requested(request);
    },
    decided: async (request) => {
      await accessNotifier.decided(request);
    },
  };
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
  const retentionJob = createRetentionJob({
    connection,
    logger,
    clock,
    intervalMs: config.retention.intervalMs,
    purges: {
      directLine: async () => {
        const now = clock();
        return await directLineStore.purge(now, new Date(now.getTime() - config.retention.directLineMs));
      },
      deliveries: async () => await deliveries.purge(),
      // Not a purge: the contacts whose pending updates lost their mark are marked again.
      pendingUpdateMarks: async () => await pendingUpdates.repairMarks(),
    },
  });
  const staffApi = createStaffApiRouter({
    tickets,
    audit,
    notifier,
    staffTokens: config.staffTokens,
    logger,
    directory: createStaffDirectoryRouter({ identities, audit, logger }),
  });

  const conversationContext = new HostConversationContext(state, identities, directLineStore);
  const accessActions = new AccessRequestActions({ identities, context: conversationContext, logger });
  const desk = createSupportDesk({
    config: config.desk,
    projectRoot: config.projectRoot,
    staffTokens: config.staffTokens,
    connection,
    logger,
    clock,
    tickets,
    audit,
    catalogue,
    references,
    notifier,
    context: conversationContext,
    adapters: () => ({
      local: localAdapter,
      localServiceUrl: `${baseUrl}/directline/connector/${connectorSecret}`,
      cloud: adapter,
      appId: config.bot.appId ?? '',
    }),
  });
  if (summaries) {
    // The agent who takes the conversation reads the summary once it is written.
    desk.handoffs.queuedListener = (handoff) =>
      summaries.summarizeLater({
        kind: 'handoff',
        id: handoff.id,
        conversationId: handoff.conversationId,
        locale: handoff.locale,
        store: async (summary) => await desk.handoffs.setSummary(handoff.id, summary),
      });
  }
  const intake = new TicketIntakeDialog({
    tickets,
    identities,
    catalogue,
    recognizer,
    context: conversationContext,
    extractor: llm?.extractor,
    statusFeed,
    logger,
    clock,
  });
  const mainDialog = new MainDialog({
    context: conversationContext,
    recognizer,
    giveUp: new GiveUpWatch({
      counter: state.giveUp,
      canHandOff: async () => await desk.handoffs.available(),
      logger,
    }),
    children: {
      knowledge: new KnowledgeDialog({
        knowledgeBase: dialogSearch,
        recognizer,
        feedback,
        catalogue,
        logger,
        answer: knowledgeAnswer,
      }),
      serviceStatus: {
        dialog: new ServiceStatusDialog({ statusFeed, catalogue, logger }),
        options: (request) => ({ locale: request.locale }) satisfies ServiceStatusOptions,
      },
      myRequests: {
        dialog: new MyRequestsDialog({ tickets, context: conversationContext, catalogue, logger, clock }),
        before: async (context, locale) => await accessActions.showOpenRequests(context, locale),
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
          knowledgeBase: dialogSearch,
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
      ...desk.dialogs,
    },
  });
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
    { references, notifier, reopenWindowDays: tickets.policy.reopenWindowDays, clock },
    teamsInvokes,
    accessActions,
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
  const gate = new TurnGate(config.bot.maxConcurrentTurns);
  const runTurn = async (context: TurnContext): Promise<void> => {
    const turn = gate.run(() => bot.run(context));
    inFlight.add(turn);
    try {
      await turn;
    } finally {
      inFlight.delete(turn);
    }
  };

  const onTurnError = createTurnErrorHandler(logger);
  const botAuthentication = (): ConfigurationBotFrameworkAuthentication =>
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: config.bot.appId,
      MicrosoftAppPassword: config.bot.appPassword,
      MicrosoftAppTenantId: config.bot.appTenantId,
      MicrosoftAppType: config.bot.appType,
    });
  const adapter = new BotEndpointAdapter(botAuthentication());
  adapter.onTurnError = onTurnError;
  const proactive = new CloudAdapter(botAuthentication());
  adapter.use(...desk.middleware);
  // The local Direct Line is a channel of this process: its activities come from our own
  // server, not from Azure, so its adapter runs without Bot Framework credentials.
  // Their replies to this process's own Direct Line go straight to its store, not over HTTP.
  const localChannel = {
    serviceUrl: () => `${baseUrl}/directline/connector/${connectorSecret}`,
    deliver: async (conversationId: string, activity: Record<string, unknown>): Promise<string> =>
      await directLine.appendFromBot(conversationId, activity),
  };
  const localAdapter = new LocalChannelAdapter(new ConfigurationBotFrameworkAuthentication({}), localChannel);
  localAdapter.onTurnError = onTurnError;
  const proactiveLocal = new LocalChannelAdapter(
    new ConfigurationBotFrameworkAuthentication({}),
    localChannel,
  );
  if (!config.bot.appId && config.bot.allowAnonymous) {
    logger.warn(
      '/api/messages accepts unsigned requests (BOT_ALLOW_ANONYMOUS=true, no MicrosoftAppId): for the Bot Framework Emulator and tests only; replies go to loopback addresses only',
    );
  }
  localAdapter.use(...desk.middleware);

  // A site that configured its own secret signs its users itself: nothing here signs with it.
  // Without one, the demo signs its own users with a key of this process.
  const userTokens = config.webUserTokenSecret
    ? new WebUserTokens(config.webUserTokenSecret)
    : config.demoData
      ? new WebUserTokens(randomBytes(32).toString('base64url'))
      : undefined;
  const demoSignIn = config.demoData && !config.webUserTokenSecret ? userTokens : undefined;
  const directLine = new DirectLineServer({
    store: directLineStore,
    logger,
    clock,
    tokenTtlSeconds: config.directLine.tokenTtlSeconds,
    tokensPerMinute: config.directLine.tokensPerMinute,
    maxBodyBytes: config.directLine.maxBodyBytes,
    deliveries,
    connectorSecret,
    serviceUrl: () => `${baseUrl}/directline/connector/${connectorSecret}`,
    peers: () => replicas.hasPeers(),
    verifyUserToken: userTokens ? async (token) => await userTokens.verify(token) : undefined,
    deliver: async (activity) =>
      await localAdapter.processActivityDirect('', activity as unknown as Activity, runTurn),
  });

  const app = createHttpApp({
    logger,
    directLine,
    projectRoot: config.projectRoot,
    processBotRequest: createBotEndpoint({
      adapter,
      logic: runTurn,
      appId: config.bot.appId,
      allowAnonymous: config.bot.allowAnonymous,
      deliveries,
      logger,
    }),
    ready: async () => await pingDatabase(connection),
    trustProxy: config.trustProxy,
    staffApi,
    teams,
    routers: [
      ...desk.routers,
      { path: '/', router: createKnowledgePagesRouter({ knowledgeBase, catalogue }) },
    ],
    demoSignIn: demoSignIn
      ? {
          users: Object.values(DEMO_CONTACTS).map((c) => ({
            subject: c.webSubject,
            name: c.name,
            email: c.email,
          })),
          sign: async (identity) => await demoSignIn.sign(identity),
        }
      : undefined,
  });
  // Bounded requests: headers and body must have arrived within the timeout (a slow sender
  // cannot hold a connection open), checked every second.
  const server = createServer(
    {
      requestTimeout: config.timeouts.httpRequestMs,
      headersTimeout: Math.min(config.timeouts.httpRequestMs, 20_000),
      connectionsCheckingInterval: 1_000,
    },
    app,
  );
  server.on('upgrade', (req, socket, head) => {
    let taken = false;
    try {
      taken = directLine.handleUpgrade(req, socket, head);
    } catch (error) {
      logger.warn({ err: error }, 'upgrade refused');
    }
    if (!taken) socket.destroy();
  });

  let stopped = false;
  let kbRefresh: NodeJS.Timeout | undefined;
  let catalogueRefresh: NodeJS.Timeout | undefined;
  let embeddingSync: Promise<unknown> | undefined;
  return {
    config,
    logger,
    connection,
    userTokens,
    server,
    llm,
    hybridSearch,
    desk,
    url: () => baseUrl,
    async listen() {
      await replicas.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const { port } = server.address() as AddressInfo;
      baseUrl = `http://127.0.0.1:${port}`;
      if (config.lifecycle.enabled) {
        lifecycleJob.start();
        retentionJob.start();
      }
      desk.start();
      // In the background: search works without vectors until they are there.
      embeddingSync = hybridSearch
        ?.sync()
        .catch((error: unknown) => logger.warn({ err: error }, 'article embeddings not brought in step'));
      // Off the turns' path: a turn reads the catalogue in memory; an import is seen within the interval.
      catalogueRefresh = setInterval(() => void catalogue.refresh(), config.catalogueRefreshMs);
      catalogueRefresh.unref();
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
      clearInterval(catalogueRefresh);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      directLine.close();
      server.closeIdleConnections();
      // Let the turns in progress finish (and save their state), and an embedding sync end, before the database goes.
      await Promise.race([
        Promise.allSettled([...inFlight, embeddingSync, summaries?.flush()]),
        new Promise((resolve) => setTimeout(resolve, 10_000)),
      ]);
      server.closeAllConnections();
      await closed;
      await lifecycleJob.stop();
      await retentionJob.stop();
      await desk.stop();
      await replicas.stop();
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
