import { randomUUID } from 'node:crypto';
import { DEMO_CONTACTS, DEMO_TENANTS, type DemoContactName } from '../../../services/identity';

export const BOT = { id: '28:helpline-bot', name: 'Helpline' };

/** A Teams user as the Teams channel names them in activities. */
export interface TeamsUser {
  aadObjectId: string;
  name: string;
  tenantId: string;
}

export function demoUser(name: DemoContactName, tenantId?: string): TeamsUser {
  const contact = DEMO_CONTACTS[name];
  const organisationTenant =
    contact.organisationId === 'org-contoso' ? DEMO_TENANTS.contoso : DEMO_TENANTS.northwind;
  return { aadObjectId: contact.aadObjectId, name: contact.name, tenantId: tenantId ?? organisationTenant };
}

export interface Where {
  serviceUrl: string;
  conversationId: string;
  conversationType: 'personal' | 'channel';
  tenantId: string;
  teamId?: string;
}

/** The fields every Teams activity carries. */
export function teamsActivity(
  type: string,
  where: Where,
  from: TeamsUser | typeof BOT,
  extra: Record<string, unknown>,
  locale = 'en-US',
): Record<string, unknown> {
  const user =
    'aadObjectId' in from
      ? { id: `29:${from.aadObjectId}`, name: from.name, aadObjectId: from.aadObjectId }
      : from;
  return {
    type,
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: where.serviceUrl,
    locale,
    timestamp: new Date().toISOString(),
    from: user,
    recipient: BOT,
    conversation: {
      id: where.conversationId,
      conversationType: where.conversationType,
      tenantId: where.tenantId,
      ...(where.conversationType === 'channel' ? { isGroup: true } : {}),
    },
    channelData: {
      tenant: { id: where.tenantId },
      ...(where.teamId
        ? { team: { id: where.teamId }, channel: { id: where.conversationId.split(';')[0] } }
        : {}),
    },
    ...extra,
  };
}

/** Posts one activity to /api/messages and returns the HTTP answer (an invoke's response is its body). */
export async function post(
  appUrl: string,
  activity: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
