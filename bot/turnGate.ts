/**
 * At most `limit` turns run at once in this process; the others wait in arrival order. Under a
 * burst (a hundred conversations writing at the same moment), turns then end in the order they
 * came, each after its own work, instead of all sharing the CPU and the database and ending
 * together, late. Replies a turn sends and requests it waits on are not turns: they never wait
 * here, so a turn cannot wait on itself.
 */
export class TurnGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /** `limit` 0: no limit. */
  constructor(private readonly limit: number) {}

  /** Turns waiting for a place. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.limit) return await work();
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The place passes straight to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
