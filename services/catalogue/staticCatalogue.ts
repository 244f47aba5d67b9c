import { demoCatalogueData } from './demo';
import type {
  CatalogueData,
  ProductCatalogue,
  ProductModule,
  SupportSchedule,
  VersionSupport,
} from './types';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** The modules and schedule a catalogue file describes, ready for the bot. */
export function snapshotOf(data: CatalogueData): { modules: ProductModule[]; schedule: SupportSchedule } {
  const modules = data.modules.map((m) => ({
    id: m.id,
    name: { ...m.name },
    hasDevices: m.hasDevices,
    versionFormat: { ...m.versionFormat.description },
    versionPattern: new RegExp(m.versionFormat.pattern),
    versions: m.versions.map((v) => ({ ...v })),
    technical: m.technical,
  }));
  const targets = data.responseTargets;
  const schedule: SupportSchedule = {
    firstResponse: { 1: targets['1'], 2: targets['2'], 3: targets['3'], 4: targets['4'] },
    billingFirstResponse: targets.billing,
    businessHours: {
      startHour: data.businessHours.startHour,
      endHour: data.businessHours.endHour,
      days: [...data.businessHours.days],
      utcOffsetMinutes: 0,
      timeZone: data.timeZone,
      holidays: [...data.holidays],
    },
  };
  return { modules, schedule };
}

/** A catalogue over a fixed snapshot: the computation every catalogue shares. */
export class StaticProductCatalogue implements ProductCatalogue {
  private readonly list: ProductModule[];
  private readonly support: SupportSchedule;

  /** The demo catalogue when no modules (or schedule) are given. */
  constructor(list?: ProductModule[], support?: SupportSchedule) {
    const demo = list && support ? undefined : snapshotOf(demoCatalogueData());
    this.list = list ?? demo!.modules;
    this.support = support ?? demo!.schedule;
  }

  static fromData(data: CatalogueData): StaticProductCatalogue {
    const { modules, schedule } = snapshotOf(data);
    return new StaticProductCatalogue(modules, schedule);
  }

  modules(): ProductModule[] {
    return this.list;
  }

  technicalModules(): ProductModule[] {
    return this.list.filter((m) => m.technical);
  }

  get(id: string): ProductModule | undefined {
    return this.list.find((m) => m.id === id);
  }

  schedule(): SupportSchedule {
    return this.support;
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
