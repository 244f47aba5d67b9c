import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { modelOn } from '../db';
import { AppError } from '../errors';
import { describeIssues } from './articleStore';
import { LOCALES } from './types';

export const FEEDBACK_OUTCOMES = ['solved', 'not_solved', 'search_again', 'no_results', 'abandoned'] as const;
export type FeedbackOutcome = (typeof FEEDBACK_OUTCOMES)[number];

export const feedbackInputSchema = z.object({
  /** What the user searched for, as searched. */
  query: z.string().max(4000),
  locale: z.enum(LOCALES),
  module: z.string().max(60).optional(),
  /** The articles shown, rank 1 first. */
  articles: z
    .array(z.object({ key: z.string().min(1), locale: z.enum(LOCALES), rank: z.number().int().min(1) }))
    .max(50)
    .default([]),
  outcome: z.enum(FEEDBACK_OUTCOMES),
  conversationId: z.string().min(1).max(500),
  channel: z.string().min(1).max(100),
});

export type FeedbackInput = z.input<typeof feedbackInputSchema>;

export interface Feedback extends z.output<typeof feedbackInputSchema> {
  createdAt: Date;
}

const feedbackSchema = new Schema<Feedback>(
  {
    query: { type: String, default: '' },
    locale: { type: String, required: true, enum: ['en', 'fr'] },
    module: { type: String, required: false },
    articles: {
      type: [
        {
          _id: false,
          key: { type: String, required: true },
          locale: { type: String, required: true },
          rank: { type: Number, required: true },
        },
      ],
      default: [],
    },
    outcome: { type: String, required: true, enum: FEEDBACK_OUTCOMES },
    conversationId: { type: String, required: true },
    channel: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'feedback', versionKey: false },
);
feedbackSchema.index({ createdAt: -1 });

export function getFeedbackModel(connection: Connection): Model<Feedback> {
  return modelOn(connection, 'Feedback', feedbackSchema);
}

/** Records what the knowledge step showed and how it ended, to improve the KB and its ranking. */
export interface FeedbackStore {
  /** Stores one outcome; throws AppError('invalid_input') for a malformed record. */
  record(feedback: FeedbackInput): Promise<Feedback>;
}

export class MongoFeedbackStore implements FeedbackStore {
  private readonly model: Model<Feedback>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.model = getFeedbackModel(connection);
  }

  async record(input: FeedbackInput): Promise<Feedback> {
    const parsed = feedbackInputSchema.safeParse(input);
    if (!parsed.success) {
      throw new AppError('invalid_input', `Invalid feedback: ${describeIssues(parsed.error)}`, {
        cause: parsed.error,
      });
    }
    const feedback: Feedback = { ...parsed.data, createdAt: this.clock() };
    await this.model.create(feedback);
    return feedback;
  }

  /** The most recent records first (for reports and tests). */
  async recent(limit = 100): Promise<Feedback[]> {
    return await this.model
      .find({}, { _id: 0 })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<Feedback[]>()
      .exec();
  }
}
