/**
 * The demo product catalogue: the modules a partner can ask about, whether a module has
 * devices (so "example devices" may be "none"), and its versions with their support status.
 * Later this can come from the database; every consumer reads it through `ProductCatalogue`.
 */
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

export type VersionSupport =
  | { status: 'supported' }
  | { status: 'unsupported'; supported: string[] }
  | { status: 'unknown'; supported: string[] };

export interface ProductCatalogue {
  modules(): ProductModule[];
  technicalModules(): ProductModule[];
  get(id: string): ProductModule | undefined;
  /** The supported versions on `today`: the current one, and the previous one for a year after its successor came out. */
  supportedVersions(moduleId: string, today: Date): string[];
  versionSupport(moduleId: string, version: string, today: Date): VersionSupport;
}

const SEMVER3 = /^\d{1,2}\.\d{1,2}\.\d{1,3}$/;
const YEAR_RELEASE = /^20\d{2}\.\d{1,2}(\.\d{1,3})?$/;

export const DEMO_MODULES: ProductModule[] = [
  {
    id: 'rmm-agent',
    name: { en: 'Remote monitoring agent', fr: 'Agent de supervision à distance' },
    hasDevices: true,
    versionFormat: { en: 'three numbers, like 9.5.2', fr: 'trois nombres, par exemple 9.5.2' },
    versionPattern: SEMVER3,
    versions: [
      { version: '9.5.2', releasedOn: '2026-06-15' },
      { version: '9.4.7', releasedOn: '2025-12-01' },
      { version: '9.3.1', releasedOn: '2025-05-20' },
      { version: '9.2.0', releasedOn: '2024-10-02' },
    ],
    technical: true,
  },
  {
    id: 'remote-control',
    name: { en: 'Remote control', fr: 'Prise de contrôle à distance' },
    hasDevices: true,
    versionFormat: { en: 'three numbers, like 4.2.0', fr: 'trois nombres, par exemple 4.2.0' },
    versionPattern: SEMVER3,
    versions: [
      { version: '4.2.0', releasedOn: '2026-03-10' },
      { version: '4.1.3', releasedOn: '2025-09-01' },
      { version: '4.0.5', releasedOn: '2024-11-18' },
    ],
    technical: true,
  },
  {
    id: 'patch-management',
    name: { en: 'Patch management', fr: 'Gestion des correctifs' },
    hasDevices: true,
    versionFormat: { en: 'year and release, like 2026.2', fr: 'année et version, par exemple 2026.2' },
    versionPattern: YEAR_RELEASE,
    versions: [
      { version: '2026.2', releasedOn: '2026-07-01' },
      { version: '2026.1', releasedOn: '2026-01-15' },
      { version: '2025.2', releasedOn: '2025-07-01' },
    ],
    technical: true,
  },
  {
    id: 'backup',
    name: { en: 'Backup and recovery', fr: 'Sauvegarde et restauration' },
    hasDevices: true,
    versionFormat: { en: 'three numbers, like 7.1.4', fr: 'trois nombres, par exemple 7.1.4' },
    versionPattern: SEMVER3,
    versions: [
      { version: '7.1.4', releasedOn: '2026-08-20' },
      { version: '7.0.9', releasedOn: '2026-02-02' },
      { version: '6.8.2', releasedOn: '2025-06-30' },
    ],
    technical: true,
  },
  {
    id: 'network-monitoring',
    name: { en: 'Network monitoring', fr: 'Supervision réseau' },
    hasDevices: true,
    versionFormat: { en: 'three numbers, like 3.8.1', fr: 'trois nombres, par exemple 3.8.1' },
    versionPattern: SEMVER3,
    versions: [
      { version: '3.8.1', releasedOn: '2026-05-05' },
      { version: '3.7.0', releasedOn: '2025-10-10' },
      { version: '3.6.2', releasedOn: '2025-01-12' },
    ],
    technical: true,
  },
  {
    id: 'partner-portal',
    name: { en: 'Partner portal', fr: 'Portail partenaire' },
    hasDevices: false,
    versionFormat: { en: 'year and release, like 2026.4', fr: 'année et version, par exemple 2026.4' },
    versionPattern: YEAR_RELEASE,
    versions: [
      { version: '2026.4', releasedOn: '2026-10-01' },
      { version: '2026.3', releasedOn: '2026-07-01' },
      { version: '2025.4', releasedOn: '2025-10-01' },
    ],
    technical: true,
  },
  {
    id: 'billing',
    name: { en: 'Billing and payments', fr: 'Facturation et paiements' },
    hasDevices: false,
    versionFormat: { en: 'not applicable', fr: 'sans objet' },
    versionPattern: /^$/,
    versions: [],
    technical: false,
  },
];

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export class StaticProductCatalogue implements ProductCatalogue {
  constructor(private readonly list: ProductModule[] = DEMO_MODULES) {}

  modules(): ProductModule[] {
    return this.list;
  }

  technicalModules(): ProductModule[] {
    return this.list.filter((m) => m.technical);
  }

  get(id: string): ProductModule | undefined {
    return this.list.find((m) => m.id === id);
  }

  supportedVersions(moduleId: string, today: Date): string[] {
    const mod = this.get(moduleId);
    if (!mod) return [];
    const released = mod.versions.filter((v) => Date.parse(v.releasedOn) <= today.getTime());
    const supported: string[] = [];
    released.forEach((v, index) => {
      if (index === 0) {
        supported.push(v.version);
        return;
      }
      // The previous version stays supported for at least a year after its successor shipped.
      const successor = released[index - 1];
      if (successor && today.getTime() - Date.parse(successor.releasedOn) < ONE_YEAR_MS)
        supported.push(v.version);
    });
    return supported;
  }

  versionSupport(moduleId: string, version: string, today: Date): VersionSupport {
    const supported = this.supportedVersions(moduleId, today);
    if (supported.includes(version)) return { status: 'supported' };
    const mod = this.get(moduleId);
    if (mod?.versions.some((v) => v.version === version)) return { status: 'unsupported', supported };
    return { status: 'unknown', supported };
  }
}
