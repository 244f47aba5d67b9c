/**
 * What the import commands (`catalogue:import`, `directory:import`, `kb:import`) share: their
 * arguments, the database they write to, a progress bar, the summary line and the exit codes
 * (0 done, 1 some records rejected or the file invalid, 2 the command could not run).
 */
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Connection } from 'mongoose';
import { loadConfig } from '../bot/config';
import { openConfiguredDatabase } from '../bot/database';
import { isAppError } from '../services/errors';
import { createSilentLogger } from '../services/logger';

export interface ImportArgs {
  /** The paths given, in order. */
  paths: string[];
  /** The `--flags` given (among those the command knows). */
  flags: Set<string>;
}

export function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Reads `argv` (an npm `--` separator is ignored). Prints `usage` and returns the exit code
 * instead when help is asked for (0), or when the paths are not `count` or a flag is unknown (2).
 */
export function parseImportArgs(
  argv: string[],
  options: { usage: string; flags?: readonly string[]; count: 'one' | 'some' },
): ImportArgs | number {
  const args = argv.filter((arg) => arg !== '--');
  const paths = args.filter((arg) => !arg.startsWith('-'));
  const given = args.filter((arg) => arg.startsWith('-'));
  if (given.some((arg) => arg === '-h' || arg === '--help')) {
    write(options.usage);
    return 0;
  }
  const known = new Set(options.flags ?? []);
  const unknown = given.filter((arg) => !known.has(arg));
  if (unknown.length || !paths.length || (options.count === 'one' && paths.length !== 1)) {
    if (unknown.length) write(`Unknown option ${unknown.join(', ')}.`);
    write(options.usage);
    return 2;
  }
  return { paths, flags: new Set(given) };
}

/** Opens the database the bot uses (MONGODB_URI, or the embedded one), runs `work`, closes it. */
export async function withBotDatabase<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
  // An entry point, like bot/index.ts: the environment is read here and nowhere below.
  const config = loadConfig(process.env);
  const { connection, embedded } = await openConfiguredDatabase(config, createSilentLogger());
  try {
    return await work(connection);
  } finally {
    await connection.close();
    await embedded?.stop();
  }
}

/** The progress shape both importers report to. */
export interface ImportProgressBar {
  start(file: string, total: number): void;
  advance(count: number): void;
  stop(): void;
}

/** A bar on stderr for files of at least `threshold` records, and only on a terminal. */
export function terminalProgress(threshold: number, unit: string): ImportProgressBar | undefined {
  if (!process.stderr.isTTY) return undefined;
  let bar: SingleBar | undefined;
  return {
    start(file, total) {
      if (total < threshold) return;
      bar = new SingleBar({
        stream: process.stderr,
        format: `${path.basename(file)} [{bar}] {percentage}% | {value}/{total} ${unit}`,
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

/** `Label: 3 added, 1 updated, 40 unchanged, 2 rejected[, 5 deactivated].` */
export function countsLine(
  label: string,
  counts: { added: number; updated: number; unchanged: number; rejected: number; deactivated?: number },
): string {
  return (
    `${label}: ${counts.added} added, ${counts.updated} updated, ${counts.unchanged} unchanged, ` +
    `${counts.rejected} rejected` +
    (counts.deactivated === undefined ? '' : `, ${counts.deactivated} deactivated`) +
    '.'
  );
}

/** Runs the command and sets the exit code; a failure is one line on stderr, never a stack. */
export function runImportCommand(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${messageOf(error)}\n`);
      process.exitCode = 2;
    },
  );
}

function messageOf(error: unknown): string {
  if (isAppError(error)) return error.message;
  const fsError = error as NodeJS.ErrnoException | undefined;
  if (fsError?.path && fsError.syscall === 'open') {
    const why =
      fsError.code === 'ENOENT'
        ? 'no such file or folder'
        : fsError.code === 'EACCES' || fsError.code === 'EPERM'
          ? 'permission denied'
          : fsError.code === 'EISDIR'
            ? 'is a folder'
            : fsError.message;
    return `Cannot read ${fsError.path}: ${why}`;
  }
  return error instanceof Error ? error.message : String(error);
}
