import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the test database that a test can cut, to play a database that
 * stops answering: `cut()` drops every connection and refuses new ones; `cutAfterCommand()`
 * lets one matching command reach the server and then swallows its reply and drops
 * everything, as when the server or the network fails between a write and its answer.
 */
export class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private refusing = false;
  private swallowing = false;
  private trigger: { pattern: Buffer; fired: () => void } | undefined;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetUri: string): Promise<CuttableProxy> {
    const target = new URL(targetUri);
    const targetPort = Number(target.port || 27017);
    const targetHost = target.hostname;
    const holder: { proxy?: CuttableProxy } = {};
    const server = createServer((client) => holder.proxy?.accept(client, targetHost, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address !== 'object') throw new Error('proxy has no port');
    const proxy = new CuttableProxy(server, address.port);
    holder.proxy = proxy;
    return proxy;
  }

  uri(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  /** Drops every connection now and refuses new ones until `restore()`. */
  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /**
   * When a client sends an `insert` into `collection`, forwards it, swallows the server's
   * answer and then cuts. Resolves once that happened.
   */
  cutAfterInsertInto(collection: string): Promise<void> {
    const name = Buffer.from(`${collection}\0`, 'utf8');
    const length = Buffer.alloc(4);
    length.writeInt32LE(name.length);
    // BSON string element: key "insert", int32 length, the collection name with its NUL.
    const pattern = Buffer.concat([Buffer.from('insert\0', 'utf8'), length, name]);
    return new Promise((resolve) => {
      this.trigger = { pattern, fired: resolve };
    });
  }

  restore(): void {
    this.refusing = false;
    this.swallowing = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, host: string, port: number): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = connect({ host, port });
    this.sockets.add(client);
    this.sockets.add(upstream);
    const forget = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', forget);
    upstream.on('error', forget);
    client.on('close', forget);
    upstream.on('close', forget);
    client.on('data', (chunk: Buffer) => {
      if (this.refusing) return;
      upstream.write(chunk);
      const trigger = this.trigger;
      if (trigger && chunk.includes(trigger.pattern)) {
        this.trigger = undefined;
        this.swallowing = true;
        // Give the server time to apply the write whose answer is being swallowed.
        setTimeout(() => {
          this.cut();
          trigger.fired();
        }, 300);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!this.swallowing && !this.refusing) client.write(chunk);
    });
  }
}
