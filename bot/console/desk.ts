import type { CloudAdapter, Middleware } from 'botbuilder';
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import { HandoffDialog, type HandoffOptions } from '../../dialogs/handoffDialog';
import { MessageFactory } from 'botbuilder';
import {
  readHandoffCardAction,
  readSatisfactionCardAction,
  satisfactionCard,
} from '../../dialogs/cards/handoffCards';
import { SatisfactionDialog, type SatisfactionOptions } from '../../dialogs/satisfactionDialog';
import { t } from '../../dialogs/texts';
import { MongoSatisfactionService, type SatisfactionService } from '../../services/satisfaction';
import type { MainDialogChildren } from '../../dialogs/mainDialog';
import type { ConversationContextProvider } from '../../dialogs/turnContextServices';
import type { AuditLog } from '../../services/audit';
import type { ProductCatalogue } from '../../services/catalogue';
import {
  ConsoleHandoffTarget,
  MongoHandoffService,
  MongoTranscriptStore,
  TranscriptBuffer,
  type HandoffService,
  type HandoffTarget,
} from '../../services/handoff';
import type { Logger } from '../../services/logger';
import type { ConversationReferenceStore, Notifier } from '../../services/notifications';
import type { TicketService } from '../../services/tickets';
import type { DeskConfig } from '../config';
import type { StaffToken } from '../staffApi';
import { createHandoffUserChannel, HandoffRelay } from '../handoff/handoffRelay';
import { createProactiveSender } from '../handoff/proactive';
import { TranscriptRecorder } from '../handoff/transcriptRecorder';
import { createConsoleRouter } from './consoleRouter';
import { computeFigures, MetricsRegistry, type Figures } from '../../services/figures';
import {
  createMetricsRouter,
  createStaffFiguresRouter,
  httpMetrics,
  turnMetrics,
  watchDatabase,
} from './metricsRoutes';
import { ConsoleLiveFeed, ConsoleStreams } from './liveFeed';
import { ConsoleSessions } from './sessions';

export interface SupportDeskOptions {
  config: DeskConfig;
  projectRoot: string;
  staffTokens: StaffToken[];
  connection: Connection;
  logger: Logger;
  clock: () => Date;
  tickets: TicketService;
  audit: AuditLog;
  catalogue: ProductCatalogue;
  references: ConversationReferenceStore;
  notifier: Notifier;
  context: ConversationContextProvider;
  /** The adapters, known once the host has built them. */
  adapters: () => {
    local: CloudAdapter;
    localServiceUrl: string;
    cloud: CloudAdapter;
    appId: string;
  };
  /** A contact-centre connector instead of the built-in console. */
  target?: HandoffTarget;
}

