import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { MongoAuditLog } from '../../../services/audit';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../../support/database';

describe('MongoAuditLog', () => {
  let connection: Connection;
  let now: Date;
  let audit: MongoAuditLog;
  const staff = { kind: 'staff' as const, id: 'staff-ann', name: 'Ann' };
  const customer = { kind: 'customer' as const, id: 'contact-alice', name: 'Alice' };

  before(async () => {
    connection = await openTestDatabase('audit');
    now = new Date('2026-11-02T10:00:00Z');
    audit = new MongoAuditLog({ connection, logger: createSilentLogger(), clock: () => now });
  });
  after(async () => await dropTestDatabase(connection));

  it('records an event with the clock time and lists it back', async () => {
    const recorded = await audit.record({ actor: staff, action: 'ticket.viewed', ticketNumber: 'HL-100001' });

    const listed = await audit.list({ ticketNumber: 'HL-100001' });

    assert.equal(listed.length, 1);
    assert.deepEqual(listed[0], recorded);
    assert.equal(listed[0]?.at.toISOString(), '2026-11-02T10:00:00.000Z');
    assert.deepEqual(listed[0]?.details, {});
  });

  it('lists newest first and filters by actor, kind, action and time range', async () => {
    now = new Date('2026-11-03T10:00:00Z');
    await audit.record({
      actor: customer,
      action: 'ticket.created',
      ticketNumber: 'HL-100002',
      details: { severity: 2 },
    });
    now = new Date('2026-11-04T10:00:00Z');
    await audit.record({
      actor: staff,
      action: 'ticket.status_changed',
      ticketNumber: 'HL-100002',
      details: { to: 'open' },
    });

    const forTicket = await audit.list({ ticketNumber: 'HL-100002' });
    const byStaff = await audit.list({ actorId: 'staff-ann' });
    const byCustomers = await audit.list({ actorKind: 'customer' });
    const created = await audit.list({ action: 'ticket.created' });
    const onThe4th = await audit.list({
      from: new Date('2026-11-04T00:00:00Z'),
      to: new Date('2026-11-04T23:59:59Z'),
    });

    assert.deepEqual(
      forTicket.map((e) => e.action),
      ['ticket.status_changed', 'ticket.created'],
    );
    assert.deepEqual(
      byStaff.map((e) => e.action),
      ['ticket.status_changed', 'ticket.viewed'],
    );
    assert.deepEqual(
      byCustomers.map((e) => e.ticketNumber),
      ['HL-100002'],
    );
    assert.deepEqual(created[0]?.details, { severity: 2 });
    assert.deepEqual(
      onThe4th.map((e) => e.action),
      ['ticket.status_changed'],
    );
  });

  it('records an event with a given id only once, even when recorded concurrently', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        audit.record({
          id: 'ticket.created:HL-100009',
          actor: customer,
          action: 'ticket.created',
          ticketNumber: 'HL-100009',
        }),
      ),
    );

    const listed = await audit.list({ ticketNumber: 'HL-100009' });
    assert.equal(listed.length, 1);
    assert.ok(results.every((r) => r.id === 'ticket.created:HL-100009'));
  });

  it('limits the number of events listed', async () => {
    const listed = await audit.list({ limit: 2 });
    assert.equal(listed.length, 2);
  });
});
