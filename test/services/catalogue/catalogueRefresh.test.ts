import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { HelplineApp } from '../../../bot';
import { DEMO_CATALOGUE_FILE, MongoCatalogueStore, parseCatalogue } from '../../../services/catalogue';
import { DEMO_CONTACTS } from '../../../services/identity';
import { DirectLineTestClient, startTestApp, stopTestApp } from '../../support/app';
import { shown } from '../../support/teamsClient';

describe('catalogue in the database', function () {
  this.timeout(60_000);
  let app: HelplineApp;

  before(async () => {
    app = await startTestApp('catalogue', {
      DIRECTLINE_TOKENS_PER_MINUTE: '1000',
      CATALOGUE_REFRESH_SECONDS: '0.2',
    });
  });
  after(async () => await stopTestApp(app));

  async function aliceAsks(text: string): Promise<string> {
    const client = new DirectLineTestClient(app.url());
    const alice = DEMO_CONTACTS.alice;
    const userToken = await app.userTokens!.sign({
      subject: alice.webSubject,
      email: alice.email,
      name: alice.name,
    });
    await client.start({ userToken });
    await client.waitForBot(1);
    return shown(await client.say(text, { locale: 'en-US' }));
  }

  it('stores the demo catalogue at start, and a running bot sees an imported change without a restart, checked in the background', async () => {
    const store = new MongoCatalogueStore(app.connection);
    const stored = await store.load();
    const demo = parseCatalogue(readFileSync(DEMO_CATALOGUE_FILE, 'utf8'));
    assert.ok(demo.ok);
    assert.equal(stored?.revision, demo.revision);

    const before = await aliceAsks('I want to open a ticket');
    assert.match(before, /Remote control/);
    assert.doesNotMatch(before, /Mobile device manager/);

    const changed = readFileSync(DEMO_CATALOGUE_FILE, 'utf8').replace('  - id: billing', () =>
      [
        '  - id: mdm',
        '    name: { en: Mobile device manager, fr: Gestionnaire de mobiles }',
        '    hasDevices: true',
        '    versionFormat:',
        "      pattern: '^\\d+\\.\\d+$'",
        "      description: { en: 'two numbers, like 1.2', fr: 'deux nombres, par exemple 1.2' }",
        '    versions:',
        '      - { version: 1.2, released: 2026-09-01 }',
        '  - id: billing',
      ].join('\n'),
    );
    const parsed = parseCatalogue(changed);
    assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.issues));
    assert.equal((await store.save(parsed.data)).kind, 'saved');
    assert.equal((await store.save(parsed.data)).kind, 'unchanged');

    // The check runs every 0.2 s off the turns' path: within a few rounds a turn sees the change.
    let after = '';
    for (let round = 0; round < 50 && !/Mobile device manager/.test(after); round++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await aliceAsks('I want to open a ticket');
    }
    assert.match(after, /Mobile device manager/);
  });
});
