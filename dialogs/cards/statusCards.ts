import { CardFactory, type Attachment } from 'botbuilder';
import type { ProductCatalogue } from '../../services/catalogue';
import type { ComponentStatus, StatusComponent, StatusIncident, StatusSummary } from '../../services/status';
import { t, type Locale, type TextKey } from '../texts';
import { formatWhen } from './requestCards';

/** A summary the feed could read. */
export type AvailableStatusSummary = Extract<StatusSummary, { kind: 'ok' }>;

const COMPONENT_COLOURS: Record<ComponentStatus, string> = {
  operational: 'Good',
  degraded_performance: 'Warning',
  under_maintenance: 'Warning',
  partial_outage: 'Attention',
  major_outage: 'Attention',
  unknown: 'Default',
};
const IMPACTS = new Set(['none', 'minor', 'major', 'critical']);
const INCIDENT_STATUSES = new Set([
  'investigating',
  'identified',
  'monitoring',
  'scheduled',
  'in_progress',
  'verifying',
]);
const MAX_UPDATE_CHARS = 600;

export function componentStatusLabel(status: ComponentStatus, locale: Locale): string {
  return t(locale, `status.component.${status}`);
}

/** Statuspage's impact in words; a value we do not know is shown as the feed wrote it. */
export function impactLabel(impact: string, locale: Locale): string {
  return IMPACTS.has(impact) ? t(locale, `status.impact.${impact}` as TextKey) : impact;
}

/** Statuspage's incident status in words; a value we do not know is shown as the feed wrote it. */
export function incidentStatusLabel(status: string, locale: Locale): string {
  return INCIDENT_STATUSES.has(status) ? t(locale, `status.incident.${status}` as TextKey) : status;
}

/** The catalogue's name of a module in the user's language, or its id when the catalogue does not know it. */
export function moduleName(moduleId: string, locale: Locale, catalogue: ProductCatalogue): string {
  return catalogue.get(moduleId)?.name[locale] ?? moduleId;
}

/** A component under our name for it when it stands for exactly one known module, else the feed's name. */
export function componentName(
  component: StatusComponent,
  locale: Locale,
  catalogue: ProductCatalogue,
): string {
  const [only, ...others] = component.moduleIds;
  const known = only !== undefined && !others.length ? catalogue.get(only) : undefined;
  return known ? known.name[locale] : component.name;
}

/** What an incident touches: our modules when it maps to some, otherwise the feed's component names. */
export function affectedNames(
  incident: StatusIncident,
  components: StatusComponent[],
  locale: Locale,
  catalogue: ProductCatalogue,
): string[] {
  if (incident.moduleIds.length) return incident.moduleIds.map((id) => moduleName(id, locale, catalogue));
  const byId = new Map(components.map((component) => [component.id, component.name]));
  return incident.componentIds.map((id) => byId.get(id)).filter((name): name is string => Boolean(name));
}

/** The one sentence that sums the status up, sent as the message text with the card. */
export function statusHeadline(summary: AvailableStatusSummary, locale: Locale): string {
  if (!summary.components.length && !summary.incidents.length) return t(locale, 'status.noComponents');
  const allGood = summary.components.every((component) => component.status === 'operational');
  const headline = t(
    locale,
    allGood && !summary.incidents.length ? 'status.allOperational' : 'status.someDegraded',
  );
  return summary.incidents.length
    ? `${headline} ${t(locale, 'status.activeIncidents', { count: summary.incidents.length })}`
    : headline;
}

/** Flow E: every component with its status, then each active incident with its latest update. */
export function serviceStatusCard(
  summary: AvailableStatusSummary,
  locale: Locale,
  catalogue: ProductCatalogue,
): Attachment {
  const components = summary.components.map((component) => ({
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [{ type: 'TextBlock', text: componentName(component, locale, catalogue), wrap: true }],
      },
      {
        type: 'Column',
        width: 'auto',
        items: [
          {
            type: 'TextBlock',
            text: componentStatusLabel(component.status, locale),
            color: COMPONENT_COLOURS[component.status],
            weight: component.status === 'operational' ? 'Default' : 'Bolder',
            horizontalAlignment: 'Right',
            wrap: true,
          },
        ],
      },
    ],
  }));
  const incidents = summary.incidents.map((incident) =>
    incidentContainer(incident, summary, locale, catalogue),
  );
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: t(locale, 'status.title'), weight: 'Bolder', size: 'Medium', wrap: true },
      ...(components.length
        ? components
        : [{ type: 'TextBlock', text: t(locale, 'status.noComponents'), wrap: true }]),
      ...(incidents.length
        ? [
            {
              type: 'TextBlock',
              text: t(locale, 'status.incidentsTitle'),
              weight: 'Bolder',
              separator: true,
              spacing: 'Medium',
              wrap: true,
            },
            ...incidents,
          ]
        : []),
      {
        type: 'TextBlock',
        text: t(locale, 'status.fetchedAt', { when: formatWhen(summary.fetchedAt, locale) }),
        isSubtle: true,
        size: 'Small',
        spacing: 'Medium',
        wrap: true,
      },
    ],
  });
}

function incidentContainer(
  incident: StatusIncident,
  summary: AvailableStatusSummary,
  locale: Locale,
  catalogue: ProductCatalogue,
): Record<string, unknown> {
  const status = incidentStatusLabel(incident.status, locale);
  const impact = impactLabel(incident.impact, locale);
  const meta = incident.startedAt
    ? t(locale, 'status.incidentMeta', { status, impact, when: formatWhen(incident.startedAt, locale) })
    : t(locale, 'status.incidentMetaNoDate', { status, impact });
  const affected = affectedNames(incident, summary.components, locale, catalogue);
  const latest = latestUpdateText(incident, locale, MAX_UPDATE_CHARS);
  return {
    type: 'Container',
    separator: true,
    items: [
      { type: 'TextBlock', text: incident.name, weight: 'Bolder', color: 'Attention', wrap: true },
      { type: 'TextBlock', text: meta, isSubtle: true, size: 'Small', spacing: 'None', wrap: true },
      ...(affected.length
        ? [
            {
              type: 'TextBlock',
              text: t(locale, 'status.affects', { modules: affected.join(', ') }),
              wrap: true,
            },
          ]
        : []),
      ...(latest ? [{ type: 'TextBlock', text: latest, wrap: true }] : []),
      ...(incident.url && /^https?:\/\//i.test(incident.url)
        ? [
            {
              type: 'ActionSet',
              actions: [{ type: 'Action.OpenUrl', title: t(locale, 'status.details'), url: incident.url }],
            },
          ]
        : []),
    ],
  };
}

/** "Latest update (when): text" for the newest update with a body, or undefined when there is none. */
export function latestUpdateText(
  incident: StatusIncident,
  locale: Locale,
  maxChars: number,
): string | undefined {
  const update = incident.updates.find((candidate) => candidate.body.trim());
  if (!update) return undefined;
  const text = shorten(update.body, maxChars);
  return update.at
    ? t(locale, 'status.latestUpdate', { when: formatWhen(update.at, locale), text })
    : t(locale, 'status.latestUpdateNoDate', { text });
}

/** The text on one line, cut at a word boundary with an ellipsis when longer than `maxChars`. */
export function shorten(text: string, maxChars: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= maxChars) return oneLine;
  const cut = oneLine.slice(0, maxChars - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > maxChars / 2 ? cut.slice(0, space) : cut}…`;
}
