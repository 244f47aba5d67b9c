import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../db';
import type { TranscriptLine } from './model';

/** The longest line kept; a transcript is for reading, not an archive of pasted logs. */
const MAX_LINE = 2000;

interface TranscriptLineDocument extends TranscriptLine {
  _id: string;
  conversationId: string;
  channelId: string;
}

const lineSchema = new Schema<TranscriptLineDocument>(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    channelId: { type: String, required: true },
    from: { type: String, required: true },
    text: { type: String, required: true },
    at: { type: Date, required: true },
    name: { type: String },
  },
  { collection: 'transcript_lines', versionKey: false },
);
lineSchema.index({ conversationId: 1, at: -1 });
lineSchema.index({ at: 1 });

export function getTranscriptLineModel(connection: Connection): Model<TranscriptLineDocument> {
  return modelOn(connection, 'TranscriptLine', lineSchema);
}

/** What was said in each conversation, for the handoff transcript and the conversation figures. */
export interface TranscriptStore {
  append(
    conversationId: string,
    channelId: string,
    line: Omit<TranscriptLine, 'at'> & { at?: Date },
  ): Promise<void>;
  /** The last `limit` lines of the conversation, oldest first. */
  recent(conversationId: string, limit?: number): Promise<TranscriptLine[]>;
}

export class MongoTranscriptStore implements TranscriptStore {
  private readonly model: Model<TranscriptLineDocument>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.model = getTranscriptLineModel(connection);
  }

  async append(
    conversationId: string,
    channelId: string,
    line: Omit<TranscriptLine, 'at'> & { at?: Date },
  ): Promise<void> {
    const text = line.text.trim();
    if (!text) return;
    await this.model.create({
      _id: randomUUID(),
      conversationId,
      channelId,
      from: line.from,
      text: text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 1)}…` : text,
      at: line.at ?? this.clock(),
      ...(line.name ? { name: line.name } : {}),
    });
  }

  async recent(conversationId: string, limit = 40): Promise<TranscriptLine[]> {
    const docs = await this.model.find({ conversationId }).sort({ at: -1 }).limit(limit).lean().exec();
    return docs.reverse().map((d) => ({
      from: d.from,
      text: d.text,
      at: d.at,
      ...(d.name ? { name: d.name } : {}),
    }));
  }
}

/** The transcript as plain text, one line per message, for a ticket description or an agent. */
export function transcriptText(
  lines: TranscriptLine[],
  labels: Record<TranscriptLine['from'], string>,
): string {
  return lines
    .map((line) => {
      const time = line.at.toISOString().slice(11, 16);
      const who = line.from === 'agent' && line.name ? line.name : labels[line.from];
      return `[${time}] ${who}: ${line.text}`;
    })
    .join('\n');
}
