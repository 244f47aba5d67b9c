import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../db';
import { AppError } from '../errors';
import { getCounterModel } from './model';

const COUNTER_ID = 'ticket';
/** After this many taken numbers in a row, jump past the highest number reserved so far. */
const PROBES_BEFORE_JUMP = 16;
const MAX_PROBES = 2_000;

interface NumberReservationDocument {
  _id: number;
  at: Date;
}

const reservationSchema = new Schema<NumberReservationDocument>(
  { _id: { type: Number, required: true }, at: { type: Date, required: true } },
  { collection: 'ticket_numbers', versionKey: false },
);

/**
 * Hands out ticket sequence numbers, each exactly once.
 *
 * The `$inc` upsert on a counter is the fast path and is exact on MongoDB. On FerretDB it is
 * read-then-write: concurrent callers get the same value, and the counter can even move
 * backwards. So a number only counts once its reservation (a unique `_id` insert, atomic on
 * every MongoDB-compatible server) succeeded; a caller whose candidate is taken tries the next
 * one, and after a run of taken numbers jumps past the highest reservation. Numbers are never
 * given twice and no caller is refused; a reservation whose ticket is then not written (the
 * key had already opened a ticket, or the database failed) leaves a gap in the numbering.
 */
export class TicketNumbering {
  private readonly counters: Model<{ _id: string; seq: number }>;
  private readonly reservations: Model<NumberReservationDocument>;

  constructor(
    connection: Connection,
    private readonly firstNumber: number,
  ) {
    this.counters = getCounterModel(connection);
    this.reservations = modelOn(connection, 'TicketNumberReservation', reservationSchema);
  }

  /** A sequence number no other caller has or will get. */
  async reserve(): Promise<number> {
    let candidate = await this.fromCounter();
    for (let probe = 1; ; probe++) {
      try {
        await this.reservations.create({ _id: candidate, at: new Date() });
        break;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      if (probe >= MAX_PROBES) {
        throw new AppError('conflict', 'Tickets: could not allocate a ticket number; try again.', {
          userMessageKey: 'errors.busy',
        });
      }
      candidate =
        probe % PROBES_BEFORE_JUMP === 0
          ? Math.max(candidate, await this.highestReserved()) + 1
          : candidate + 1;
    }
    await this.raiseCounterTo(candidate);
    return candidate;
  }

  private async fromCounter(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const counter = await this.counters
          .findOneAndUpdate(
            { _id: COUNTER_ID },
            { $inc: { seq: 1 } },
            { upsert: true, returnDocument: 'after' },
          )
          .lean()
          .exec();
        return this.firstNumber - 1 + (counter?.seq ?? 1);
      } catch (error) {
        // Two first-ever upserts can race to insert the counter; the loser increments it.
        if (!isDuplicateKey(error) || attempt >= 5) throw error;
      }
    }
  }

  private async highestReserved(): Promise<number> {
    const highest = await this.reservations.findOne({}, { _id: 1 }).sort({ _id: -1 }).lean().exec();
    return highest?._id ?? this.firstNumber - 1;
  }

  /** Keeps the fast path close to the truth, so that the next caller rarely probes. */
  private async raiseCounterTo(sequence: number): Promise<void> {
    try {
      await this.counters
        .updateOne({ _id: COUNTER_ID }, { $max: { seq: sequence - this.firstNumber + 1 } }, { upsert: true })
        .exec();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}
