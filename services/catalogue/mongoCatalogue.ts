import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn, retryOnDuplicate, withDatabaseErrors } from '../db';
import type { Logger } from '../logger';
import { catalogueRevision } from './catalogueFile';
import { StaticProductCatalogue } from './staticCatalogue';
import type {
  CatalogueData,
  ProductCatalogue,
  ProductModule,
  SupportSchedule,
  VersionSupport,
} from './types';

/** The one stored catalogue, always read by `_id` (the cheap lookup on every MongoDB-compatible server). */
const CURRENT_ID = 'current';

interface CatalogueDocument {
  _id: string;
  revision: string;
  importedAt: Date;
  data: CatalogueData;
}

const catalogueSchema = new Schema<CatalogueDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: String, required: true },
    importedAt: { type: Date, required: true },
    data: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'catalogue', versionKey: false, minimize: false },
);

function catalogueModel(connection: Connection): Model<CatalogueDocument> {
  return modelOn(connection, 'Catalogue', catalogueSchema);
}

export type CatalogueSaveResult =
  { kind: 'unchanged'; revision: string } | { kind: 'saved'; revision: string };

/** Where the catalogue lives: one document, replaced whole by an import. */
export class MongoCatalogueStore {
  private readonly model: Model<CatalogueDocument>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.model = catalogueModel(connection);
  }

  /** Stores the catalogue; the same content again changes nothing. */
  async save(data: CatalogueData): Promise<CatalogueSaveResult> {
    const revision = catalogueRevision(data);
    return await withDatabaseErrors('Catalogue', async () => {
      const current = await this.model.findById(CURRENT_ID, { revision: 1 }).lean().exec();
      if (current?.revision === revision) return { kind: 'unchanged', revision };
      await retryOnDuplicate(() =>
        this.model
          .replaceOne(
            { _id: CURRENT_ID },
            { _id: CURRENT_ID, revision, importedAt: this.clock(), data },
            { upsert: true },
          )
          .exec(),
      );
      return { kind: 'saved', revision };
    });
  }

  async revision(): Promise<string | undefined> {
    const doc = await withDatabaseErrors('Catalogue', () =>
      this.model.findById(CURRENT_ID, { revision: 1 }).lean().exec(),
    );
    return doc?.revision;
  }

  async load(): Promise<{ revision: string; data: CatalogueData } | undefined> {
    const doc = await withDatabaseErrors('Catalogue', () => this.model.findById(CURRENT_ID).lean().exec());
    return doc ? { revision: doc.revision, data: doc.data } : undefined;
  }
}

export interface MongoProductCatalogueOptions {
  store: MongoCatalogueStore;
  logger: Logger;
  /** Used until a catalogue is stored (and when the stored one cannot be read at start). */
  fallback: CatalogueData;
  /** The stored revision is checked at most this often; 0 checks on every `refresh()`. */
  checkIntervalMs?: number;
  clock?: () => Date;
}

/**
 * The catalogue the bot reads: a snapshot of the stored one, brought up to date by `refresh()`
 * (called at the start of each turn). A refresh costs one `_id` read of the revision; the
 * catalogue itself is read again only when an import changed it.
 */
export class MongoProductCatalogue implements ProductCatalogue {
  private current: StaticProductCatalogue;
  private revision: string | undefined;
  private lastCheck = 0;
  private checking: Promise<void> | undefined;
  private readonly log: Logger;
  private readonly checkIntervalMs: number;
  private readonly clock: () => Date;

  constructor(private readonly options: MongoProductCatalogueOptions) {
    this.current = StaticProductCatalogue.fromData(options.fallback);
    this.log = options.logger.child({ component: 'catalogue' });
    this.checkIntervalMs = options.checkIntervalMs ?? 0;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Brings the snapshot up to date; a failure keeps the snapshot it has (the bot keeps working). */
  async refresh(): Promise<boolean> {
    const now = this.clock().getTime();
    if (this.checking) {
      await this.checking;
      return false;
    }
    if (this.revision !== undefined && now - this.lastCheck < this.checkIntervalMs) return false;
    let changed = false;
    this.checking = (async () => {
      try {
        const revision = await this.options.store.revision();
        this.lastCheck = now;
        if (revision === undefined || revision === this.revision) return;
        const loaded = await this.options.store.load();
        if (!loaded) return;
        this.current = StaticProductCatalogue.fromData(loaded.data);
        const first = this.revision === undefined;
        this.revision = loaded.revision;
        changed = true;
        this.log.info(
          { revision: loaded.revision },
          first ? 'catalogue loaded' : 'catalogue changed: reloaded',
        );
      } catch (error) {
        this.log.warn({ err: error }, 'catalogue refresh failed; keeping the current one');
      }
    })();
    try {
      await this.checking;
    } finally {
      this.checking = undefined;
    }
    return changed;
  }

  modules(): ProductModule[] {
    return this.current.modules();
  }

  technicalModules(): ProductModule[] {
    return this.current.technicalModules();
  }

  get(id: string): ProductModule | undefined {
    return this.current.get(id);
  }

  supportedVersions(moduleId: string, today: Date): string[] {
    return this.current.supportedVersions(moduleId, today);
  }

  versionSupport(moduleId: string, version: string, today: Date): VersionSupport {
    return this.current.versionSupport(moduleId, version, today);
  }

  schedule(): SupportSchedule {
    return this.current.schedule();
  }
}
