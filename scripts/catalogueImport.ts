/**
 * `npm run catalogue:import -- FILE`: validates a catalogue file (YAML or JSON) and stores it in
 * the database the bot uses (MONGODB_URI, or the embedded one under HELPLINE_DATA_DIR). A running
 * bot picks it up on its next turn. `--check` validates without storing.
 * Exit codes: 0 stored (or unchanged), 1 the file is invalid (each problem printed with its line),
 * 2 the file or the database could not be read.
 */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../bot/config';
import { openConfiguredDatabase } from '../bot/database';
import { formatCatalogueIssue, MongoCatalogueStore, parseCatalogue } from '../services/catalogue';
import { isAppError } from '../services/errors';
import { createSilentLogger } from '../services/logger';

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((arg) => arg !== '--');
  const check = args.includes('--check');
  const files = args.filter((arg) => !arg.startsWith('--'));
  if (files.length !== 1 || args.includes('--help') || args.includes('-h')) {
    write('Usage: npm run catalogue:import -- FILE [--check]   (FILE: .yaml, .yml or .json)');
    return files.length === 1 ? 0 : 2;
  }
  const file = files[0];
  const source = await readFile(file, 'utf8');
  const result = parseCatalogue(source, /\.json$/i.test(file) ? 'json' : 'yaml');
  if (!result.ok) {
    write(`${file}: ${result.issues.length} problem(s); nothing was stored.`);
    for (const issue of result.issues) write(`  ${formatCatalogueIssue(file, issue)}`);
    return 1;
  }
  const summary = `${result.data.modules.length} modules, ${result.data.holidays.length} holidays, time zone ${result.data.timeZone}`;
  if (check) {
    write(`${file}: valid (${summary}).`);
    return 0;
  }
  const config = loadConfig(process.env);
  const { connection, embedded } = await openConfiguredDatabase(config, createSilentLogger());
  try {
    const saved = await new MongoCatalogueStore(connection).save(result.data);
    write(
      saved.kind === 'unchanged'
        ? `Catalogue unchanged (revision ${saved.revision}).`
        : `Catalogue stored: ${summary} (revision ${saved.revision}).`,
    );
    return 0;
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
    process.stderr.write(`catalogue:import: ${message}\n`);
    process.exitCode = 2;
  },
);
