import { EventFactory, MessageFactory, type Activity } from 'botbuilder';
import {
  ComponentDialog,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import {
  transcriptText,
  type Handoff,
  type HandoffReason,
  type HandoffService,
  type TranscriptLine,
  type TranscriptStore,
} from '../services/handoff';
import type { Logger } from '../services/logger';
import type { BusinessHours } from '../services/tickets';
import { ticketOfferCard, type HandoffCardAction } from './cards/handoffCards';
import { noteTurn } from './giveUp';
import { t, type Locale } from './texts';
import type { ConversationContextProvider } from './turnContextServices';

export const HANDOFF_DIALOG = 'HandoffDialog';
const WATERFALL = 'HandoffDialog.waterfall';

export interface HandoffOptions {
  locale: Locale;
  /** The words that asked for a person, when typed. */
  text?: string | undefined;
  reason?: HandoffReason | undefined;
  /** A button of the ticket offer, pressed. */
  action?: HandoffCardAction | undefined;
}

/** `ticket`: the user took the ticket offer; the intake starts with the conversation as the problem. */
export type HandoffResult = { outcome: 'ticket'; problem: string } | { outcome: 'done' };

export interface HandoffDialogDeps {
  handoffs: HandoffService;
  transcripts: TranscriptStore;
  context: ConversationContextProvider;
  logger: Logger;
  /** Support hours, told to the user outside them; always on duty when absent. */
  hours?: BusinessHours | undefined;
}

/** "Talk to a person", in English and French; other phrasings go through the intent recognizer. */
const ASK_FOR_PERSON =
  /^(i want to |i'd like to |can i |could i |let me )?(talk|speak|chat) (to|with) (a |an |someone|somebody|a real )?(person|human|agent|someone|somebody|support)\b|^(je veux |je voudrais |puis-je )?(parler|discuter) (à|a|avec) (quelqu'un|quelqu’un|une personne|un humain|un agent|un conseiller|un technicien)\b/i;

export function asksForPerson(text: string): boolean {
  return ASK_FOR_PERSON.test(text.trim());
}

/**
 * Flow F: hands the conversation to a person. Sends the Bot Framework `handoff.initiate` event
 * with the transcript and queues a Handoff; from then on the host relays the user's messages
 * (bot/handoff). When nobody can take it, offers a ticket that carries the conversation.
 */
export class HandoffDialog extends ComponentDialog {
  constructor(private readonly deps: HandoffDialogDeps) {
    super(HANDOFF_DIALOG);
    this.addDialog(new WaterfallDialog<HandoffOptions>(WATERFALL, [this.handStep.bind(this)]));
    this.initialDialogId = WATERFALL;
  }

  private async handStep(step: WaterfallStepContext<HandoffOptions>): Promise<DialogTurnResult> {
    const { locale, action } = step.options;
    const context = step.context;
    if (action?.helpline === 'handoff_decline') {
      await context.sendActivity(t(locale, 'handoff.noThanksReply'));
      return await step.endDialog({ outcome: 'done' } satisfies HandoffResult);
    }
    if (action?.helpline === 'handoff_ticket') {
      const handoff = await this.deps.handoffs.get(action.handoffId);
      if (!handoff || handoff.conversationId !== context.activity.conversation.id) {
        await context.sendActivity(t(locale, 'handoff.notFound'));
        return await step.endDialog({ outcome: 'done' } satisfies HandoffResult);
      }
      const identity = await this.deps.context.identity(context);
      if (identity.kind !== 'contact') {
        await context.sendActivity(t(locale, 'handoff.signInForTicket'));
        return await step.endDialog({ outcome: 'done' } satisfies HandoffResult);
      }
      const messages = await this.deps.handoffs.messages(handoff.id);
      const lines: TranscriptLine[] = [
        ...handoff.transcript,
        ...messages.map((m) => ({
          from: m.from,
          text: m.text,
          at: m.at,
          ...(m.name ? { name: m.name } : {}),
        })),
      ];
      const text = transcriptText(lines, labels(locale));
      const problem = text.length > 4900 ? `…${text.slice(-4899)}` : text;
      return await step.endDialog({ outcome: 'ticket', problem } satisfies HandoffResult);
    }

    const activity = context.activity;
    noteTurn(context, { handedOver: true });
    const identity = await this.deps.context.identity(context);
    const transcript = await this.deps.transcripts.recent(activity.conversation.id, 40);
    const said = step.options.text?.trim();
    if (said && transcript.at(-1)?.text !== said)
      transcript.push({ from: 'user', text: said, at: new Date() });
    const result = await this.deps.handoffs.request({
      conversationId: activity.conversation.id,
      channelId: activity.channelId,
      locale,
      reason: action?.helpline === 'handoff_start' ? action.reason : (step.options.reason ?? 'asked'),
      transcript,
      ...(identity.kind === 'contact'
        ? {
            contactId: identity.contact.id,
            requesterName: identity.contact.name,
            organisationId: identity.organisation.id,
            organisationName: identity.organisation.name,
          }
        : {}),
    });
    switch (result.kind) {
      case 'already':
        await this.deps.context.rememberHandoff?.(context, result.handoffId);
        await context.sendActivity(t(locale, 'handoff.already'));
        break;
      case 'unavailable': {
        const message =
          result.handoff.outcome === 'outside_hours'
            ? t(locale, 'handoff.outsideHours', { hours: this.hoursText(locale) })
            : result.handoff.outcome === 'target_failed'
              ? t(locale, 'handoff.failed')
              : t(locale, 'handoff.noAgent');
        await context.sendActivity(
          MessageFactory.attachment(ticketOfferCard(locale, message, result.handoff.id)),
        );
        break;
      }
      case 'queued':
        await this.deps.context.rememberHandoff?.(context, result.handoff.id);
        await context.sendActivity(this.initiation(step, result.handoff));
        await context.sendActivity(t(locale, 'handoff.queued'));
        break;
    }
    return await step.endDialog({ outcome: 'done' } satisfies HandoffResult);
  }

  /** The Bot Framework `handoff.initiate` event, with the transcript attached (for a contact centre's channel). */
  private initiation(step: WaterfallStepContext<HandoffOptions>, handoff: Handoff): Partial<Activity> {
    const activities = handoff.transcript.map((line) => ({
      type: 'message',
      text: line.text,
      timestamp: line.at,
      from: { id: line.from, name: line.name ?? line.from, role: line.from === 'user' ? 'user' : 'bot' },
    }));
    return EventFactory.createHandoffInitiation(
      step.context,
      {
        handoffId: handoff.id,
        reason: handoff.reason,
        target: handoff.target,
        locale: handoff.locale,
        ...(handoff.organisationName ? { organisation: handoff.organisationName } : {}),
      },
      { activities: activities as Activity[] },
    );
  }

  private hoursText(locale: Locale): string {
    const hours = this.deps.hours;
    if (!hours) return t(locale, 'handoff.anyHours');
    const offset = hours.utcOffsetMinutes;
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const offsetText =
      offset === 0
        ? ''
        : `${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
    return t(locale, 'handoff.businessHours', {
      start: hours.startHour,
      end: hours.endHour,
      offset: offsetText,
    });
  }
}

function labels(locale: Locale): Record<TranscriptLine['from'], string> {
  return {
    user: t(locale, 'handoff.transcriptUser'),
    bot: t(locale, 'handoff.transcriptBot'),
    agent: t(locale, 'handoff.transcriptAgent'),
    system: t(locale, 'handoff.transcriptBot'),
  };
}
