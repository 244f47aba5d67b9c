import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'install-ferretdb.sh');
const goAvailable = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

/**
 * The install a fresh machine runs (`npm start` runs it when no FerretDB is found): from an empty
 * GOPATH, module cache and build cache, over a broken binary left by a plain `go install`, it
 * builds a FerretDB that runs and proves it. Slow (a full download and build): one test.
 */
describe('scripts/install-ferretdb.sh on a fresh machine', function () {
  this.timeout(30 * 60_000);

  it('replaces a binary that does not run with one built from an empty Go cache that does', async function () {
    if (!goAvailable) this.skip();
    const root = mkdtempSync(path.join(os.tmpdir(), 'helpline-install-'));
    const bin = path.join(root, 'bin');
    mkdirSync(bin);
    mkdirSync(path.join(root, 'home'));
    // What `go install ...@v1.24.2` leaves behind: a binary that panics at start.
    const broken = path.join(bin, 'ferretdb');
    writeFileSync(
      broken,
      '#!/bin/sh\necho "panic: Invalid build/version/version.txt file content" >&2\nexit 2\n',
    );
    chmodSync(broken, 0o755);
    try {
      const { code, output } = await run('bash', [SCRIPT, bin], {
        ...process.env,
        HOME: path.join(root, 'home'),
        GOPATH: path.join(root, 'gopath'),
        GOMODCACHE: path.join(root, 'gopath', 'pkg', 'mod'),
        GOCACHE: path.join(root, 'gocache'),
        GOFLAGS: '-buildvcs=false',
      });

      assert.equal(code, 0, output);
      assert.match(output, /does not run/);
      assert.match(output, /done: /);
      const version = spawnSync(broken, ['--version'], { encoding: 'utf8' });
      assert.equal(version.status, 0, version.stderr);
      assert.match(version.stdout, /v1\.24\.2/);
      // Helpline's build, with the SQLite `_id` index fix (test/services/db/ferretdbIdIndex.test.ts).
      assert.match(version.stdout, /^package: helpline-sqlite-id-index$/m);
    } finally {
      spawnSync('chmod', ['-R', 'u+w', root]);
      rmSync(root, { recursive: true, force: true });
    }
  });
});

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
