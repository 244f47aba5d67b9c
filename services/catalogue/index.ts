/**
 * The vendor's product catalogue: modules, versions and their dates, response targets and the
 * support desk's hours. It is data (a catalogue file imported into the database); every
 * consumer reads it through `ProductCatalogue`.
 */
import { snapshotOf, StaticProductCatalogue } from './staticCatalogue';
import { demoCatalogueData } from './demo';
import type { ProductModule } from './types';

export type {
  CatalogueData,
  ModuleVersion,
  ProductCatalogue,
  ProductModule,
  SupportSchedule,
  VersionSupport,
} from './types';
export {
  parseCatalogue,
  catalogueRevision,
  formatCatalogueIssue,
  type CatalogueFileIssue,
  type CatalogueParseResult,
} from './catalogueFile';
export {
  MongoCatalogueStore,
  MongoProductCatalogue,
  type CatalogueSaveResult,
  type MongoProductCatalogueOptions,
} from './mongoCatalogue';
export { DEMO_CATALOGUE_FILE, demoCatalogueData } from './demo';
export { snapshotOf };

/** The demo catalogue's modules (from the shipped demo file). */
export const DEMO_MODULES: ProductModule[] = snapshotOf(demoCatalogueData()).modules;

export { StaticProductCatalogue };
