/**
 * `npm run catalogue:import -- FILE`: validates a catalogue file (YAML or JSON) and stores it in
 * the database the bot uses (MONGODB_URI, or the embedded one under HELPLINE_DATA_DIR). A running
 * bot picks it up on its next turn. `--check` validates without storing.
 * Exit codes: 0 stored (or unchanged), 1 the file is invalid (each problem printed with its line),
 * 2 the file or the database could not be read.
 */
import { readFile } from 'node:fs/promises';
import { formatCatalogueIssue, MongoCatalogueStore, parseCatalogue } from '../services/catalogue';
import { parseImportArgs, runImportCommand, withBotDatabase, write } from './importCli';

async function main(argv: string[]): Promise<number> {
  const args = parseImportArgs(argv, {
    usage: 'Usage: npm run catalogue:import -- FILE [--check]   (FILE: .yaml, .yml or .json)',
    flags: ['--check'],
    count: 'one',
  });
  if (typeof args === 'number') return args;
  const file = args.paths[0];
  const source = await readFile(file, 'utf8');
  const result = parseCatalogue(source, /\.json$/i.test(file) ? 'json' : 'yaml');
  if (!result.ok) {
    write(`${file}: ${result.issues.length} problem(s); nothing was stored.`);
    for (const issue of result.issues) write(`  ${formatCatalogueIssue(file, issue)}`);
    return 1;
  }
  const summary = `${result.data.modules.length} modules, ${result.data.holidays.length} holidays, time zone ${result.data.timeZone}`;
  if (args.flags.has('--check')) {
    write(`${file}: valid (${summary}).`);
    return 0;
  }
  const saved = await withBotDatabase(
    async (connection) => await new MongoCatalogueStore(connection).save(result.data),
  );
  write(
    saved.kind === 'unchanged'
      ? `Catalogue unchanged (revision ${saved.revision}).`
      : `Catalogue stored: ${summary} (revision ${saved.revision}).`,
  );
  return 0;
}

runImportCommand('catalogue:import', main);
