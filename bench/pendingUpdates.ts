/**
 * `npm run bench:pending`: what every turn of a contact pays to learn whether ticket updates wait
 * for them, as the collection of waiting updates grows (the updates of everyone who has not
 * written since). Pending updates of other contacts are added up to each size; then, for a
 * contact with none and for one with one update waiting:
 *
 * - the baseline, in the same process: the query by contact that takes used to start with
 *   (`find({contactId}).sort({at: 1})`, what a store without marks must ask on every turn);
 * - `MongoPendingUpdateStore.take`, which looks up the contact's mark by `_id` first.
 *
 * Prints milliseconds per take and the embedded FerretDB's CPU per take, and the ratios.
 *
 *   npm run bench:pending -- [--sizes 0,1000,5000] [--takes 50] [--backend sqlite|postgresql]
 */
import { parseArgs } from 'node:util';
import { connectDatabase } from '../services/db';
import { createSilentLogger } from '../services/logger';
import { MongoPendingUpdateStore, type TicketUpdate } from '../services/notifications';
import { openBenchDatabase } from './support';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '0,1000,5000' },
    takes: { type: 'string', default: '50' },
    backend: { type: 'string', default: 'sqlite' },
    'postgresql-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});

function update(id: string, contactId: string, at: Date): TicketUpdate {
  return {
    id,
    contactId,
    kind: 'status_changed',
    ticketNumber: 'HL-1001',
    subject: 'Nightly backup job fails with a VSS error',
    locale: 'en',
    status: 'pending',
    at,
  };
}

interface Timing {
  msPerTake: number;
  databaseCpuMsPerTake: number | undefined;
}

async function main(): Promise<void> {
  const database = await openBenchDatabase(
    process.env,
    values.backend === 'postgresql' ? values['postgresql-url'] : undefined,
  );
  const connection = await connectDatabase({
    uri: database.uri,
    dbName: `bench_pending_${Date.now()}`,
    logger: createSilentLogger(),
  });
  const store = new MongoPendingUpdateStore({ connection });
  const pending = connection.collection('pending_updates');
  const takes = Math.max(1, Number.parseInt(values.takes, 10) || 50);
  const round = (n: number): number => Math.round(n * 100) / 100;

  const time = async (work: (i: number) => Promise<unknown>): Promise<Timing> => {
    const cpuBefore = database.cpuMs?.();
    const started = performance.now();
    for (let i = 0; i < takes; i++) await work(i);
    const elapsed = performance.now() - started;
    const cpuAfter = database.cpuMs?.();
    return {
      msPerTake: round(elapsed / takes),
      databaseCpuMsPerTake:
        cpuBefore === undefined || cpuAfter === undefined ? undefined : round((cpuAfter - cpuBefore) / takes),
    };
  };
  const cpu = (t: Timing): string =>
    t.databaseCpuMsPerTake === undefined ? '' : `, ${t.databaseCpuMsPerTake} ms of FerretDB CPU`;
  const ratio = (ours: Timing, base: Timing): number =>
    round(base.msPerTake / Math.max(ours.msPerTake, 0.001));

  try {
    let held = 0;
    const sizes = values.sizes
      .split(',')
      .map((v) => Number.parseInt(v, 10))
      .filter((n) => n >= 0)
      .sort((a, b) => a - b);
    process.stdout.write(`[${values.backend}] ${takes} takes at each size\n`);
    for (const size of sizes) {
      // Other contacts' waiting updates, written as the store writes them (each marks its contact).
      for (; held < size; held++)
        await store.add(update(`other-${held}`, `contact-${held % 3000}`, new Date()), 'no_reference');

      const baseline = await time(
        async () => await pending.find({ contactId: 'contact-quiet' }).sort({ at: 1 }).toArray(),
      );
      const quiet = await time(async () => await store.take('contact-quiet'));
      // One update waits for this contact before each take, which then shows it.
      const waiting = await time(async (i) => {
        await store.add(update(`waiting-${size}-${i}`, 'contact-waiting', new Date()), 'stale');
        if ((await store.take('contact-waiting')).length !== 1)
          throw new Error('the waiting update was not taken');
      });
      process.stdout.write(
        [
          `  ${size} updates waiting for other contacts:`,
          `    baseline, query by contact: ${baseline.msPerTake} ms per turn${cpu(baseline)}`,
          `    take, nothing waiting:      ${quiet.msPerTake} ms per turn${cpu(quiet)} (${ratio(quiet, baseline)}x faster)`,
          `    add + take of one update:   ${waiting.msPerTake} ms${cpu(waiting)}`,
          '',
        ].join('\n'),
      );
    }
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pending failed: ${(error as Error).message}\n`);
  process.exit(1);
});
