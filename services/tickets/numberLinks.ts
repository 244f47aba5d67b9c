import { Schema, type Connection, type mongo } from 'mongoose';
import { driverCollection, modelOn } from '../db';

interface NumberLinkDocument {
  /** The ticket's number as stored (`HL-100042`). */
  _id: string;
  /** The ticket's `_id`. */
  ticketId: string;
}

const numberLinkSchema = new Schema<NumberLinkDocument>(
  { _id: { type: String, required: true }, ticketId: { type: String, required: true } },
  { collection: 'ticket_number_links', versionKey: false },
);

/**
 * Which ticket has a number, keyed by the number. Every action on a ticket starts from its number,
 * and FerretDB v1 over SQLite looks documents up by a string `_id` only: a query by `number` scans
 * every ticket (bench:tickets: 168 ms at 1,000 tickets, 816 ms at 5,000), and so does a numeric
 * `_id` (the number reservations). A link is written before its ticket, so a ticket always has one
 * once this exists; a ticket opened before it is found by `number` once, and linked then.
 */
export class TicketNumberLinks {
  private readonly links: mongo.Collection<NumberLinkDocument>;

  constructor(connection: Connection) {
    this.links = driverCollection(modelOn(connection, 'TicketNumberLink', numberLinkSchema));
  }

  async ticketIdOf(number: string): Promise<string | undefined> {
    return (await this.links.findOne({ _id: number }))?.ticketId;
  }

  /** Idempotent; the last link of a number wins (a number is given once, so there is only one). */
  async link(number: string, ticketId: string): Promise<void> {
    await this.links.updateOne({ _id: number }, { $set: { ticketId } }, { upsert: true });
  }
}
