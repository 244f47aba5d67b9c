import type { Connection } from 'mongoose';
import { MongoAuditLog } from '../../../services/audit';
import { StaticProductCatalogue } from '../../../services/catalogue';
import { DEMO_CONTACTS, MongoIdentityService, type DemoContactName } from '../../../services/identity';
import { createSilentLogger } from '../../../services/logger';
import {
  MongoTicketService,
  viewerFromContact,
  type TechnicalTicketInput,
  type TicketPolicy,
  type TicketViewer,
} from '../../../services/tickets';

/** A controllable clock. */
export interface TestClock {
  now: Date;
  (): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(iso: string): TestClock {
  const clock = (() => clock.now) as TestClock;
  clock.now = new Date(iso);
  clock.set = (value) => {
    clock.now = new Date(value);
  };
  clock.advance = (ms) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return clock;
}

export interface TicketFixture {
  identity: MongoIdentityService;
  audit: MongoAuditLog;
  tickets: MongoTicketService;
  viewer(name: DemoContactName): Promise<TicketViewer>;
}

export async function ticketFixture(
  connection: Connection,
  clock: () => Date,
  policy: Partial<TicketPolicy> = {},
): Promise<TicketFixture> {
  const logger = createSilentLogger();
  const identity = new MongoIdentityService({ connection, logger, clock });
  const audit = new MongoAuditLog({ connection, logger, clock });
  const tickets = new MongoTicketService({
    connection,
    logger,
    clock,
    identity,
    audit,
    catalogue: new StaticProductCatalogue(),
    policy,
  });
  await identity.seedDemoIdentities();
  return {
    identity,
    audit,
    tickets,
    async viewer(name) {
      const known = await identity.getKnownContact(DEMO_CONTACTS[name].id);
      if (!known) throw new Error(`no demo contact ${name}`);
      return viewerFromContact(known);
    },
  };
}

/** A complete technical ticket from Bob (Northwind, authorized, not certified). */
export function completeTicket(overrides: Partial<TechnicalTicketInput> = {}): TechnicalTicketInput {
  return {
    type: 'technical',
    requesterContactId: DEMO_CONTACTS.bob.id,
    module: 'rmm-agent',
    subject: 'Agents offline after update',
    description:
      'Since this morning all agents show offline in the console. They should report every minute.',
    expectedResult: 'Agents report as online.',
    severity: 2,
    serverUrl: 'https://rmm.northwind.example/console',
    stepsToReproduce: 'Open the console, go to Devices, filter on online.',
    devices: [
      { serialNumber: 'SN-1001', deviceNumber: 'D-42' },
      { serialNumber: 'SN-1002', deviceNumber: 'D-43' },
    ],
    productVersion: '9.5.2',
    channel: 'msteams',
    ...overrides,
  };
}
