import { randomUUID } from 'node:crypto';
import type { ConnectorStandIn } from './connectorStandIn';

/**
 * A Teams user talking to Helpline's /api/messages, as the Teams channel sends activities: the
 * tenant in channelData and conversation, the user's AAD object id in `from`. Replies arrive at
 * the connector stand-in, which is this activity's serviceUrl.
 */
export class TeamsTestClient {
  constructor(
    private readonly appUrl: string,
    private readonly connector: ConnectorStandIn,
    private readonly serviceUrl: string,
    private readonly user: { tenantId: string; aadObjectId: string; name: string },
    private readonly locale = 'en-US',
    /** Another client's conversation, to continue it (e.g. through another service URL). */
    readonly conversationId = `a:${randomUUID()}`,
  ) {}

  /** Sends one message (text or a card's value) and returns the bot's replies to it. */
  async say(text: string, value?: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
    const before = this.replies().length;
    const res = await fetch(`${this.appUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(this.activity(text, value)),
    });
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`/api/messages answered ${res.status}`);
    // The turn has finished when the request returns: every reply was posted during it.
    return this.replies().slice(before);
  }

  activity(text: string, value?: Record<string, unknown>): Record<string, unknown> {
    return {
      type: 'message',
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      text,
      ...(value && { value }),
      locale: this.locale,
      timestamp: new Date().toISOString(),
      from: { id: `29:${this.user.aadObjectId}`, name: this.user.name, aadObjectId: this.user.aadObjectId },
      recipient: { id: '28:helpline', name: 'Helpline' },
      conversation: { id: this.conversationId, conversationType: 'personal', tenantId: this.user.tenantId },
      channelData: { tenant: { id: this.user.tenantId } },
    };
  }

  replies(): Array<Record<string, unknown>> {
    return this.connector.received
      .filter((r) => r.conversationId === this.conversationId)
      .map((r) => r.activity);
  }
}

/** All the words a list of bot activities shows: texts, card texts, facts and buttons. */
export function shown(activities: Array<Record<string, unknown>>): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value', 'placeholder'])
        if (typeof o[key] === 'string') parts.push(o[key]);
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(activities);
  return parts.join('\n');
}

/** The draft id carried by the last summary or form card among these activities. */
export function draftIdIn(activities: Array<Record<string, unknown>>): string | undefined {
  let found: string | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.draftId === 'string') found = o.draftId;
      Object.values(o).forEach(walk);
    }
  };
  walk(activities);
  return found;
}
