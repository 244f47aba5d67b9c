import type { BusinessHours, ResponseTarget, Severity } from '../tickets/policy';

export interface ModuleVersion {
  version: string;
  releasedOn: string;
}

export interface ProductModule {
  id: string;
  name: { en: string; fr: string };
  /** Modules that run on managed devices need serial/device numbers in a ticket. */
  hasDevices: boolean;
  /** A description of the version format, for error messages. */
  versionFormat: { en: string; fr: string };
  /** Validates the shape of a version string for this module. */
  versionPattern: RegExp;
  /** Released versions, newest first. */
  versions: ModuleVersion[];
  /** Billing is not a technical module: no technical tickets are opened on it. */
  technical: boolean;
}

/** The support desk's hours and first-response targets, as the catalogue states them. */
export interface SupportSchedule {
  firstResponse: Record<Severity, ResponseTarget>;
  billingFirstResponse: ResponseTarget;
  businessHours: BusinessHours;
}

export type VersionSupport =
  | { status: 'supported' }
  | { status: 'unsupported'; supported: string[] }
  | { status: 'unknown'; supported: string[] };

/**
 * The vendor's catalogue as the bot reads it. Reads are synchronous over a snapshot; a
 * database-backed catalogue brings its snapshot up to date with `refresh()`.
 */
export interface ProductCatalogue {
  modules(): ProductModule[];
  technicalModules(): ProductModule[];
  get(id: string): ProductModule | undefined;
  /** The supported versions on `today`: the current one, and the previous one for a year after its successor came out. */
  supportedVersions(moduleId: string, today: Date): string[];
  versionSupport(moduleId: string, version: string, today: Date): VersionSupport;
  /** Business hours, time zone, holidays and response targets. */
  schedule(): SupportSchedule;
}

/**
 * The catalogue as stored: plain JSON (patterns as source text), the output of a validated
 * catalogue file.
 */
export interface CatalogueData {
  timeZone: string;
  businessHours: { days: number[]; startHour: number; endHour: number };
  /** Local dates (YYYY-MM-DD) on which the desk is closed. */
  holidays: string[];
  responseTargets: Record<'1' | '2' | '3' | '4' | 'billing', ResponseTarget>;
  modules: Array<{
    id: string;
    name: { en: string; fr: string };
    hasDevices: boolean;
    technical: boolean;
    versionFormat: { pattern: string; description: { en: string; fr: string } };
    /** Newest first. */
    versions: ModuleVersion[];
  }>;
}
