/**
 * `npm run teams:package [-- --env-file FILE] [--out FILE]`: fills manifest/manifest.template.json
 * from the configuration (environment, or an env file), validates the package offline and writes
 * build/helpline-teams.zip. Nothing is written when anything is wrong; every problem is listed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import { loadTeamsPackageConfig } from '../bot/config';
import { buildTeamsPackage, MANIFEST_DIR, templateValues } from '../manifest/teamsPackage';
import { isAppError } from '../services/errors';

const ROOT = path.join(__dirname, '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { 'env-file': { type: 'string' }, out: { type: 'string' } },
  });
  const fileEnv = values['env-file'] ? parseEnv(readFileSync(values['env-file'], 'utf8')) : {};
  const projectVersion = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const config = loadTeamsPackageConfig({ ...process.env, ...fileEnv }, projectVersion);
  const built = await buildTeamsPackage(MANIFEST_DIR, templateValues(config));
  if (built.errors.length) {
    process.stderr.write(`The Teams package was not written: ${built.errors.length} problem(s)\n`);
    for (const error of built.errors) process.stderr.write(`  ✖ ${error}\n`);
    return 1;
  }
  const out = path.resolve(values.out ?? path.join(ROOT, 'build', 'helpline-teams.zip'));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, built.zip);
  process.stdout.write(
    `${path.relative(process.cwd(), out) || out}: ${built.zip.byteLength} bytes, manifest ${String(
      built.manifest.manifestVersion,
    )}, app ${config.appId} version ${config.version}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${isAppError(error) ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
