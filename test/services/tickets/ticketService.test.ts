import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { MongoAuditLog } from '../../../services/audit';
import { StaticProductCatalogue } from '../../../services/catalogue';
import { DEMO_CONTACTS, DEMO_ORGANISATIONS, MongoIdentityService } from '../../../services/identity';
import { createSilentLogger } from '../../../services/logger';
import { MongoTicketService, getTicketModel } from '../../../services/tickets';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { completeTicket, testClock, ticketFixture, type TestClock, type TicketFixture } from './fixtures';

type CodedError = Error & { code?: string };
const withCode = (code: string) => (error: CodedError) => error.code === code;

describe('MongoTicketService: opening tickets', () => {
  let connection: Connection;
  let clock: TestClock;
  let fx: TicketFixture;

  before(async () => {
    connection = await openTestDatabase('tickets');
    clock = testClock('2026-11-02T10:00:00Z'); // a Monday, in business hours
    fx = await ticketFixture(connection, clock);
  });
  after(async () => await dropTestDatabase(connection));
  beforeEach(() => clock.set('2026-11-02T10:00:00Z'));

  describe('a complete technical ticket', () => {
    it('is opened as new with a number, every field, the requester, the organisation and its account manager in copy', async () => {
      const { ticket, created } = await fx.tickets.create(completeTicket(), 'key-complete-1');

      assert.equal(created, true);
      assert.match(ticket.number, /^HL-\d{6}$/);
      assert.equal(ticket.status, 'new');
      assert.equal(ticket.type, 'technical');
      assert.equal(ticket.severity, 2);
      assert.equal(ticket.priority, 'High');
      assert.equal(ticket.module, 'rmm-agent');
      assert.equal(ticket.serverUrl, 'https://rmm.northwind.example/console');
      assert.equal(ticket.expectedResult, 'Agents report as online.');
      assert.deepEqual(ticket.devices, [
        { serialNumber: 'SN-1001', deviceNumber: 'D-42' },
        { serialNumber: 'SN-1002', deviceNumber: 'D-43' },
      ]);
      assert.equal(ticket.productVersion, '9.5.2');
      assert.equal(ticket.versionWarning, undefined);
      assert.deepEqual(ticket.requester, {
        contactId: DEMO_CONTACTS.bob.id,
        name: 'Bob Singh',
        email: 'bob@northwind.example',
      });
      assert.equal(ticket.organisationId, DEMO_ORGANISATIONS.northwind.id);
      assert.equal(ticket.organisationName, 'Northwind IT Services');
      assert.deepEqual(ticket.ccs, ['morgan.lee@vendor.example']);
      assert.equal(ticket.channel, 'msteams');
      assert.deepEqual(ticket.missingInformation, []);
      assert.equal(ticket.triagePriority, false);
      assert.equal(ticket.escalated, false);
      assert.deepEqual(
        ticket.timeline.map((e) => [e.type, e.by.kind, e.by.id]),
        [['created', 'customer', DEMO_CONTACTS.bob.id]],
      );
      assert.equal(ticket.createdAt.toISOString(), '2026-11-02T10:00:00.000Z');
    });

    it('is read back from the database exactly as it was returned', async () => {
      const { ticket } = await fx.tickets.create(completeTicket(), 'key-complete-2');

      const stored = await fx.tickets.getForStaff(ticket.number, { id: 'staff-ann', name: 'Ann' });

      assert.deepEqual(stored, ticket);
    });

    it('expects a first answer by the severity policy: 4 business hours for severity 2', async () => {
      const { ticket } = await fx.tickets.create(completeTicket(), 'key-sla-2');

      assert.equal(ticket.expectedFirstResponse.toISOString(), '2026-11-02T14:00:00.000Z');
    });

    it('writes a ticket.created audit event', async () => {
      const { ticket } = await fx.tickets.create(completeTicket(), 'key-audit-1');

      const events = await fx.audit.list({ ticketNumber: ticket.number });

      assert.deepEqual(
        events.map((e) => [e.action, e.actor.id]),
        [['ticket.created', DEMO_CONTACTS.bob.id]],
      );
    });

    it('keeps the articles already tried and the extra CCs (lowercase, no duplicates, not the requester)', async () => {
      const { ticket } = await fx.tickets.create(
        completeTicket({
          ccs: [
            'Ops@Northwind.example',
            'ops@northwind.example',
            'MORGAN.LEE@vendor.example',
            'bob@northwind.example',
          ],
          articlesTried: [{ key: 'kb-12', title: 'Agent offline', url: 'https://kb.example/12' }],
          channel: 'webchat',
          conversationRefId: 'conv-ref-1',
          locale: 'fr',
        }),
        'key-ccs-1',
      );

      assert.deepEqual(ticket.ccs, ['morgan.lee@vendor.example', 'ops@northwind.example']);
      assert.deepEqual(ticket.articlesTried, [
        { key: 'kb-12', title: 'Agent offline', url: 'https://kb.example/12' },
      ]);
      assert.equal(ticket.channel, 'webchat');
      assert.equal(ticket.conversationRefId, 'conv-ref-1');
      assert.equal(ticket.locale, 'fr');
    });
  });

  describe('severity, priority and triage', () => {
    it('escalates a severity 1 ticket at once, labels it Urgent and expects an answer within the hour', async () => {
      clock.set('2026-11-07T23:30:00Z'); // a Saturday night: severity 1 runs round the clock

      const { ticket } = await fx.tickets.create(completeTicket({ severity: 1 }), 'key-sev1');

      assert.equal(ticket.priority, 'Urgent');
      assert.equal(ticket.escalated, true);
      assert.deepEqual(
        ticket.timeline.map((e) => [e.type, e.by.kind]),
        [
          ['created', 'customer'],
          ['escalated', 'system'],
        ],
      );
      assert.equal(ticket.expectedFirstResponse.toISOString(), '2026-11-08T00:30:00.000Z');
    });

    it('maps severities 3 and 4 to Medium and Low with one and two business days', async () => {
      const three = await fx.tickets.create(completeTicket({ severity: 3 }), 'key-sev3');
      const four = await fx.tickets.create(completeTicket({ severity: 4 }), 'key-sev4');

      assert.equal(three.ticket.priority, 'Medium');
      assert.equal(four.ticket.priority, 'Low');
      assert.equal(three.ticket.expectedFirstResponse.toISOString(), '2026-11-03T10:00:00.000Z');
      assert.equal(four.ticket.expectedFirstResponse.toISOString(), '2026-11-04T10:00:00.000Z');
    });

    it('gives triage priority to a ticket from a currently certified administrator', async () => {
      const { ticket } = await fx.tickets.create(
        completeTicket({ requesterContactId: DEMO_CONTACTS.alice.id }),
        'key-cert',
      );

      assert.equal(ticket.triagePriority, true);
    });
  });

  describe('missing information', () => {
    it('opens the ticket on hold, listing the fields the requester did not know', async () => {
      const input = completeTicket({ unknownFields: ['serverUrl', 'productVersion'] });
      delete input.serverUrl;
      delete input.productVersion;

      const { ticket } = await fx.tickets.create(input, 'key-onhold');

      assert.equal(ticket.status, 'on_hold');
      assert.deepEqual(ticket.missingInformation, ['serverUrl', 'productVersion']);
      assert.equal(ticket.serverUrl, undefined);
      assert.equal(ticket.productVersion, undefined);
      assert.deepEqual(ticket.timeline[0]?.data, {
        status: 'on_hold',
        severity: 2,
        missingInformation: ['serverUrl', 'productVersion'],
      });
    });

    it('accepts unknown devices on a module that has devices', async () => {
      const input = completeTicket({ unknownFields: ['devices'] });
      delete input.devices;

      const { ticket } = await fx.tickets.create(input, 'key-onhold-devices');

      assert.equal(ticket.status, 'on_hold');
      assert.deepEqual(ticket.missingInformation, ['devices']);
      assert.equal(ticket.devices, undefined);
    });

    it('refuses a required field that is neither given nor marked unknown', async () => {
      const input = completeTicket();
      delete input.stepsToReproduce;

      await assert.rejects(fx.tickets.create(input, 'key-missing-steps'), withCode('invalid_input'));
    });

    it('refuses a field that is both given and marked unknown', async () => {
      await assert.rejects(
        fx.tickets.create(completeTicket({ unknownFields: ['serverUrl'] }), 'key-both'),
        withCode('invalid_input'),
      );
    });
  });

  describe('validation', () => {
    for (const [label, overrides] of [
      ['a subject that is too short', { subject: 'Bug' }],
      ['a description that is too short', { description: 'broken' }],
      ['a severity of 5', { severity: 5 }],
      ['an ftp server URL', { serverUrl: 'ftp://files.northwind.example' }],
      ['a server URL without a host', { serverUrl: 'https://' }],
      ['a server URL that is no URL', { serverUrl: 'my server' }],
      ['a device without a device number', { devices: [{ serialNumber: 'SN-1', deviceNumber: ' ' }] }],
      ['an unknown module', { module: 'coffee-machine' }],
      ['the billing module for a technical ticket', { module: 'billing' }],
      ['a version in the wrong format', { productVersion: '2026.1' }],
      ['"none" for devices on a module with devices', { devices: [] }],
      ['an invalid CC', { ccs: ['not-an-email'] }],
      ['an unknown channel', { channel: 'fax' }],
    ] as const) {
      it(`refuses ${label} with invalid_input and opens nothing`, async () => {
        const before = await getTicketModel(connection).countDocuments().exec();

        await assert.rejects(
          fx.tickets.create(completeTicket(overrides as Record<string, unknown>), `key-invalid-${label}`),
          withCode('invalid_input'),
        );

        assert.equal(await getTicketModel(connection).countDocuments().exec(), before);
      });
    }

    it('refuses an idempotency key that is too short', async () => {
      await assert.rejects(fx.tickets.create(completeTicket(), 'k'), withCode('invalid_input'));
    });

    it('accepts "none" for devices on a module without devices, and no devices at all there', async () => {
      const none = await fx.tickets.create(
        completeTicket({ module: 'partner-portal', productVersion: '2026.4', devices: [] }),
        'key-portal-none',
      );
      const input = completeTicket({ module: 'partner-portal', productVersion: '2026.4' });
      delete input.devices;
      const absent = await fx.tickets.create(input, 'key-portal-absent');

      assert.deepEqual(none.ticket.devices, []);
      assert.deepEqual(absent.ticket.devices, []);
      assert.equal(absent.ticket.status, 'new');
    });

    it('warns about a version out of support, naming the supported ones', async () => {
      const { ticket } = await fx.tickets.create(
        completeTicket({ productVersion: '9.2.0' }),
        'key-old-version',
      );

      assert.deepEqual(ticket.versionWarning, {
        status: 'unsupported',
        supportedVersions: ['9.5.2', '9.4.7', '9.3.1'],
      });
    });

    it('warns about a well-formed version the catalogue does not know', async () => {
      const { ticket } = await fx.tickets.create(
        completeTicket({ productVersion: '9.9.9' }),
        'key-unknown-version',
      );

      assert.equal(ticket.versionWarning?.status, 'unknown');
    });
  });

  describe('who may open a ticket', () => {
    for (const [who, contactId] of [
      ['a non-authorized contact', DEMO_CONTACTS.nina.id],
      ['an authorized contact without a support plan', DEMO_CONTACTS.frank.id],
      ['someone who is no contact', 'contact-nobody'],
    ] as const) {
      it(`refuses a technical ticket from ${who} with forbidden`, async () => {
        await assert.rejects(
          fx.tickets.create(completeTicket({ requesterContactId: contactId }), `key-forbidden-${contactId}`),
          withCode('forbidden'),
        );
      });
    }
  });

  describe('exactly once', () => {
    it('returns the same ticket for the same key, without opening a second one or auditing twice', async () => {
      const first = await fx.tickets.create(completeTicket(), 'key-twice');
      clock.advance(60_000);

      const second = await fx.tickets.create(
        completeTicket({ subject: 'A different subject now' }),
        'key-twice',
      );

      assert.equal(first.created, true);
      assert.equal(second.created, false);
      assert.deepEqual(second.ticket, first.ticket);
      assert.equal(
        await getTicketModel(connection).countDocuments({ idempotencyKey: 'key-twice' }).exec(),
        1,
      );
      assert.equal(
        (await fx.audit.list({ ticketNumber: first.ticket.number, action: 'ticket.created' })).length,
        1,
      );
    });

    it('opens one ticket when the same submit arrives 10 times at once', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => fx.tickets.create(completeTicket(), 'key-concurrent')),
      );

      assert.equal(new Set(results.map((r) => r.ticket.number)).size, 1);
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.equal(
        await getTicketModel(connection).countDocuments({ idempotencyKey: 'key-concurrent' }).exec(),
        1,
      );
    });

    it('refuses a key already used by another requester, without revealing that ticket', async () => {
      await fx.tickets.create(completeTicket(), 'key-of-bob');

      await assert.rejects(
        fx.tickets.create(completeTicket({ requesterContactId: DEMO_CONTACTS.alice.id }), 'key-of-bob'),
        (error: CodedError) => error.code === 'conflict' && !/HL-/.test(error.message),
      );
    });

    it('gives 50 concurrent intakes 50 distinct numbers, none lost', async function () {
      this.timeout(60_000);
      const before = await getTicketModel(connection).countDocuments().exec();
      const started = Date.now();

      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => fx.tickets.create(completeTicket(), `key-burst-${i}`)),
      );

      const elapsed = Date.now() - started;
      const numbers = results.map((r) => r.ticket.number);
      assert.equal(new Set(numbers).size, 50);
      assert.ok(results.every((r) => r.created));
      assert.equal(await getTicketModel(connection).countDocuments().exec(), before + 50);
      const stored = await getTicketModel(connection)
        .find({ idempotencyKey: { $in: results.map((_, i) => `key-burst-${i}`) } }, { number: 1 })
        .lean()
        .exec();
      assert.deepEqual(stored.map((d) => d.number).sort(), [...numbers].sort());
      this.test!.title += ` (${elapsed} ms)`;
    });
  });

  describe('billing tickets', () => {
    it('opens a billing ticket with the same numbering, the account manager in copy and the billing fields', async () => {
      const technical = await fx.tickets.create(completeTicket(), 'key-before-billing');

      const { ticket, created } = await fx.tickets.createBilling(
        {
          requesterContactId: DEMO_CONTACTS.claire.id,
          topic: 'charge_question',
          description: 'We were charged twice for October, please check.',
          invoiceNumber: 'INV-2026-1042',
          amount: 1250.5,
          currency: 'eur',
          channel: 'webchat',
        },
        'key-billing-1',
      );

      assert.equal(created, true);
      assert.equal(ticket.type, 'billing');
      assert.equal(ticket.module, 'billing');
      assert.match(ticket.number, /^HL-\d{6}$/);
      assert.ok(ticket.sequence > technical.ticket.sequence);
      assert.deepEqual(ticket.billing, {
        topic: 'charge_question',
        invoiceNumber: 'INV-2026-1042',
        amount: 1250.5,
        currency: 'EUR',
      });
      assert.equal(ticket.subject, 'We were charged twice for October, please check.');
      assert.equal(ticket.organisationId, DEMO_ORGANISATIONS.contoso.id);
      assert.deepEqual(ticket.ccs, ['camille.durand@vendor.example']);
      assert.equal(ticket.status, 'new');
      assert.equal(ticket.expectedFirstResponse.toISOString(), '2026-11-03T10:00:00.000Z');
      assert.equal((await fx.audit.list({ ticketNumber: ticket.number }))[0]?.action, 'ticket.created');
    });

    it('opens a billing ticket once for a repeated key', async () => {
      const input = {
        requesterContactId: DEMO_CONTACTS.bob.id,
        description: 'Please send a copy of invoice INV-77.',
        channel: 'msteams' as const,
      };

      const results = await Promise.all(
        Array.from({ length: 5 }, () => fx.tickets.createBilling(input, 'key-billing-twice')),
      );

      assert.equal(new Set(results.map((r) => r.ticket.number)).size, 1);
      assert.equal(results.filter((r) => r.created).length, 1);
    });

    it('lets any contact of a customer open a billing ticket, but not someone who is no contact', async () => {
      const byNina = await fx.tickets.createBilling(
        {
          requesterContactId: DEMO_CONTACTS.nina.id,
          description: 'Our renewal quote is missing.',
          channel: 'webchat',
        },
        'key-billing-nina',
      );

      assert.equal(byNina.created, true);
      await assert.rejects(
        fx.tickets.createBilling(
          {
            requesterContactId: 'contact-nobody',
            description: 'Our renewal quote is missing.',
            channel: 'webchat',
          },
          'key-billing-nobody',
        ),
        withCode('forbidden'),
      );
    });

    it('refuses an invalid invoice number, amount or currency', async () => {
      const base = {
        requesterContactId: DEMO_CONTACTS.bob.id,
        description: 'Question about an invoice.',
        channel: 'webchat' as const,
      };

      await assert.rejects(
        fx.tickets.createBilling({ ...base, invoiceNumber: '#' }, 'key-bad-inv'),
        withCode('invalid_input'),
      );
      await assert.rejects(
        fx.tickets.createBilling({ ...base, amount: -3 }, 'key-bad-amount'),
        withCode('invalid_input'),
      );
      await assert.rejects(
        fx.tickets.createBilling({ ...base, currency: 'euro' }, 'key-bad-cur'),
        withCode('invalid_input'),
      );
    });
  });

  describe('findTicketNumbers', () => {
    it('finds ticket numbers in a sentence, in any case, without duplicates', () => {
      assert.deepEqual(fx.tickets.findTicketNumbers('what about hl-100042? and HL-100043, also HL-100042'), [
        'HL-100042',
        'HL-100043',
      ]);
      assert.deepEqual(fx.tickets.findTicketNumbers('XHL-100042 or HL-12'), []);
    });
  });
});

describe('MongoTicketService on a fresh database', () => {
  let connection: Connection;

  before(async () => {
    connection = await openTestDatabase('ticketsfresh');
    await new MongoIdentityService({ connection, logger: createSilentLogger() }).seedDemoIdentities();
  });
  after(async () => await dropTestDatabase(connection));

  it('opens one ticket when the very first submits on a new database arrive at once', async () => {
    const clock = testClock('2026-11-02T10:00:00Z');
    const logger = createSilentLogger();
    const tickets = new MongoTicketService({
      connection,
      logger,
      clock,
      identity: new MongoIdentityService({ connection, logger, clock }),
      audit: new MongoAuditLog({ connection, logger, clock }),
      catalogue: new StaticProductCatalogue(),
    });

    // At once: the unique indexes of the new tickets collection do not exist yet.
    const results = await Promise.all(
      Array.from({ length: 10 }, () => tickets.create(completeTicket(), 'key-first-ever')),
    );

    assert.equal(new Set(results.map((r) => r.ticket.number)).size, 1);
    assert.equal(await getTicketModel(connection).countDocuments().exec(), 1);
  });
});
