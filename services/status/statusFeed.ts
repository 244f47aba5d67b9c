import { z } from 'zod';
import type { Logger } from '../logger';

/** Statuspage's component states, plus `unknown` for a value we do not recognise. */
export type ComponentStatus =
  | 'operational'
  | 'degraded_performance'
  | 'partial_outage'
  | 'major_outage'
  | 'under_maintenance'
  | 'unknown';

export interface StatusComponent {
  id: string;
  name: string;
  status: ComponentStatus;
  /** Our catalogue module ids this component stands for (may be empty). */
  moduleIds: string[];
}

export interface StatusIncidentUpdate {
  status: string;
  body: string;
  at?: Date;
}

/** An incident that is not yet resolved. */
export interface StatusIncident {
  id: string;
  name: string;
  /** investigating, identified, monitoring… */
  status: string;
  /** none, minor, major, critical. */
  impact: string;
  componentIds: string[];
  /** Our catalogue module ids affected, from the incident's components. */
  moduleIds: string[];
  /** The newest update first. */
  updates: StatusIncidentUpdate[];
  url?: string;
  startedAt?: Date;
}

export type StatusSummary =
  | { kind: 'ok'; components: StatusComponent[]; incidents: StatusIncident[]; fetchedAt: Date }
  /** The feed could not be read (down, slow, malformed): show a one-line notice. */
  | { kind: 'unavailable' };

/**
 * The vendor's service status (product.md flow E). Never throws: a feed that cannot be read
 * is `{ kind: 'unavailable' }`.
 */
export interface StatusFeed {
  summary(): Promise<StatusSummary>;
  /** The first active incident touching the module, if any; undefined also when the feed is unavailable. */
  activeIncidentFor(moduleId: string): Promise<StatusIncident | undefined>;
}

export interface StatuspageStatusFeedOptions {
  /** The summary address, e.g. https://status.example.com/api/v2/summary.json. */
  url: string;
  logger: Logger;
  /** Component id or name (case-insensitive) → module id(s). A component whose name reads like a module id ("Remote control" → remote-control) maps to it without an entry. */
  componentModules?: Record<string, string | string[]>;
  /** Known module ids, for the name-based mapping; all names are accepted when absent. */
  moduleIds?: readonly string[];
  /** 2 s when absent. */
  timeoutMs?: number;
  /** How long a good answer is reused; 30 s when absent. */
  cacheMs?: number;
  /** How long an unavailable feed is not asked again; 5 s when absent. */
  failureCacheMs?: number;
  clock?: () => Date;
  /** The HTTP client; the global fetch when absent. */
  fetch?: typeof fetch;
}

const RESOLVED_INCIDENT_STATUSES = new Set(['resolved', 'postmortem', 'completed']);
const COMPONENT_STATUSES = new Set<ComponentStatus>([
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
]);
const MAX_BODY_CHARS = 2_000_000;

const updateSchema = z.looseObject({
  status: z.string().catch(''),
  body: z.string().catch(''),
  created_at: z.string().optional().catch(undefined),
  display_at: z.string().optional().catch(undefined),
});

const componentRefSchema = z.union([
  z.string(),
  z.looseObject({ id: z.string(), name: z.string().optional().catch(undefined) }),
]);

/** The parts of Statuspage's `/api/v2/summary.json` we read; anything else is ignored. */
const summarySchema = z.looseObject({
  components: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string(),
        status: z.string().catch('unknown'),
        group: z.boolean().optional().catch(undefined),
      }),
    )
    .default([]),
  incidents: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        name: z.string(),
        status: z.string().catch('investigating'),
        impact: z.string().catch('none'),
        shortlink: z.string().optional().catch(undefined),
        created_at: z.string().optional().catch(undefined),
        started_at: z.string().optional().catch(undefined),
        components: z.array(componentRefSchema).default([]).catch([]),
        incident_updates: z.array(updateSchema).optional().catch(undefined),
        updates: z.array(updateSchema).optional().catch(undefined),
      }),
    )
    .default([]),
});

/** A Statuspage-style status feed read over HTTP, with a timeout and a short cache. */
export class StatuspageStatusFeed implements StatusFeed {
  private readonly log: Logger;
  private readonly clock: () => Date;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly failureCacheMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly byKey = new Map<string, string[]>();
  private readonly moduleIds: Set<string> | undefined;
  private cached: { summary: StatusSummary; until: number } | undefined;
  private inFlight: Promise<StatusSummary> | undefined;

  constructor(private readonly options: StatuspageStatusFeedOptions) {
    this.log = options.logger.child({ component: 'status-feed' });
    this.clock = options.clock ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.cacheMs = options.cacheMs ?? 30_000;
    this.failureCacheMs = options.failureCacheMs ?? 5_000;
    this.fetchFn = options.fetch ?? fetch;
    this.moduleIds = options.moduleIds ? new Set(options.moduleIds) : undefined;
    for (const [key, value] of Object.entries(options.componentModules ?? {})) {
      this.byKey.set(key.trim().toLowerCase(), Array.isArray(value) ? value : [value]);
    }
  }

