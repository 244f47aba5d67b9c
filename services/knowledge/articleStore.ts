import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../db';
import { AppError } from '../errors';
import {
  articleInputSchema,
  type Article,
  type ArticleInput,
  type ArticleWriter,
  type Locale,
  type UpsertOutcome,
  type ValidArticleInput,
} from './types';

export interface ArticleDocument extends Article {
  /** SHA-256 of the content fields: an import that brings the same content changes nothing. */
  contentHash: string;
}

const articleSchema = new Schema<ArticleDocument>(
  {
    key: { type: String, required: true },
    locale: { type: String, required: true, enum: ['en', 'fr'] },
    title: { type: String, required: true },
    summary: { type: String, required: true },
    body: { type: String, required: true },
    module: { type: String, required: true },
    tags: { type: [String], default: [] },
    url: { type: String, required: false },
    updatedAt: { type: Date, required: true },
    contentHash: { type: String, required: true },
  },
  { collection: 'articles', versionKey: false },
);
articleSchema.index({ key: 1, locale: 1 }, { unique: true });

export function getArticleModel(connection: Connection): Model<ArticleDocument> {
  return modelOn(connection, 'Article', articleSchema);
}

export function contentHashOf(article: Omit<ValidArticleInput, 'updatedAt'>): string {
  const content = [
    article.title,
    article.summary,
    article.body,
    article.module,
    article.tags,
    article.url ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * The digest of a set of articles (key, locale, content hash), whatever their order: the database's
 * and an index's are equal exactly when they hold the same articles.
 */
export function articlesFingerprint(
  entries: Iterable<{ key: string; locale: string; contentHash: string }>,
): string {
  const lines = [...entries].map((e) => `${e.key}\u0000${e.locale}\u0000${e.contentHash}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export function parseArticleInput(input: ArticleInput): ValidArticleInput {
  const parsed = articleInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('invalid_input', `Invalid article: ${describeIssues(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** "title: Too small…; tags.2: Expected string…": one line, for import reports and logs. */
export function describeIssues(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

function toArticle(doc: ArticleDocument): Article {
  const article: Article = {
    key: doc.key,
    locale: doc.locale,
    title: doc.title,
    summary: doc.summary,
    body: doc.body,
    module: doc.module,
    tags: [...doc.tags],
    updatedAt: doc.updatedAt,
  };
  if (doc.url) article.url = doc.url;
  return article;
}

/**
 * Articles in MongoDB. Upserts compare a content hash, so re-importing the same content is a
 * no-op and keeps `updatedAt`. Two processes creating the same new article race on the unique
 * (key, locale) index; the loser retries and sees the winner's document.
 */
export class MongoArticleStore implements ArticleWriter {
  private readonly model: Model<ArticleDocument>;
  private indexesReady: Promise<void> | undefined;

  constructor(
    connection: Connection,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.model = getArticleModel(connection);
  }

  /** Creates the unique (key, locale) index; idempotent, awaited before the first write. */
  async ensureIndexes(): Promise<void> {
    this.indexesReady ??= this.model.createIndexes().then(() => undefined);
    try {
      await this.indexesReady;
    } catch (error) {
      this.indexesReady = undefined;
      throw error;
    }
  }

  async upsert(input: ArticleInput): Promise<UpsertOutcome> {
    return (await this.upsertReturning(input)).outcome;
  }

  /** Like `upsert`, and also gives the article as now stored. */
  async upsertReturning(input: ArticleInput): Promise<{ outcome: UpsertOutcome; article: Article }> {
    const valid = parseArticleInput(input);
    await this.ensureIndexes();
    const contentHash = contentHashOf(valid);
    for (let attempt = 0; ; attempt++) {
      const existing = await this.model
        .findOne({ key: valid.key, locale: valid.locale })
        .lean<ArticleDocument>()
        .exec();
      if (existing && existing.contentHash === contentHash) {
        return { outcome: 'unchanged', article: toArticle(existing) };
      }
      const doc: ArticleDocument = {
        key: valid.key,
        locale: valid.locale,
        title: valid.title,
        summary: valid.summary,
        body: valid.body,
        module: valid.module,
        tags: valid.tags,
        updatedAt: valid.updatedAt ?? this.clock(),
        contentHash,
      };
      if (valid.url) doc.url = valid.url;
      if (existing) {
        await this.model.replaceOne({ key: valid.key, locale: valid.locale }, doc).exec();
        return { outcome: 'updated', article: toArticle(doc) };
      }
      try {
        await this.model.create(doc);
        return { outcome: 'added', article: toArticle(doc) };
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 3) throw error;
      }
    }
  }

  async get(key: string, locale: Locale): Promise<Article | undefined> {
    const doc = await this.model.findOne({ key, locale }).lean<ArticleDocument>().exec();
    return doc ? toArticle(doc) : undefined;
  }

  async remove(key: string, locale: Locale): Promise<boolean> {
    const result = await this.model.deleteOne({ key, locale }).exec();
    return result.deletedCount > 0;
  }

  async count(): Promise<number> {
    return await this.model.countDocuments({}).exec();
  }

  /** A digest of which articles exist and their content: it changes whenever any article does. */
  async fingerprint(): Promise<string> {
    const docs = await this.model
      .find({}, { _id: 0, key: 1, locale: 1, contentHash: 1 })
      .lean<Array<Pick<ArticleDocument, 'key' | 'locale' | 'contentHash'>>>()
      .exec();
    return articlesFingerprint(docs);
  }

  async list(): Promise<Article[]> {
    const docs = await this.model.find({}).lean<ArticleDocument[]>().exec();
    return docs.map(toArticle);
  }
}
