import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { contactIdFor, DirectoryImporter, type DirectorySource } from '../../../services/directory';
import {
  DEMO_CONTACTS,
  DEMO_ORGANISATIONS,
  getContactModel,
  getOrganisationModel,
  MongoIdentityService,
} from '../../../services/identity';
import { createSilentLogger } from '../../../services/logger';
import { dropTestDatabase, openTestDatabase } from '../../support/database';
import { readmeBlocks } from '../../support/readme';

const ORGS_CSV = [
  'id,name,tenantId,emailDomains,accountManagerName,accountManagerEmail,supportPlanUntil,locale',
  'org-acme,"Acme, Inc.",tenant-acme,acme.example;acme-it.example,Morgan Lee,morgan.lee@vendor.example,2030-06-30,en',
  'org-lapsed,Lapsed Ltd,tenant-lapsed,lapsed.example,Morgan Lee,morgan.lee@vendor.example,,fr',
].join('\r\n');

// Semicolons, a BOM, and a quoted name holding a semicolon, a comma, a quote and a line break.
const CONTACTS_CSV =
  '\uFEFF' +
  [
    'organisationId;email;name;aadObjectId;authorized;certifiedAdminUntil;reachable24x7;locale',
    'org-acme;Ann@Acme.example;Ann Lee;aad-ann;true;2031-01-01;true;en',
    'org-acme;ben@acme.example;"Ben ""the admin"" Roe;\nsecond line, still Ben";;false;;false;',
    'org-lapsed;lea@lapsed.example;Léa Petit;;true;;false;fr',
  ].join('\n');

