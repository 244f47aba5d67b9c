/**
 * `npm run directory:import -- FILE... [--dry-run] [--prune]`: imports customer organisations
 * and their contacts (CSV with a header row, comma or semicolon, with or without BOM; or JSON
 * Lines) into the database the bot uses, then prints a summary and every rejected row.
 * `--dry-run` writes nothing; `--prune` deactivates (never deletes) contacts missing from the file.
 * Exit codes: 0 all imported, 1 some rows rejected, 2 a file or the database failed.
 */
import { DirectoryImporter } from '../services/directory';
import { createSilentLogger } from '../services/logger';
import {
  countsLine,
  parseImportArgs,
  runImportCommand,
  terminalProgress,
  withBotDatabase,
  write,
} from './importCli';

async function main(argv: string[]): Promise<number> {
  const args = parseImportArgs(argv, {
    usage: 'Usage: npm run directory:import -- FILE... [--dry-run] [--prune]   (FILE: .csv or .jsonl)',
    flags: ['--dry-run', '--prune'],
    count: 'some',
  });
  if (typeof args === 'number') return args;
  const dryRun = args.flags.has('--dry-run');
  const prune = args.flags.has('--prune');
  const progress = terminalProgress(2000, 'rows');
  const summary = await withBotDatabase(
    async (connection) =>
      await new DirectoryImporter(connection, createSilentLogger()).importFiles(args.paths, {
        dryRun,
        prune,
        ...(progress ? { progress } : {}),
      }),
  );
  if (dryRun) write('Dry run: nothing was written.');
  // Organisations are never pruned; contacts only with --prune.
  write(countsLine('Organisations', { ...summary.organisations, deactivated: undefined }));
  write(
    countsLine('Contacts', {
      ...summary.contacts,
      deactivated: prune ? summary.contacts.deactivated : undefined,
    }),
  );
  for (const r of summary.rejections) write(`  rejected ${r.file}:${r.line}  ${r.reason}`);
  return summary.rejections.length ? 1 : 0;
}

runImportCommand('directory:import', main);
