import type { Connection } from 'mongoose';
import { getHandoffModel, getTranscriptLineModel } from '../handoff';
import { getFeedbackModel } from '../knowledge';
import { getAnswerModel } from '../satisfaction';
import { getTicketModel, type ResponseTarget, type Severity, type TicketPolicy } from '../tickets';

const DAY_MS = 24 * 3_600_000;

/** The support desk's figures over a period [from, to) (issue 14, item 4). */
export interface Figures {
  period: { from: Date; to: Date };
  /** Conversations in which a user wrote at least once. */
  conversations: number;
  knowledge: {
    /** Knowledge answers that showed articles. */
    shown: number;
    solved: number;
    notSolved: number;
    /** Searches that found nothing. */
    noResults: number;
  };
  deflection: {
    /** Conversations that were shown articles. */
    conversationsWithArticles: number;
    /** … marked solved, with no ticket from the conversation within 24 h. */
    solvedWithoutTicket: number;
    solvedWithoutTicketRate: number | null;
    /** … not marked solved, and no ticket from the conversation within 24 h (they went away). */
    endedWithoutTicket: number;
    endedWithoutTicketRate: number | null;
  };
  tickets: {
    opened: number;
    byModule: Record<string, number>;
    bySeverity: Record<string, number>;
    /** Opened with every required field (not on hold awaiting information). */
    openedComplete: number;
    completeShare: number | null;
  };
  /** Per severity: first responses within the target, and time to resolution. */
  responseTimes: Record<
    string,
    {
      target: ResponseTarget;
      opened: number;
      firstResponseMet: number;
      firstResponseMissed: number;
      firstResponseWithinTargetRate: number | null;
      medianFirstResponseHours: number | null;
      resolved: number;
      medianResolutionHours: number | null;
    }
  >;
  handoffs: {
    requested: number;
    accepted: number;
    timedOut: number;
    /** Not possible when asked (outside hours, nobody on duty, target failure). */
    unavailable: number;
    medianSecondsToAccept: number | null;
  };
  satisfaction: {
    answers: number;
    average: number | null;
    distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  };
  /** The searches that found nothing, most frequent first: the articles to write next. */
  knowledgeGaps: Array<{ query: string; count: number }>;
}

export interface FiguresOptions {
  connection: Connection;
  policy: TicketPolicy;
  clock: () => Date;
}

