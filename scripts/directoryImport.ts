/**
 * `npm run directory:import -- FILE... [--dry-run] [--prune]`: imports customer organisations
 * and their contacts (CSV with a header row, comma or semicolon, with or without BOM; or JSON
 * Lines) into the database the bot uses, then prints a summary and every rejected row.
 * `--dry-run` writes nothing; `--prune` deactivates (never deletes) contacts missing from the file.
 * Exit codes: 0 all imported, 1 some rows rejected, 2 a file or the database failed.
 */
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../bot/config';
import { openConfiguredDatabase } from '../bot/database';
import { DirectoryImporter, type DirectoryProgress, type KindSummary } from '../services/directory';
import { isAppError } from '../services/errors';
import { createSilentLogger } from '../services/logger';

const PROGRESS_THRESHOLD = 2000;

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A bar on stderr for large files, and only on a terminal. */
function terminalProgress(): DirectoryProgress | undefined {
  if (!process.stderr.isTTY) return undefined;
  let bar: SingleBar | undefined;
  return {
    start(file, total) {
      if (total < PROGRESS_THRESHOLD) return;
      bar = new SingleBar({
        stream: process.stderr,
        format: `${file} [{bar}] {percentage}% | {value}/{total} rows`,
        hideCursor: true,
        clearOnComplete: true,
      });
      bar.start(total, 0);
    },
    advance(count) {
      bar?.increment(count);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function line(label: string, k: KindSummary, prune: boolean): string {
  return (
    `${label}: ${k.added} added, ${k.updated} updated, ${k.unchanged} unchanged, ${k.rejected} rejected` +
    (prune ? `, ${k.deactivated} deactivated` : '')
  );
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((arg) => arg !== '--');
  const dryRun = args.includes('--dry-run');
  const prune = args.includes('--prune');
  const files = args.filter((arg) => !arg.startsWith('--'));
  if (!files.length || args.includes('--help') || args.includes('-h')) {
    write('Usage: npm run directory:import -- FILE... [--dry-run] [--prune]   (FILE: .csv or .jsonl)');
    return files.length ? 0 : 2;
  }
  const config = loadConfig(process.env);
  const { connection, embedded } = await openConfiguredDatabase(config, createSilentLogger());
  try {
    const progress = terminalProgress();
    const summary = await new DirectoryImporter(connection, createSilentLogger()).importFiles(files, {
      dryRun,
      prune,
      ...(progress ? { progress } : {}),
    });
    if (dryRun) write('Dry run: nothing was written.');
    write(line('Organisations', summary.organisations, false));
    write(line('Contacts', summary.contacts, prune));
    for (const r of summary.rejections) write(`  rejected ${r.file}:${r.line}  ${r.reason}`);
    return summary.rejections.length ? 1 : 0;
  } finally {
    await connection.close();
    await embedded?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = isAppError(error)
      ? error.message
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`directory:import: ${message}\n`);
    process.exitCode = 2;
  },
);
