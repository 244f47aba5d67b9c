/**
 * `npm run teams:validate -- ZIP...`: validates Teams app packages offline (official schema,
 * icons, domains, localization) and lists every problem. Exit code 1 when any package has one.
 */
import { readFileSync } from 'node:fs';
import { validateTeamsPackage } from '../manifest/teamsPackage';

async function main(files: string[]): Promise<number> {
  if (!files.length) {
    process.stderr.write('Usage: npm run teams:validate -- build/helpline-teams.zip\n');
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      process.stderr.write(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
      failed++;
      continue;
    }
    const report = await validateTeamsPackage(bytes);
    if (report.errors.length) {
      failed++;
      process.stderr.write(`${file}: ${report.errors.length} problem(s)\n`);
      for (const error of report.errors) process.stderr.write(`  ✖ ${error}\n`);
    } else {
      process.stdout.write(
        `${file}: valid (manifest ${report.manifestVersion ?? '?'}, app version ${String(report.manifest?.version)}, ${bytes.byteLength} bytes)\n`,
      );
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(2);
  },
);
