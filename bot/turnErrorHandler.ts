import type { TurnContext } from 'botbuilder';
import { t, toLocale } from '../dialogs/texts';
import { USER_TOLD_UNAVAILABLE } from '../dialogs/ticketIntakeDialog';
import { isAppError, isDatabaseUnavailable } from '../services/errors';
import type { Logger } from '../services/logger';

/**
 * The one place a failed turn ends: the error is logged with the conversation's ids, the user
 * gets a kind sentence in their language (never the internals). The state of the failed turn is
 * not saved, so the conversation is where it was before that message: a draft ticket is kept,
 * and since ticket creation is idempotent, the user's retry finishes what failed, once.
 */
export function createTurnErrorHandler(logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const activity = context.activity;
    logger.error(
      {
        err: error,
        conversationId: activity.conversation?.id,
        activityId: activity.id,
        channelId: activity.channelId,
        tenantId: activity.conversation?.tenantId,
      },
      'turn failed',
    );
    if (activity.type !== 'message' && activity.type !== 'invoke') return;
    if (context.turnState.get(USER_TOLD_UNAVAILABLE) === true) return;
    const locale = toLocale(activity.locale);
    const unavailable = isDatabaseUnavailable(error) || (isAppError(error) && error.code === 'unavailable');
    try {
      await context.sendActivity(t(locale, unavailable ? 'errors.unavailable' : 'errors.generic'));
    } catch (sendError) {
      logger.warn({ err: sendError }, 'could not tell the user about the failed turn');
    }
  };
}
