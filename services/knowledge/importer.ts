import { constants as fsConstants } from 'node:fs';
import { access, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import { AppError, isAppError } from '../errors';
import type { Logger } from '../logger';
import { describeIssues } from './articleStore';
import { articleInputSchema, type ArticleWriter, type UpsertOutcome, type ValidArticleInput } from './types';

/** Receives progress while a file is imported; the CLI draws a bar with it. */
export interface ImportProgress {
  start(file: string, total: number): void;
  advance(count: number): void;
  stop(): void;
}

export interface ImportDeps {
  /** Where the articles go: a MongoArticleStore, or a KnowledgeBase so that its index follows. */
  writer: ArticleWriter;
  logger: Logger;
  progress?: ImportProgress;
}

export interface ImportRejection {
  /** The file, as given or found. */
  file: string;
  /** 1-based line of a JSONL file, or 1-based position in a JSON array; absent for a markdown file. */
  line?: number;
  reason: string;
}

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: ImportRejection[];
}

type Format = 'jsonl' | 'json' | 'markdown';

interface RawRecord {
  file: string;
  line?: number;
  value?: unknown;
  /** Set when the record could not even be parsed. */
  error?: string;
}

const MARKDOWN = /\.(md|markdown)$/i;

function formatOf(file: string): Format | undefined {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  if (/\.json$/i.test(file)) return 'json';
  if (MARKDOWN.test(file)) return 'markdown';
  return undefined;
}

function unreadable(file: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT'
      ? 'no such file or folder'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a folder'
          : error instanceof Error
            ? error.message
            : String(error);
  return new AppError('invalid_input', `Cannot read ${file}: ${why}`, { cause: error });
}

async function markdownFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && MARKDOWN.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Every file to read, checked readable before anything is written. */
async function resolveFiles(sources: string[]): Promise<Array<{ file: string; format: Format }>> {
  const files: Array<{ file: string; format: Format }> = [];
  for (const source of sources) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(source)).isDirectory();
    } catch (error) {
      throw unreadable(source, error);
    }
    if (isFolder) {
      let found: string[];
      try {
        found = await markdownFilesUnder(source);
      } catch (error) {
        throw unreadable(source, error);
      }
      files.push(...found.map((file) => ({ file, format: 'markdown' as const })));
      continue;
    }
    const format = formatOf(source);
    if (!format) {
      throw new AppError(
        'invalid_input',
        `Cannot import ${source}: expected a .jsonl, .json or .md file, or a folder`,
      );
    }
    files.push({ file: source, format });
  }
  for (const { file } of files) {
    try {
      await access(file, fsConstants.R_OK);
    } catch (error) {
      throw unreadable(file, error);
    }
  }
  return files;
}

function parseJsonl(file: string, text: string): RawRecord[] {
  const records: RawRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    try {
      records.push({ file, line: i + 1, value: JSON.parse(line) as unknown });
    } catch (error) {
      records.push({ file, line: i + 1, error: `invalid JSON (${(error as Error).message})` });
    }
  });
  return records;
}

function parseJson(file: string, text: string): RawRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [{ file, error: `invalid JSON (${(error as Error).message})` }];
  }
  const items = Array.isArray(value)
    ? (value as unknown[])
    : value && typeof value === 'object' && Array.isArray((value as { articles?: unknown }).articles)
      ? (value as { articles: unknown[] }).articles
      : undefined;
  if (!items)
    return [{ file, error: 'expected an array of articles, or an object with an "articles" array' }];
  return items.map((item, i) => ({ file, line: i + 1, value: item }));
}

/**
 * A markdown article: front matter for the fields, the content as the body. When the front
 * matter has no key or locale, the file name gives the key and an `en`/`fr` parent folder the
 * locale (the demo layout, demo/<locale>/<key>.md).
 */
function parseMarkdown(file: string, text: string): RawRecord[] {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // An empty options object keeps gray-matter from caching by content across files.
    parsed = matter(text, {});
  } catch (error) {
    return [{ file, error: `invalid front matter (${(error as Error).message.split('\n')[0]})` }];
  }
  const data = { ...(parsed.data as Record<string, unknown>) };
  if (data.key === undefined) data.key = path.basename(file).replace(MARKDOWN, '');
  const folder = path.basename(path.dirname(file));
  if (data.locale === undefined && (folder === 'en' || folder === 'fr')) data.locale = folder;
  if (typeof data.tags === 'string')
    data.tags = data.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean);
  return [{ file, value: { ...data, body: parsed.content } }];
}

const PARSERS: Record<Format, (file: string, text: string) => RawRecord[]> = {
  jsonl: parseJsonl,
  json: parseJson,
  markdown: parseMarkdown,
};

function where(record: { file: string; line?: number }): string {
  return record.line === undefined ? record.file : `${record.file}:${record.line}`;
}

/**
 * Imports articles from JSONL, JSON and markdown files or folders (searched recursively for
 * .md). Each record is validated on its own: a bad one is reported with its line (or file)
 * and the others go on. Unchanged content is left as it is, so running it twice changes
 * nothing. A source that cannot be read throws AppError('invalid_input') before anything is
 * written; a database failure throws as it is.
 */
export async function importArticles(sources: string[], deps: ImportDeps): Promise<ImportSummary> {
  const files = await resolveFiles(sources);
  const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0, rejected: 0, rejections: [] };
  const seen = new Map<string, string>();
  const reject = (record: { file: string; line?: number }, reason: string): void => {
    summary.rejected++;
    const rejection: ImportRejection = { file: record.file, reason };
    if (record.line !== undefined) rejection.line = record.line;
    summary.rejections.push(rejection);
  };

  for (const { file, format } of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw unreadable(file, error);
    }
    const records = PARSERS[format](file, text);
    deps.progress?.start(file, records.length);
    try {
      for (const record of records) {
        deps.progress?.advance(1);
        if (record.error !== undefined) {
          reject(record, record.error);
          continue;
        }
        const parsed = articleInputSchema.safeParse(record.value);
        if (!parsed.success) {
          reject(record, describeIssues(parsed.error));
          continue;
        }
        const article: ValidArticleInput = parsed.data;
        const id = `${article.key} (${article.locale})`;
        const earlier = seen.get(id);
        if (earlier) {
          reject(record, `duplicate of ${id} at ${earlier}`);
          continue;
        }
        seen.set(id, where(record));
        let outcome: UpsertOutcome;
        try {
          outcome = await deps.writer.upsert(article);
        } catch (error) {
          if (isAppError(error) && error.code === 'invalid_input') {
            reject(record, error.message);
            continue;
          }
          throw error;
        }
        summary[outcome]++;
      }
    } finally {
      deps.progress?.stop();
    }
  }
  deps.logger.info(
    {
      added: summary.added,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejected,
    },
    'articles imported',
  );
  return summary;
}

/** "file:line: reason" lines for people. */
export function formatRejection(rejection: ImportRejection): string {
  return `${where(rejection)}: ${rejection.reason}`;
}