describe('directory import', function () {
  this.timeout(60_000);
  let connection: Connection;
  let importer: DirectoryImporter;

  const run = async (sources: DirectorySource[], options = {}) =>
    await importer.importSources(sources, options);
  const orgs: DirectorySource = { name: 'organisations.csv', text: ORGS_CSV };
  const contacts: DirectorySource = { name: 'contacts.csv', text: CONTACTS_CSV };

  beforeEach(async () => {
    connection = await openTestDatabase('directory');
    importer = new DirectoryImporter(connection, createSilentLogger());
  });
  afterEach(async () => await dropTestDatabase(connection));

  it('imports a comma CSV of organisations and a semicolon CSV with BOM and quoted fields of contacts', async () => {
    const summary = await run([orgs, contacts]);
    assert.deepEqual(summary.rejections, []);
    assert.deepEqual(summary.organisations, {
      added: 2,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      deactivated: 0,
    });
    assert.equal(summary.contacts.added, 3);

    const acme = await getOrganisationModel(connection).findById('org-acme').lean().exec();
    assert.equal(acme?.name, 'Acme, Inc.');
    assert.deepEqual(acme?.emailDomains, ['acme.example', 'acme-it.example']);
    assert.equal(acme?.supportPlanUntil?.toISOString(), '2030-06-30T00:00:00.000Z');
    const ben = await getContactModel(connection)
      .findById(contactIdFor('org-acme', 'ben@acme.example'))
      .lean()
      .exec();
    assert.equal(ben?.name, 'Ben "the admin" Roe;\nsecond line, still Ben');
    assert.equal(ben?.authorized, false);

    // What identity makes of it: found by the AAD id in the tenant; a plan with no end date given is no plan.
    const identity = new MongoIdentityService({ connection, logger: createSilentLogger() });
    const ann = await identity.resolveTeamsUser({ tenantId: 'tenant-acme', aadObjectId: 'aad-ann' });
    assert.equal(ann.kind === 'contact' && ann.canOpenTickets, true);
    assert.equal(ann.kind === 'contact' && ann.contact.email, 'ann@acme.example');
    const lea = await identity.resolveWebUser({ subject: 'sub-lea', email: 'lea@lapsed.example' });
    assert.equal(lea.kind === 'contact' && lea.reason, 'no_support_plan');
  });

  it('reads JSON Lines, and the same data twice changes nothing', async () => {
    const jsonl: DirectorySource = {
      name: 'contacts.jsonl',
      text: [
        JSON.stringify({
          organisationId: 'org-acme',
          email: 'ann@acme.example',
          name: 'Ann Lee',
          aadObjectId: 'aad-ann',
          authorized: true,
          certifiedAdminUntil: '2031-01-01',
          reachable24x7: true,
          locale: 'en',
        }),
        '',
        JSON.stringify({
          organisationId: 'org-acme',
          email: 'carl@acme.example',
          name: 'Carl, Jr.',
          authorized: 'false',
          reachable24x7: false,
        }),
      ].join('\n'),
    };
    const first = await run([orgs, jsonl]);
    assert.deepEqual(first.rejections, []);
    assert.equal(first.contacts.added, 2);
    // The same contact from the CSV and the JSONL: the same (organisation, email), nothing to change.
    const again = await run([orgs, jsonl]);
    assert.deepEqual(again.organisations, {
      added: 0,
      updated: 0,
      unchanged: 2,
      rejected: 0,
      deactivated: 0,
    });
    assert.deepEqual(again.contacts, { added: 0, updated: 0, unchanged: 2, rejected: 0, deactivated: 0 });
    const changed = await run([orgs, { ...jsonl, text: jsonl.text.replace('Carl, Jr.', 'Carl Junior') }]);
    assert.equal(changed.contacts.updated, 1);
    assert.equal(changed.contacts.unchanged, 1);
    assert.equal(await getContactModel(connection).countDocuments().exec(), 2);
  });

  /** The write commands (insert, update, delete) the connection sends while `act` runs. */
  const writesDuring = async (act: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> => {
    const writes: Array<Record<string, unknown>> = [];
    const client = connection.getClient();
    const listener = (event: { commandName: string; command: Record<string, unknown> }): void => {
      if (['insert', 'update', 'delete'].includes(event.commandName)) writes.push(event.command);
    };
    client.on('commandStarted', listener);
    try {
      await act();
    } finally {
      client.off('commandStarted', listener);
    }
    return writes;
  };

  it('sends no write at all when the files are imported again, or in a dry run', async () => {
    await run([orgs, contacts]);
    assert.deepEqual(await writesDuring(() => run([orgs, contacts])), []);
    assert.deepEqual(await writesDuring(() => run([orgs, contacts], { dryRun: true, prune: true })), []);
  });

  it('updates only the changed fields of a changed row, by id and without upsert, and its keys follow', async () => {
    await run([orgs, contacts]);
    const moved = CONTACTS_CSV.replace(
      'Ann@Acme.example;Ann Lee;aad-ann',
      'ann.lee@acme.example;Ann Lee;aad-ann-2',
    );
    const annId = contactIdFor('org-acme', 'ann@acme.example');
    const writes = await writesDuring(async () => {
      // The file names Ann by id now that her email changes.
      const summary = await run([
        {
          name: 'contacts.csv',
          text: moved
            .replace('organisationId;email;', 'id;organisationId;email;')
            .replace(/\n(org-)/g, (_m, org: string) => `\n;${org}`)
            .replace(';org-acme;ann.lee@', `${annId};org-acme;ann.lee@`),
        },
      ]);
      assert.deepEqual(summary.rejections, []);
      assert.deepEqual(summary.contacts, { added: 0, updated: 1, unchanged: 2, rejected: 0, deactivated: 0 });
    });
    const contactUpdates = writes.filter((w) => w.update === 'contacts');
    assert.equal(contactUpdates.length, 1);
    assert.deepEqual(contactUpdates[0].updates, [
      { q: { _id: annId }, u: { $set: { email: 'ann.lee@acme.example', aadObjectId: 'aad-ann-2' } } },
    ]);
    assert.ok(!JSON.stringify(writes).includes('"upsert":true'), JSON.stringify(writes));
    assert.ok(!writes.some((w) => w.insert === 'contacts'));

    const identity = new MongoIdentityService({ connection, logger: createSilentLogger() });
    const byAad = await identity.resolveTeamsUser({ tenantId: 'tenant-acme', aadObjectId: 'aad-ann-2' });
    assert.equal(byAad.kind === 'contact' && byAad.contact.id, annId);
    const byEmail = await identity.resolveWebUser({ subject: 'sub-ann', email: 'ann.lee@acme.example' });
    assert.equal(byEmail.kind === 'contact' && byEmail.contact.id, annId);
    const oldAad = await identity.resolveTeamsUser({ tenantId: 'tenant-acme', aadObjectId: 'aad-ann' });
    assert.notEqual(
      oldAad.kind === 'contact' && oldAad.contact.id,
      annId,
      'the old AAD id no longer finds Ann',
    );
  });

  it('two imports of the same files at once store each row once, neither fails, and any row lost to the other is named for a retry', async () => {
    await run([orgs]);
    const [a, b] = await Promise.all([run([contacts]), run([contacts])]);
    for (const summary of [a, b]) {
      assert.equal(
        summary.contacts.added + summary.contacts.unchanged + summary.contacts.rejected,
        3,
        JSON.stringify(summary),
      );
      for (const r of summary.rejections) assert.match(r.reason, /added by another writer during the import/);
    }
    assert.equal(a.contacts.added + b.contacts.added, 3, 'each contact added by exactly one of them');
    assert.equal(await getContactModel(connection).countDocuments().exec(), 3);
    const again = await run([contacts]);
    assert.deepEqual(again.contacts, { added: 0, updated: 0, unchanged: 3, rejected: 0, deactivated: 0 });
  });

  it('writes nothing in a dry run, and counts as the real run would', async () => {
    const dry = await run([orgs, contacts], { dryRun: true });
    assert.equal(dry.dryRun, true);
    assert.equal(dry.organisations.added, 2);
    assert.equal(dry.contacts.added, 3);
    assert.equal(await getOrganisationModel(connection).countDocuments().exec(), 0);
    assert.equal(await getContactModel(connection).countDocuments().exec(), 0);
  });

  it('deactivates, never deletes, the contacts missing from the file only with --prune, and brings them back when they return', async () => {
    await run([orgs, contacts]);
    const without = {
      ...contacts,
      text: CONTACTS_CSV.split('\n')
        .filter((l) => !l.startsWith('org-lapsed'))
        .join('\n'),
    };
    const kept = await run([without]);
    assert.equal(kept.contacts.deactivated, 0);
    const leaId = contactIdFor('org-lapsed', 'lea@lapsed.example');
    assert.equal((await getContactModel(connection).findById(leaId).lean().exec())?.active, true);

    const dryPrune = await run([without], { prune: true, dryRun: true });
    assert.equal(dryPrune.contacts.deactivated, 1);
    assert.equal((await getContactModel(connection).findById(leaId).lean().exec())?.active, true);

    const pruned = await run([without], { prune: true });
    assert.equal(pruned.contacts.deactivated, 1);
    const lea = await getContactModel(connection).findById(leaId).lean().exec();
    assert.equal(lea?.active, false, 'kept, deactivated');
    const identity = new MongoIdentityService({ connection, logger: createSilentLogger() });
    assert.equal(
      (await identity.resolveWebUser({ subject: 's', email: 'lea@lapsed.example' })).kind,
      'unknown',
    );

    const back = await run([contacts]);
    assert.equal(back.contacts.updated, 1);
    assert.equal((await getContactModel(connection).findById(leaId).lean().exec())?.active, true);
  });

  it('rejects each bad row with its line and reason, and imports the others', async () => {
    await run([orgs, contacts]);
    const badOrgs: DirectorySource = {
      name: 'orgs2.csv',
      text: [
        'id,name,tenantId,emailDomains,accountManagerName,accountManagerEmail,supportPlanUntil,locale',
        'org-new,New Co,tenant-new,new.example,Morgan Lee,morgan.lee@vendor.example,2030-01-01,en',
        ',No Id,,,Morgan Lee,morgan.lee@vendor.example,,en',
        'org-x,X,tenant-acme,,Morgan Lee,morgan.lee@vendor.example,,en',
        'org-y,Y,,,Morgan Lee,not-an-email,2030-02-30x,de',
        'org-new,New Co again,,,Morgan Lee,morgan.lee@vendor.example,,en',
        'org-z,Z,too,many,fields,here,x,y,z',
      ].join('\n'),
    };
    const badContacts: DirectorySource = {
      name: 'contacts2.csv',
      text: [
        'organisationId,email,name,aadObjectId,authorized,certifiedAdminUntil,reachable24x7,locale',
        'org-new,ok@new.example,Okay,,true,,false,en',
        'org-nowhere,x@nowhere.example,X,,true,,false,en',
        'org-new,ann@acme.example,Ann Again,,true,,false,en',
        'org-new,ok@new.example,Okay Twice,,true,,false,en',
        'org-new,maybe@new.example,Maybe,,perhaps,,false,en',
        'org-new,late@new.example,Late,,true,31/12/2030,false,en',
        'org-new,,No Email,,true,,false,en',
        'org-new,thief@new.example,Thief,aad-ann,true,,false,en',
        'org-new,open@new.example,"Never closed,true,,false,en',
      ].join('\n'),
    };
    const summary = await run([badOrgs, badContacts]);
    const reasons = summary.rejections.map((r) => `${r.file}:${r.line} ${r.reason}`);
    const expect = (pattern: RegExp): void =>
      assert.ok(
        reasons.some((r) => pattern.test(r)),
        `no rejection like ${pattern}:\n${reasons.join('\n')}`,
      );
    expect(/^orgs2\.csv:3 id is missing/);
    expect(/^orgs2\.csv:4 tenant tenant-acme belongs to organisation org-acme/);
    expect(/^orgs2\.csv:5 .*accountManagerEmail is not an email address/);
    expect(/^orgs2\.csv:5 .*supportPlanUntil must be a date/);
    expect(/^orgs2\.csv:5 .*locale must be en or fr/);
    expect(/^orgs2\.csv:6 organisation org-new is already on line 2/);
    expect(/^orgs2\.csv:7 9 fields where the header has 8/);
    expect(/^contacts2\.csv:3 unknown organisation org-nowhere/);
    expect(/^contacts2\.csv:4 ann@acme\.example is a contact of organisation org-acme/);
    expect(/^contacts2\.csv:5 ok@new\.example is already on line 2/);
    expect(/^contacts2\.csv:6 authorized must be true or false/);
    expect(/^contacts2\.csv:7 certifiedAdminUntil must be a date/);
    expect(/^contacts2\.csv:8 email is missing/);
    expect(/^contacts2\.csv:9 aadObjectId aad-ann belongs to another contact/);
    expect(/^contacts2\.csv:10 a quoted field is never closed/);
    assert.equal(summary.organisations.added, 1);
    assert.equal(summary.organisations.rejected, 5);
    assert.equal(summary.contacts.added, 1);
    assert.equal(summary.contacts.rejected, 8);
  });

  it('rejects JSON Lines rows that are not objects, too long, or clash by contact id, each with its line', async () => {
    await run([orgs, contacts]);
    const annId = contactIdFor('org-acme', 'ann@acme.example');
    const row = (fields: Record<string, unknown>): string =>
      JSON.stringify({ organisationId: 'org-acme', authorized: true, name: 'Someone', ...fields });
    const summary = await run([
      {
        name: 'orgs.jsonl',
        text: JSON.stringify({
          id: 'o'.repeat(101),
          name: 'Long',
          accountManagerName: 'Morgan Lee',
          accountManagerEmail: 'morgan.lee@vendor.example',
        }),
      },
      {
        name: 'contacts.jsonl',
        text: [
          row({ id: 'ct-new', email: 'new@acme.example' }),
          row({ id: 'ct-custom', email: 'ann@acme.example' }),
          row({ id: 'ct-new', email: 'other@acme.example' }),
          row({ id: annId, organisationId: 'org-lapsed', email: 'moved@lapsed.example' }),
          '{"organisationId": "org-acme", "email": ',
          '["org-acme", "list@acme.example"]',
          row({ email: 'long@acme.example', name: 'n'.repeat(201) }),
        ].join('\n'),
      },
    ]);
    assert.deepEqual(
      summary.rejections.map((r) => `${r.file}:${r.line} ${r.reason}`),
      [
        `contacts.jsonl:2 ann@acme.example is already used by contact ${annId}`,
        'contacts.jsonl:3 contact ct-new is already on line 1',
        `contacts.jsonl:4 contact ${annId} belongs to organisation org-acme`,
        'contacts.jsonl:5 not a JSON object',
        'contacts.jsonl:6 not a JSON object',
        'contacts.jsonl:7 name is longer than 200 characters',
        'orgs.jsonl:1 id is longer than 100 characters',
      ],
    );
    assert.equal(summary.contacts.added, 1);
    assert.equal(summary.contacts.rejected, 6);
    assert.equal(summary.organisations.rejected, 1);
  });

  it('a contact no longer authorized in the file cannot open tickets once imported', async () => {
    await run([orgs, contacts]);
    const identity = new MongoIdentityService({ connection, logger: createSilentLogger() });
    const before = await identity.resolveTeamsUser({ tenantId: 'tenant-acme', aadObjectId: 'aad-ann' });
    assert.equal(before.kind === 'contact' && before.canOpenTickets, true);

    const summary = await run([
      { ...contacts, text: CONTACTS_CSV.replace('aad-ann;true;', 'aad-ann;false;') },
    ]);
    assert.equal(summary.contacts.updated, 1);

    const after = await identity.resolveTeamsUser({ tenantId: 'tenant-acme', aadObjectId: 'aad-ann' });
    assert.equal(after.kind === 'contact' && after.canOpenTickets, false);
    assert.equal(after.kind === 'contact' && after.reason, 'not_authorized');
  });

  it('imports the examples the README shows, CSV and JSON Lines, without a rejection', async () => {
    const blocks = readmeBlocks('Your own data: catalogue, customers and contacts');
    const [orgCsv, contactCsv] = blocks.filter((b) => b.lang === 'csv');
    const [orgLine, contactLine] = blocks
      .find((b) => b.lang === 'jsonl')!
      .text.trim()
      .split('\n');

    const csv = await run([
      { name: 'organisations.csv', text: orgCsv.text },
      { name: 'contacts.csv', text: contactCsv.text },
    ]);
    assert.deepEqual(csv.rejections, []);
    assert.equal(csv.organisations.added, 2);
    assert.equal(csv.contacts.added, 2);
    const jsonl = await run([
      { name: 'organisations.jsonl', text: orgLine },
      { name: 'contacts.jsonl', text: contactLine },
    ]);
    assert.deepEqual(jsonl.rejections, []);
    assert.equal(jsonl.contacts.added, 1);
    const carl = await getContactModel(connection)
      .findById(contactIdFor('org-acme', 'carl@acme.example'))
      .lean()
      .exec();
    assert.equal(carl?.authorized, true);
  });

  it('reports progress per file, in chunks that add up to its rows', async () => {
    const rows = Array.from(
      { length: 1203 },
      (_, i) => `org-acme,person${i}@acme.example,Person ${i},,true,,false,en`,
    );
    const big: DirectorySource = {
      name: 'big.csv',
      text: [
        'organisationId,email,name,aadObjectId,authorized,certifiedAdminUntil,reachable24x7,locale',
        ...rows,
      ].join('\n'),
    };
    const events: string[] = [];
    let advanced = 0;
    const summary = await run([orgs, big], {
      progress: {
        start: (file: string, total: number) => events.push(`start ${file} ${total}`),
        advance: (count: number) => {
          advanced += count;
        },
        stop: () => events.push(`stop at ${advanced}`),
      },
    });
    assert.equal(summary.contacts.added, 1203);
    assert.deepEqual(events, [
      'start organisations.csv 2',
      'stop at 2',
      'start big.csv 1203',
      'stop at 1205',
    ]);
  });

  it('refuses a file that is neither organisations nor contacts, naming the columns it needs', async () => {
    await assert.rejects(run([{ name: 'x.csv', text: 'a,b\n1,2' }]), /neither an organisations file/);
  });

  it('ships the demo directory as two files that match the demo constants', async () => {
    const identity = new MongoIdentityService({ connection, logger: createSilentLogger() });
    await identity.seedDemoIdentities();
    for (const org of Object.values(DEMO_ORGANISATIONS)) {
      const stored = await identity.getOrganisation(org.id);
      assert.equal(stored?.name, org.name);
      assert.deepEqual(stored?.teamsTenantIds, org.teamsTenantIds);
      assert.equal(stored?.supportPlanActive, org.supportPlanActive);
      assert.deepEqual(stored?.accountManager, org.accountManager);
    }
    for (const c of Object.values(DEMO_CONTACTS)) {
      const stored = await identity.getContact(c.id);
      assert.deepEqual(
        { ...stored, locale: undefined, active: undefined },
        { ...c, locale: undefined, active: undefined },
      );
    }
  });
});
