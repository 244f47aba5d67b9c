import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { connect as netConnect, createServer } from 'node:net';
import path from 'node:path';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/** A database server that Helpline started itself and must stop on exit. */
export interface EmbeddedDatabase {
  readonly uri: string;
  readonly kind: 'ferretdb' | 'mongodb-memory-server';
  /** The FerretDB binary that runs (for FerretDB). */
  readonly binary?: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Folder for the server's files; created when missing. */
  dataDir: string;
  logger: Logger;
  /** An explicit FerretDB binary (FERRETDB_BIN). */
  ferretdbBin?: string | undefined;
  /** The PATH to look for `ferretdb` and `go` in. */
  searchPath: string;
  /** The user's home, for `~/go/bin`. */
  homeDir?: string | undefined;
  /** Build FerretDB with Go when no binary is found. */
  allowInstall: boolean;
  /** The script that installs FerretDB. */
  installScript: string;
  /** Try mongodb-memory-server when FerretDB cannot be had. */
  allowMemoryServer: boolean;
  /** How long a server may take to accept connections. */
  startTimeoutMs?: number;
  /** A fixed loopback port for FerretDB (a free one when absent). */
  port?: number;
  /** How long mongodb-memory-server may take, download included. */
  memoryServerTimeoutMs?: number;
  /**
   * FerretDB's storage: SQLite files in `dataDir` (the zero-setup default), or an existing
   * PostgreSQL database (`postgres://user@host:port/db`) that FerretDB keeps its data in.
   */
  postgresqlUrl?: string | undefined;
}

const HOW_TO_GET_A_DATABASE = [
  'Helpline needs a MongoDB-compatible database and could not start one. Any of these works:',
  '  1. set MONGODB_URI to a MongoDB, Atlas, Cosmos DB for MongoDB or FerretDB server;',
  '  2. install FerretDB: `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`',
  '     (or run scripts/install-ferretdb.sh), or point FERRETDB_BIN at its binary;',
  '  3. allow mongodb-memory-server to download a MongoDB binary (needs internet access once).',
].join('\n');

/**
 * Starts the database Helpline uses when no MONGODB_URI is configured: FerretDB over SQLite
 * files in `dataDir` when a binary is found or can be built with Go, else a real MongoDB through
 * mongodb-memory-server, else a clear error naming the three ways to get one. Each way fails fast.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.logger.child({ component: 'embedded-db' });
  const reasons: string[] = [];

  const found = findFerretDb(options);
  let binary = found?.fixed ? found.binary : undefined;
  if (!binary && options.allowInstall && !options.ferretdbBin) {
    const go = findOnPath('go', options.searchPath);
    if (found)
      log.warn(
        { binary: found.binary },
        'this FerretDB lacks the SQLite _id index fix; building a fixed one',
      );
    if (go) {
      binary = await installFerretDb(options, go, log).catch((error: unknown) => {
        reasons.push(`building FerretDB with Go failed: ${(error as Error).message}`);
        return undefined;
      });
    } else {
      reasons.push('no FerretDB binary, and Go is not installed to build one');
    }
  }
  if (!binary && found) {
    // A working binary without the fix still beats no database.
    log.warn(
      { binary: found.binary },
      'this FerretDB lacks the SQLite _id index fix: every _id lookup scans its table, so turns slow down as data grows (scripts/install-ferretdb.sh builds a fixed one)',
    );
    binary = found.binary;
  }
  if (!binary && !options.allowInstall) reasons.push('no FerretDB binary found');
  if (binary) {
    return await startFerretDb(binary, options, log);
  }

  if (options.allowMemoryServer) {
    try {
      return await startMemoryServer(options, log);
    } catch (error) {
      reasons.push(`mongodb-memory-server: ${(error as Error).message}`);
    }
  }
  throw new AppError('database_unavailable', `${HOW_TO_GET_A_DATABASE}\n(${reasons.join('; ')})`, {
    userMessageKey: 'errors.unavailable',
  });
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** The package name Helpline's FerretDB build reports (scripts/install-ferretdb.sh explains the fix). */
const FIXED_BUILD_MARK = 'package: helpline-sqlite-id-index';

/** Whether `binary` is a FerretDB built by scripts/install-ferretdb.sh, with the SQLite `_id` index fix. */
export function hasIdIndexFix(binary: string): boolean {
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return version.status === 0 && version.stdout.split('\n').some((line) => line.trim() === FIXED_BUILD_MARK);
}

/**
 * FERRETDB_BIN as given; else the first binary with the fix among `ferretdb` on PATH and
 * `~/go/bin/ferretdb`; else the first of those at all (`fixed: false`), which a caller that may
 * install replaces with a fixed build.
 */
function findFerretDb(options: EmbeddedDatabaseOptions): { binary: string; fixed: boolean } | undefined {
  if (options.ferretdbBin) {
    if (isExecutable(options.ferretdbBin))
      return { binary: options.ferretdbBin, fixed: hasIdIndexFix(options.ferretdbBin) };
    throw new AppError(
      'database_unavailable',
      `FERRETDB_BIN is set to ${options.ferretdbBin}, which is not an executable file.`,
    );
  }
  const candidates = [
    findOnPath('ferretdb', options.searchPath),
    options.homeDir ? path.join(options.homeDir, 'go', 'bin', 'ferretdb') : undefined,
  ].filter((file): file is string => file !== undefined && isExecutable(file));
  const fixed = candidates.find(hasIdIndexFix);
  if (fixed) return { binary: fixed, fixed: true };
  return candidates[0] ? { binary: candidates[0], fixed: false } : undefined;
}

