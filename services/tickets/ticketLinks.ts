import { Schema, type Connection, type mongo } from 'mongoose';
import { driverCollection, modelOn, retryOnDuplicate } from '../db';

interface TicketLinkDocument {
  /** The ticket's number as stored (`HL-100042`), or the idempotency key it was opened with. */
  _id: string;
  /** The ticket's `_id`. */
  ticketId: string;
}

const COLLECTIONS = { number: 'ticket_number_links', key: 'ticket_key_links' } as const;

/**
 * Which ticket has a number (or was opened with an idempotency key), keyed by it. Every action on
 * a ticket starts from its number, and every submit from its key, and FerretDB v1 over SQLite
 * looks documents up by a string `_id` only: a query by `number` scans every ticket (bench:tickets:
 * 134 ms at 1,000 tickets, 813 ms at 5,000), and so does a numeric `_id` (the number
 * reservations). A link is written before its ticket; a ticket opened before links existed is
 * found by a query once, and linked then.
 */
export class TicketLinks {
  private readonly links: mongo.Collection<TicketLinkDocument>;

  constructor(connection: Connection, by: keyof typeof COLLECTIONS) {
    const collection = COLLECTIONS[by];
    const schema = new Schema<TicketLinkDocument>(
      { _id: { type: String, required: true }, ticketId: { type: String, required: true } },
      { collection, versionKey: false },
    );
    this.links = driverCollection(modelOn(connection, `TicketLink.${by}`, schema));
  }

  async ticketIdOf(id: string): Promise<string | undefined> {
    return (await this.links.findOne({ _id: id }))?.ticketId;
  }

  /** Idempotent; the last link written wins (the ticket's own unique indexes decide which ticket is real). */
  async link(id: string, ticketId: string): Promise<void> {
    // Two upserts of one new link can both try the insert (FerretDB v1 reads, then writes): the
    // one refused finds the document there on its next try and updates it.
    await retryOnDuplicate(() => this.links.updateOne({ _id: id }, { $set: { ticketId } }, { upsert: true }));
  }
}
