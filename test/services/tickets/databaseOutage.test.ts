import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { MongoAuditLog } from '../../../services/audit';
import { StaticProductCatalogue } from '../../../services/catalogue';
import { connectDatabase } from '../../../services/db';
import { MongoIdentityService } from '../../../services/identity';
import { createSilentLogger } from '../../../services/logger';
import { MongoTicketService, getTicketModel } from '../../../services/tickets';
import { dropTestDatabase, openTestDatabase, testDatabaseUri } from '../../support/database';
import { CuttableProxy } from './cuttableProxy';
import { completeTicket, testClock } from './fixtures';

type CodedError = Error & { code?: string };

function ticketServiceOn(
  connection: Connection,
  clock: () => Date,
): { tickets: MongoTicketService; audit: MongoAuditLog } {
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
  });
  return { tickets, audit };
}

describe('MongoTicketService when the database stops', function () {
  this.timeout(30_000);
  let direct: Connection;
  let proxy: CuttableProxy;
  let viaProxy: Connection;
  const clock = testClock('2026-11-02T10:00:00Z');

  before(async () => {
    direct = await openTestDatabase('outage');
    await new MongoIdentityService({ connection: direct, logger: createSilentLogger() }).seedDemoIdentities();
    await getTicketModel(direct).init();
    proxy = await CuttableProxy.start(testDatabaseUri());
    viaProxy = await connectDatabase({
      uri: proxy.uri(),
      dbName: direct.name,
      logger: createSilentLogger(),
      serverSelectionTimeoutMs: 1_500,
    });
  });
  after(async () => {
    await viaProxy.close(true).catch(() => undefined);
    await proxy.close();
    await dropTestDatabase(direct);
  });
  afterEach(() => proxy.restore());

  it('fails with database_unavailable while the database is unreachable, and a retry afterwards opens the ticket once', async () => {
    const { tickets } = ticketServiceOn(viaProxy, clock);
    proxy.cut();

    await assert.rejects(
      tickets.create(completeTicket(), 'key-outage-before'),
      (error: CodedError) =>
        error.code === 'database_unavailable' &&
        (error as { userMessageKey?: string }).userMessageKey === 'errors.unavailable',
    );
    proxy.restore();
    const retried = await tickets.create(completeTicket(), 'key-outage-before');

    assert.equal(retried.created, true);
    assert.equal(
      await getTicketModel(direct).countDocuments({ idempotencyKey: 'key-outage-before' }).exec(),
      1,
    );
  });

  it('when the answer to the insert is lost, fails with database_unavailable; the retry returns the ticket the insert opened, once, and completes the audit trail', async () => {
    const { tickets } = ticketServiceOn(viaProxy, clock);
    const directAudit = new MongoAuditLog({ connection: direct, logger: createSilentLogger() });
    const cutDone = proxy.cutAfterInsertInto('tickets');

    await assert.rejects(
      tickets.create(completeTicket(), 'key-outage-mid'),
      (error: CodedError) => error.code === 'database_unavailable',
    );
    await cutDone;
    const landed = await getTicketModel(direct).find({ idempotencyKey: 'key-outage-mid' }).lean().exec();
    assert.equal(landed.length, 1, 'the insert reached the database before the cut');
    assert.deepEqual(await directAudit.list({ ticketNumber: landed[0]?.number }), []);

    proxy.restore();
    const retried = await tickets.create(completeTicket(), 'key-outage-mid');

    assert.equal(retried.created, false);
    assert.equal(retried.ticket.number, landed[0]?.number);
    assert.equal(await getTicketModel(direct).countDocuments({ idempotencyKey: 'key-outage-mid' }).exec(), 1);
    assert.deepEqual(
      (await directAudit.list({ ticketNumber: retried.ticket.number })).map((e) => e.action),
      ['ticket.created'],
    );
  });

  it('fails with database_unavailable on a connection that was closed', async () => {
    const closed = await connectDatabase({
      uri: testDatabaseUri(),
      dbName: direct.name,
      logger: createSilentLogger(),
    });
    const { tickets } = ticketServiceOn(closed, clock);
    await closed.close();

    await assert.rejects(
      tickets.create(completeTicket(), 'key-closed-conn'),
      (error: CodedError) => error.code === 'database_unavailable',
    );
    await assert.rejects(
      tickets.getForViewer('HL-100001', {
        contactId: 'c',
        name: 'n',
        email: 'e@x.example',
        organisationId: 'o',
        authorized: true,
      }),
      (error: CodedError) => error.code === 'database_unavailable',
    );
  });
});