  async summary(): Promise<StatusSummary> {
    const now = this.clock().getTime();
    if (this.cached && now < this.cached.until) return this.cached.summary;
    // Callers arriving while a fetch is under way share it instead of asking the feed again.
    this.inFlight ??= this.fetchSummary().finally(() => {
      this.inFlight = undefined;
    });
    return await this.inFlight;
  }

  async activeIncidentFor(moduleId: string): Promise<StatusIncident | undefined> {
    const summary = await this.summary();
    if (summary.kind !== 'ok') return undefined;
    return summary.incidents.find((incident) => incident.moduleIds.includes(moduleId));
  }

  private async fetchSummary(): Promise<StatusSummary> {
    const summary = await this.read();
    const ttl = summary.kind === 'ok' ? this.cacheMs : this.failureCacheMs;
    this.cached = { summary, until: this.clock().getTime() + ttl };
    return summary;
  }

  private async read(): Promise<StatusSummary> {
    const started = Date.now();
    let body: unknown;
    try {
      const response = await this.fetchFn(this.options.url, {
        headers: { Accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'follow',
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        this.log.warn({ status: response.status }, 'status feed answered with an error');
        return { kind: 'unavailable' };
      }
      const text = await response.text();
      if (text.length > MAX_BODY_CHARS) {
        this.log.warn({ chars: text.length }, 'status feed answer too large');
        return { kind: 'unavailable' };
      }
      body = JSON.parse(text);
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      this.log.warn(
        { err: timedOut ? undefined : error, timedOut, elapsedMs: Date.now() - started },
        'status feed unreachable',
      );
      return { kind: 'unavailable' };
    }
    const parsed = summarySchema.safeParse(body);
    if (!parsed.success) {
      this.log.warn({ issues: z.prettifyError(parsed.error) }, 'status feed answer is not a status summary');
      return { kind: 'unavailable' };
    }
    return this.toSummary(parsed.data);
  }

  private toSummary(data: z.output<typeof summarySchema>): StatusSummary {
    const components: StatusComponent[] = data.components
      .filter((component) => component.group !== true)
      .map((component) => ({
        id: component.id,
        name: component.name,
        status: COMPONENT_STATUSES.has(component.status as ComponentStatus)
          ? (component.status as ComponentStatus)
          : 'unknown',
        moduleIds: this.modulesOf(component.id, component.name),
      }));
    const componentNames = new Map(data.components.map((component) => [component.id, component.name]));
    const incidents: StatusIncident[] = data.incidents
      .filter((incident) => !RESOLVED_INCIDENT_STATUSES.has(incident.status))
      .map((incident, index) => {
        const refs = incident.components.map((ref) =>
          typeof ref === 'string' ? { id: ref, name: componentNames.get(ref) } : ref,
        );
        const moduleIds = [
          ...new Set(refs.flatMap((ref) => this.modulesOf(ref.id, ref.name ?? componentNames.get(ref.id)))),
        ];
        const updates = (incident.incident_updates ?? incident.updates ?? [])
          .map((update) => ({
            status: update.status,
            body: update.body,
            ...optionalDate('at', update.display_at ?? update.created_at),
          }))
          .sort((a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0));
        return {
          id: incident.id ?? `incident-${index + 1}`,
          name: incident.name,
          status: incident.status,
          impact: incident.impact,
          componentIds: refs.map((ref) => ref.id),
          moduleIds,
          updates,
          ...(incident.shortlink ? { url: incident.shortlink } : {}),
          ...optionalDate('startedAt', incident.started_at ?? incident.created_at),
        };
      });
    return { kind: 'ok', components, incidents, fetchedAt: this.clock() };
  }

  private modulesOf(id: string, name: string | undefined): string[] {
    const mapped =
      this.byKey.get(id.toLowerCase()) ?? (name ? this.byKey.get(name.trim().toLowerCase()) : undefined);
    if (mapped) return mapped;
    if (!name) return [];
    const slug = name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    if (!slug || (this.moduleIds && !this.moduleIds.has(slug))) return [];
    return [slug];
  }
}

function optionalDate<K extends string>(key: K, value: string | undefined): Partial<Record<K, Date>> {
  if (!value) return {};
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? {} : ({ [key]: date } as Record<K, Date>);
}

/** The feed when no status URL is configured: always unavailable, without any network call. */
export class UnconfiguredStatusFeed implements StatusFeed {
  summary(): Promise<StatusSummary> {
    return Promise.resolve({ kind: 'unavailable' });
  }

  activeIncidentFor(): Promise<StatusIncident | undefined> {
    return Promise.resolve(undefined);
  }
}
