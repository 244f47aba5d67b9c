/**
 * `npm run bench:directory`: imports a generated CRM export of 200 organisations and 20,000
 * contacts (CSV) into a fresh database, and prints the time and heap of: the first import, the
 * same files again (nothing changes), a dry run, and — as the baseline, in the same process —
 * reading and validating the files only (no database). Ratios are against that baseline.
 *
 *   npm run bench:directory -- [--backend sqlite,postgresql] [--postgresql-url postgres://…]
 *
 * FerretDB's backend is SQLite by default; `--backend postgresql` runs the same on the PostgreSQL
 * database the URL names (each backend on an embedded FerretDB of its own, unless MONGODB_URI).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connectDatabase } from '../services/db';
import { DirectoryImporter, readDirectoryText } from '../services/directory';
import { contactRowSchema, organisationRowSchema } from '../services/directory/rows';
import { createSilentLogger } from '../services/logger';
import { openBenchDatabase } from './support';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'sqlite' },
    'postgresql-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});

const ORGANISATIONS = 200;
const CONTACTS = 20_000;

const collectGarbage = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  return typeof gc === 'function' ? (gc as () => void) : () => undefined;
})();

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

function generate(dir: string): string[] {
  const orgs = [
    'id,name,tenantId,emailDomains,accountManagerName,accountManagerEmail,supportPlanUntil,locale',
  ];
  for (let o = 0; o < ORGANISATIONS; o++)
    orgs.push(
      `org-${o},"Customer ${o}, Ltd",tenant-${o},c${o}.example,Morgan Lee,morgan.lee@vendor.example,2030-12-31,${o % 3 ? 'en' : 'fr'}`,
    );
  const contacts = [
    'organisationId;email;name;aadObjectId;authorized;certifiedAdminUntil;reachable24x7;locale',
  ];
  for (let c = 0; c < CONTACTS; c++) {
    const o = c % ORGANISATIONS;
    contacts.push(
      `org-${o};person${c}@c${o}.example;"Person ${c}; Team ${o % 7}";aad-${c};${c % 4 ? 'true' : 'false'};${c % 10 ? '' : '2031-06-30'};${c % 5 ? 'false' : 'true'};en`,
    );
  }
  const files = [path.join(dir, 'organisations.csv'), path.join(dir, 'contacts.csv')];
  writeFileSync(files[0], `\uFEFF${orgs.join('\r\n')}\r\n`);
  writeFileSync(files[1], `${contacts.join('\n')}\n`);
  return files;
}

interface Figures {
  ms: number;
  heapMB: number;
}

/** Wall time and the peak heap above the start, sampled while the step runs. */
async function measure(step: () => unknown): Promise<Figures> {
  collectGarbage();
  collectGarbage();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  const start = performance.now();
  await step();
  const ms = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms, heapMB: (peak - base) / 2 ** 20 };
}

async function runBackend(backend: string, files: string[], baseline: Figures): Promise<void> {
  const database = await openBenchDatabase(
    process.env,
    backend === 'postgresql' ? values['postgresql-url'] : undefined,
  );
  const connection = await connectDatabase({
    uri: database.uri,
    dbName: `bench_directory_${Date.now()}`,
    logger: createSilentLogger(),
  });
  try {
    const importer = new DirectoryImporter(connection, createSilentLogger());
    let summary = await importer.importFiles(files);
    // The first import measured on a fresh database of its own.
    await connection.dropDatabase();
    const first = await measure(async () => {
      summary = await importer.importFiles(files);
    });
    if (summary.contacts.added !== CONTACTS || summary.rejections.length)
      throw new Error(`first import: ${JSON.stringify(summary.contacts)}`);
    const again = await measure(async () => {
      summary = await importer.importFiles(files);
    });
    if (summary.contacts.unchanged !== CONTACTS)
      throw new Error(`re-run: ${JSON.stringify(summary.contacts)}`);
    const dry = await measure(async () => {
      summary = await importer.importFiles(files, { dryRun: true, prune: true });
    });

    const line = (label: string, f: Figures): string =>
      `${label.padEnd(34)} ${f.ms.toFixed(0).padStart(7)} ms  ${(f.ms / baseline.ms).toFixed(1).padStart(5)}×   heap +${f.heapMB.toFixed(1)} MB`;
    write(
      `\nDirectory import: ${ORGANISATIONS} organisations, ${CONTACTS} contacts (CSV), FerretDB on ${backend}`,
    );
    write(line('baseline: read + validate only', baseline));
    write(line('first import (all added)', first));
    write(line('same files again (all unchanged)', again));
    write(line('dry run with prune', dry));
    write(`contacts per second, first import: ${(CONTACTS / (first.ms / 1000)).toFixed(0)}`);
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await database.stop();
  }
}

async function main(): Promise<void> {
  const backends = values.backend.split(',');
  for (const backend of backends)
    if (backend !== 'sqlite' && backend !== 'postgresql') throw new Error(`unknown backend ${backend}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'helpline-bench-directory-'));
  try {
    const files = generate(dir);
    const readAndValidate = (): void => {
      let valid = 0;
      for (const file of files) {
        const read = readDirectoryText(readFileSync(file, 'utf8'), 'csv');
        for (const record of read.records) {
          const ok = file.endsWith('contacts.csv')
            ? contactRowSchema.safeParse(record.fields).success
            : organisationRowSchema.safeParse(record.fields).success;
          if (ok) valid++;
        }
      }
      if (valid !== ORGANISATIONS + CONTACTS) throw new Error(`baseline: ${valid} valid rows`);
    };
    readAndValidate(); // warm-up: the baseline is measured on compiled code, like the imports after it
    const baseline = await measure(readAndValidate);
    for (const backend of backends) await runBackend(backend, files, baseline);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:directory failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
