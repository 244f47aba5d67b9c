import type { TurnContext } from 'botbuilder';

/**
 * Set on a turn when a dialog already told the user the database is unavailable, so that the
 * turn's error handler (a failed state save after it) does not say it a second time.
 */
export const USER_TOLD_UNAVAILABLE = Symbol('helpline.userToldUnavailable');

export function markUserToldUnavailable(context: TurnContext): void {
  context.turnState.set(USER_TOLD_UNAVAILABLE, true);
}

export function userToldUnavailable(context: TurnContext): boolean {
  return context.turnState.get(USER_TOLD_UNAVAILABLE) === true;
}
