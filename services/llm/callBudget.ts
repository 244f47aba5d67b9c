import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey, modelOn } from '../db';
import type { Logger } from '../logger';

/** Why a call may not be made: its conversation or Helpline as a whole used today's calls. */
export type BudgetVerdict = 'ok' | 'conversation_budget' | 'daily_budget';

/**
 * How many chat calls Helpline may make: per conversation and per UTC day, and in total per UTC
 * day. Shared by every replica. `take` throws only when the store cannot be reached.
 */
export interface CallBudget {
  take(conversationId: string | undefined): Promise<BudgetVerdict>;
}

export interface MongoCallBudgetOptions {
  connection: Connection;
  logger: Logger;
  perConversation: number;
  perDay: number;
  clock?: () => Date;
}

interface SlotDocument {
  _id: string;
  /** The UTC day the slot belongs to, `YYYY-MM-DD`: yesterday's slots are deleted. */
  day: string;
}

const slotSchema = new Schema<SlotDocument>(
  { _id: { type: String, required: true }, day: { type: String, required: true } },
  { collection: 'llm_call_slots', versionKey: false },
);

/** Collisions in a row before the cursor is moved by searching for the first free slot. */
const COLLISIONS_BEFORE_SEARCH = 3;
/** Slot searches per claim: enough for any realistic race between replicas. */
const SEARCHES_PER_CLAIM = 3;
/** Conversations whose cursor is remembered; older ones start again from a search. */
const MAX_CURSORS = 10_000;

/**
 * The budget as numbered slots in MongoDB: the n-th call of a day (or of a conversation on that
 * day) inserts the document `_id: "<scope>|n"`, and the unique `_id` decides who gets it. FerretDB
 * does not apply `$inc` atomically (200 concurrent increments ended at 10), so a counter would
 * let replicas overspend; inserts cannot, so the limits are exact. Each process remembers where
 * its next free slot probably is, and finds it by `_id` look-ups (the one query FerretDB answers
 * without a scan) when other replicas have taken it. One insert per scope and call in the usual
 * case; yesterday's slots are deleted once a day.
 */
export class MongoCallBudget implements CallBudget {
  private readonly model: Model<SlotDocument>;
  private readonly cursors = new Map<string, number>();
  private readonly clock: () => Date;
  private purgedDay: string | undefined;

  constructor(private readonly options: MongoCallBudgetOptions) {
    this.model = modelOn(options.connection, 'LlmCallSlot', slotSchema);
    this.clock = options.clock ?? (() => new Date());
  }

  async take(conversationId: string | undefined): Promise<BudgetVerdict> {
    const day = this.clock().toISOString().slice(0, 10);
    this.purgeBefore(day);
    if (conversationId !== undefined) {
      const scope = `c|${day}|${createHash('sha256').update(conversationId).digest('base64url').slice(0, 22)}`;
      if (!(await this.claim(scope, day, this.options.perConversation))) return 'conversation_budget';
    }
    if (!(await this.claim(`d|${day}`, day, this.options.perDay))) return 'daily_budget';
    return 'ok';
  }

  private async claim(scope: string, day: string, limit: number): Promise<boolean> {
    let slot = this.cursors.get(scope) ?? 0;
    for (let search = 0; search <= SEARCHES_PER_CLAIM; search++) {
      for (let collision = 0; collision < COLLISIONS_BEFORE_SEARCH; collision++) {
        if (slot >= limit) {
          this.remember(scope, limit);
          return false;
        }
        try {
          await this.model.create({ _id: `${scope}|${slot}`, day });
          this.remember(scope, slot + 1);
          return true;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          slot++;
        }
      }
      slot = await this.firstFree(scope, slot, limit);
    }
    // Still racing after several searches: count the call as refused rather than loop on.
    return false;
  }

  /**
   * The first slot at or after `from` that is free, assuming slots are taken in order (they
   * are, up to races): gallop forward by `_id` look-ups, then bisect.
   */
  private async firstFree(scope: string, from: number, limit: number): Promise<number> {
    const taken = async (slot: number): Promise<boolean> =>
      (await this.model.exists({ _id: `${scope}|${slot}` }).exec()) !== null;
    if (from >= limit || !(await taken(from))) return from;
    let low = from;
    let step = 1;
    while (low + step < limit && (await taken(low + step))) {
      low += step;
      step *= 2;
    }
    let high = Math.min(low + step, limit);
    // Invariant: `low` is taken; `high` is free or the limit.
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (await taken(middle)) low = middle;
      else high = middle;
    }
    return high;
  }

  private remember(scope: string, next: number): void {
    this.cursors.delete(scope);
    this.cursors.set(scope, next);
    if (this.cursors.size > MAX_CURSORS) {
      const oldest = this.cursors.keys().next().value;
      if (oldest !== undefined) this.cursors.delete(oldest);
    }
  }

  /** Once per day and process, in the background: earlier days' slots and cursors go. */
  private purgeBefore(day: string): void {
    if (this.purgedDay === day) return;
    this.purgedDay = day;
    for (const scope of this.cursors.keys()) if (!scope.includes(`|${day}`)) this.cursors.delete(scope);
    this.model
      .deleteMany({ day: { $lt: day } })
      .exec()
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'old LLM budget slots not deleted'),
      );
  }
}
