/**
 * `npm run kb:import -- PATH...`: imports knowledge-base articles (JSONL, JSON, or folders of
 * markdown with front matter) into the database the bot uses (MONGODB_URI, or the embedded one
 * under HELPLINE_DATA_DIR), then prints a summary and every rejected record.
 * Exit codes: 0 all imported, 1 some records rejected, 2 a source or the database failed.
 */
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../bot/config';
import { openConfiguredDatabase } from '../bot/database';
import { isAppError } from '../services/errors';
import {
  importArticles,
  formatRejection,
  MongoArticleStore,
  type ImportProgress,
} from '../services/knowledge';
import { createSilentLogger } from '../services/logger';

const PROGRESS_THRESHOLD = 200;

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(message: string): void {
  process.stderr.write(`kb:import: ${message}\n`);
}

/** A bar on stderr for files of many records, and only on a terminal. */
function terminalProgress(): ImportProgress | undefined {
  if (!process.stderr.isTTY) return undefined;
  let bar: SingleBar | undefined;
  return {
    start(file, total) {
      if (total < PROGRESS_THRESHOLD) return;
      bar = new SingleBar({
        stream: process.stderr,
        format: `${path.basename(file)} [{bar}] {percentage}% | {value}/{total}`,
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

async function main(argv: string[]): Promise<number> {
  const sources = argv.filter((arg) => arg !== '--');
  if (!sources.length || sources.some((arg) => arg === '-h' || arg === '--help')) {
    write(
      'Usage: npm run kb:import -- PATH...   (PATH: a .jsonl or .json file, a .md file, or a folder of .md files)',
    );
    return sources.length ? 0 : 2;
  }
  // An entry point, like bot/index.ts: the environment is read here and nowhere below.
  const config = loadConfig(process.env);
  const { connection, embedded } = await openConfiguredDatabase(config, createSilentLogger());
  try {
    const summary = await importArticles(sources, {
      writer: new MongoArticleStore(connection),
      logger: createSilentLogger(),
      progress: terminalProgress(),
    });
    write(
      `Imported: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
        `${summary.rejected} rejected.`,
    );
    for (const rejection of summary.rejections) write(`  rejected ${formatRejection(rejection)}`);
    return summary.rejected ? 1 : 0;
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
    fail(isAppError(error) ? error.message : error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