/** The support desk's side of Helpline: live handoff, the agent console, its background sweep. */
export interface SupportDesk {
  readonly handoffs: HandoffService;
  readonly sessions: ConsoleSessions;
  readonly satisfaction: SatisfactionService;
  readonly metrics: MetricsRegistry;
  /** The figures over [from, to) (item 4). */
  figures(from: Date, to: Date): Promise<Figures>;
  /** Middleware for every adapter: the transcript, then the handoff relay. */
  readonly middleware: Middleware[];
  /** HTTP routes: the console (and later /metrics, the staff figures). */
  readonly routers: Array<{ path: string; router: Router }>;
  /** The dialogs MainDialog starts for the desk. */
  readonly dialogs: Pick<MainDialogChildren, 'handoff' | 'satisfaction'>;
  /** Runs the periodic work once (timeouts): what the timer does, for tests with a controlled clock. */
  sweep(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export function createSupportDesk(options: SupportDeskOptions): SupportDesk {
  const { config, connection, logger, clock } = options;
  const log = logger.child({ component: 'desk' });
  // Lines are written behind the turns, a few times a second for all conversations together.
  const transcripts = new TranscriptBuffer(new MongoTranscriptStore(connection, clock), {
    clock,
    onError: (error) => log.debug({ err: error }, 'transcript lines not kept'),
  });
  const sessions = new ConsoleSessions(connection, config.consoleSessionMs, clock);
  const send = createProactiveSender({
    references: options.references,
    local: () => {
      const a = options.adapters();
      return { adapter: a.local, serviceUrl: a.localServiceUrl };
    },
    cloud: () => {
      const a = options.adapters();
      return { adapter: a.cloud, appId: a.appId };
    },
  });
  const handoffs = new MongoHandoffService({
    connection,
    logger,
    clock,
    tickets: options.tickets,
    target:
      options.target ??
      new ConsoleHandoffTarget(async () => await sessions.anyoneOnDuty(config.consolePresenceMs)),
    channel: createHandoffUserChannel(send),
    timeoutMs: config.handoffTimeoutMs,
    hours: config.handoffHours === 'business' ? options.tickets.policy.businessHours : undefined,
  });
  const satisfaction = new MongoSatisfactionService({
    connection,
    logger,
    clock,
    ask: async (survey, conversationRefId) => {
      const stored = conversationRefId ? await options.references.get(conversationRefId) : undefined;
      const reference =
        stored && !stored.stale
          ? stored
          : survey.contactId
            ? await options.references.latestForContact(survey.contactId)
            : undefined;
      if (!reference) throw new Error('no conversation to ask in');
      const question = t(survey.locale, 'satisfaction.askTicket', {
        number: survey.ticketNumber ?? '',
        subject: survey.subject ?? '',
      });
      await send(reference.id, async (context) => {
        await context.sendActivity(
          MessageFactory.attachment(satisfactionCard(survey.locale, question, survey.id)),
        );
      });
    },
  });
  const recorder = new TranscriptRecorder(transcripts, logger);
  const metrics = new MetricsRegistry();
  watchDatabase(metrics, connection);
  const figures = async (from: Date, to: Date): Promise<Figures> =>
    await computeFigures({ connection, policy: options.tickets.policy, clock }, from, to);
  const handoffDialog = new HandoffDialog({
    handoffs,
    transcripts,
    context: options.context,
    logger,
    hours: config.handoffHours === 'business' ? options.tickets.policy.businessHours : undefined,
  });
  const feed = new ConsoleLiveFeed({ connection, logger, pollMs: config.livePollMs });
  const streams = new ConsoleStreams({
    feed,
    sessions,
    logger,
    perSession: config.streamsPerSession,
    total: 500,
    keepAliveMs: config.keepAliveMs,
  });
  const consoleRouter = createConsoleRouter({
    projectRoot: options.projectRoot,
    staffTokens: options.staffTokens,
    sessions,
    streams,
    tickets: options.tickets,
    audit: options.audit,
    handoffs,
    catalogue: options.catalogue,
    notifier: options.notifier,
    figures,
    satisfactionFor: async (number) => await satisfaction.forTicket(number),
    logger,
    clock,
  });

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const sweep = async (): Promise<void> => {
    await handoffs.sweep();
    await satisfaction.sweep();
  };
  return {
    handoffs,
    sessions,
    satisfaction,
    metrics,
    figures,
    middleware: [turnMetrics(metrics), recorder, new HandoffRelay(handoffs, logger, options.context)],
    routers: [
      { path: '/', router: httpMetrics(metrics) },
      { path: '/console', router: consoleRouter },
      { path: '/metrics', router: createMetricsRouter(metrics, config.metricsToken) },
      { path: '/api/staff/figures', router: createStaffFiguresRouter(options.staffTokens, figures, clock) },
    ],
    dialogs: {
      handoff: {
        dialog: handoffDialog,
        options: (request) =>
          ({
            locale: request.locale,
            text: request.text,
            action: readHandoffCardAction(request.value),
          }) satisfies HandoffOptions,
      },
      satisfaction: {
        dialog: new SatisfactionDialog({ satisfaction, logger }),
        options: (request) =>
          ({
            locale: request.locale,
            action: readSatisfactionCardAction(request.value),
          }) satisfies SatisfactionOptions,
      },
    },
    sweep,
    start() {
      timer = setInterval(() => {
        if (running) return;
        running = sweep()
          .catch((error: unknown) => log.warn({ err: error }, 'desk sweep failed'))
          .finally(() => (running = undefined));
      }, config.sweepMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      streams.closeAll();
      feed.stop();
      await running;
      await recorder.flush();
      await transcripts.flush();
    },
  };
}