async function installFerretDb(options: EmbeddedDatabaseOptions, go: string, log: Logger): Promise<string> {
  const targetDir = options.homeDir
    ? path.join(options.homeDir, 'go', 'bin')
    : path.join(options.dataDir, 'bin');
  log.info({ targetDir }, 'no FerretDB binary found; building it with Go (first start only)');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [options.installScript, targetDir], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { PATH: `${path.dirname(go)}${path.delimiter}${options.searchPath}`, HOME: options.homeDir ?? '' },
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`install script exited with ${code}`)),
    );
  });
  const binary = path.join(targetDir, 'ferretdb');
  if (!isExecutable(binary)) throw new Error(`no binary at ${binary} after the install`);
  return binary;
}

/** A free loopback port: bind port 0, read what the kernel gave, release it. */
export async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startFerretDb(
  binary: string,
  options: EmbeddedDatabaseOptions,
  log: Logger,
): Promise<EmbeddedDatabase> {
  const dir = path.resolve(options.dataDir) + path.sep;
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = [
    `--listen-addr=127.0.0.1:${port}`,
    ...(options.postgresqlUrl
      ? ['--handler=postgresql', `--postgresql-url=${options.postgresqlUrl}`]
      : [
          '--handler=sqlite',
          // WAL with synchronous=NORMAL: safe against a crash of the process, and measured at about
          // twice the write rate of the defaults (1,426 vs 643 concurrent upserts/s on this machine).
          `--sqlite-url=file:${dir}?_pragma=journal_mode(wal)&_pragma=synchronous(normal)`,
        ]),
    `--state-dir=${dir}`,
    '--telemetry=disable',
    '--debug-addr=-',
    '--log-level=warn',
  ];
  log.debug({ binary, port, dir }, 'starting FerretDB');
  // FerretDB runs under a small shell watchdog holding a pipe from this process: when Helpline
  // exits in any way (even SIGKILL) the pipe closes and the watchdog stops FerretDB, so no
  // server is ever left running. The watchdog exits with FerretDB's own exit code.
  const watchdog =
    'exec 3<&0; "$@" </dev/null & pid=$!; (read -r _ <&3; kill -TERM "$pid" 2>/dev/null) & wait "$pid"';
  const child = spawn('sh', ['-c', watchdog, 'ferretdb-watchdog', binary, ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = (): void => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  let earlyExit: number | null | undefined;
  void exited.then((code) => {
    earlyExit = code;
  });
  while (!(await canConnect(port))) {
    if (earlyExit !== undefined) {
      throw new AppError(
        'database_unavailable',
        `FerretDB exited at start (code ${earlyExit}): ${stderrTail.trim()}`,
      );
    }
    if (Date.now() > deadline) {
      child.stdin?.end();
      child.kill('SIGKILL');
      throw new AppError(
        'database_unavailable',
        `FerretDB did not accept connections within the start timeout: ${stderrTail.trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  log.info(
    { port, dir, binary, backend: options.postgresqlUrl ? 'postgresql' : 'sqlite' },
    'embedded FerretDB started',
  );
  let stopping = false;
  void exited.then((code) => {
    // Nobody asked it to stop: say why the database went away, with what FerretDB said last.
    if (!stopping)
      log.error({ code, signal: child.signalCode, stderr: stderrTail.trim() }, 'embedded FerretDB exited');
  });

  return {
    // SQLite takes one writer at a time, and FerretDB makes the others wait by sleeping and
    // retrying (up to 100 ms a try): with a hundred writes at once, some waited seconds. Eight
    // connections keep the others in the driver's queue, first come first served (bench:turns,
    // 100 conversations: p99 4.5 s -> 1.3 s, and more turns/s). Over PostgreSQL the same limit
    // measured fairer too (p99 6.7 s -> 2.7 s at the same turns/s).
    uri: `mongodb://127.0.0.1:${port}/?maxPoolSize=8`,
    kind: 'ferretdb',
    binary,
    async stop() {
      stopping = true;
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      log.info('embedded FerretDB stopped');
    },
  };
}

async function startMemoryServer(options: EmbeddedDatabaseOptions, log: Logger): Promise<EmbeddedDatabase> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  // A first run downloads MongoDB (~100 MB); allow for that, but never an open-ended hang.
  const timeoutMs = options.memoryServerTimeoutMs ?? 90_000;
  log.info('starting MongoDB through mongodb-memory-server');
  const dbPath = path.join(path.resolve(options.dataDir), 'mongodb');
  mkdirSync(dbPath, { recursive: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no MongoDB binary could be had within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const server = await Promise.race([
      MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' } }),
      timeout,
    ]);
    return {
      uri: server.getUri(),
      kind: 'mongodb-memory-server',
      async stop() {
        await server.stop({ doCleanup: false });
      },
    };
  } finally {
    clearTimeout(timer);
  }
}
