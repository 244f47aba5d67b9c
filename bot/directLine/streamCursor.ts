import type { DlActivity } from './store';

export interface StreamCursorOptions {
  /** The last watermark the client already has. */
  from: number;
  /** Reads the stored activities after a watermark (the store's `_id` walk). */
  readAfter: (watermark: number) => Promise<DlActivity[]>;
  /** Hands activities to the socket, in watermark order, each exactly once. */
  emit: (docs: DlActivity[], watermark: number) => void;
  /** How often to look for activities appended by another process while the conversation is busy. */
  activeIntervalMs: number;
  /** ... and while it has been quiet for a while (a look is one `_id` lookup). */
  idleIntervalMs: number;
  /**
   * Whether another process may append to the conversation; while it says no, the tail only
   * looks every `idleIntervalMs` (what this process appends arrives through `offer` at once).
   */
  peers?: () => boolean;
  onError: (error: unknown) => void;
}

/** A conversation counts as busy for this long after its last activity. */
const BUSY_FOR_MS = 30_000;

/**
 * The position of one WebSocket stream in its conversation's activities. Activities arrive two
 * ways: at once from this process (`offer`) and, for those another replica appended (its bot's
 * replies, its notifications), from a short tail of the database. Both pass through here, so a
 * socket gets every activity once and in watermark order: an offered activity beyond a gap
 * (the gap being another replica's activity this process has not seen) makes the cursor read the
 * gap from the database first, since a later watermark is only taken once the earlier exists.
 */
export class StreamCursor {
  private sent: number;
  private reading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastActivityAt = Date.now();
  private closed = false;

  constructor(private readonly options: StreamCursorOptions) {
    this.sent = options.from;
  }

  /** Sends the backlog, then keeps tailing until closed. */
  async start(): Promise<void> {
    await this.catchUp();
    this.schedule();
  }

  /** An activity this process appended; sent at once when it is the next one. */
  offer(doc: DlActivity): void {
    if (this.closed || doc.seq <= this.sent) return;
    this.lastActivityAt = Date.now();
    if (doc.seq === this.sent + 1 && !this.reading) {
      this.sent = doc.seq;
      this.options.emit([doc], this.sent);
      return;
    }
    this.catchUp().catch((error: unknown) => this.options.onError(error));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  /** Reads what follows the last sent watermark; one read at a time, another queued after it. */
  private catchUp(): Promise<void> {
    if (this.reading) return this.reading.then(() => this.catchUp());
    this.reading = (async () => {
      try {
        const docs = await this.options.readAfter(this.sent);
        const fresh = docs.filter((d) => d.seq > this.sent).sort((a, b) => a.seq - b.seq);
        if (!fresh.length || this.closed) return;
        this.sent = fresh.at(-1)!.seq;
        this.lastActivityAt = Date.now();
        this.options.emit(fresh, this.sent);
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  private schedule(): void {
    if (this.closed) return;
    const busy = Date.now() - this.lastActivityAt < BUSY_FOR_MS && (this.options.peers?.() ?? true);
    const wait = busy ? this.options.activeIntervalMs : this.options.idleIntervalMs;
    this.timer = setTimeout(() => {
      this.catchUp()
        .catch((error: unknown) => this.options.onError(error))
        .finally(() => this.schedule());
    }, wait);
    this.timer.unref();
  }
}
