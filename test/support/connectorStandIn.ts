import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedActivity {
  conversationId: string;
  path: string;
  authorization: string | undefined;
  activity: Record<string, unknown>;
}

/**
 * A local stand-in for the Bot Connector service (what Teams and Azure Bot Service expose at an
 * activity's serviceUrl), speaking its real REST routes so that the real ConnectorClient runs.
 * `failWith` makes it answer an error status, as the real service does when a user removed the app.
 */
export class ConnectorStandIn {
  readonly received: ReceivedActivity[] = [];
  failWith: number | undefined;
  /** Members the roster route answers with, by user id (GET /v3/conversations/{id}/members/{userId}). */
  readonly roster = new Map<string, Record<string, unknown>>();
  private server: Server | undefined;
  private seq = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
        if (this.failWith) {
          res.writeHead(this.failWith, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({ error: { code: 'BotDisabledByAdmin', message: 'The bot is not installed.' } }),
          );
          return;
        }
        const member = /\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(req.url ?? '');
        if (req.method === 'GET' && member) {
          const found = this.roster.get(decodeURIComponent(member[1] ?? ''));
          res.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(found ?? { error: { code: 'MemberNotFound', message: 'No such member.' } }));
          return;
        }
        if (req.method === 'POST' && /\/v3\/conversations\/?$/.test(req.url ?? '')) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ id: `created-${++this.seq}` }));
          return;
        }
        if (!match) {
          res.writeHead(404).end();
          return;
        }
        this.received.push({
          conversationId: decodeURIComponent(match[1] ?? ''),
          path: req.url ?? '',
          authorization: req.headers.authorization,
          activity: body ? (JSON.parse(body) as Record<string, unknown>) : {},
        });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${++this.seq}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Waits until `count` activities arrived. */
  async waitFor(count: number, timeoutMs = 5000): Promise<ReceivedActivity[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    return this.received;
  }
}
