/**
 * `npm run kb:import -- PATH...`: imports knowledge-base articles (JSONL, JSON, or folders of
 * markdown with front matter) into the database the bot uses (MONGODB_URI, or the embedded one
 * under HELPLINE_DATA_DIR), then prints a summary and every rejected record.
 * Exit codes: 0 all imported, 1 some records rejected, 2 a source or the database failed.
 */
import { importArticles, formatRejection, MongoArticleStore } from '../services/knowledge';
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
    usage:
      'Usage: npm run kb:import -- PATH...   (PATH: a .jsonl or .json file, a .md file, or a folder of .md files)',
    count: 'some',
  });
  if (typeof args === 'number') return args;
  const summary = await withBotDatabase(
    async (connection) =>
      await importArticles(args.paths, {
        writer: new MongoArticleStore(connection),
        logger: createSilentLogger(),
        progress: terminalProgress(200, 'records'),
      }),
  );
  write(countsLine('Imported', summary));
  for (const rejection of summary.rejections) write(`  rejected ${formatRejection(rejection)}`);
  return summary.rejected ? 1 : 0;
}

runImportCommand('kb:import', main);
