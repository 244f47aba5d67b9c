import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `npm start`'s entry point with exactly this environment; returns its exit and output. */
function runHelpline(
  env: Record<string, string>,
  timeoutMs = 110_000,
): Promise<{ code: number | null; output: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bot', 'index.ts')], {
      cwd: ROOT,
      env: { PATH: path.dirname(process.execPath), LOG_LEVEL: 'silent', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

describe('starting Helpline', function () {
  // Generous: a loaded machine only makes this slower; how soon it fails is not under test.
  this.timeout(120_000);

  it('exits with code 2 and a readable message on invalid configuration', async () => {
    const { code, output } = await runHelpline({ PORT: 'eighty' });
    assert.equal(code, 2);
    assert.match(output, /Invalid configuration/);
    assert.match(output, /PORT/);
    assert.doesNotMatch(output, /at .*\.ts:\d+/, 'no stack trace');
  });

  it('names the three ways to get a database when none can be had', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'helpline-nohome-'));
    const { code, output } = await runHelpline({
      HOME: home,
      HELPLINE_EMBEDDED_DB: 'ferretdb',
      HELPLINE_DATA_DIR: path.join(home, 'data'),
    });
    assert.equal(code, 1);
    assert.match(output, /MONGODB_URI/);
    assert.match(output, /FerretDB/);
    assert.match(output, /mongodb-memory-server/);
  });

  // How soon is the server selection timeout's business (DB_SERVER_SELECTION_TIMEOUT_SECONDS), not a timed assertion.
  it('fails with a clear message when MONGODB_URI points nowhere', async () => {
    const { code, output } = await runHelpline({ MONGODB_URI: 'mongodb://127.0.0.1:9/' });
    assert.equal(code, 1);
    assert.match(output, /Cannot reach the database at mongodb:\/\/127\.0\.0\.1:9/);
  });
});
