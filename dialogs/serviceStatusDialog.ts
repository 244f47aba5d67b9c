import { MessageFactory } from 'botbuilder';
import {
  ComponentDialog,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { ProductCatalogue } from '../services/catalogue';
import type { Logger } from '../services/logger';
import type { StatusFeed, StatusIncident, StatusSummary } from '../services/status';
import {
  incidentStatusLabel,
  latestUpdateText,
  moduleName,
  serviceStatusCard,
  shorten,
  statusHeadline,
} from './cards/statusCards';
import { t, type Locale } from './texts';

export const SERVICE_STATUS_DIALOG = 'ServiceStatusDialog';
const WATERFALL = 'ServiceStatusDialog.waterfall';
const NOTICE_UPDATE_CHARS = 300;

export interface ServiceStatusOptions {
  locale: Locale;
}

/** How the status step ended: the card was shown, or the feed could not be read and the user was told so. */
export type ServiceStatusResult = { outcome: 'shown'; incidents: number } | { outcome: 'unavailable' };

export interface ServiceStatusDialogDeps {
  statusFeed: StatusFeed;
  catalogue: ProductCatalogue;
  logger: Logger;
}

/**
 * Flow E: the vendor's service status as one card (components, then active incidents), then ends.
 * A feed that cannot be read (unconfigured, down, slow, malformed) is a one-line notice, never an error.
 */
export class ServiceStatusDialog extends ComponentDialog {
  constructor(private readonly deps: ServiceStatusDialogDeps) {
    super(SERVICE_STATUS_DIALOG);
    this.addDialog(new WaterfallDialog<ServiceStatusOptions>(WATERFALL, [this.showStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async showStep(step: WaterfallStepContext<ServiceStatusOptions>): Promise<DialogTurnResult> {
    const locale = step.options.locale;
    const summary = await this.read(step.context.activity.conversation.id);
    if (summary.kind !== 'ok') {
      await step.context.sendActivity(t(locale, 'status.unavailable'));
      return await step.endDialog({ outcome: 'unavailable' } satisfies ServiceStatusResult);
    }
    const message = MessageFactory.attachment(serviceStatusCard(summary, locale, this.deps.catalogue));
    message.text = statusHeadline(summary, locale);
    await step.context.sendActivity(message);
    this.deps.logger.info(
      { components: summary.components.length, incidents: summary.incidents.length },
      'service status shown',
    );
    return await step.endDialog({
      outcome: 'shown',
      incidents: summary.incidents.length,
    } satisfies ServiceStatusResult);
  }

  /** The feed promises not to throw; a broken implementation still must not cost the user more than the notice. */
  private async read(conversationId: string): Promise<StatusSummary> {
    try {
      return await this.deps.statusFeed.summary();
    } catch (error) {
      this.deps.logger.warn({ err: error, conversationId }, 'status feed threw');
      return { kind: 'unavailable' };
    }
  }
}

/**
 * One paragraph telling the user about an active incident on `moduleId` (for the ticket intake to show
 * before asking the rest), or undefined when there is none or the feed cannot be read. Never throws.
 */
export async function incidentNotice(
  feed: StatusFeed,
  moduleId: string,
  locale: Locale,
  catalogue: ProductCatalogue,
  logger?: Logger,
): Promise<string | undefined> {
  let incident: StatusIncident | undefined;
  try {
    incident = await feed.activeIncidentFor(moduleId);
  } catch (error) {
    // A status notice is a courtesy: the intake goes on without it.
    logger?.warn({ err: error, moduleId }, 'status feed threw');
    return undefined;
  }
  if (!incident) return undefined;
  const sentences = [
    t(locale, 'status.incidentNotice', {
      module: moduleName(moduleId, locale, catalogue),
      name: shorten(incident.name, 200),
      status: incidentStatusLabel(incident.status, locale).toLowerCase(),
    }),
    endSentence(latestUpdateText(incident, locale, NOTICE_UPDATE_CHARS)),
    t(locale, 'status.incidentNoticeAdvice'),
  ];
  return sentences.filter((sentence): sentence is string => Boolean(sentence)).join(' ');
}

function endSentence(text: string | undefined): string | undefined {
  return text && !/[.!?…]$/.test(text) ? `${text}.` : text;
}
