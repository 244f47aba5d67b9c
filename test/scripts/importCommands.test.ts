import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Connection } from 'mongoose';
import { getContactModel } from '../../services/identity';
import { MongoCatalogueStore } from '../../services/catalogue';
import { connectDatabase } from '../../services/db';
import { createSilentLogger } from '../../services/logger';
import { testDatabaseUri, uniqueDbName } from '../support/database';

const PROJECT_ROOT = path.join(__dirname, '..', '..');
const execFileAsync = promisify(execFile);

/** Runs `scripts/<script>` as `npm run` does, against a database of the test's own. */
async function command(
  script: string,
  args: string[],
  dbName: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', script), '--', ...args],
      {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, MONGODB_URI: testDatabaseUri(), MONGODB_DB: dbName },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the import commands', function () {
  this.timeout(60_000);
  let dir: string;
  let dbName: string;
  let connection: Connection;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'helpline-import-cli-'));
    dbName = uniqueDbName('importcli');
    connection = await connectDatabase({ uri: testDatabaseUri(), dbName, logger: createSilentLogger() });
  });
  afterEach(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const organisations = (): string => {
    const file = path.join(dir, 'organisations.csv');
    writeFileSync(
      file,
      'id,name,tenantId,emailDomains,accountManagerName,accountManagerEmail,supportPlanUntil,locale\n' +
        'org-a,A,tenant-a,a.example,Morgan Lee,morgan.lee@vendor.example,2030-01-01,en\n',
    );
    return file;
  };
  const contacts = (...rows: string[]): string => {
    const file = path.join(dir, 'contacts.jsonl');
    writeFileSync(file, rows.join('\n'));
    return file;
  };
  const ann = JSON.stringify({
    organisationId: 'org-a',
    email: 'ann@a.example',
    name: 'Ann',
    authorized: true,
  });

  it('directory:import prints both summaries and each rejected row with its file and line, and exits 1', async () => {
    const result = await command(
      'directoryImport.ts',
      [
        organisations(),
        contacts(
          ann,
          JSON.stringify({ organisationId: 'org-b', email: 'b@b.example', name: 'B', authorized: true }),
        ),
      ],
      dbName,
    );

    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^Organisations: 1 added, 0 updated, 0 unchanged, 0 rejected\.$/m);
    assert.match(result.stdout, /^Contacts: 1 added, 0 updated, 0 unchanged, 1 rejected\.$/m);
    assert.match(result.stdout, /rejected contacts\.jsonl:2 {2}unknown organisation org-b/);
    assert.equal(await getContactModel(connection).countDocuments().exec(), 1);
  });

  it('directory:import --dry-run --prune says nothing was written and counts the deactivations, exit 0', async () => {
    const files = [organisations(), contacts(ann)];
    assert.equal((await command('directoryImport.ts', files, dbName)).code, 0);
    const bob = JSON.stringify({
      organisationId: 'org-a',
      email: 'bob@a.example',
      name: 'Bob',
      authorized: false,
    });
    const result = await command(
      'directoryImport.ts',
      [organisations(), contacts(bob), '--dry-run', '--prune'],
      dbName,
    );

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Dry run: nothing was written\.$/m);
    assert.match(result.stdout, /^Contacts: 1 added, 0 updated, 0 unchanged, 0 rejected, 1 deactivated\.$/m);
    const stored = await getContactModel(connection).find().lean().exec();
    assert.deepEqual(
      stored.map((c) => [c.email, c.active]),
      [['ann@a.example', true]],
    );
  });

  it('each command refuses an unknown option or missing files with its usage, exit 2, and writes nothing', async () => {
    for (const [script, args] of [
      ['directoryImport.ts', [organisations(), '--purge']],
      ['catalogueImport.ts', []],
      ['kbImport.ts', ['--force', 'x.jsonl']],
    ] as const) {
      const result = await command(script, [...args], dbName);
      assert.equal(result.code, 2, `${script}: ${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /Usage: npm run/);
    }
    assert.equal(await getContactModel(connection).countDocuments().exec(), 0);
    assert.equal(await new MongoCatalogueStore(connection).revision(), undefined);
  });

  it('a file that cannot be read is one line on stderr naming the command, exit 2, no stack', async () => {
    const result = await command('directoryImport.ts', [path.join(dir, 'nope.csv')], dbName);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr.trim(),
      `directory:import: Cannot read ${path.join(dir, 'nope.csv')}: no such file or folder`,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});