/** Computes every figure from the stored data (no counters kept on the side). */
export async function computeFigures(options: FiguresOptions, from: Date, to: Date): Promise<Figures> {
  const { connection, policy } = options;
  const now = new Date(Math.min(to.getTime(), options.clock().getTime()));
  const inPeriod = { $gte: from, $lt: to };

  const userLines = await getTranscriptLineModel(connection)
    .find({ from: 'user', at: inPeriod }, { conversationId: 1 })
    .lean()
    .exec();
  const conversations = new Set(userLines.map((l) => l.conversationId)).size;

  const feedback = await getFeedbackModel(connection)
    .find({ createdAt: inPeriod }, { query: 1, outcome: 1, articles: 1, conversationId: 1, createdAt: 1 })
    .lean()
    .exec();
  const shownRecords = feedback.filter((f) => f.articles.length > 0);
  const ticketDocs = await getTicketModel(connection)
    .find(
      { createdAt: { $gte: from, $lt: new Date(to.getTime() + DAY_MS) } },
      {
        number: 1,
        module: 1,
        severity: 1,
        status: 1,
        createdAt: 1,
        conversationRefId: 1,
        expectedFirstResponse: 1,
        timeline: 1,
      },
    )
    .lean()
    .exec();
  const ticketWithin24h = (conversationId: string, after: Date): boolean =>
    ticketDocs.some(
      (t) =>
        t.conversationRefId === conversationId &&
        t.createdAt.getTime() >= after.getTime() &&
        t.createdAt.getTime() < after.getTime() + DAY_MS,
    );
  const byConversation = new Map<string, { first: Date; solvedAt?: Date }>();
  for (const f of shownRecords) {
    const entry = byConversation.get(f.conversationId) ?? { first: f.createdAt };
    if (f.createdAt < entry.first) entry.first = f.createdAt;
    if (f.outcome === 'solved' && (!entry.solvedAt || f.createdAt < entry.solvedAt))
      entry.solvedAt = f.createdAt;
    byConversation.set(f.conversationId, entry);
  }
  let solvedWithoutTicket = 0;
  let endedWithoutTicket = 0;
  for (const [conversationId, entry] of byConversation) {
    if (entry.solvedAt) {
      if (!ticketWithin24h(conversationId, entry.solvedAt)) solvedWithoutTicket++;
    } else if (!ticketWithin24h(conversationId, entry.first)) {
      endedWithoutTicket++;
    }
  }
  const withArticles = byConversation.size;

  const opened = ticketDocs.filter((t) => t.createdAt >= from && t.createdAt < to);
  const byModule: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  let openedComplete = 0;
  const responseTimes: Figures['responseTimes'] = {};
  for (const severity of [1, 2, 3, 4] as Severity[]) {
    responseTimes[String(severity)] = {
      target: policy.firstResponse[severity],
      opened: 0,
      firstResponseMet: 0,
      firstResponseMissed: 0,
      firstResponseWithinTargetRate: null,
      medianFirstResponseHours: null,
      resolved: 0,
      medianResolutionHours: null,
    };
  }
  const firstResponseHours: Record<string, number[]> = { 1: [], 2: [], 3: [], 4: [] };
  const resolutionHours: Record<string, number[]> = { 1: [], 2: [], 3: [], 4: [] };
  for (const ticket of opened) {
    byModule[ticket.module] = (byModule[ticket.module] ?? 0) + 1;
    bySeverity[String(ticket.severity)] = (bySeverity[String(ticket.severity)] ?? 0) + 1;
    const firstChange = ticket.timeline.find((e) => e.type === 'status_changed');
    const initialStatus = typeof firstChange?.data.from === 'string' ? firstChange.data.from : ticket.status;
    if (initialStatus !== 'on_hold') openedComplete++;
    const row = responseTimes[String(ticket.severity)];
    if (!row) continue;
    row.opened++;
    const response = ticket.timeline.find(
      (e) =>
        e.by.kind === 'staff' &&
        e.visibility === 'public' &&
        (e.type === 'comment' || e.type === 'status_changed'),
    );
    if (response && response.at <= now) {
      firstResponseHours[String(ticket.severity)].push(
        (response.at.getTime() - ticket.createdAt.getTime()) / 3_600_000,
      );
      if (response.at.getTime() <= ticket.expectedFirstResponse.getTime()) row.firstResponseMet++;
      else row.firstResponseMissed++;
    } else if (ticket.expectedFirstResponse.getTime() < now.getTime()) {
      row.firstResponseMissed++;
    }
    const resolved = ticket.timeline.find((e) => e.type === 'status_changed' && e.data.to === 'resolved');
    if (resolved && resolved.at <= now) {
      row.resolved++;
      resolutionHours[String(ticket.severity)].push(
        (resolved.at.getTime() - ticket.createdAt.getTime()) / 3_600_000,
      );
    }
  }
  for (const [severity, row] of Object.entries(responseTimes)) {
    const judged = row.firstResponseMet + row.firstResponseMissed;
    row.firstResponseWithinTargetRate = judged ? row.firstResponseMet / judged : null;
    row.medianFirstResponseHours = median(firstResponseHours[severity] ?? []);
    row.medianResolutionHours = median(resolutionHours[severity] ?? []);
  }

  const handoffs = await getHandoffModel(connection)
    .find({ createdAt: inPeriod }, { status: 1, outcome: 1, createdAt: 1, acceptedAt: 1 })
    .lean()
    .exec();
  const accepted = handoffs.filter((h) => h.acceptedAt);

  const answers = await getAnswerModel(connection).find({ answeredAt: inPeriod }, { score: 1 }).lean().exec();
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const answer of answers) distribution[String(answer.score) as keyof typeof distribution]++;

  const gaps = new Map<string, number>();
  for (const f of feedback) {
    if (f.outcome !== 'no_results') continue;
    const query = f.query.trim().toLowerCase().replace(/\s+/g, ' ');
    if (query) gaps.set(query, (gaps.get(query) ?? 0) + 1);
  }

  return {
    period: { from, to },
    conversations,
    knowledge: {
      shown: shownRecords.length,
      solved: feedback.filter((f) => f.outcome === 'solved').length,
      notSolved: feedback.filter((f) => f.outcome === 'not_solved').length,
      noResults: feedback.filter((f) => f.outcome === 'no_results').length,
    },
    deflection: {
      conversationsWithArticles: withArticles,
      solvedWithoutTicket,
      solvedWithoutTicketRate: withArticles ? solvedWithoutTicket / withArticles : null,
      endedWithoutTicket,
      endedWithoutTicketRate: withArticles ? endedWithoutTicket / withArticles : null,
    },
    tickets: {
      opened: opened.length,
      byModule,
      bySeverity,
      openedComplete,
      completeShare: opened.length ? openedComplete / opened.length : null,
    },
    responseTimes,
    handoffs: {
      requested: handoffs.length,
      accepted: accepted.length,
      timedOut: handoffs.filter((h) => h.status === 'timed_out').length,
      unavailable: handoffs.filter((h) => h.status === 'failed').length,
      medianSecondsToAccept: median(
        accepted.map((h) => (h.acceptedAt!.getTime() - h.createdAt.getTime()) / 1000),
      ),
    },
    satisfaction: {
      answers: answers.length,
      average: answers.length ? answers.reduce((sum, a) => sum + a.score, 0) / answers.length : null,
      distribution,
    },
    knowledgeGaps: [...gaps.entries()]
      .map(([query, count]) => ({ query, count }))
      .sort((x, y) => y.count - x.count || x.query.localeCompare(y.query))
      .slice(0, 20),
  };
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
