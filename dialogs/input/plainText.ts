/**
 * The one escaper for text a user or staff member wrote (ticket subjects, descriptions,
 * comments, names, queries) before it goes into a card or a message, on every channel.
 *
 * Web Chat renders message text and Adaptive Card TextBlocks as markdown (with inline HTML),
 * Teams renders TextBlocks as markdown and message text as markdown/HTML. A backslash before
 * every ASCII punctuation mark that markdown or HTML gives meaning to makes each of them a
 * literal character in CommonMark (what both renderers implement), and breaks the automatic
 * links of bare addresses (`:`, `.` and `@` are escaped too), so
 * `<img src=x onerror=alert(1)> restore **fails** [click](https://evil.example)` shows exactly
 * those characters: no element, no bold, no link. Line breaks are kept as line breaks; a
 * leading "1." or "-" stays text instead of starting a list.
 *
 * Use it on the untrusted part only: `t(locale, 'x', { subject: plainText(subject) })`, never
 * on a whole text that carries Helpline's own markdown. A RichTextBlock TextRun (never read as
 * markdown) takes the raw text instead.
 */
export function plainText(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|~&:@]/g, (mark) => `\\${mark}`);
}

/** `plainText` of each value, for a placeholder map built from user data. */
export function plainVars(vars: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(vars).map(([key, value]) => [key, typeof value === 'string' ? plainText(value) : value]),
  );
}
