import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn, withDatabaseErrors } from '../db';
import type { Logger } from '../logger';
import { getTicketModel } from '../tickets';

/** One satisfaction question: after a ticket's resolution, or a knowledge conversation marked solved. */
export interface Survey {
  /** `ticket:<number>:<resolvedAt ms>` (one per resolution) or `kb:<conversationId>:<at ms>`. */
  id: string;
  kind: 'ticket' | 'knowledge';
  locale: 'en' | 'fr';
  askedAt: Date;
  ticketNumber?: string;
  subject?: string;
  contactId?: string;
  conversationId?: string;
  /** false when the question could not be delivered (it is not asked again). */
  delivered: boolean;
}

export interface SatisfactionAnswer {
  surveyId: string;
  kind: 'ticket' | 'knowledge';
  score: 1 | 2 | 3 | 4 | 5;
  comment?: string;
  answeredAt: Date;
  ticketNumber?: string;
  locale: 'en' | 'fr';
}

type SurveyDocument = Omit<Survey, 'id'> & { _id: string };
type AnswerDocument = Omit<SatisfactionAnswer, 'surveyId'> & { _id: string };

const surveySchema = new Schema<SurveyDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    locale: { type: String, required: true },
    askedAt: { type: Date, required: true },
    ticketNumber: { type: String },
    subject: { type: String },
    contactId: { type: String },
    conversationId: { type: String },
    delivered: { type: Boolean, required: true },
  },
  { collection: 'satisfaction_surveys', versionKey: false },
);
surveySchema.index({ ticketNumber: 1 });
surveySchema.index({ askedAt: 1 });

const answerSchema = new Schema<AnswerDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    score: { type: Number, required: true, min: 1, max: 5 },
    comment: { type: String },
    answeredAt: { type: Date, required: true },
    ticketNumber: { type: String },
    locale: { type: String, required: true },
  },
  { collection: 'satisfaction_answers', versionKey: false },
);
answerSchema.index({ answeredAt: 1 });
answerSchema.index({ ticketNumber: 1 });

export function getSurveyModel(connection: Connection): Model<SurveyDocument> {
  return modelOn(connection, 'SatisfactionSurvey', surveySchema);
}

export function getAnswerModel(connection: Connection): Model<AnswerDocument> {
  return modelOn(connection, 'SatisfactionAnswer', answerSchema);
}

/** Sends the question into the requester's conversation (the host renders it); throws on failure. */
export type AskFunction = (survey: Survey, conversationRefId: string | undefined) => Promise<void>;

export type AnswerResult =
  { kind: 'recorded'; answer: SatisfactionAnswer } | { kind: 'already' } | { kind: 'not_found' };

export interface SatisfactionService {
  /** Asks about every resolution not asked about yet; each resolution once, whichever process runs it. */
  sweep(): Promise<number>;
  /** A knowledge conversation was marked solved: the question's id, asked by the dialog there and then. */
  startKnowledgeSurvey(conversationId: string, locale: 'en' | 'fr'): Promise<Survey>;
  /** The first score for a survey wins; later ones are `already`. */
  answer(surveyId: string, score: number): Promise<AnswerResult>;
  comment(surveyId: string, text: string): Promise<void>;
  forTicket(
    ticketNumber: string,
  ): Promise<Array<Survey & { score?: number; comment?: string; answeredAt?: Date }>>;
}

export interface MongoSatisfactionServiceOptions {
  connection: Connection;
  logger: Logger;
  ask: AskFunction;
  clock?: () => Date;
  /** Resolutions older than this when first seen are not asked about (a new install, a long outage). */
  lookbackMs?: number;
}

export class MongoSatisfactionService implements SatisfactionService {
  private readonly surveys: Model<SurveyDocument>;
  private readonly answers: Model<AnswerDocument>;
  private readonly log: Logger;
  private readonly clock: () => Date;

  constructor(private readonly options: MongoSatisfactionServiceOptions) {
    this.surveys = getSurveyModel(options.connection);
    this.answers = getAnswerModel(options.connection);
    this.log = options.logger.child({ component: 'satisfaction' });
    this.clock = options.clock ?? (() => new Date());
  }

