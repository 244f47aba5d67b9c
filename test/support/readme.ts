import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The fenced code blocks of one README section (`## title` up to the next `## `), in order. */
export function readmeBlocks(section: string): Array<{ lang: string; text: string }> {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`README has no section "${section}"`);
  const end = readme.indexOf('\n## ', start + 1);
  const body = readme.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], text: m[2] }));
}
