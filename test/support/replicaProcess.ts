import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ReplicaProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote so far (its JSON log lines), stdout and stderr. */
  output: () => string;
}

/**
 * `npm start`'s entry point as a process of its own, on the database its `env` names; resolves
 * with its URL once it listens.
 */
export function startReplica(env: Record<string, string>): Promise<ReplicaProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bot', 'index.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`replica did not start: ${output}`)), 90_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const url = /"url":"(http:\/\/localhost:\d+)"[^\n]*Helpline is listening/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url: url.replace('localhost', '127.0.0.1'), output: () => output });
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`replica exited with ${code}: ${output}`)));
  });
}

/** Stops a replica and waits for it to be gone. */
export async function stopReplica(replica: ReplicaProcess | undefined): Promise<void> {
  if (!replica || replica.child.exitCode !== null || replica.child.signalCode !== null) return;
  const gone = new Promise((resolve) => replica.child.once('exit', resolve));
  replica.child.kill('SIGTERM');
  const timer = setTimeout(() => replica.child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}