  async sweep(): Promise<number> {
    const now = this.clock();
    const since = new Date(now.getTime() - (this.options.lookbackMs ?? 3 * 24 * 3_600_000));
    const resolved = await getTicketModel(this.options.connection)
      .find(
        { status: 'resolved', resolvedAt: { $gte: since } },
        { number: 1, subject: 1, locale: 1, resolvedAt: 1, requester: 1, conversationRefId: 1 },
      )
      .limit(200)
      .lean()
      .exec();
    let asked = 0;
    for (const ticket of resolved) {
      if (!ticket.resolvedAt) continue;
      const id = `ticket:${ticket.number}:${new Date(ticket.resolvedAt).getTime()}`;
      if (await this.surveys.exists({ _id: id })) continue;
      const survey: Survey = {
        id,
        kind: 'ticket',
        locale: ticket.locale === 'fr' ? 'fr' : 'en',
        askedAt: now,
        ticketNumber: ticket.number,
        subject: ticket.subject,
        contactId: ticket.requester.contactId,
        delivered: true,
      };
      // The unique id decides who asks: two processes sweeping at once ask once.
      if (!(await this.claim(survey))) continue;
      try {
        await this.options.ask(survey, ticket.conversationRefId ?? undefined);
        asked++;
      } catch (error) {
        this.log.warn({ err: error, ticketNumber: ticket.number }, 'satisfaction question not delivered');
        await this.surveys.updateOne({ _id: id }, { $set: { delivered: false } }).exec();
      }
    }
    return asked;
  }

  async startKnowledgeSurvey(conversationId: string, locale: 'en' | 'fr'): Promise<Survey> {
    const now = this.clock();
    const survey: Survey = {
      id: `kb:${conversationId}:${now.getTime()}`,
      kind: 'knowledge',
      locale,
      askedAt: now,
      conversationId,
      delivered: true,
    };
    await withDatabaseErrors('Satisfaction', async () => await this.claim(survey));
    return survey;
  }

  async answer(surveyId: string, score: number): Promise<AnswerResult> {
    return await withDatabaseErrors('Satisfaction', async () => {
      const survey = await this.surveys.findById(surveyId).lean().exec();
      if (!survey) return { kind: 'not_found' };
      const answer: SatisfactionAnswer = {
        surveyId,
        kind: survey.kind,
        score: Math.min(5, Math.max(1, Math.round(score))) as SatisfactionAnswer['score'],
        answeredAt: this.clock(),
        locale: survey.locale,
        ...(survey.ticketNumber ? { ticketNumber: survey.ticketNumber } : {}),
      };
      try {
        const { surveyId: _id, ...rest } = answer;
        await this.answers.create({ _id, ...rest });
      } catch (error) {
        if (isDuplicateKey(error)) return { kind: 'already' };
        throw error;
      }
      this.log.info({ surveyId, score: answer.score, kind: answer.kind }, 'satisfaction answered');
      return { kind: 'recorded', answer };
    });
  }

  async comment(surveyId: string, text: string): Promise<void> {
    const comment = text.trim().slice(0, 2000);
    if (!comment) return;
    await withDatabaseErrors('Satisfaction', async () => {
      await this.answers
        .updateOne({ _id: surveyId, comment: { $exists: false } }, { $set: { comment } })
        .exec();
    });
  }

  async forTicket(
    ticketNumber: string,
  ): Promise<Array<Survey & { score?: number; comment?: string; answeredAt?: Date }>> {
    const surveys = await this.surveys.find({ ticketNumber }).sort({ askedAt: 1 }).lean().exec();
    const answers = await this.answers.find({ ticketNumber }).lean().exec();
    return surveys.map(({ _id, ...rest }) => {
      const answer = answers.find((a) => a._id === _id);
      return {
        id: _id,
        ...rest,
        ...(answer
          ? {
              score: answer.score,
              answeredAt: answer.answeredAt,
              ...(answer.comment ? { comment: answer.comment } : {}),
            }
          : {}),
      };
    });
  }

  private async claim(survey: Survey): Promise<boolean> {
    const { id, ...rest } = survey;
    try {
      await this.surveys.create({ _id: id, ...rest });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}
