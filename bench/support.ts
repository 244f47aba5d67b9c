import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ActivityHandler } from 'botbuilder';
import express from 'express';
import type { Connection } from 'mongoose';
import { connectDatabase, startEmbeddedDatabase } from '../services/db';
import { createLogger, createSilentLogger } from '../services/logger';

/**
 * A database for a benchmark: MONGODB_URI when set, else an embedded FerretDB in a temporary
 * folder, over SQLite or over the PostgreSQL database `postgresqlUrl` names.
 */
export async function openBenchDatabase(
  env: NodeJS.ProcessEnv,
  postgresqlUrl?: string,
): Promise<{ uri: string; cpuMs?: () => number | undefined; stop: () => Promise<void> }> {
  if (env.MONGODB_URI) return { uri: env.MONGODB_URI, stop: () => Promise.resolve() };
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'helpline-bench-'));
  const embedded = await startEmbeddedDatabase({
    dataDir: tempDir,
    logger: env.LOG_LEVEL ? createLogger({ level: env.LOG_LEVEL }) : createSilentLogger(),
    ferretdbBin: env.FERRETDB_BIN,
    searchPath: env.PATH ?? '',
    homeDir: os.homedir(),
    allowInstall: true,
    installScript: path.join(__dirname, '..', 'scripts', 'install-ferretdb.sh'),
    allowMemoryServer: true,
    postgresqlUrl,
  });
  const port = new URL(embedded.uri).port;
  return {
    uri: embedded.uri,
    cpuMs: () => processCpuMs(`--listen-addr=127.0.0.1:${port}`),
    stop: async () => {
      await embedded.stop();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** A baseline bot on /api/messages, on its own CloudAdapter without credentials, as small as botbuilder allows. */
export async function serveBaselineBot(
  bot: ActivityHandler,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const app = express();
  app.post('/api/messages', express.json(), async (req, res) => {
    await adapter.process(req, res, async (context) => await bot.run(context));
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The CPU time (user + system, ms) used so far by the process whose command line holds `marker`
 * (the embedded FerretDB, found by its listen address), read from Linux's /proc; undefined
 * elsewhere or when no such process runs. The kernel counts in ticks of 10 ms.
 */
export function processCpuMs(marker: string): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!args.includes(marker) || !args[0]?.endsWith('ferretdb')) continue;
      // Fields after the command name (which may hold spaces, hence the last ')'): utime is the
      // 14th field and stime the 15th of the whole line.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // the process ended while being read: look on
    }
  }
  return undefined;
}

/** Milliseconds per call, and the database server's CPU per call when it can be read. */
export interface PerCall {
  ms: number;
  databaseCpuMs: number | undefined;
}

/**
 * A fresh database on a bench database (see `openBenchDatabase`) for `run`, dropped and stopped
 * after it; then the process ends, with one line on stderr if `run` failed.
 */
export function runOnBenchDatabase(
  name: string,
  postgresqlUrl: string | undefined,
  run: (bench: {
    connection: Connection;
    /** Runs `work` `calls` times, one after the other. */
    perCall: (calls: number, work: (i: number) => Promise<unknown>) => Promise<PerCall>;
  }) => Promise<void>,
): void {
  const main = async (): Promise<void> => {
    const database = await openBenchDatabase(process.env, postgresqlUrl);
    const connection = await connectDatabase({
      uri: database.uri,
      dbName: `${name.replace(/\W/g, '_')}_${Date.now()}`,
      logger: createSilentLogger(),
    });
    const round = (n: number): number => Math.round(n * 100) / 100;
    const perCall = async (calls: number, work: (i: number) => Promise<unknown>): Promise<PerCall> => {
      const cpuBefore = database.cpuMs?.();
      const started = performance.now();
      for (let i = 0; i < calls; i++) await work(i);
      const ms = (performance.now() - started) / calls;
      const cpuAfter = database.cpuMs?.();
      const databaseCpuMs =
        cpuBefore === undefined || cpuAfter === undefined ? undefined : round((cpuAfter - cpuBefore) / calls);
      return { ms: round(ms), databaseCpuMs };
    };
    try {
      await run({ connection, perCall });
    } finally {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
      await database.stop();
    }
  };
  main().catch((error: unknown) => {
    process.stderr.write(`${name} failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}

/** "N ms, M ms of FerretDB CPU" (the second part when it could be read). */
export function describePerCall(t: PerCall): string {
  return `${t.ms} ms${t.databaseCpuMs === undefined ? '' : `, ${t.databaseCpuMs} ms of FerretDB CPU`}`;
}
