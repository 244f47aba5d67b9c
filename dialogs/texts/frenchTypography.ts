/** U+00A0: the space French puts before ":" and inside « guillemets ». */
export const NBSP = '\u00a0';
/** U+202F: the narrow space French puts before "?", "!" and ";". */
export const NNBSP = '\u202f';

/**
 * French spacing for a text written with ordinary spaces: a no-break space before ":" and
 * inside « », a narrow no-break space before "?", "!" and ";", so that a line never starts with
 * the sign. A space is added where the text has none before the sign, except inside addresses
 * and times ("https://", "09:30") and placeholders.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/«[ \u00a0\u202f]*/g, `«${NBSP}`)
    .replace(/[ \u00a0\u202f]*»/g, `${NBSP}»`)
    .replace(/(\S?)[ \u00a0\u202f]*([:;!?])(?=\s|$|\))/g, (whole, before: string, sign: string) => {
      // Nothing to space at the start of a text, after an opening bracket or between two signs.
      if (!before || before === '(' || /[:;!?]/.test(before)) return whole;
      return `${before}${sign === ':' ? NBSP : NNBSP}${sign}`;
    });
}

const VOWEL = /^[aeiouyàâäéèêëîïôöûüœæ]/i;

/**
 * French elision where a word meets a placeholder: "de {module}" with "Agent de supervision"
 * gives "d’Agent de supervision", "que {name}" with "Alice" gives "qu’Alice". Names starting
 * with h are left as they are (h aspiré cannot be told from the spelling).
 */
export function elide(template: string, vars: Record<string, string | number>): string {
  return template.replace(
    /(^|[\s(«\u00a0])(de|De|que|Que|le|Le|la|La|ne|je|Je|se|lorsque|puisque|jusque) \{(\w+)\}/g,
    (whole, lead: string, word: string, name: string) => {
      const value = vars[name];
      if (value === undefined || !VOWEL.test(String(value))) return whole;
      return `${lead}${word.slice(0, -1)}’{${name}}`;
    },
  );
}
