import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn, retryOnDuplicate } from '../db';

/**
 * Article embeddings, keyed by what they were computed from: the embeddings model, the recipe
 * that turned the article into text, and the article's content hash. An unchanged article is
 * never embedded twice, whichever replica or import saw it first; a changed one gets a new key.
 */
export interface EmbeddingStore {
  /** Every stored vector of `model`, by key (one read: cheaper than a look-up per article). */
  loadAll(model: string): Promise<Map<string, Float32Array>>;
  /** One vector, or undefined. */
  get(key: string): Promise<Float32Array | undefined>;
  /** Stores a vector; storing the same key again is harmless. */
  put(key: string, model: string, vector: Float32Array): Promise<void>;
  /** Deletes the vectors of `model` whose keys are not in `keep`; returns how many went. */
  prune(model: string, keep: ReadonlySet<string>): Promise<number>;
}

/** The key of an article's embedding: model, text recipe and content hash. */
export function embeddingKey(model: string, recipe: string, contentHash: string): string {
  return `${model}|${recipe}|${contentHash}`;
}

interface EmbeddingDocument {
  _id: string;
  model: string;
  dimensions: number;
  /** Little-endian float32. */
  vector: Buffer;
}

const embeddingSchema = new Schema<EmbeddingDocument>(
  {
    _id: { type: String, required: true },
    model: { type: String, required: true },
    dimensions: { type: Number, required: true },
    vector: { type: Buffer, required: true },
  },
  { collection: 'article_embeddings', versionKey: false },
);

function toBuffer(vector: Float32Array): Buffer {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes;
}

function toVector(doc: Pick<EmbeddingDocument, 'vector' | 'dimensions'>): Float32Array | undefined {
  // Lean reads give a BSON Binary or a Buffer depending on the driver path; both expose bytes.
  const raw = doc.vector as unknown as Buffer | { buffer: Uint8Array };
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer);
  if (bytes.length !== doc.dimensions * 4) return undefined;
  const vector = new Float32Array(doc.dimensions);
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}

/** Embeddings in MongoDB (`article_embeddings`), one document per key, the `_id` being the key. */
export class MongoEmbeddingStore implements EmbeddingStore {
  private readonly model: Model<EmbeddingDocument>;

  constructor(connection: Connection) {
    this.model = modelOn(connection, 'ArticleEmbedding', embeddingSchema);
  }

  async loadAll(model: string): Promise<Map<string, Float32Array>> {
    const docs = await this.model.find({ model }).lean<EmbeddingDocument[]>().exec();
    const vectors = new Map<string, Float32Array>();
    for (const doc of docs) {
      const vector = toVector(doc);
      if (vector) vectors.set(doc._id, vector);
    }
    return vectors;
  }

  async get(key: string): Promise<Float32Array | undefined> {
    const doc = await this.model.findById(key).lean<EmbeddingDocument>().exec();
    return doc ? toVector(doc) : undefined;
  }

  async put(key: string, model: string, vector: Float32Array): Promise<void> {
    const doc = { _id: key, model, dimensions: vector.length, vector: toBuffer(vector) };
    // Same key, same content: whichever replica writes last writes the same vector.
    await retryOnDuplicate(async () => {
      await this.model.replaceOne({ _id: key }, doc, { upsert: true }).exec();
    });
  }

  async prune(model: string, keep: ReadonlySet<string>): Promise<number> {
    const ids = await this.model.find({ model }, { _id: 1 }).lean<Array<{ _id: string }>>().exec();
    const stale = ids.map((d) => d._id).filter((id) => !keep.has(id));
    if (stale.length === 0) return 0;
    const result = await this.model.deleteMany({ _id: { $in: stale } }).exec();
    return result.deletedCount;
  }
}
