import type { CardAction } from 'botbuilder';

/** A button that sends its own title back as the user's message (works in Teams and Web Chat). */
export function imBack(title: string): CardAction & { type: 'imBack'; title: string; value: string } {
  return { type: 'imBack', title, value: title };
}
