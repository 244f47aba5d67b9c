/**
 * `npm run bench:tickets`: what finding a ticket by its number costs as tickets pile up. Tickets
 * are added up to each size (one opened through the service, then copied as the service stores
 * them, with their number reservations and keys); then, for a ticket picked at random each time:
 *
 * - the baseline, in the same process: the query by `number` the service used to make, once per
 *   lookup and three times per change (FerretDB over SQLite answers it by scanning every ticket);
 * - `getForViewer` (a partner opens the ticket) and `addComment` (a change), which find the ticket
 *   through its number's key, by `_id`;
 * - `create` (a submit), which looked for an earlier ticket with the same idempotency key by a
 *   query on the key before (the second baseline) and now through a key link.
 *
 * Also prints "my requests" (the organisation's newest tickets), which still queries by
 * organisation. Milliseconds per call and the embedded FerretDB's CPU per call.
 *
 *   npm run bench:tickets -- [--sizes 1000,5000] [--calls 20] [--backend sqlite|postgresql]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { MongoAuditLog } from '../services/audit';
import { StaticProductCatalogue } from '../services/catalogue';
import { DEMO_CONTACTS, MongoIdentityService } from '../services/identity';
import { createSilentLogger } from '../services/logger';
import {
  getTicketModel,
  MongoTicketService,
  viewerFromContact,
  type TechnicalTicketInput,
} from '../services/tickets';
import { describePerCall, runOnBenchDatabase } from './support';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,5000' },
    calls: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'sqlite' },
    'postgresql-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});

const TICKET: TechnicalTicketInput = {
  type: 'technical',
  requesterContactId: DEMO_CONTACTS.bob.id,
  channel: 'webchat',
  locale: 'en',
  subject: 'Nightly backup job fails',
  description:
    'The nightly backup job fails with a VSS error on two servers since the last update. I expected it to complete as before; the log shows VSS_E_WRITERERROR.',
  severity: 3,
  module: 'rmm-agent',
  serverUrl: 'https://backup.northwind.example',
  stepsToReproduce: 'Run the nightly job from the console and watch the log',
  devices: [{ serialNumber: '5CG1234XYZ', deviceNumber: '10452' }],
  productVersion: '7.1.4',
};

const postgresqlUrl = values.backend === 'postgresql' ? values['postgresql-url'] : undefined;

runOnBenchDatabase('bench:tickets', postgresqlUrl, async ({ connection, perCall }) => {
  const logger = createSilentLogger();
  const identity = new MongoIdentityService({ connection, logger });
  await identity.seedDemoIdentities();
  const audit = new MongoAuditLog({ connection, logger });
  const tickets = new MongoTicketService({
    connection,
    logger,
    identity,
    audit,
    catalogue: new StaticProductCatalogue(),
  });
  const bob = viewerFromContact((await identity.getKnownContact(DEMO_CONTACTS.bob.id))!);
  const calls = Math.max(1, Number.parseInt(values.calls, 10) || 20);
  const time = async (work: () => Promise<unknown>): Promise<string> =>
    describePerCall(await perCall(calls, work));

  const { ticket: first } = await tickets.create(TICKET, 'bench-tickets-0');
  const model = getTicketModel(connection);
  const seed = (await model.findOne({ _id: first.id }).lean().exec())!;
  const numbers = [first.number];
  let held = 1;
  const sizes = values.sizes
    .split(',')
    .map((v) => Number.parseInt(v, 10))
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  process.stdout.write(`[${values.backend}] ${calls} calls at each size\n`);
  for (const size of sizes) {
    // Copies of the stored ticket under new numbers, with their reservations and keys, as `create` leaves them.
    while (held < size) {
      const batch = [];
      const reservations = [];
      const links = [];
      for (let i = 0; i < 500 && held < size; i++, held++) {
        // Far above the numbers the service gives (it opens tickets below), so that none collide.
        const sequence = seed.sequence + 1_000_000 + held;
        const id = randomUUID();
        const number = `HL-${sequence}`;
        batch.push({ ...seed, _id: id, sequence, number, idempotencyKey: `bench-tickets-${held}` });
        reservations.push({ _id: sequence, at: new Date() });
        links.push(
          { _id: `number:${number}`, targetId: id },
          { _id: `key:bench-tickets-${held}`, targetId: id },
        );
        numbers.push(number);
      }
      await model.collection.insertMany(batch as never[]);
      await connection.collection('ticket_numbers').insertMany(reservations as never[]);
      await connection.collection('ticket_keys').insertMany(links as never[]);
    }
    const pick = (): string => numbers[Math.floor(Math.random() * numbers.length)];
    const baseline = await time(async () => await model.findOne({ number: pick() }).lean().exec());
    const view = await time(async () => await tickets.getForViewer(pick(), bob));
    const comment = await time(
      async () => await tickets.addComment(pick(), { kind: 'customer', viewer: bob }, 'Any news?'),
    );
    const list = await time(async () => await tickets.list({ viewer: bob, scope: 'organisation' }));
    const baselineKey = await time(
      async () =>
        await model
          .findOne({ idempotencyKey: `bench-tickets-${Math.floor(Math.random() * held)}` })
          .lean()
          .exec(),
    );
    const create = await time(async () => await tickets.create(TICKET, `bench-new-${randomUUID()}`));
    process.stdout.write(
      [
        `  ${held} tickets:`,
        `    baseline, one query by number:     ${baseline}`,
        `    open a ticket (getForViewer):       ${view}`,
        `    comment on a ticket (addComment):   ${comment}`,
        `    baseline, one query by idempotency key: ${baselineKey}`,
        `    open a new ticket (create):         ${create}`,
        `    my requests, newest 5 (by organisation, unchanged): ${list}`,
        '',
      ].join('\n'),
    );
  }
});
