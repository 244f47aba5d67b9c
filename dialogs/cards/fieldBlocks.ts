import { plainText } from '../input/plainText';

/**
 * A card field as a label on its own line and its value under it. A FactSet squeezes its
 * label column in a narrow card (a phone, the Teams side panel), which breaks labels mid-word
 * ("Descriptio n"); stacked blocks never do. `value` is markdown the caller built: pass user
 * text through `plainText` (or `userText`) first.
 */
export function labelled(label: string, value: string): object {
  return {
    type: 'Container',
    spacing: 'Small',
    items: [
      { type: 'TextBlock', text: label, weight: 'Bolder', size: 'Small', wrap: true },
      { type: 'TextBlock', text: value, spacing: 'None', wrap: true },
    ],
  };
}

/** User text for a TextBlock: escaped, and cut at `max` characters. */
export function userText(text: string, max = 1500): string {
  return plainText(shortened(text, max));
}

/** At most `max` characters, cut with an ellipsis. */
export function shortened(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * Steps as typed ("1. Open the console 2. Click Restore 3. …", one per line, or "1) … 2) …")
 * shown as a numbered list, each step's words escaped; text without numbering as it is.
 */
export function stepsMarkdown(text: string, max = 1500): string {
  const steps = splitSteps(text);
  if (steps.length < 2) return userText(text, max);
  return steps.map((step, index) => `${index + 1}. ${userText(step, 400)}`).join('\n');
}

/** The numbered steps in a text, without their numbers; one item when it is not numbered. */
export function splitSteps(text: string): string[] {
  const marker = /(?:^|\s)(?:step\s*|étape\s*)?(\d{1,2})\s*[.)-]\s+/gi;
  const found = [...text.matchAll(marker)];
  const numbers = found.map((match) => Number(match[1]));
  // Only a list that counts 1, 2, 3… is a list ("version 9.5 and 2 devices" is not).
  if (found.length < 2 || numbers.some((value, index) => value !== index + 1)) {
    const lines = text
      .split(/\r?\n/)
      .map((line) => line.replace(/^\s*[-*•]\s*/, '').trim())
      .filter(Boolean);
    return lines.length >= 2 && /^\s*[-*•]/m.test(text) ? lines : [text.trim()];
  }
  return found.map((match, index) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = found[index + 1]?.index ?? text.length;
    return text.slice(start, end).trim();
  });
}
