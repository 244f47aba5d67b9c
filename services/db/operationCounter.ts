import type { Connection, mongo } from 'mongoose';

/** Commands the driver sends for its own bookkeeping, not for the application's work. */
const HOUSEKEEPING = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
]);

export interface OperationCount {
  total: number;
  /** By `command collection` (e.g. `find botstate`), sorted. */
  byKind: Record<string, number>;
  /** Every operation in the order it was sent. */
  sequence: string[];
}

/**
 * Counts the database operations a piece of work sends, from the driver's command monitor
 * (the connection must be opened with `monitorCommands`). For benchmarks and tests of how much
 * database work a turn costs; nothing is counted while no measurement runs.
 */
export class OperationCounter {
  private sequence: string[] | undefined;

  private readonly listener = (event: mongo.CommandStartedEvent): void => {
    if (!this.sequence || HOUSEKEEPING.has(event.commandName)) return;
    const target = event.command[event.commandName] as unknown;
    this.sequence.push(typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName);
  };

  constructor(private readonly connection: Connection) {
    connection.getClient().on('commandStarted', this.listener);
  }

  async measure(run: () => Promise<unknown>): Promise<OperationCount> {
    const sequence: string[] = [];
    this.sequence = sequence;
    try {
      await run();
    } finally {
      this.sequence = undefined;
    }
    const counts = new Map<string, number>();
    for (const op of sequence) counts.set(op, (counts.get(op) ?? 0) + 1);
    const byKind = Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
    return { total: sequence.length, byKind, sequence };
  }

  detach(): void {
    this.connection.getClient().off('commandStarted', this.listener);
  }
}
