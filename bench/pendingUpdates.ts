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
 * And what a notification pays to find the conversation a contact wrote in last (when the ticket's
 * own is gone), with as many conversations of other contacts held: the query by contact (baseline)
 * against `MongoConversationReferenceStore.latestForContact`, which follows the contact's pointer.
 *
 * Prints milliseconds per call and the embedded FerretDB's CPU per call, and the ratios.
 *
 *   npm run bench:pending -- [--sizes 0,1000,5000] [--takes 50] [--backend sqlite|postgresql]
 */
import { parseArgs } from 'node:util';
import {
  MongoConversationReferenceStore,
  MongoPendingUpdateStore,
  type TicketUpdate,
} from '../services/notifications';
import { describePerCall, runOnBenchDatabase, type PerCall } from './support';

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

const postgresqlUrl = values.backend === 'postgresql' ? values['postgresql-url'] : undefined;

runOnBenchDatabase('bench:pending', postgresqlUrl, async ({ connection, perCall }) => {
  const store = new MongoPendingUpdateStore({ connection });
  const pending = connection.collection('pending_updates');
  const references = new MongoConversationReferenceStore({ connection });
  const conversations = connection.collection('conversation_references');
  const takes = Math.max(1, Number.parseInt(values.takes, 10) || 50);
  const faster = (ours: PerCall, base: PerCall): number =>
    Math.round((base.ms / Math.max(ours.ms, 0.001)) * 100) / 100;

  let held = 0;
  const sizes = values.sizes
    .split(',')
    .map((v) => Number.parseInt(v, 10))
    .filter((n) => n >= 0)
    .sort((a, b) => a - b);
  process.stdout.write(`[${values.backend}] ${takes} takes at each size\n`);
  for (const size of sizes) {
    // Other contacts' waiting updates, written as the store writes them (each marks its contact).
    for (; held < size; held++) {
      await store.add(update(`other-${held}`, `contact-${held % 3000}`, new Date()), 'no_reference');
      await references.save({
        id: `conversation-${held}`,
        channelId: 'msteams',
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        conversation: { id: `conversation-${held}`, conversationType: 'personal', tenantId: 'tenant-1' },
        user: { id: `29:user-${held}` },
        bot: { id: '28:helpline', name: 'Helpline' },
        contactId: `contact-${held % 3000}`,
      });
    }
    const someone = `contact-${Math.floor(held / 2) % 3000}`;

    const baseline = await perCall(
      takes,
      async () => await pending.find({ contactId: 'contact-quiet' }).sort({ at: 1 }).toArray(),
    );
    const quiet = await perCall(takes, async () => await store.take('contact-quiet'));
    // One update waits for this contact before each take, which then shows it.
    const waiting = await perCall(takes, async (i) => {
      await store.add(update(`waiting-${size}-${i}`, 'contact-waiting', new Date()), 'stale');
      if ((await store.take('contact-waiting')).length !== 1)
        throw new Error('the waiting update was not taken');
    });
    const referenceBaseline = await perCall(
      takes,
      async () =>
        await conversations
          .find({ contactId: someone, stale: false })
          .sort({ updatedAt: -1 })
          .limit(1)
          .toArray(),
    );
    const latest = await perCall(takes, async () => await references.latestForContact(someone));
    process.stdout.write(
      [
        `  ${size} updates waiting for other contacts, and ${size} conversations:`,
        `    baseline, query by contact: ${describePerCall(baseline)} per turn`,
        `    take, nothing waiting:      ${describePerCall(quiet)} per turn (${faster(quiet, baseline)}× as fast)`,
        `    add + take of one update:   ${describePerCall(waiting)}`,
        `    baseline, a contact's latest conversation by query: ${describePerCall(referenceBaseline)}`,
        `    latestForContact (pointer):  ${describePerCall(latest)} (${faster(latest, referenceBaseline)}× as fast)`,
        '',
      ].join('\n'),
    );
  }
});
