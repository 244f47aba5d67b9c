import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { driverCollection, modelOn } from '../db';
import type { TranscriptLine } from './model';

let lineSeq = 0;

/**
 * An id that sorts as the lines were said: the time, then this process's count, then a random
 * part so that replicas never collide.
 */
function lineId(at: Date): string {
  lineSeq = (lineSeq + 1) % 1_000_000;
  return `${String(at.getTime()).padStart(15, '0')}-${String(lineSeq).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
}

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
  /** Lines are built whole here: the driver's insert, without mongoose casting and validating each again. */
  private readonly lines: mongo.Collection<TranscriptLineDocument>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.model = getTranscriptLineModel(connection);
    this.lines = driverCollection(this.model);
  }

  async append(
    conversationId: string,
    channelId: string,
    line: Omit<TranscriptLine, 'at'> & { at?: Date },
  ): Promise<void> {
    await this.appendMany([{ conversationId, channelId, line }]);
  }

  /** Several lines, of any conversations, in one write. */
  async appendMany(entries: BufferedLine[]): Promise<void> {
    const docs = entries.flatMap(({ conversationId, channelId, line }) => {
      const text = line.text.trim();
      if (!text) return [];
      const at = line.at ?? this.clock();
      return [
        {
          _id: lineId(at),
          conversationId,
          channelId,
          from: line.from,
          text: text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 1)}…` : text,
          at,
          ...(line.name ? { name: line.name } : {}),
        },
      ];
    });
    if (docs.length) await this.lines.insertMany(docs, { ordered: false });
  }

  async recent(conversationId: string, limit = 40): Promise<TranscriptLine[]> {
    // Lines said in the same millisecond (a message and its reply) keep their order by `_id`.
    const docs = await this.model
      .find({ conversationId })
      .sort({ at: -1, _id: -1 })
      .limit(limit)
      .lean()
      .exec();
    return docs.reverse().map((d) => ({
      from: d.from,
      text: d.text,
      at: d.at,
      ...(d.name ? { name: d.name } : {}),
    }));
  }
}

interface BufferedLine {
  conversationId: string;
  channelId: string;
  line: Omit<TranscriptLine, 'at'> & { at?: Date };
}

export interface TranscriptBufferOptions {
  /** Lines wait at most this long before they are written; 250 ms when absent. */
  flushMs?: number;
  /** A buffer this full is written at once; 200 lines when absent. */
  maxLines?: number;
  clock?: () => Date;
  /** Told when a write failed (its lines are dropped: a transcript is best effort). */
  onError?: (error: unknown) => void;
}

/**
 * Writes transcript lines behind the turns: lines are stamped when said and written together,
 * every `flushMs` or `maxLines`, in one insert for all conversations, instead of one insert per
 * line inside each turn. `recent` writes what is waiting first, so a handoff started in the same
 * turn carries every line said before it.
 */
export class TranscriptBuffer implements TranscriptStore {
  private lines: BufferedLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly flushMs: number;
  private readonly maxLines: number;
  private readonly clock: () => Date;

  constructor(
    private readonly store: MongoTranscriptStore,
    private readonly options: TranscriptBufferOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 250;
    this.maxLines = options.maxLines ?? 200;
    this.clock = options.clock ?? (() => new Date());
  }

  append(
    conversationId: string,
    channelId: string,
    line: Omit<TranscriptLine, 'at'> & { at?: Date },
  ): Promise<void> {
    this.lines.push({ conversationId, channelId, line: { ...line, at: line.at ?? this.clock() } });
    if (this.lines.length >= this.maxLines) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
    return Promise.resolve();
  }

  async recent(conversationId: string, limit?: number): Promise<TranscriptLine[]> {
    await this.flush();
    return await this.store.recent(conversationId, limit);
  }

  /** Writes what is waiting (and waits for writes in progress). Never throws. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.lines;
    this.lines = [];
    const previous = this.writing;
    this.writing = (async () => {
      await previous;
      if (!batch.length) return;
      try {
        await this.store.appendMany(batch);
      } catch (error) {
        this.options.onError?.(error);
      }
    })();
    await this.writing;
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
