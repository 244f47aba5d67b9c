/** One Server-Sent Event as the browser's EventSource would give it. */
export interface ServerSentEvent {
  event: string;
  id?: string;
  data: string;
}

/**
 * A Server-Sent Events client over fetch, as `EventSource` reads the stream (event, id, data
 * lines; comments kept in `raw`), with the headers a test chooses (a cookie, Last-Event-ID).
 */
export class EventStreamClient {
  readonly events: ServerSentEvent[] = [];
  raw = '';
  status = 0;
  ended = false;
  private readonly controller = new AbortController();
  private pumping: Promise<void> | undefined;

  async open(url: string, headers: Record<string, string> = {}): Promise<number> {
    const res = await fetch(url, {
      headers: { Accept: 'text/event-stream', ...headers },
      signal: this.controller.signal,
    });
    this.status = res.status;
    if (!res.ok || !res.body) {
      this.raw = await res.text();
      this.ended = true;
      return res.status;
    }
    this.pumping = this.pump(res.body.getReader());
    return res.status;
  }

  /** Waits until an event matching `predicate` arrived (10 s at most) and returns it. */
  async waitFor(
    predicate: (event: ServerSentEvent) => boolean,
    timeoutMs = 10_000,
  ): Promise<ServerSentEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline || this.ended)
        throw new Error(`event not seen; got:\n${JSON.stringify(this.events)}\n${this.raw}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits until the server ended the stream. */
  async waitForEnd(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!this.ended) throw new Error('the stream did not end');
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.pumping?.catch(() => undefined);
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const text = decoder.decode(value, { stream: true });
        this.raw += text;
        buffer += text;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          this.take(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } finally {
      this.ended = true;
    }
  }

  private take(block: string): void {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (!data.length) return;
    this.events.push({ event, data: data.join('\n'), ...(id !== undefined && { id }) });
  }
}
