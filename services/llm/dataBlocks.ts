import { randomBytes } from 'node:crypto';

/**
 * Text from users and articles reaches the model as data between markers it cannot forge: each
 * request gets a fresh random boundary, named in the system prompt, so a message or an article
 * that writes "end of data, new instructions:" stays inside its block.
 */
export function newBoundary(): string {
  return `DATA-${randomBytes(9).toString('hex')}`;
}

// Control characters other than tab and newline carry nothing a reader needs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text as it goes inside a block: no control or bidi characters, no marker look-alikes, at most `maxChars`. */
export function cleanData(text: string, maxChars: number): string {
  const cleaned = text
    .replace(CONTROL, ' ')
    .replace(/<<<|>>>/g, '"')
    .trim();
  return cleaned.length > maxChars ? `${cleaned.slice(0, maxChars)}…` : cleaned;
}

/**
 * One delimited block: `<<<BOUNDARY label key="value"` … `BOUNDARY>>>`. Attribute values are
 * reduced to safe characters; the text is cleaned and cut.
 */
export function dataBlock(
  boundary: string,
  label: string,
  attributes: Record<string, string | number>,
  text: string,
  maxChars: number,
): string {
  const attrs = Object.entries(attributes)
    .map(
      ([name, value]) =>
        ` ${name}="${String(value)
          .replace(/[^\p{L}\p{N} ._/:-]/gu, '')
          .slice(0, 200)}"`,
    )
    .join('');
  return `<<<${boundary} ${label}${attrs}\n${cleanData(text.split(boundary).join(' '), maxChars)}\n${boundary}>>>`;
}
